package dev.switchboard.engine.flow;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.settings.SwitchboardSettings;

/**
 * The rate limits of one session (protocol section 5): an overall bucket that counts every frame the session
 * sends, and per-type buckets for {@code ice_candidate}, {@code game_event} and {@code game_state}. A
 * {@code game_state} is charged twice: one token of the message bucket the protocol names (60/s burst 120) and one
 * token per top-level patch key from an entry bucket ({@code gameStateEntryRate}, {@code gameStateEntryBurst}), so
 * the engine work a host can demand is bounded by keys, not by message count; a patch is admitted only when both
 * buckets can pay, and a rejected patch takes nothing from either. The engine charges patch keys, not bytes: the
 * merge costs one hashed lookup per key, and bytes are already bounded by {@code maxPayloadBytes} per message.
 * <p>
 * {@link #onMessage(MessageType, long)} checks the overall bucket first; a message it rejects does not consume
 * its type bucket. It answers one of {@link #ALLOW}, {@link #LIMITED}, {@link #LIMITED_REPLY} or {@link #ABUSE}:
 * <ul>
 * <li>{@link #LIMITED_REPLY} is given to every rejected {@code game_event} (it gets {@code game_error {for}}),
 * and otherwise to at most one rejection per second per label: {@code any} for the overall bucket,
 * {@code ice_candidate} and {@code game_state} for their buckets; a reply is allowed when none was given for
 * that label yet or the last one was given at least 1,000 ms earlier.</li>
 * <li>{@link #ABUSE} (close 4029) follows ten consecutive seconds in each of which the overall bucket rejected
 * something. The seconds are whole 1,000 ms windows counted from the overall rejection that starts a streak:
 * window {@code k} covers {@code [start + 1000k, start + 1000(k+1))}. A streak continues while every window
 * has at least one overall rejection; an overall rejection that lands after an empty window starts a new
 * streak at its own time. The first overall rejection in window 9 (the tenth second, at or after
 * {@code start + 9000}) returns ABUSE, once per streak; later rejections in that streak get the usual codes.</li>
 * </ul>
 * After a rejection, {@link #limitedType()} and {@link #limitedByOverall()} say what was limited, and
 * {@link #limitedLabel()} gives the {@code type} label of {@code rate_limited_total}.
 * <p>
 * Single-threaded and allocation-free; pool-friendly: construct once, {@link #reset(long)} on reuse.
 */
public final class RateLimiter
{
    /** The message may be applied. */
    public static final int ALLOW = 0;
    /** The message is dropped and counted; no reply. */
    public static final int LIMITED = 1;
    /** The message is dropped and counted; reply {@code error rate_limited}, or {@code game_error} for game_event. */
    public static final int LIMITED_REPLY = 2;
    /** The message is dropped and counted; close the socket with {@code 4029 rate_limit_abuse}. */
    public static final int ABUSE = 3;

    /** The {@code rate_limited_total} label of the overall bucket. */
    public static final String OVERALL_LABEL = "any";
    /** Consecutive seconds of overall rejections that make abuse. */
    public static final int ABUSE_SECONDS = 10;
    /** Minimum time between two rate_limited replies of one label. */
    public static final long REPLY_INTERVAL_MS = 1000;

    /** Window within which one sender gets at most one unknown_type log line per type. */
    public static final long UNKNOWN_TYPE_LOG_INTERVAL_MS = 10_000;

    private static final long WINDOW_MS = 1000;
    private static final long NEVER = Long.MIN_VALUE;

    private final TokenBucket overall;
    private final TokenBucket ice;
    private final TokenBucket gameEvent;
    private final TokenBucket gameState;
    private final TokenBucket gameStateEntries;

    private long lastOverallReplyMs = NEVER;
    private long lastIceReplyMs = NEVER;
    private long lastGameStateReplyMs = NEVER;

    private boolean streakActive;
    private long streakStartMs;
    private long streakLastWindow;
    private boolean streakAbuseReported;

    private long unknownTypesLogged;
    private long unknownTypeWindowStartMs = NEVER;

    private MessageType limitedType = MessageType.UNKNOWN;
    private boolean limitedByOverall;

    /**
     * Create a limiter with the rates and bursts of the settings.
     *
     * @param settings the server settings.
     */
    public RateLimiter(final SwitchboardSettings settings)
    {
        this(
            settings.iceRate(), settings.iceBurst(),
            settings.gameEventRate(), settings.gameEventBurst(),
            settings.gameStateRate(), settings.gameStateBurst(),
            settings.messageRate(), settings.messageBurst(),
            settings.gameStateEntryRate(), settings.gameStateEntryBurst());
    }

    /**
     * Create a limiter with explicit rates (tokens per second) and bursts (tokens).
     *
     * @param iceRate        ice_candidate rate.
     * @param iceBurst       ice_candidate burst.
     * @param gameEventRate  game_event rate.
     * @param gameEventBurst game_event burst.
     * @param gameStateRate  game_state rate.
     * @param gameStateBurst game_state burst.
     * @param messageRate    overall rate.
     * @param messageBurst   overall burst.
     */
    public RateLimiter(
        final int iceRate,
        final int iceBurst,
        final int gameEventRate,
        final int gameEventBurst,
        final int gameStateRate,
        final int gameStateBurst,
        final int messageRate,
        final int messageBurst)
    {
        this(iceRate, iceBurst, gameEventRate, gameEventBurst, gameStateRate, gameStateBurst, messageRate, messageBurst,
            SwitchboardSettings.DEFAULT_GAME_STATE_ENTRY_RATE, SwitchboardSettings.DEFAULT_GAME_STATE_ENTRY_BURST);
    }

    /**
     * Create a limiter with explicit rates (tokens per second) and bursts (tokens), game-state keys included.
     *
     * @param iceRate             ice_candidate rate.
     * @param iceBurst            ice_candidate burst.
     * @param gameEventRate       game_event rate.
     * @param gameEventBurst      game_event burst.
     * @param gameStateRate       game_state rate (messages).
     * @param gameStateBurst      game_state burst (messages).
     * @param messageRate         overall rate.
     * @param messageBurst        overall burst.
     * @param gameStateEntryRate  game_state patch keys per second.
     * @param gameStateEntryBurst game_state patch keys bucket size.
     */
    public RateLimiter(
        final int iceRate,
        final int iceBurst,
        final int gameEventRate,
        final int gameEventBurst,
        final int gameStateRate,
        final int gameStateBurst,
        final int messageRate,
        final int messageBurst,
        final int gameStateEntryRate,
        final int gameStateEntryBurst)
    {
        this.gameStateEntries = new TokenBucket(gameStateEntryRate, gameStateEntryBurst);
        this.ice = new TokenBucket(iceRate, iceBurst);
        this.gameEvent = new TokenBucket(gameEventRate, gameEventBurst);
        this.gameState = new TokenBucket(gameStateRate, gameStateBurst);
        this.overall = new TokenBucket(messageRate, messageBurst);
    }

    /**
     * Fill every bucket and forget reply times and abuse streaks, for a new session.
     *
     * @param nowMs the engine clock in milliseconds.
     */
    public void reset(final long nowMs)
    {
        overall.reset(nowMs);
        ice.reset(nowMs);
        gameEvent.reset(nowMs);
        gameState.reset(nowMs);
        gameStateEntries.reset(nowMs);
        lastOverallReplyMs = NEVER;
        lastIceReplyMs = NEVER;
        lastGameStateReplyMs = NEVER;
        streakActive = false;
        streakStartMs = 0;
        streakLastWindow = 0;
        streakAbuseReported = false;
        unknownTypesLogged = 0;
        unknownTypeWindowStartMs = NEVER;
        limitedType = MessageType.UNKNOWN;
        limitedByOverall = false;
    }

    /**
     * Account one frame the session sent (any type, pings and invalid messages included) and decide its fate.
     *
     * @param type  the message type, {@link MessageType#UNKNOWN} (or null) for a message without a known type.
     * @param nowMs the engine clock in milliseconds.
     * @return {@link #ALLOW}, {@link #LIMITED}, {@link #LIMITED_REPLY} or {@link #ABUSE}.
     */
    public int onMessage(final MessageType type, final long nowMs)
    {
        return onMessage(type, 1, nowMs);
    }

    /**
     * Account one frame as {@link #onMessage(MessageType, long)} does, charging a {@code game_state} its patch keys.
     *
     * @param type         the message type, {@link MessageType#UNKNOWN} (or null) for a message without a known type.
     * @param patchEntries top-level keys of a game_state patch (ignored for other types).
     * @param nowMs        the engine clock in milliseconds.
     * @return {@link #ALLOW}, {@link #LIMITED}, {@link #LIMITED_REPLY} or {@link #ABUSE}.
     */
    public int onMessage(final MessageType type, final int patchEntries, final long nowMs)
    {
        final MessageType messageType = null == type ? MessageType.UNKNOWN : type;
        if (!overall.tryAcquire(nowMs))
        {
            limitedType = messageType;
            limitedByOverall = true;
            if (onOverallRejected(nowMs))
            {
                return ABUSE;
            }
            if (MessageType.GAME_EVENT == messageType)
            {
                return LIMITED_REPLY;
            }
            if (replyDue(lastOverallReplyMs, nowMs))
            {
                lastOverallReplyMs = nowMs;
                return LIMITED_REPLY;
            }
            return LIMITED;
        }

        if (MessageType.ICE_CANDIDATE == messageType)
        {
            if (ice.tryAcquire(nowMs))
            {
                return ALLOW;
            }
            limited(messageType);
            if (replyDue(lastIceReplyMs, nowMs))
            {
                lastIceReplyMs = nowMs;
                return LIMITED_REPLY;
            }
            return LIMITED;
        }
        if (MessageType.GAME_STATE == messageType)
        {
            if (gameStateEntries.availableTokens(nowMs) >= Math.min(Math.max(1, patchEntries),
                gameStateEntries.burst()) && gameState.tryAcquire(nowMs))
            {
                gameStateEntries.tryAcquire(nowMs, patchEntries);
                return ALLOW;
            }
            limited(messageType);
            if (replyDue(lastGameStateReplyMs, nowMs))
            {
                lastGameStateReplyMs = nowMs;
                return LIMITED_REPLY;
            }
            return LIMITED;
        }
        if (MessageType.GAME_EVENT == messageType)
        {
            if (gameEvent.tryAcquire(nowMs))
            {
                return ALLOW;
            }
            limited(messageType);
            return LIMITED_REPLY;
        }
        return ALLOW;
    }

    /**
     * The type of the last message this limiter rejected.
     *
     * @return the type, {@link MessageType#UNKNOWN} before any rejection.
     */
    public MessageType limitedType()
    {
        return limitedType;
    }

    /**
     * Whether the last rejection came from the overall bucket (label {@code any}) rather than a type bucket.
     *
     * @return true when the overall bucket rejected the last limited message.
     */
    public boolean limitedByOverall()
    {
        return limitedByOverall;
    }

    /**
     * The {@code type} label of {@code rate_limited_total} for the last rejection: {@code any} or the wire name.
     *
     * @return a constant string, never null.
     */
    public String limitedLabel()
    {
        return limitedByOverall ? OVERALL_LABEL : limitedType.wireName();
    }

    /**
     * Seconds (windows) in the current streak of overall rejections, 0 when there is none.
     *
     * @return consecutive seconds with an overall rejection, as of the last rejection.
     */
    public int abuseStreakSeconds()
    {
        return streakActive ? (int)(streakLastWindow + 1) : 0;
    }

    /**
     * Whether an {@code unknown_type} rejection of this sender deserves a log line: the first one of each type id
     * in every {@value #UNKNOWN_TYPE_LOG_INTERVAL_MS} ms window (type names the server does not know all share
     * id 0), so a sender repeating one bad type costs one line per window, never one per message.
     *
     * @param typeId the rejected message's type id (0 when the name is unknown).
     * @param nowMs  the engine clock in milliseconds.
     * @return true when a line should be written now.
     */
    public boolean admitUnknownTypeLog(final int typeId, final long nowMs)
    {
        if (NEVER == unknownTypeWindowStartMs || nowMs - unknownTypeWindowStartMs >= UNKNOWN_TYPE_LOG_INTERVAL_MS)
        {
            unknownTypeWindowStartMs = nowMs;
            unknownTypesLogged = 0;
        }
        final long bit = 1L << (typeId & 63);
        if (0 != (unknownTypesLogged & bit))
        {
            return false;
        }
        unknownTypesLogged |= bit;
        return true;
    }

    private void limited(final MessageType type)
    {
        limitedType = type;
        limitedByOverall = false;
    }

    private static boolean replyDue(final long lastReplyMs, final long nowMs)
    {
        return NEVER == lastReplyMs || nowMs - lastReplyMs >= REPLY_INTERVAL_MS;
    }

    private boolean onOverallRejected(final long nowMs)
    {
        if (!streakActive)
        {
            startStreak(nowMs);
        }
        else
        {
            final long window = nowMs < streakStartMs ? streakLastWindow : (nowMs - streakStartMs) / WINDOW_MS;
            if (window == streakLastWindow + 1)
            {
                streakLastWindow = window;
            }
            else if (window > streakLastWindow + 1)
            {
                startStreak(nowMs);
            }
        }

        if (!streakAbuseReported && streakLastWindow >= ABUSE_SECONDS - 1)
        {
            streakAbuseReported = true;
            return true;
        }
        return false;
    }

    private void startStreak(final long nowMs)
    {
        streakActive = true;
        streakStartMs = nowMs;
        streakLastWindow = 0;
        streakAbuseReported = false;
    }
}
