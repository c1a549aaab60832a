package dev.switchboard.engine.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Memory held by one engine shard ({@code frame_pool_bytes{state}}, {@code replay_bytes{scope}}): published by the
 * engine thread at the end of each batch with release semantics, read by metrics scrapes without locks.
 */
public final class MemoryGauges
{
    private static final int FRAME_POOL_FREE = 0;
    private static final int FRAME_POOL_IN_USE = 1;
    private static final int REPLAY_SESSION = 2;
    private static final int REPLAY_ROOM = 3;

    private final AtomicLongArray values = new AtomicLongArray(4);

    /**
     * Publish the current values; engine thread only.
     *
     * @param framePoolFreeBytes  bytes of free frames the pool keeps.
     * @param framePoolInUseBytes bytes of pooled frames handed out and not yet returned.
     * @param sessionReplayBytes  wire bytes held by every session's replay window.
     * @param roomReplayBytes     wire bytes held by every room's replay window.
     */
    public void publish(
        final long framePoolFreeBytes,
        final long framePoolInUseBytes,
        final long sessionReplayBytes,
        final long roomReplayBytes)
    {
        values.lazySet(FRAME_POOL_FREE, framePoolFreeBytes);
        values.lazySet(FRAME_POOL_IN_USE, framePoolInUseBytes);
        values.lazySet(REPLAY_SESSION, sessionReplayBytes);
        values.lazySet(REPLAY_ROOM, roomReplayBytes);
    }

    /**
     * Bytes of free frames the pool keeps.
     *
     * @return bytes.
     */
    public long framePoolFreeBytes()
    {
        return values.get(FRAME_POOL_FREE);
    }

    /**
     * Bytes of pooled frames handed out and not yet returned.
     *
     * @return bytes.
     */
    public long framePoolInUseBytes()
    {
        return values.get(FRAME_POOL_IN_USE);
    }

    /**
     * Wire bytes held by every session's replay window.
     *
     * @return bytes.
     */
    public long sessionReplayBytes()
    {
        return values.get(REPLAY_SESSION);
    }

    /**
     * Wire bytes held by every room's replay window.
     *
     * @return bytes.
     */
    public long roomReplayBytes()
    {
        return values.get(REPLAY_ROOM);
    }
}
