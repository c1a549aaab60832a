package dev.switchboard.net.io;

import dev.switchboard.engine.outbound.FramePool;

/**
 * What the parts of an IoAgent read from the loop that runs them: its clock and its thread's frame pool, and
 * the drain the operator asked for.
 */
interface IoLoop
{
    /**
     * The loop's clock, read once per pass.
     *
     * @return epoch ms.
     */
    long nowMs();

    /**
     * The frame pool owned by the loop's thread.
     *
     * @return the pool.
     */
    FramePool framePool();

    /**
     * The graceful drain's duration, or 0 when no drain was asked for.
     *
     * @return ms.
     */
    long drainRequestedMs();

    /**
     * Upper bound of the retry delay told to each client closed by the drain.
     *
     * @return ms.
     */
    int drainSpreadMs();

    /**
     * Make the loop leave select soon; safe from any thread.
     */
    void wake();
}
