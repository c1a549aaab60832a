package dev.switchboard.net.io;

import dev.switchboard.engine.ring.InboundSlot;

/**
 * Multi-node routing of an IoAgent's sockets: which go to a local shard and which are relayed to the cluster
 * agent, in order, with their control records; {@link NoRelayRouter} in single-node mode.
 */
interface RelayRouter
{
    /**
     * Decide the route of a decoded text message: on the first join or resume, whether the socket is served here
     * or relayed; for a relayed socket, relay the text.
     *
     * @param connection the sender.
     * @param slot       the decoded envelope.
     * @param buffer     the message text.
     * @param offset     first byte of the text.
     * @param length     length of the text.
     * @return true when the message was handled here (relayed or refused) and must not go to a local shard.
     */
    boolean route(Connection connection, InboundSlot slot, byte[] buffer, int offset, int length);

    /**
     * Everything read so far is decoded and relayed: mark the end of it for the cluster agent and stop reading
     * until the route decision comes back, so no message can overtake the ones the agent still holds.
     *
     * @param connection a relayed socket whose pause marker is pending.
     */
    void pauseForRoute(Connection connection);

    /**
     * Relay the close of a relayed socket.
     *
     * @param connectionId the socket.
     * @param closeCode    its close code.
     */
    void relayClosed(long connectionId, int closeCode);

    /**
     * Relay a drop-mode change of a relayed socket.
     *
     * @param connectionId the socket.
     * @param slotKind     {@code FLOW_DROP} or {@code FLOW_NORMAL}.
     * @param dropped      frames dropped in the episode that ends.
     */
    void relayFlow(long connectionId, byte slotKind, long dropped);

    /**
     * Relay that a relayed socket sent a message over the size limit.
     *
     * @param connectionId the socket.
     */
    void relayTooLarge(long connectionId);

    /**
     * Close the sockets of every room the cluster agent says moved (4012).
     */
    void drainEvictions();

    /**
     * Apply the cluster agent's route decisions to this agent's paused sockets.
     */
    void drainRoutes();
}
