package dev.switchboard.engine.webhook;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine shard's outbox of webhook events: the engine copies a small flat record (event kind, room id, user
 * id, a short detail, the time) into a lock-free single-producer ring and moves on; the webhook dispatcher thread
 * reads the ring and does the HTTP work. A full ring drops the record and counts it; the engine never waits.
 * <p>
 * Record layout: kind (1 byte), time in epoch ms (8), room id length (1) and bytes, user id length (1) and bytes,
 * detail length (1) and bytes; ids are at most 64 bytes, details at most 32.
 */
public final class WebhookEvents
{
    /** A room opened with its first join (user: the joiner). */
    public static final byte ROOM_STARTED = 1;
    /** A room closed (detail: {@code empty} or the room_closed reason). */
    public static final byte ROOM_FINISHED = 2;
    /** A join was accepted (detail: the role). */
    public static final byte PARTICIPANT_JOINED = 3;
    /** A session ended: leave, resume window over, removed, replaced or the room closed. */
    public static final byte PARTICIPANT_LEFT = 4;
    /** The room's co-host changed (user: the guest; detail: accepted, ended, host_left or left). */
    public static final byte COHOST_CHANGED = 5;

    /** The sink when webhooks are off: records nothing. */
    public static final WebhookEvents NONE = new WebhookEvents();

    private static final int MAX_ID_BYTES = 64;
    private static final int MAX_DETAIL_BYTES = 32;
    private static final int MAX_RECORD_BYTES = 1 + 8 + 3 + 2 * MAX_ID_BYTES + MAX_DETAIL_BYTES;

    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer scratch;
    private final AtomicLong dropped;

    private WebhookEvents()
    {
        ring = null;
        scratch = null;
        dropped = new AtomicLong();
    }

    /**
     * An outbox holding about {@code records} records.
     *
     * @param records how many records of the largest size fit at once.
     * @param dropped shared counter of records lost to a full ring.
     */
    public WebhookEvents(final int records, final AtomicLong dropped)
    {
        final int capacity = Integer.highestOneBit(Math.max(64, records * (MAX_RECORD_BYTES + 8)) * 2 - 1);
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        scratch = new UnsafeBuffer(new byte[MAX_RECORD_BYTES]);
        this.dropped = dropped;
    }

    /**
     * Record one event; engine thread only; allocation-free.
     *
     * @param kind         one of the constants above.
     * @param nowMs        event time, epoch ms.
     * @param roomId       room id bytes.
     * @param roomIdLength room id length.
     * @param userId       user id bytes, or null.
     * @param userIdLength user id length.
     * @param detail       ASCII detail bytes, or null.
     */
    public void record(
        final byte kind,
        final long nowMs,
        final byte[] roomId,
        final int roomIdLength,
        final byte[] userId,
        final int userIdLength,
        final byte[] detail)
    {
        if (null == ring)
        {
            return;
        }
        final int room = Math.min(roomIdLength, MAX_ID_BYTES);
        final int user = null == userId ? 0 : Math.min(userIdLength, MAX_ID_BYTES);
        final int details = null == detail ? 0 : Math.min(detail.length, MAX_DETAIL_BYTES);
        final UnsafeBuffer b = scratch;
        int at = 0;
        b.putByte(at++, kind);
        b.putLong(at, nowMs);
        at += 8;
        b.putByte(at++, (byte)room);
        b.putBytes(at, roomId, 0, room);
        at += room;
        b.putByte(at++, (byte)user);
        if (user > 0)
        {
            b.putBytes(at, userId, 0, user);
            at += user;
        }
        b.putByte(at++, (byte)details);
        if (details > 0)
        {
            b.putBytes(at, detail, 0, details);
            at += details;
        }
        if (!ring.write(1, b, 0, at))
        {
            dropped.incrementAndGet();
        }
    }

    /**
     * Read up to {@code limit} records; dispatcher thread only.
     *
     * @param handler receives each record's bytes.
     * @param limit   most records to read.
     * @return records read.
     */
    public int drain(final MessageHandler handler, final int limit)
    {
        return null == ring ? 0 : ring.read(handler, limit);
    }

    /**
     * Whether this is the no-op sink.
     *
     * @return true for {@link #NONE}.
     */
    public boolean isNone()
    {
        return null == ring;
    }
}
