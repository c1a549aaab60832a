package dev.switchboard.engine.metrics;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Single-writer counters of one engine shard, written with release semantics on the engine thread and
 * readable from any thread (metrics scrapes) without locks.
 */
public final class EngineCounters
{
    private static final int TYPE_SLOTS = 64;
    private static final int REASONS = DropReason.values().length;
    private static final int ERRORS = ErrorCode.values().length;

    private static final int MSGS_OUT = 0;
    private static final int ROOMS = 1;
    private static final int SESSIONS = 2;
    private static final int CONNECTIONS = 3;
    private static final int ERRORS_TOTAL = 4;
    private static final int RATE_LIMITED_ANY = 5;
    private static final int SNAPSHOTS = 6;
    private static final int ROOMS_RESTORED = 7;
    private static final int RESTORES_REJECTED = 8;
    private static final int RESTORES_IGNORED = 9;
    private static final int GAME_STATE_REFUSED_BASE = 10;
    private static final int MSGS_IN_BASE = 16;
    private static final int DROPS_BASE = MSGS_IN_BASE + TYPE_SLOTS;
    private static final int ERRORS_BASE = DROPS_BASE + TYPE_SLOTS * REASONS;
    private static final int LENGTH = ERRORS_BASE + ERRORS;

    private final AtomicLongArray values = new AtomicLongArray(LENGTH);
    private final MemoryGauges memory = new MemoryGauges();

    /**
     * The shard's memory gauges (frame pool and replay windows).
     *
     * @return the gauges.
     */
    public MemoryGauges memory()
    {
        return memory;
    }

    /**
     * Count one message received, by type id.
     *
     * @param typeId {@link MessageType#id()}.
     */
    public void onMessageIn(final int typeId)
    {
        increment(MSGS_IN_BASE + (typeId & (TYPE_SLOTS - 1)));
    }

    /**
     * Count one frame handed to the publisher.
     */
    public void onMessageOut()
    {
        increment(MSGS_OUT);
    }

    /**
     * Count one dropped message.
     *
     * @param typeId the dropped message's type id.
     * @param reason why it was dropped.
     */
    public void onDrop(final int typeId, final DropReason reason)
    {
        increment(DROPS_BASE + (typeId & (TYPE_SLOTS - 1)) * REASONS + reason.ordinal());
    }

    /**
     * Count one message rejected by a rate limit: by the overall bucket ({@code rate_limited_total{type="any"}})
     * or by its type's bucket ({@code rate_limited_total{type}}, also {@code drops_by_type_total{reason=
     * "rate_limited"}}); each rejected message is counted once.
     *
     * @param typeId  the rejected message's type id.
     * @param overall true when the overall bucket rejected it.
     */
    public void onRateLimited(final int typeId, final boolean overall)
    {
        if (overall)
        {
            increment(RATE_LIMITED_ANY);
        }
        else
        {
            onDrop(typeId, DropReason.RATE_LIMITED);
        }
    }

    /**
     * Count one error reply sent.
     *
     * @param code the error code.
     */
    public void onError(final ErrorCode code)
    {
        increment(ERRORS_BASE + code.ordinal());
        increment(ERRORS_TOTAL);
    }

    /**
     * Publish the current gauges.
     *
     * @param rooms       rooms open.
     * @param sessions    sessions live or away.
     * @param connections connections bound to a session.
     */
    public void gauges(final int rooms, final int sessions, final int connections)
    {
        values.lazySet(ROOMS, rooms);
        values.lazySet(SESSIONS, sessions);
        values.lazySet(CONNECTIONS, connections);
    }

    /**
     * Messages received of a type.
     *
     * @param type the type.
     * @return count.
     */
    public long msgsIn(final MessageType type)
    {
        return values.get(MSGS_IN_BASE + (type.id() & (TYPE_SLOTS - 1)));
    }

    /**
     * Frames handed to the publisher.
     *
     * @return count.
     */
    public long msgsOut()
    {
        return values.get(MSGS_OUT);
    }

    /**
     * Messages of a type dropped for a reason.
     *
     * @param type   the type.
     * @param reason the reason.
     * @return count.
     */
    public long drops(final MessageType type, final DropReason reason)
    {
        return values.get(DROPS_BASE + (type.id() & (TYPE_SLOTS - 1)) * REASONS + reason.ordinal());
    }

    /**
     * Messages of a type rejected by that type's own bucket, the {@code rate_limited_total{type}} series.
     *
     * @param type the type.
     * @return count.
     */
    public long rateLimited(final MessageType type)
    {
        return drops(type, DropReason.RATE_LIMITED);
    }

    /**
     * Messages of any type rejected by the overall per-session bucket, the {@code rate_limited_total{type="any"}}
     * series.
     *
     * @return count.
     */
    public long rateLimitedOverall()
    {
        return values.get(RATE_LIMITED_ANY);
    }

    /**
     * Error replies sent with a code.
     *
     * @param code the code.
     * @return count.
     */
    public long errors(final ErrorCode code)
    {
        return values.get(ERRORS_BASE + code.ordinal());
    }

    /**
     * Error replies sent, all codes.
     *
     * @return count.
     */
    public long errorsTotal()
    {
        return values.get(ERRORS_TOTAL);
    }

    /**
     * Rooms open at the last gauge update.
     *
     * @return gauge.
     */
    public long rooms()
    {
        return values.get(ROOMS);
    }

    /**
     * Sessions (live and away) at the last gauge update.
     *
     * @return gauge.
     */
    public long sessions()
    {
        return values.get(SESSIONS);
    }

    /**
     * Connections bound to a session at the last gauge update.
     *
     * @return gauge.
     */
    public long connections()
    {
        return values.get(CONNECTIONS);
    }

    /**
     * Count one room snapshot handed to the cluster hooks.
     */
    public void onSnapshot()
    {
        increment(SNAPSHOTS);
    }

    /**
     * Count one room opened from a snapshot.
     */
    public void onRoomRestored()
    {
        increment(ROOMS_RESTORED);
    }

    /**
     * Count one room restore refused because its snapshot was invalid.
     */
    public void onRestoreRejected()
    {
        increment(RESTORES_REJECTED);
    }

    /**
     * Count one room restore ignored because the room was already open.
     */
    public void onRestoreIgnored()
    {
        increment(RESTORES_IGNORED);
    }

    /**
     * Room snapshots handed to the cluster hooks.
     *
     * @return count.
     */
    public long snapshots()
    {
        return values.get(SNAPSHOTS);
    }

    /**
     * Rooms opened from a snapshot.
     *
     * @return count.
     */
    public long roomsRestored()
    {
        return values.get(ROOMS_RESTORED);
    }

    /**
     * Room restores refused because the snapshot was invalid.
     *
     * @return count.
     */
    public long restoresRejected()
    {
        return values.get(RESTORES_REJECTED);
    }

    /**
     * Room restores ignored because the room was already open on the shard.
     *
     * @return count.
     */
    public long restoresIgnored()
    {
        return values.get(RESTORES_IGNORED);
    }

    /**
     * Count one game_state patch refused with invalid_message.
     *
     * @param reason which bound it crossed.
     */
    public void onGameStateRefused(final GameStateRefusal reason)
    {
        increment(GAME_STATE_REFUSED_BASE + reason.ordinal());
    }

    /**
     * Game-state patches refused for a reason.
     *
     * @param reason the bound crossed.
     * @return count.
     */
    public long gameStateRefused(final GameStateRefusal reason)
    {
        return values.get(GAME_STATE_REFUSED_BASE + reason.ordinal());
    }

    private void increment(final int index)
    {
        values.lazySet(index, values.get(index) + 1);
    }
}
