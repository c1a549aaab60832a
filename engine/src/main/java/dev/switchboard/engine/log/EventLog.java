package dev.switchboard.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Structured events of the engine's critical paths (join, resume, leave, co-host changes, room close, offer and
 * answer relay, rate-limit episodes, unknown types), written by one engine thread as fixed binary records into
 * a lock-free ring and turned into JSON log lines by {@link EventLogAgent} on its own thread.
 * <p>
 * Recording allocates nothing and never blocks: when the ring is full the event is counted as lost. No string
 * is formatted on the engine thread.
 */
public final class EventLog
{
    /** A join was accepted. */
    public static final int JOIN = 1;
    /** A resume was answered with resume_ok or resume_migrated. */
    public static final int RESUME = 2;
    /** A leave was accepted. */
    public static final int LEAVE = 3;
    /** A co-host request, cancel, accept or end was accepted. */
    public static final int COHOST = 4;
    /** A room was torn down. */
    public static final int ROOM_CLOSED = 5;
    /** An offer or answer was relayed. */
    public static final int RELAY = 6;
    /** A session started a rate-limit episode (its first rejection after a clean second). */
    public static final int RATE_LIMITED = 7;
    /** A message of unknown type arrived. */
    public static final int UNKNOWN_TYPE = 8;
    /** A session was closed for ten seconds over the overall limit. */
    public static final int RATE_LIMIT_ABUSE = 9;
    /** Multi-node: a room was opened from a snapshot (detail: its session count). */
    public static final int ROOM_RESTORED = 10;
    /** Multi-node: a room snapshot was invalid and ignored (detail: its length in bytes). */
    public static final int ROOM_RESTORE_REJECTED = 11;
    /** A game_state patch was refused for a size bound (detail: the GameStateRefusal ordinal); once per episode. */
    public static final int GAME_STATE_REFUSED = 12;

    static final int HEADER_BYTES = 4 + 4 + 8 + 8 + 4 + 4;
    static final int MAX_ID_BYTES = 64;

    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[HEADER_BYTES + 2 * MAX_ID_BYTES]);
    private long lost;

    /**
     * A log with a ring of the given capacity.
     *
     * @param capacityBytes ring capacity, a power of two.
     */
    public EventLog(final int capacityBytes)
    {
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Record one event; engine thread only.
     *
     * @param event        one of the constants above.
     * @param roomId       room id bytes (may be null).
     * @param roomIdLength length.
     * @param senderId     the acting user's id bytes (may be null).
     * @param senderLength length.
     * @param typeId       the message type id involved, 0 when none.
     * @param durationNs   time from the IoAgent's publish to applied, or -1 when not known.
     * @param detail       an event-specific number (e.g. replayed frames on resume, members on room close).
     * @return false when the ring was full and the event was lost.
     */
    public boolean record(
        final int event,
        final byte[] roomId,
        final int roomIdLength,
        final byte[] senderId,
        final int senderLength,
        final int typeId,
        final long durationNs,
        final long detail)
    {
        final int room = null == roomId ? 0 : Math.min(roomIdLength, MAX_ID_BYTES);
        final int sender = null == senderId ? 0 : Math.min(senderLength, MAX_ID_BYTES);
        final UnsafeBuffer b = scratch;
        b.putInt(0, event);
        b.putInt(4, typeId);
        b.putLong(8, durationNs);
        b.putLong(16, detail);
        b.putInt(24, room);
        b.putInt(28, sender);
        if (room > 0)
        {
            b.putBytes(HEADER_BYTES, roomId, 0, room);
        }
        if (sender > 0)
        {
            b.putBytes(HEADER_BYTES + room, senderId, 0, sender);
        }
        if (!ring.write(1, b, 0, HEADER_BYTES + room + sender))
        {
            lost++;
            return false;
        }
        return true;
    }

    /**
     * Events lost because the ring was full (read by the engine thread's owner for diagnostics).
     *
     * @return count.
     */
    public long lostCount()
    {
        return lost;
    }

    OneToOneRingBuffer ring()
    {
        return ring;
    }
}
