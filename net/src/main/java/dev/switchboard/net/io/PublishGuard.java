package dev.switchboard.net.io;

import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;

/**
 * The one re-entrancy guard around a full inbound ring (or a full relay queue).
 * <p>
 * While the agent waits for room to publish, it keeps draining its outbound ring, so that an engine waiting on
 * that ring can finish the batch that frees inbound slots. It must then only queue frames: a close or a
 * watermark transition met meanwhile would publish an event of its own or free a connection under the decoder,
 * so the outbound side asks {@link #isPublishing()} and defers those until the publish returns.
 */
final class PublishGuard
{
    private final InboundPublisher inbound;
    private final Runnable drainOutbound;
    private int depth;

    /**
     * Guard publishes into the given rings.
     *
     * @param inbound       the engine shards' rings.
     * @param drainOutbound polls the agent's outbound ring, queueing frames only while a publish waits.
     */
    PublishGuard(final InboundPublisher inbound, final Runnable drainOutbound)
    {
        this.inbound = inbound;
        this.drainOutbound = drainOutbound;
    }

    /**
     * Publish into a shard's ring, draining outbound work while it is full.
     *
     * @param shard the shard.
     * @param slot  the event, copied into the ring.
     */
    void publish(final int shard, final InboundSlot slot)
    {
        depth++;
        try
        {
            inbound.publish(shard, slot, drainOutbound);
        }
        finally
        {
            depth--;
        }
    }

    /**
     * Enter a publish to another queue whose caller retries with {@link #waitForSpace()}; pair with
     * {@link #exit()} in a finally block.
     */
    void enter()
    {
        depth++;
    }

    /**
     * Leave a publish entered with {@link #enter()}.
     */
    void exit()
    {
        depth--;
    }

    /**
     * The queue was full: drain outbound work once and spin briefly before the caller retries.
     */
    void waitForSpace()
    {
        drainOutbound.run();
        Thread.onSpinWait();
    }

    /**
     * Whether a publish is waiting further up the stack, so closes and watermark transitions must be deferred.
     *
     * @return true inside a publish.
     */
    boolean isPublishing()
    {
        return depth > 0;
    }
}
