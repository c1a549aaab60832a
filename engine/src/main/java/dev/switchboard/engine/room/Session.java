package dev.switchboard.engine.room;

import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.flow.UfragGenerations;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.DedupeWindow;
import dev.switchboard.engine.store.ReplayBytes;
import dev.switchboard.engine.store.ReplayWindow;

import java.util.Arrays;

/**
 * One user's membership of one room, live on a socket or away and resumable; owned by the engine thread and
 * reused from a pool once ended; its windows grow on demand and keep what they grew for the next owner.
 */
public final class Session
{
    /** Role: the room's host. */
    public static final int ROLE_HOST = 1;
    /** Role: a viewer. */
    public static final int ROLE_VIEWER = 2;
    /** Role: the active co-host guest. */
    public static final int ROLE_GUEST = 3;
    /** Length of a session token in characters (144 random bits). */
    public static final int TOKEN_LENGTH = 24;

    final DedupeWindow dedupe;
    final ReplayWindow directed;
    final byte[] userId = new byte[64];
    int userIdLength;
    boolean authenticated;
    int grantFlags;
    final byte[] token = new byte[TOKEN_LENGTH];
    int tokenLength;
    long serial;
    Room room;
    int role;
    boolean live;
    long connectionId;
    long awaySinceMs;
    int roleAtAway;
    byte[] lastRoleReason;
    long lastDseq;
    long joinRseq;
    /** Index in the room's member array; owned by {@link Room}. */
    int memberIndex = -1;
    /** Index in the shard's away list, -1 while live; owned by {@link SessionTable}. */
    int awayIndex = -1;
    boolean queued;
    long lastIceSeq;
    long lastGameStateSeq;
    final RateLimiter rateLimiter;
    /** When this session's last rate-limit episode was logged, epoch ms; episodes are logged ten seconds apart. */
    long rateLimitLoggedMs = Long.MIN_VALUE / 2;
    final UfragGenerations ufrags = new UfragGenerations();
    boolean icePending;
    boolean restored;
    long restoredDseq;

    /**
     * Create a session with windows of the given sizes.
     *
     * @param dedupeWindow msgIds remembered.
     * @param replayWindow directed frames kept for replay.
     */
    public Session(final int dedupeWindow, final int replayWindow)
    {
        this(dedupeWindow, replayWindow, new RateLimiter(SwitchboardSettings.defaults()));
    }

    /**
     * Create a session with windows of the given sizes and its own rate limiter.
     *
     * @param dedupeWindow msgIds remembered.
     * @param replayWindow directed frames kept for replay.
     * @param rateLimiter  the limiter this session keeps for its whole pooled life.
     */
    public Session(final int dedupeWindow, final int replayWindow, final RateLimiter rateLimiter)
    {
        this(dedupeWindow, replayWindow, SwitchboardSettings.DEFAULT_REPLAY_WINDOW_BYTES, new ReplayBytes(), rateLimiter);
    }

    /**
     * Create a session whose windows are bounded in entries and bytes; the windows allocate their arrays when
     * first used.
     *
     * @param dedupeWindow      msgIds remembered.
     * @param replayWindow      directed messages kept for replay.
     * @param replayWindowBytes wire bytes of directed messages kept for replay.
     * @param replayBytes       the engine's tally of bytes held by session windows.
     * @param rateLimiter       the limiter this session keeps for its whole pooled life.
     */
    public Session(
        final int dedupeWindow,
        final int replayWindow,
        final int replayWindowBytes,
        final ReplayBytes replayBytes,
        final RateLimiter rateLimiter)
    {
        dedupe = new DedupeWindow(dedupeWindow);
        directed = new ReplayWindow(replayWindow, replayWindowBytes, replayBytes);
        this.rateLimiter = rateLimiter;
    }

    /**
     * Assign the next dseq.
     *
     * @return the new dseq.
     */
    public long nextDseq()
    {
        return ++lastDseq;
    }

    /**
     * Whether the user id equals the given bytes.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @param length length.
     * @return true when equal.
     */
    public boolean userIdEquals(final byte[] src, final int offset, final int length)
    {
        return Arrays.equals(userId, 0, userIdLength, src, offset, offset + length);
    }

    /**
     * Take the identity of an authenticated user: the id the authenticator gave, kept for the session's life.
     *
     * @param src    bytes holding the user id.
     * @param length its length, at most 64.
     */
    public void authenticateAs(final byte[] src, final int length)
    {
        System.arraycopy(src, 0, userId, 0, length);
        userIdLength = length;
        authenticated = true;
    }

    /**
     * Enter a room with a role: the session's broadcasts start after the room's last rseq, and it keeps the grant
     * denials of the token it joined with.
     *
     * @param room       the room, which adds the session as a member next.
     * @param role       {@link #ROLE_HOST} or {@link #ROLE_VIEWER}.
     * @param grantFlags grant denials of the joining token.
     */
    public void enter(final Room room, final int role, final int grantFlags)
    {
        this.room = room;
        this.role = role;
        this.grantFlags = grantFlags;
        joinRseq = room.lastRseq;
    }

    /**
     * Take the state a room snapshot kept for this member, away from any socket since {@code nowMs}; the dseq
     * counter restarts {@code sequenceSkip} past the snapshot's so that numbers given after it stay fresh.
     *
     * @param room             the restored room.
     * @param snapshotRole     the role the snapshot recorded.
     * @param roleKnown        the role the member's client last learned of.
     * @param roleReason       wire bytes of the reason of that role change, or null.
     * @param lastDseq         the snapshot's last dseq.
     * @param joinRseq         the snapshot's join rseq.
     * @param lastIceSeq       the snapshot's last ICE seq.
     * @param lastGameStateSeq the snapshot's last game_state seq.
     * @param sequenceSkip     how far past the snapshot's last dseq numbering restarts.
     * @param nowMs            now, when the away time starts.
     */
    public void restore(
        final Room room,
        final int snapshotRole,
        final int roleKnown,
        final byte[] roleReason,
        final long lastDseq,
        final long joinRseq,
        final long lastIceSeq,
        final long lastGameStateSeq,
        final long sequenceSkip,
        final long nowMs)
    {
        this.room = room;
        role = snapshotRole;
        live = false;
        connectionId = 0;
        awaySinceMs = nowMs;
        roleAtAway = roleKnown;
        lastRoleReason = roleReason;
        restored = true;
        restoredDseq = lastDseq;
        this.lastDseq = lastDseq + sequenceSkip;
        this.joinRseq = joinRseq;
        this.lastIceSeq = lastIceSeq;
        this.lastGameStateSeq = lastGameStateSeq;
    }

    /**
     * Take a snapshot's identity: token, user id and grants.
     *
     * @param token         token bytes.
     * @param tokenLength   token length.
     * @param userId        user id bytes.
     * @param userIdLength  user id length.
     * @param authenticated whether the authenticator gave the user id.
     * @param grantFlags    grant denials.
     */
    public void restoreIdentity(
        final byte[] token,
        final int tokenLength,
        final byte[] userId,
        final int userIdLength,
        final boolean authenticated,
        final int grantFlags)
    {
        System.arraycopy(token, 0, this.token, 0, tokenLength);
        this.tokenLength = tokenLength;
        System.arraycopy(userId, 0, this.userId, 0, userIdLength);
        this.userIdLength = userIdLength;
        this.authenticated = authenticated;
        this.grantFlags = grantFlags;
    }

    /**
     * First resume of a restored session: numbering continues past what the client holds.
     *
     * @param seenDseq     the client's lastDseq, capped.
     * @param sequenceSkip how far past the snapshot's last dseq numbering restarted.
     * @return the dseq to replay from.
     */
    public long resumeRestoredDseq(final long seenDseq, final long sequenceSkip)
    {
        restored = false;
        if (0 == directed.size())
        {
            // Nothing was given a number since the restore: continue right after what the client holds.
            lastDseq = Math.max(restoredDseq, seenDseq);
            return seenDseq;
        }
        lastDseq = Math.max(lastDseq, seenDseq);
        return seenDseq >= restoredDseq ? Math.max(seenDseq, restoredDseq + sequenceSkip) : seenDseq;
    }

    /**
     * Never replay broadcasts numbered before this rseq to the session.
     *
     * @param rseq the first rseq the session may be given.
     */
    public void replayBroadcastsFrom(final long rseq)
    {
        joinRseq = Math.max(joinRseq, rseq);
    }

    /**
     * Note the reason of the role change just sent, kept for a resume after the session went away.
     *
     * @param reason wire bytes of the reason.
     */
    public void roleChangedFor(final byte[] reason)
    {
        lastRoleReason = reason;
    }

    /**
     * Take an ice_candidate seq when it is newer than the last applied one.
     *
     * @param seq the message's seq.
     * @return false when stale.
     */
    public boolean advanceIceSeq(final long seq)
    {
        if (seq <= lastIceSeq)
        {
            return false;
        }
        lastIceSeq = seq;
        return true;
    }

    /**
     * Take the seq of an applied game_state message.
     *
     * @param seq the message's seq.
     */
    public void gameStateApplied(final long seq)
    {
        lastGameStateSeq = seq;
    }

    /**
     * Whether a rate-limit episode starting now is logged: once per interval, remembering when.
     *
     * @param nowMs      now.
     * @param intervalMs least time between two logged episodes.
     * @return true when this one is logged.
     */
    public boolean rateLimitLogDue(final long nowMs, final long intervalMs)
    {
        if (nowMs - rateLimitLoggedMs < intervalMs)
        {
            return false;
        }
        rateLimitLoggedMs = nowMs;
        return true;
    }

    /**
     * Note whether ICE candidates of this session wait in the coalescer.
     *
     * @param pending true once one is added, false once its batch went out.
     */
    public void icePending(final boolean pending)
    {
        icePending = pending;
    }

    void bind(final long connectionId)
    {
        live = true;
        this.connectionId = connectionId;
    }

    void unbind()
    {
        live = false;
        connectionId = 0;
    }

    void markAway(final long nowMs)
    {
        awaySinceMs = nowMs;
        roleAtAway = role;
        lastRoleReason = null;
    }

    /**
     * Critical msgIds accepted recently; survives resume.
     *
     * @return critical msgIds accepted recently; survives resume.
     */
    public DedupeWindow dedupe()
    {
        return dedupe;
    }

    /**
     * Directed critical messages sent or stored for this session, by dseq.
     *
     * @return directed critical messages sent or stored for this session, by dseq.
     */
    public ReplayWindow directed()
    {
        return directed;
    }

    /**
     * User id bytes, valid for {@link #userIdLength()}; read only.
     *
     * @return user id bytes, valid for {@link #userIdLength()}.
     */
    public byte[] userId()
    {
        return userId;
    }

    /**
     * Length of {@link #userId()}.
     *
     * @return length of {@link #userId()}.
     */
    public int userIdLength()
    {
        return userIdLength;
    }

    /**
     * Whether the user id came from the authenticator rather than being a generated guest id.
     *
     * @return whether the user id came from the authenticator rather than being a generated guest id.
     */
    public boolean authenticated()
    {
        return authenticated;
    }

    /**
     * Grant denials of the token this session joined with ({@link dev.switchboard.engine.auth.Grants}).
     *
     * @return grant denials of the token this session joined with ({@link dev.switchboard.engine.auth.Grants}).
     */
    public int grantFlags()
    {
        return grantFlags;
    }

    /**
     * Session token bytes, valid for {@link #tokenLength()}; read only.
     *
     * @return session token bytes, valid for {@link #tokenLength()}.
     */
    public byte[] token()
    {
        return token;
    }

    /**
     * Length of {@link #token()}.
     *
     * @return length of {@link #token()}.
     */
    public int tokenLength()
    {
        return tokenLength;
    }

    /**
     * Unique serial of this session's lifetime, never 0 while in use.
     *
     * @return unique serial of this session's lifetime, never 0 while in use.
     */
    public long serial()
    {
        return serial;
    }

    /**
     * The room the session belongs to.
     *
     * @return the room the session belongs to.
     */
    public Room room()
    {
        return room;
    }

    /**
     * One of the ROLE constants.
     *
     * @return one of the ROLE constants.
     */
    public int role()
    {
        return role;
    }

    /**
     * Whether a socket is bound now.
     *
     * @return whether a socket is bound now.
     */
    public boolean live()
    {
        return live;
    }

    /**
     * The bound connection while {@link #live()}, 0 otherwise.
     *
     * @return the bound connection while {@link #live()}, 0 otherwise.
     */
    public long connectionId()
    {
        return connectionId;
    }

    /**
     * When the socket went away, epoch ms.
     *
     * @return when the socket went away, epoch ms.
     */
    public long awaySinceMs()
    {
        return awaySinceMs;
    }

    /**
     * The role the session had when it went away.
     *
     * @return the role the session had when it went away.
     */
    public int roleAtAway()
    {
        return roleAtAway;
    }

    /**
     * Reason of the last role change, as wire bytes, or null.
     *
     * @return reason of the last role change, as wire bytes, or null.
     */
    public byte[] lastRoleReason()
    {
        return lastRoleReason;
    }

    /**
     * Last dseq assigned.
     *
     * @return last dseq assigned.
     */
    public long lastDseq()
    {
        return lastDseq;
    }

    /**
     * The room's last rseq when the session joined: earlier broadcasts are never replayed to it.
     *
     * @return the room's last rseq when the session joined: earlier broadcasts are never replayed to it.
     */
    public long joinRseq()
    {
        return joinRseq;
    }

    /**
     * Whether the session waits in the co-host queue.
     *
     * @return whether the session waits in the co-host queue.
     */
    public boolean queued()
    {
        return queued;
    }

    /**
     * Last applied seq of ice_candidate messages.
     *
     * @return last applied seq of ice_candidate messages.
     */
    public long lastIceSeq()
    {
        return lastIceSeq;
    }

    /**
     * Last applied seq of game_state messages.
     *
     * @return last applied seq of game_state messages.
     */
    public long lastGameStateSeq()
    {
        return lastGameStateSeq;
    }

    /**
     * The session's rate limits; kept across resume, reset by the engine on join.
     *
     * @return the session's rate limits; kept across resume, reset by the engine on join.
     */
    public RateLimiter rateLimiter()
    {
        return rateLimiter;
    }

    /**
     * ICE usernameFragment generations this session used towards each target, keyed by the target's serial.
     *
     * @return iCE usernameFragment generations this session used towards each target, keyed by the target's serial.
     */
    public UfragGenerations ufrags()
    {
        return ufrags;
    }

    /**
     * Whether ICE candidates of this session wait in the engine's coalescer for the next tick.
     *
     * @return whether ICE candidates of this session wait in the engine's coalescer for the next tick.
     */
    public boolean icePending()
    {
        return icePending;
    }

    /**
     * Multi-node: whether the session was restored from a snapshot and has not resumed since.
     *
     * @return multi-node: whether the session was restored from a snapshot and has not resumed since.
     */
    public boolean restored()
    {
        return restored;
    }

    /**
     * Multi-node: the snapshot's lastDseq of a {@link #restored()} session.
     *
     * @return multi-node: the snapshot's lastDseq of a {@link #restored()} session.
     */
    public long restoredDseq()
    {
        return restoredDseq;
    }

    /**
     * Release every held frame and forget all state, ready for reuse.
     */
    public void reset()
    {
        dedupe.clear();
        directed.clear();
        userIdLength = 0;
        authenticated = false;
        grantFlags = 0;
        tokenLength = 0;
        serial = 0;
        room = null;
        role = 0;
        live = false;
        connectionId = 0;
        awaySinceMs = 0;
        roleAtAway = 0;
        lastRoleReason = null;
        lastDseq = 0;
        joinRseq = 0;
        memberIndex = -1;
        awayIndex = -1;
        queued = false;
        lastIceSeq = 0;
        lastGameStateSeq = 0;
        rateLimitLoggedMs = Long.MIN_VALUE / 2;
        ufrags.reset();
        icePending = false;
        restored = false;
        restoredDseq = 0;
    }
}
