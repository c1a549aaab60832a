package dev.switchboard.engine.outbound;

/**
 * The production {@link OutboundPublisher} of one engine shard: routes each decision to the outbound ring of
 * the IoAgent that owns the connection and wakes, at the end of a batch, only the agents that got work.
 */
public final class RingOutboundPublisher implements OutboundPublisher
{
    private final OutboundRing[] rings;
    private final boolean[] dirty;

    /**
     * Publish into the given IoAgents' rings.
     *
     * @param rings outbound rings indexed by IoAgent index.
     */
    public RingOutboundPublisher(final OutboundRing[] rings)
    {
        this.rings = rings.clone();
        this.dirty = new boolean[rings.length];
    }

    /** {@inheritDoc} */
    @Override
    public void send(final long connectionId, final Frame frame)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= rings.length)
        {
            return;
        }
        frame.retain();
        rings[agent].send(connectionId, frame);
        dirty[agent] = true;
    }

    /** {@inheritDoc} */
    @Override
    public void close(final long connectionId, final int closeCode, final String reason)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= rings.length)
        {
            return;
        }
        rings[agent].close(connectionId, closeCode, reason);
        dirty[agent] = true;
    }

    /** {@inheritDoc} */
    @Override
    public void endOfBatch()
    {
        for (int i = 0; i < dirty.length; i++)
        {
            if (dirty[i])
            {
                dirty[i] = false;
                rings[i].wake();
            }
        }
    }
}
