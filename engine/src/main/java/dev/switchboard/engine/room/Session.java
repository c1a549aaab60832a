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

    /** Critical msgIds accepted recently; survives resume. */
    public final DedupeWindow dedupe;
    /** Directed critical messages sent or stored for this session, by dseq ({@code joined} excepted). */
    public final ReplayWindow directed;
    /** User id bytes (URL-safe or pre-escaped), valid for {@link #userIdLength}. */
    public final byte[] userId = new byte[64];
    /** Length of {@link #userId}. */
    public int userIdLength;
    /** Whether the user id came from the authenticator rather than being a generated guest id. */
    public boolean authenticated;
    /** Grant denials of the token this session joined with ({@link dev.switchboard.engine.auth.Grants}). */
    public int grantFlags;
    /** Session token bytes. */
    public final byte[] token = new byte[TOKEN_LENGTH];
    /** Length of {@link #token}. */
    public int tokenLength;
    /** Unique serial of this session's lifetime, never 0 while in use. */
    public long serial;
    /** The room the session belongs to. */
    public Room room;
    /** One of the ROLE constants. */
    public int role;
    /** Whether a socket is bound now. */
    public boolean live;
    /** The bound connection while {@link #live}. */
    public long connectionId;
    /** When the socket went away, epoch ms. */
    public long awaySinceMs;
    /** The role the session had when it went away. */
    public int roleAtAway;
    /** Reason of the last role change, as wire bytes, or null. */
    public byte[] lastRoleReason;
    /** Last dseq assigned. */
    public long lastDseq;
    /** The room's last rseq when the session joined: earlier broadcasts are never replayed to it. */
    public long joinRseq;
    /** Index in the room's member array; owned by {@link Room}. */
    int memberIndex = -1;
    /** Index in the shard's away list, -1 while live; owned by {@link SessionTable}. */
    int awayIndex = -1;
    /** Whether the session waits in the co-host queue. */
    public boolean queued;
    /** Last applied seq of ice_candidate messages. */
    public long lastIceSeq;
    /** Last applied seq of game_state messages. */
    public long lastGameStateSeq;
    /** The session's rate limits (protocol section 5); kept across resume, reset by the engine on join. */
    public final RateLimiter rateLimiter;
    /** When this session's last rate-limit episode was logged, epoch ms; episodes are logged ten seconds apart. */
    public long rateLimitLoggedMs = Long.MIN_VALUE / 2;
    /** ICE usernameFragment generations this session used towards each target, keyed by the target's serial. */
    public final UfragGenerations ufrags = new UfragGenerations();
    /** Whether ICE candidates of this session wait in the engine's coalescer for the next tick. */
    public boolean icePending;
    /** Multi-node: whether the session was restored from a snapshot and has not resumed since. */
    public boolean restored;
    /** Multi-node: the snapshot's lastDseq of a {@link #restored} session. */
    public long restoredDseq;

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
