package dev.switchboard.engine.outbound;

/**
 * Engine decisions to the IoAgents: queue a frame to a connection, or close it.
 * <p>
 * Called only on the engine thread. Implementations route by {@link ConnectionIds#agentIndex(long)} to the
 * owning IoAgent's outbound ring and wake that agent at {@link #endOfBatch()}.
 */
public interface OutboundPublisher
{
    /**
     * Queue a frame to one connection. The publisher takes its own reference ({@link Frame#retain()}); the
     * IoAgent releases it once written or dropped. A stale connection id (closed, slot reused) is ignored.
     *
     * @param connectionId the recipient.
     * @param frame        a sealed frame.
     */
    void send(long connectionId, Frame frame);

    /**
     * Close a connection after the frames already queued to it: send a close frame with the code and
     * reason, then drop the TCP connection when the peer answers or a deadline passes.
     *
     * @param connectionId the connection.
     * @param closeCode    the WebSocket close code.
     * @param reason       ASCII reason text, at most 123 bytes, may be empty.
     */
    void close(long connectionId, int closeCode, String reason);

    /**
     * The engine finished a ring batch: make queued work visible and wake the agents that received any.
     */
    void endOfBatch();
}
