package dev.switchboard.engine;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * What a message must pass before the engine applies it, in this order (protocol sections 4 and 5):
 * <ul>
 * <li>Rate limits first, with the sender's {@link RateLimiter}: every frame spends tokens, pings and invalid
 * messages included (an invalid message spends only the overall bucket). A message over a limit is dropped and
 * counted once in {@code rate_limited_total}. A rejected critical message is never acked nor entered in the dedupe
 * window, so a client retry after the bucket refills is applied.</li>
 * <li>Dedupe second: a duplicate spends tokens like any frame (a flood of retries still counts towards abuse), but
 * a rejected duplicate of an accepted msgId gets no rate-limit reply (that would contradict its ack).</li>
 * <li>The limiter belongs to the session and survives resume; a socket with no session yet has one of its own,
 * freed when it joins, resumes or closes. The tenth consecutive second over the overall limit closes the socket
 * ({@link Engine#CLOSE_RATE_LIMIT_ABUSE}); its frames already queued are ignored.</li>
 * </ul>
 * Plus the flat checks of room ids and grants.
 */
final class Admission
{
    /** Apply the message. */
    static final int ADMIT = 0;
    /** Drop the message silently (duplicate, or limited with the reply already spent). */
    static final int DROP = 1;
    /** Drop the message and answer it with {@code rate_limited}. */
    static final int REPLY_LIMITED = 2;
    /** Close the socket for abuse. */
    static final int ABUSE = 3;

    private static final int MAX_POOLED_LIMITERS = 1024;
    private static final long RATE_LIMIT_LOG_INTERVAL_MS = 10_000;

    private final SwitchboardSettings settings;
    private final EngineCounters counters;
    private final Long2ObjectHashMap<RateLimiter> connectionLimiters = new Long2ObjectHashMap<>();
    private final LongHashSet closingConnections = new LongHashSet();
    private RateLimiter[] limiterPool = new RateLimiter[16];
    private int limiterPoolCount;
    private boolean logDue;

    Admission(final SwitchboardSettings settings, final EngineCounters counters)
    {
        this.settings = settings;
        this.counters = counters;
    }

    /** Whether the socket was closed for abuse and its queued frames are to be ignored. */
    boolean isClosing(final long connectionId)
    {
        return closingConnections.contains(connectionId);
    }

    /**
     * Spend the sender's tokens for this message and decide: {@link #ADMIT}, {@link #DROP}, {@link #REPLY_LIMITED}
     * or {@link #ABUSE}; counts every refusal. {@link #logDue()} then says whether the refusal starts an episode
     * worth a log line.
     */
    int check(final InboundSlot slot, final MessageType type, final Session session, final long nowMs)
    {
        logDue = false;
        final RateLimiter limiter = limiterFor(slot.connectionId, session, nowMs);
        final boolean valid = ErrorCode.NONE.ordinal() == slot.errorCode;
        final int verdict =
            limiter.onMessage(valid ? type : MessageType.UNKNOWN, valid ? slot.patchEntryCount : 0, nowMs);
        if (RateLimiter.ALLOW == verdict)
        {
            return ADMIT;
        }
        counters.onRateLimited(limiter.limitedType().id(), limiter.limitedByOverall());
        if (RateLimiter.ABUSE == verdict)
        {
            return ABUSE;
        }
        if (null != session && session.rateLimitLogDue(nowMs, RATE_LIMIT_LOG_INTERVAL_MS))
        {
            // One line per episode: the first rejection after ten seconds without a logged one.
            logDue = true;
        }
        if (valid && isDuplicate(slot, type, session))
        {
            return DROP;
        }
        return RateLimiter.LIMITED_REPLY == verdict ? REPLY_LIMITED : DROP;
    }

    /** Whether the last refusal of {@link #check} is the first of an episode and should be logged. */
    boolean logDue()
    {
        return logDue;
    }

    /** Whether this is a member's critical message already accepted (counted as a duplicate drop when so). */
    boolean isDuplicate(final InboundSlot slot, final MessageType type, final Session session)
    {
        if (type.isCritical() && type.isFromClient() && null != session && slot.hasMsgId &&
            session.dedupe().contains(slot.msgIdHi, slot.msgIdLo))
        {
            counters.onDrop(type.id(), DropReason.DUPLICATE);
            return true;
        }
        return false;
    }

    /** The limiter of the session, or of the socket when it has no session yet. */
    RateLimiter limiterFor(final long connectionId, final Session session, final long nowMs)
    {
        if (null != session)
        {
            return session.rateLimiter();
        }
        RateLimiter limiter = connectionLimiters.get(connectionId);
        if (null == limiter)
        {
            limiter = allocateLimiter();
            limiter.reset(nowMs);
            connectionLimiters.put(connectionId, limiter);
        }
        return limiter;
    }

    /** The socket joined, resumed or closed: its own limiter goes back to the pool. */
    void releaseConnectionLimiter(final long connectionId)
    {
        final RateLimiter limiter = connectionLimiters.remove(connectionId);
        if (null != limiter && limiterPoolCount < MAX_POOLED_LIMITERS)
        {
            if (limiterPoolCount == limiterPool.length)
            {
                limiterPool = Arrays.copyOf(limiterPool, limiterPoolCount * 2);
            }
            limiterPool[limiterPoolCount++] = limiter;
        }
    }

    /** The socket is being closed for abuse: ignore its frames until its close event. */
    void markClosing(final long connectionId)
    {
        releaseConnectionLimiter(connectionId);
        closingConnections.add(connectionId);
    }

    /** The socket closed: forget it. */
    void onConnectionClosed(final long connectionId)
    {
        closingConnections.remove(connectionId);
        releaseConnectionLimiter(connectionId);
    }

    private RateLimiter allocateLimiter()
    {
        if (limiterPoolCount > 0)
        {
            final RateLimiter limiter = limiterPool[--limiterPoolCount];
            limiterPool[limiterPoolCount] = null;
            return limiter;
        }
        return new RateLimiter(settings);
    }

    /** Whether the slot's room id is 1 to 64 characters of {@code [A-Za-z0-9_.-]}. */
    static boolean isValidRoomId(final InboundSlot slot)
    {
        return Room.isValidId(slot.roomId, slot.roomIdLength);
    }

    /** Whether the slot names this room. */
    static boolean roomMatches(final InboundSlot slot, final Room room)
    {
        return Arrays.equals(slot.roomId, 0, slot.roomIdLength, room.roomId(), 0, room.roomIdLength());
    }

    /** Whether a resume comes from the session's user (an authenticated user, or a guest still unauthenticated). */
    static boolean sameUser(final InboundSlot slot, final Session session)
    {
        if (session.authenticated())
        {
            return session.userIdEquals(slot.authUserId, 0, slot.authUserIdLength);
        }
        return 0 == slot.authUserIdLength;
    }

    /**
     * Whether the connection's token allows this join: the room matches its {@code rooms} patterns and the role
     * is one of its {@code roles}; flat fields only, no parsing.
     */
    static boolean grantsAllowJoin(final InboundSlot slot, final boolean asHost)
    {
        final int flags = slot.grantFlags;
        if (0 == flags)
        {
            return true;
        }
        if (0 != (flags & (asHost ? Grants.DENY_HOST : Grants.DENY_VIEWER)))
        {
            return false;
        }
        return Grants.roomAllowed(flags, slot.grantRooms, slot.grantRoomsLength, slot.roomId, slot.roomIdLength);
    }
}
