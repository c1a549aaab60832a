package dev.switchboard.engine.room;

import dev.switchboard.engine.outbound.Frame;

/**
 * Where the engine's room-side classes hand a frame for one connection (the engine's outbox).
 */
@FunctionalInterface
public interface FrameSink
{
    /**
     * Queue one reference of the frame to the connection; the caller keeps its own reference.
     *
     * @param connectionId the connection.
     * @param frame        the encoded frame.
     */
    void send(long connectionId, Frame frame);
}
