package dev.switchboard.net.cluster;

import dev.switchboard.engine.cluster.ClusterHooks;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine shards' {@link ClusterHooks}: each notice is copied into a bounded many-to-one ring the cluster
 * agent drains, so the engine thread never waits; a notice that does not fit is dropped and counted.
 * <p>
 * Records: {@code [roomIdLength:1][roomId][snapshot]} for OPENED, CLOSED and SNAPSHOT, {@code [roomCount:4]}
 * for HANDOVER_COMPLETE.
 */
public final class ClusterHooksQueue implements ClusterHooks
{
    /** A room was opened. */
    public static final int OPENED = 1;
    /** A room was closed. */
    public static final int CLOSED = 2;
    /** A room snapshot. */
    public static final int SNAPSHOT = 3;
    /** A shard finished a handover. */
    public static final int HANDOVER_COMPLETE = 4;

    private final ManyToOneRingBuffer ring;
    private final long snapshotIntervalMs;
    private final Runnable waker;
    private final AtomicLong dropped = new AtomicLong();

    /**
     * A queue of the given capacity.
     *
     * @param capacityBytes      ring capacity, a power of two; a snapshot may use up to an eighth of it.
     * @param snapshotIntervalMs least time between two snapshots of a room.
     * @param waker              wakes the cluster agent.
     */
    public ClusterHooksQueue(final int capacityBytes, final long snapshotIntervalMs, final Runnable waker)
    {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.snapshotIntervalMs = snapshotIntervalMs;
        this.waker = waker;
    }

    /** {@inheritDoc} */
    @Override
    public long snapshotIntervalMs()
    {
        return snapshotIntervalMs;
    }

    /** {@inheritDoc} */
    @Override
    public void onRoomOpened(final byte[] roomId, final int roomIdLength)
    {
        offer(OPENED, roomId, roomIdLength, null, 0, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onRoomClosed(final byte[] roomId, final int roomIdLength)
    {
        offer(CLOSED, roomId, roomIdLength, null, 0, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onRoomSnapshot(
        final byte[] roomId, final int roomIdLength, final byte[] snapshot, final int offset, final int length)
    {
        offer(SNAPSHOT, roomId, roomIdLength, snapshot, offset, length);
    }

    /** {@inheritDoc} */
    @Override
    public void onHandoverComplete(final int roomCount)
    {
        final int index = 4 <= ring.maxMsgLength() ? ring.tryClaim(HANDOVER_COMPLETE, 4) : -1;
        if (index <= 0)
        {
            dropped.incrementAndGet();
            return;
        }
        ring.buffer().putInt(index, roomCount);
        ring.commit(index);
        waker.run();
    }

    /**
     * Notices dropped because the ring was full or a snapshot too large.
     *
     * @return count.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * Whether notices wait.
     *
     * @return true when the ring is not empty.
     */
    public boolean hasPending()
    {
        return ring.size() > 0;
    }

    /**
     * Read notices on the cluster agent thread.
     *
     * @param handler receives each record.
     * @param limit   most records to read.
     * @return records read.
     */
    public int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    private void offer(
        final int kind,
        final byte[] roomId,
        final int roomIdLength,
        final byte[] snapshot,
        final int offset,
        final int length)
    {
        final int recordLength = 1 + roomIdLength + length;
        final int index = recordLength <= ring.maxMsgLength() ? ring.tryClaim(kind, recordLength) : -1;
        if (index <= 0)
        {
            dropped.incrementAndGet();
            return;
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putByte(index, (byte)roomIdLength);
        buffer.putBytes(index + 1, roomId, 0, roomIdLength);
        if (length > 0)
        {
            buffer.putBytes(index + 1 + roomIdLength, snapshot, offset, length);
        }
        ring.commit(index);
        waker.run();
    }
}
