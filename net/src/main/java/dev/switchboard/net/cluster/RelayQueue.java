package dev.switchboard.net.cluster;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The IoAgents' door to the cluster agent for relayed sockets: a bounded many-to-one ring of byte records
 * (see {@link RelayRecords}) that never allocates; an offer that finds the ring full returns false and the
 * IoAgent retries while it drains its own outbound ring.
 */
public final class RelayQueue
{
    private final ManyToOneRingBuffer ring;
    private final Runnable waker;

    /**
     * A queue of the given capacity.
     *
     * @param capacityBytes ring capacity, a power of two; a record may use up to an eighth of it.
     * @param waker         wakes the cluster agent after an offer.
     */
    public RelayQueue(final int capacityBytes, final Runnable waker)
    {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.waker = waker;
    }

    /**
     * Relay a text message.
     *
     * @param connectionId     the socket.
     * @param authUserId       authenticated user id bytes.
     * @param authUserIdLength its length (0 for a guest).
     * @param text             message bytes.
     * @param offset           first byte.
     * @param length           message length.
     * @return false when the ring is full (try again).
     */
    public boolean offerText(
        final long connectionId,
        final byte[] authUserId,
        final int authUserIdLength,
        final byte[] text,
        final int offset,
        final int length)
    {
        final int recordLength = 8 + 1 + authUserIdLength + length;
        final int index = ring.tryClaim(RelayRecords.TEXT, recordLength);
        if (index <= 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        buffer.putByte(index + 8, (byte)authUserIdLength);
        buffer.putBytes(index + 9, authUserId, 0, authUserIdLength);
        buffer.putBytes(index + 9 + authUserIdLength, text, offset, length);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Relay what the socket's token allows, right before a join or resume text of a socket with grants.
     *
     * @param connectionId the socket.
     * @param flags        the grant flags (not 0).
     * @param packedRooms  packed room patterns.
     * @param packedLength bytes of {@code packedRooms} in use.
     * @return false when the ring is full (try again).
     */
    public boolean offerGrants(
        final long connectionId, final int flags, final byte[] packedRooms, final int packedLength)
    {
        final int index = ring.tryClaim(RelayRecords.GRANTS, 8 + GrantsRecord.HEADER_LENGTH + packedLength);
        if (index <= 0)
        {
            return false;
        }
        ring.buffer().putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        GrantsRecord.encode(ring.buffer(), index + 8, flags, packedRooms, packedLength);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Relay the socket's close.
     *
     * @param connectionId the socket.
     * @param closeCode    the close code.
     * @return false when the ring is full.
     */
    public boolean offerClosed(final long connectionId, final int closeCode)
    {
        final int index = ring.tryClaim(RelayRecords.CLOSED, 12);
        if (index <= 0)
        {
            return false;
        }
        ring.buffer().putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        ring.buffer().putInt(index + 8, closeCode, ByteOrder.BIG_ENDIAN);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Relay a drop-mode transition.
     *
     * @param connectionId the socket.
     * @param slotKind     FLOW_DROP or FLOW_NORMAL.
     * @param dropped      messages dropped in the episode.
     * @return false when the ring is full.
     */
    public boolean offerFlow(final long connectionId, final byte slotKind, final long dropped)
    {
        final int index = ring.tryClaim(RelayRecords.FLOW, 17);
        if (index <= 0)
        {
            return false;
        }
        ring.buffer().putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        ring.buffer().putByte(index + 8, slotKind);
        ring.buffer().putLong(index + 9, dropped, ByteOrder.BIG_ENDIAN);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Relay a message-too-large notice.
     *
     * @param connectionId the socket.
     * @return false when the ring is full.
     */
    public boolean offerTooLarge(final long connectionId)
    {
        final int index = ring.tryClaim(RelayRecords.TOO_LARGE, 8);
        if (index <= 0)
        {
            return false;
        }
        ring.buffer().putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Mark that the IoAgent stopped reading the socket: no record of it follows until its route is decided.
     *
     * @param connectionId the socket.
     * @return false when the ring is full.
     */
    public boolean offerPaused(final long connectionId)
    {
        return offerMarker(RelayRecords.PAUSED, connectionId);
    }

    /**
     * Tell the agent the socket is now served from a local shard, so it forgets it.
     *
     * @param connectionId the socket.
     * @return false when the ring is full.
     */
    public boolean offerDirect(final long connectionId)
    {
        return offerMarker(RelayRecords.DIRECT, connectionId);
    }

    private boolean offerMarker(final byte kind, final long connectionId)
    {
        final int index = ring.tryClaim(kind, 8);
        if (index <= 0)
        {
            return false;
        }
        ring.buffer().putLong(index, connectionId, ByteOrder.BIG_ENDIAN);
        ring.commit(index);
        waker.run();
        return true;
    }

    /**
     * Read records on the cluster agent thread.
     *
     * @param handler receives (kind, buffer, index, length) where index points at the connection id.
     * @param limit   most records to read.
     * @return records read.
     */
    public int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * Largest record the ring takes.
     *
     * @return bytes.
     */
    public int maxRecordLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Whether records wait.
     *
     * @return true when the ring is not empty.
     */
    public boolean hasPending()
    {
        return ring.size() > 0;
    }

    /**
     * The ring itself, for the hooks queue that shares the format.
     *
     * @return the ring.
     */
    RingBuffer ring()
    {
        return ring;
    }
}
