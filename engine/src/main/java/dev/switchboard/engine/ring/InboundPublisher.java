package dev.switchboard.engine.ring;

import com.lmax.disruptor.RingBuffer;
import dev.switchboard.engine.hash.IdHash;

/**
 * The IoAgents' door into the engine shards: picks a shard by room id and publishes a filled scratch slot.
 * <p>
 * Thread-safe for several IoAgents when the shards' rings are multi-producer. After each publication the
 * shard's thread is woken, which costs a fence and a read unless it is parked. Publishing never blocks
 * forever: while a ring is full the caller's {@link Runnable} runs between attempts, so an IoAgent keeps
 * draining its outbound ring and the engine it waits for can make progress; when the shard runs on the
 * caller's own thread (shared mode) the caller runs the shard's duty cycle itself.
 */
public final class InboundPublisher
{
    private final RingBuffer<InboundSlot>[] rings;
    private final EngineShard[] shards;

    /**
     * Publish into the given shards.
     *
     * @param shards every engine shard, indexed by shard number.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public InboundPublisher(final EngineShard[] shards)
    {
        this.shards = shards.clone();
        rings = new RingBuffer[shards.length];
        for (int i = 0; i < shards.length; i++)
        {
            rings[i] = shards[i].ring();
        }
    }

    /**
     * Number of shards.
     *
     * @return count.
     */
    public int shardCount()
    {
        return rings.length;
    }

    /**
     * The shard that owns a room: the process-seeded hash of the room id bytes (stable for the process).
     *
     * @param roomId bytes of the room id.
     * @param length length in bytes.
     * @return shard index.
     */
    public int shardFor(final byte[] roomId, final int length)
    {
        if (1 == rings.length)
        {
            return 0;
        }
        return (IdHash.hash(roomId, 0, length) & 0x7FFF_FFFF) % rings.length;
    }

    /**
     * Copy a filled slot into the shard's ring.
     *
     * @param shard   target shard.
     * @param scratch the caller's filled slot.
     * @param whileFull run between attempts while the ring is full (e.g. drain outbound work).
     */
    public void publish(final int shard, final InboundSlot scratch, final Runnable whileFull)
    {
        final RingBuffer<InboundSlot> ring = rings[shard];
        final EngineShard target = shards[shard];
        while (!ring.tryPublishEvent(SlotTranslators.COPY, scratch))
        {
            whileFull.run();
            if (target.isCurrentThread())
            {
                target.doWork();
            }
            else
            {
                target.wake();
                Thread.onSpinWait();
            }
        }
        target.wake();
    }
}
