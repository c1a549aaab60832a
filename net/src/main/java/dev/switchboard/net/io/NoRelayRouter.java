package dev.switchboard.net.io;

import dev.switchboard.engine.ring.InboundSlot;

/**
 * Single-node mode: every socket is served by a local shard, so nothing is ever relayed.
 */
final class NoRelayRouter implements RelayRouter
{
    /** The one instance: the router has no state. */
    static final NoRelayRouter INSTANCE = new NoRelayRouter();

    private NoRelayRouter()
    {
    }

    /** {@inheritDoc} */
    @Override
    public boolean route(
        final Connection connection, final InboundSlot slot, final byte[] buffer, final int offset, final int length)
    {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public void pauseForRoute(final Connection connection)
    {
        // no socket is relayed, so none waits for a route
    }

    /** {@inheritDoc} */
    @Override
    public void relayClosed(final long connectionId, final int closeCode)
    {
        // no socket is relayed
    }

    /** {@inheritDoc} */
    @Override
    public void relayFlow(final long connectionId, final byte slotKind, final long dropped)
    {
        // no socket is relayed
    }

    /** {@inheritDoc} */
    @Override
    public void relayTooLarge(final long connectionId)
    {
        // no socket is relayed
    }

    /** {@inheritDoc} */
    @Override
    public void drainEvictions()
    {
        // no cluster agent, so no room moves
    }

    /** {@inheritDoc} */
    @Override
    public void drainRoutes()
    {
        // no socket waits for a route
    }
}
