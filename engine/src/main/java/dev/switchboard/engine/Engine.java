package dev.switchboard.engine;

import dev.switchboard.engine.admin.AdminCall;
import dev.switchboard.engine.admin.RoomDescription;
import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.cluster.RoomSnapshot;
import dev.switchboard.engine.cluster.RoomSnapshotCodec;
import dev.switchboard.engine.flow.IceBatchHandler;
import dev.switchboard.engine.ice.IceServers;
import dev.switchboard.engine.flow.IceCoalescer;
import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.flow.UfragGenerations;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.protocol.ErrorCode;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.protocol.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomSizeConsumer;
import dev.switchboard.engine.store.IdIndex;
import dev.switchboard.engine.store.ReplayBytes;
import dev.switchboard.engine.store.ReplayWindow;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.room.SessionIndexes;
import dev.switchboard.engine.webhook.WebhookEvents;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The single-writer room engine of one shard: applies decoded client messages and connection events to rooms
 * and sessions (dedupe, acks, sequencing, replay, co-host queue, game state, presence, timers) and emits
 * encoded frames through the {@link OutboundPublisher}. Runs on one thread; allocates nothing per message in
 * steady state.
 * <p>
 * Choices where the protocol is silent: {@code cohost_cancel} from a sender that is not queued is
 * {@code forbidden} (only a queued viewer may send it); an offer, answer or ICE candidate addressed to the
 * sender itself is {@code peer_not_found}; an ICE candidate for a peer that is away is dropped and counted
 * with reason {@code peer_away} (candidates are not replayed); a broadcast to more than {@code fanoutSlice}
 * members is handed out in slices, one slice per following ring event, and any pending slices of a room are
 * finished before the engine does anything else to that room and at the end of every batch.
 * <p>
 * Flow control (protocol sections 4, 5 and 10):
 * <ul>
 * <li>Rate limits are checked first, before dedupe and before any other handling, with the sender's
 * {@link RateLimiter}: every frame spends tokens, pings and invalid messages included (an invalid message
 * spends only the overall bucket). A message over a limit is dropped and counted once in
 * {@code rate_limited_total}: under {@code type="any"} when the overall bucket rejected it, under its own type
 * when its type bucket did. A rejected {@code game_event} gets {@code game_error {code:"rate_limited", for}}
 * with a dseq; other rejections get at most one {@code error {code:"rate_limited"}} per limiter label and
 * second ({@code for} whenever the message had a msgId, a dseq when it was a critical message of a member);
 * a rejected critical message is never acked nor entered in the dedupe window, so a client retry after the
 * bucket refills is applied.</li>
 * <li>Limit first, dedupe second: a duplicate spends tokens like any frame (so a flood of retries still counts
 * towards abuse), but a rejected duplicate of an already accepted msgId gets no rate-limit reply (that would
 * contradict its ack); it is counted as rate limited and as a duplicate drop.</li>
 * <li>The limiter belongs to the session and survives resume, so reconnecting does not refill it. A socket
 * with no session yet (before join or resume) has a limiter of its own, freed when it joins, resumes or
 * closes.</li>
 * <li>The tenth consecutive second in which the overall limit rejected something closes the socket with
 * {@code 4029 rate_limit_abuse}; like any socket close without leave its session goes away and stays
 * resumable (4029 is in the reconnect range). Later frames already queued from that socket are ignored.</li>
 * <li>ICE candidates are collected per (sender, target) and sent on the next tick as one
 * {@code ice_candidate {candidates:[...]}} frame carrying the msgId and seq of its last candidate. A candidate
 * whose {@code usernameFragment} belongs to an older generation than the newest the sender used towards that
 * target is dropped as stale; candidates already batched in the tick before the restart are still sent. A
 * candidate for a target that is away at collection or at flush time is dropped with reason
 * {@code peer_away} (counted per candidate at collection, per batch at flush).</li>
 * <li>The host's game_state patches are merged into the room state at once (so {@code joined} and resume
 * snapshots are current) and into the room's pending patch, which is sent on the next tick as one frame with
 * the last version, to every live member but the sender.</li>
 * <li>Per-sender order is kept across coalescing: before the engine applies any other kind of message from a
 * sender with candidates pending (pings excepted), it flushes the coalesced candidates; before it applies any
 * message but a game_state (or a ping) from the sender of the room's pending patch, it sends that patch.</li>
 * <li>A socket closed with 4008 (slow consumer) is an ordinary away: its session stays resumable.</li>
 * <li>Leaving drop mode sends {@code flow_control {mode:"normal", dropped}} and right after it a
 * {@code game_state {snapshot:true}}; the IoAgent drops non-critical frames meanwhile.</li>
 * </ul>
 * The engine slices big broadcasts itself (one slice per following ring event) and keeps the last applied
 * seq per type in {@link Session}.
 * <p>
 * Multi-node (issue 8; see {@link dev.switchboard.engine.cluster}): the engine owns the rooms the cluster layer
 * routes to it and tells the {@link ClusterHooks} of the context about them; with {@link ClusterHooks#NONE}
 * none of this runs.
 * <ul>
 * <li>Snapshots: when {@link ClusterHooks#snapshotIntervalMs()} (read once, at construction) is not negative, a
 * room that changed (join, leave, resume, away, role or queue change, accepted message, directed or broadcast
 * frame numbered, game state merged) is snapshotted on the next tick at least that long after its previous
 * snapshot, in the {@link RoomSnapshotCodec} format, from one reused buffer. {@link ClusterHooks#onRoomOpened}
 * and {@link ClusterHooks#onRoomClosed} bracket every room's life on the shard.</li>
 * <li>{@link SlotKind#HANDOVER}: every open room is snapshotted at once with the handover flag, then
 * {@link ClusterHooks#onHandoverComplete} is called. The engine keeps serving the rooms; what it applies to
 * them afterwards is not in the snapshot, so the cluster layer stops routing them here first.</li>
 * <li>{@link SlotKind#ROOM_RESTORE}: a snapshot of a room not open on the shard opens it with every session
 * away (no socket) and its resume window starting now; roles, active guest, queue order, dedupe windows and
 * game state are the snapshot's, and the host is not treated as gone (its guest and queue stay). The hostless
 * clock keeps the snapshot's start when the room was already hostless, else starts now, so a host that does
 * not resume closes the room after {@code hostlessRoomSeconds}. Replay windows are not carried. An invalid
 * snapshot (codec rejection, no session, a room id other than the slot's, a token or guest id already in use
 * here, a queue over {@code maxQueue}) is counted, logged and ignored, leaving nothing behind; a restore of a
 * room already open is counted and ignored. A restored room is snapshotted again on the next tick.</li>
 * <li>Sequence numbers are never given twice: the previous owner may have numbered frames after its last
 * snapshot, so a restored room's rseq and each restored session's dseq continue {@link #RESTORE_SEQUENCE_SKIP}
 * past the snapshot's values. At the first resume of a restored session, the counters also move past the
 * client's lastDseq and lastRseq when those are ahead (up to {@link #MAX_CLIENT_SEQUENCE}); a session that
 * nothing was numbered for since the restore continues its dseq right after the larger of the snapshot's and
 * the client's value, so a client that missed nothing sees no jump in dseq. Rseq may jump by the skip.</li>
 * <li>First resume of a restored session: {@code resume_ok} with the snapshot's role, queue position and game
 * state version, or {@code resume_migrated} when the role differs from the role the client was last told
 * (recorded in the snapshot: the role when it went away, or its role while live), which happens when the role
 * changed while it was away, before the snapshot or on this node since the restore. {@code gap} is true unless
 * the snapshot came from a handover and the client's lastDseq and lastRseq (or its joinRseq) equal the
 * snapshot's: after a failover anything sent after the last snapshot is lost, and the replay windows are not
 * carried. A role change made after the last snapshot is lost too; the answer's role is the one that holds.
 * Frames numbered for the session since the restore are replayed as after any away; later resumes are
 * ordinary.</li>
 * </ul>
 */
public final class Engine
{
    /** Close code sent to a socket whose session another socket took over. */
    public static final int CLOSE_SESSION_REPLACED = 4409;
    /** Close reason sent with {@link #CLOSE_SESSION_REPLACED}. */
    public static final String REASON_SESSION_REPLACED = "session_replaced";
    /** Normal close code, after leave or room_closed. */
    public static final int CLOSE_NORMAL = 1000;
    /** Close code for ten consecutive seconds over the overall rate limit. */
    public static final int CLOSE_RATE_LIMIT_ABUSE = 4029;
    /** Close reason sent with {@link #CLOSE_RATE_LIMIT_ABUSE}. */
    public static final String REASON_RATE_LIMIT_ABUSE = "rate_limit_abuse";
    /**
     * Multi-node: how far a restored room's rseq and each restored session's dseq move past the snapshot's
     * values, so that numbers the previous owner used after its last snapshot are never given again.
     */
    public static final long RESTORE_SEQUENCE_SKIP = 1L << 20;
    /** Close code sent to a socket whose user an operator removed; terminal, the client must not reconnect. */
    public static final int CLOSE_REMOVED = 4410;
    /** Close reason sent with {@link #CLOSE_REMOVED}. */
    public static final String REASON_REMOVED = "removed";
    /** Largest lastDseq or lastRseq of a resume the engine moves its counters to (2^52, exact in JavaScript). */
    public static final long MAX_CLIENT_SEQUENCE = 1L << 52;

    private static final byte[] URL_SAFE =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GUEST_PREFIX = "guest-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBHOOK_EMPTY = "empty".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBHOOK_LEFT = "left".getBytes(StandardCharsets.US_ASCII);
    private static final int GUEST_RANDOM_CHARS = 12;
    private static final long VIEWER_PRESENCE_INTERVAL_MS = 1000;
    private static final int MAX_POOLED_SESSIONS = 1024;
    private static final int MAX_POOLED_ROOMS = 256;
    private static final int MAX_POOLED_LIMITERS = 1024;

    private static final long RATE_LIMIT_LOG_INTERVAL_MS = 10_000;

    private final SwitchboardSettings settings;
    private final EpochClock epochClock;
    private final OutboundPublisher publisher;
    private final Random random;
    private final MessageEncoder encoder;
    private final FramePool framePool;
    private final ReplayBytes sessionReplayBytes = new ReplayBytes();
    private final ReplayBytes roomReplayBytes = new ReplayBytes();
    private final EventLog events;
    private final EngineCounters counters = new EngineCounters();
    private final long resumeWindowMs;
    private final long hostlessRoomMs;
    private final int fanoutSlice;
    private final ClusterHooks clusterHooks;
    private final long snapshotIntervalMs;
    private final RoomSnapshotCodec snapshotCodec = new RoomSnapshotCodec();
    private final RoomSnapshot restoreScratch = new RoomSnapshot();
    private final ExpandableArrayBuffer snapshotBuffer;

    private final Long2ObjectHashMap<Session> sessionByConnection = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Session> sessionBySerial = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<RateLimiter> connectionLimiters = new Long2ObjectHashMap<>();
    private final LongHashSet closingConnections = new LongHashSet();
    private final IceCoalescer iceCoalescer = new IceCoalescer();
    private final IceBatchHandler iceBatchHandler = this::onIceBatch;
    private RateLimiter[] limiterPool = new RateLimiter[16];
    private int limiterPoolCount;
    private boolean icePending;
    private final IdIndex<Session> sessionByToken = new SessionIndexes.ByToken(1024);
    private final IdIndex<Session> guestByUserId = new SessionIndexes.ByUserId(1024);
    private final IdIndex<Room> roomById = new IdIndex<>(256)
    {
        @Override
        protected byte[] keyBytes(final Room value)
        {
            return value.roomId;
        }

        @Override

        protected int keyLength(final Room value)
        {
            return value.roomIdLength;
        }
    };

    private Room[] rooms = new Room[64];
    private int roomCount;
    private Session[] away = new Session[64];
    private int awayCount;
    private Room[] queueDirtyRooms = new Room[16];
    private int queueDirtyCount;
    private Session[] sessionPool = new Session[64];
    private int sessionPoolCount;
    private Room[] fanoutRooms = new Room[16];
    private Frame[] fanoutFrames = new Frame[16];
    private Session[] fanoutExcludes = new Session[16];
    private int[] fanoutNext = new int[16];
    private int[] fanoutEnd = new int[16];
    private int fanoutCount;
    private Room[] roomPool = new Room[16];
    private int roomPoolCount;
    private int sessionCount;
    private long lastSerial;
    private long lastEmitStamp;
    private long nowMs;
    private WebhookEvents webhooks = WebhookEvents.NONE;

    /**
     * Create an engine for one shard.
     *
     * @param context the shard's wiring.
     */
    public Engine(final EngineContext context)
    {
        settings = context.settings();
        epochClock = context.epochClock();
        publisher = context.publisher();
        random = context.random();
        framePool = context.framePool();
        encoder = new MessageEncoder(framePool);
        encoder.iceServers(IceServers.fromSettings(settings));
        events = context.eventLog();
        resumeWindowMs = settings.resumeWindowSeconds() * 1000L;
        hostlessRoomMs = settings.hostlessRoomSeconds() * 1000L;
        fanoutSlice = Math.max(1, settings.fanoutSlice());
        clusterHooks = context.clusterHooks();
        snapshotIntervalMs = clusterHooks.snapshotIntervalMs();
        snapshotBuffer = new ExpandableArrayBuffer(snapshotIntervalMs >= 0 ? 4096 : 64);
        nowMs = epochClock.time();
    }

    /**
     * Apply one ring event of any kind; input errors become replies, never exceptions.
     *
     * @param slot the event.
     */
    public void onEvent(final InboundSlot slot)
    {
        nowMs = epochClock.time();
        advanceFanout();
        switch (slot.kind)
        {
            case SlotKind.MESSAGE:
                onMessage(slot);
                break;
            case SlotKind.CONNECTION_CLOSED:
                onConnectionClosed(slot.connectionId);
                break;
            case SlotKind.FLOW_DROP:
                onFlowControl(slot.connectionId, false, 0);
                break;
            case SlotKind.FLOW_NORMAL:
                onFlowControl(slot.connectionId, true, slot.dropped);
                break;
            case SlotKind.TICK:
                onTick();
                break;
            case SlotKind.ROOM_RESTORE:
                onRoomRestore(slot);
                break;
            case SlotKind.HANDOVER:
                onHandover();
                break;
            case SlotKind.ADMIN:
                onAdmin(slot);
                break;
            default:
                break;
        }
    }

    /**
     * Run timers against the clock: per-tick flushes (queue updates, presence), resume-window expiry and the
     * hostless-room reaper.
     */
    public void onTick()
    {
        nowMs = epochClock.time();
        drainAllFanouts();
        flushIce();
        for (int i = awayCount - 1; i >= 0; i--)
        {
            final Session session = away[i];
            if (nowMs - session.awaySinceMs >= resumeWindowMs)
            {
                endSession(session);
            }
        }
        for (int i = roomCount - 1; i >= 0; i--)
        {
            final Room room = rooms[i];
            if (room.hostlessSinceMs >= 0 && nowMs - room.hostlessSinceMs >= hostlessRoomMs)
            {
                closeRoom(room, MessageEncoder.REASON_HOST_TIMEOUT);
                continue;
            }
            room.queueSentThisTick = false;
            if (room.queueDirty)
            {
                sendQueueUpdate(room);
            }
            if (room.pendingPatch.isPending())
            {
                flushPatch(room);
            }
            flushPresence(room);
            if (snapshotIntervalMs >= 0 && room.snapshotDirty && nowMs - room.lastSnapshotMs >= snapshotIntervalMs)
            {
                snapshotRoom(room, 0);
            }
        }
        compactQueueDirtyList();
        framePool.trim(nowMs);
    }

    /**
     * Multi-node: snapshot every open room now, ignoring the interval, then report the handover as complete; a
     * single node ({@link ClusterHooks#NONE}) does nothing.
     */
    public void onHandover()
    {
        if (ClusterHooks.NONE == clusterHooks)
        {
            return;
        }
        nowMs = epochClock.time();
        drainAllFanouts();
        final int count = roomCount;
        for (int i = 0; i < count; i++)
        {
            snapshotRoom(rooms[i], RoomSnapshotCodec.FLAG_HANDOVER);
        }
        clusterHooks.onHandoverComplete(count);
    }

    /**
     * End of a ring batch: send queue updates owed this tick, then let the publisher flush.
     */
    public void onEndOfBatch()
    {
        for (int i = 0; i < queueDirtyCount; i++)
        {
            final Room room = queueDirtyRooms[i];
            if (room.queueDirty && !room.queueSentThisTick)
            {
                sendQueueUpdate(room);
            }
        }
        compactQueueDirtyList();
        drainAllFanouts();
        counters.gauges(roomCount, sessionCount, sessionByConnection.size());
        counters.memory().publish(framePool.freeBytes(), framePool.inUseBytes(),
            sessionReplayBytes.heldBytes(), roomReplayBytes.heldBytes());
        publisher.endOfBatch();
    }

    /**
     * Send room and participant events to this outbox for webhook delivery; call before the engine's thread
     * starts. Without it nothing is recorded.
     *
     * @param outbox this shard's outbox.
     */
    public void webhookEvents(final WebhookEvents outbox)
    {
        this.webhooks = outbox;
    }

    /**
     * The shard's counters, readable from other threads.
     *
     * @return the counters.
     */
    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * Rooms open now.
     *
     * @return count.
     */
    public int roomCount()
    {
        return roomCount;
    }

    /**
     * Sessions now, live and away.
     *
     * @return count.
     */
    public int sessionCount()
    {
        return sessionCount;
    }

    /**
     * Connections bound to a session now.
     *
     * @return count.
     */
    public int liveConnectionCount()
    {
        return sessionByConnection.size();
    }

    /**
     * Sessions in a room, for tests and introspection (allocates).
     *
     * @param roomId the room id.
     * @return sessions live and away, 0 when the room does not exist.
     */
    public int roomSize(final String roomId)
    {
        final byte[] id = roomId.getBytes(StandardCharsets.UTF_8);
        final Room room = roomById.get(id, 0, id.length);
        return null == room ? 0 : room.memberCount;
    }

    /**
     * Visit every room with its size, on the engine thread.
     *
     * @param consumer receives each room id and size.
     */
    public void forEachRoomSize(final RoomSizeConsumer consumer)
    {
        for (int i = 0; i < roomCount; i++)
        {
            final Room room = rooms[i];
            consumer.accept(room.roomId, room.roomIdLength, room.memberCount);
        }
    }

    private void onMessage(final InboundSlot slot)
    {
        counters.onMessageIn(slot.typeId);
        if (closingConnections.contains(slot.connectionId))
        {
            return;
        }
        final MessageType type = MessageType.get(slot.typeId);
        final Session session = sessionByConnection.get(slot.connectionId);
        if (null != session)
        {
            drainFanouts(session.room);
        }
        if (!admit(slot, type, session))
        {
            return;
        }
        if (null != session && MessageType.PING != type)
        {
            keepSenderOrder(type, session);
        }
        if (ErrorCode.NONE.ordinal() != slot.errorCode)
        {
            onEdgeError(slot, type, session);
            return;
        }
        if (type.isCritical() && type.isFromClient() && null != session && slot.hasMsgId &&
            session.dedupe.contains(slot.msgIdHi, slot.msgIdLo))
        {
            counters.onDrop(type.id(), DropReason.DUPLICATE);
            return;
        }
        if (!type.isFromClient() || MessageType.UNKNOWN == type)
        {
            logUnknownType(slot, session);
            replyError(slot, MessageType.UNKNOWN, session, ErrorCode.UNKNOWN_TYPE);
            return;
        }
        switch (type)
        {
            case JOIN:
                onJoin(slot, session);
                return;
            case RESUME:
                onResume(slot, session);
                return;
            case PING:
                onPing(slot, session);
                return;
            default:
                break;
        }
        if (null == session || !roomMatches(slot, session.room))
        {
            replyError(slot, type, session, ErrorCode.NOT_IN_ROOM);
            return;
        }
        switch (type)
        {
            case LEAVE:
                onLeave(slot, session);
                break;
            case WEBRTC_OFFER:
            case WEBRTC_ANSWER:
                onSdp(slot, session);
                break;
            case ICE_CANDIDATE:
                onIceCandidate(slot, session);
                break;
            case GAME_EVENT:
                onGameEvent(slot, session);
                break;
            case GAME_STATE:
                onGameState(slot, session);
                break;
            case COHOST_REQUEST:
                onCohostRequest(slot, session);
                break;
            case COHOST_CANCEL:
                onCohostCancel(slot, session);
                break;
            case COHOST_ACCEPT:
                onCohostAccept(slot, session);
                break;
            case COHOST_END:
                onCohostEnd(slot, session);
                break;
            default:
                replyError(slot, MessageType.UNKNOWN, session, ErrorCode.UNKNOWN_TYPE);
                break;
        }
    }

    private boolean admit(final InboundSlot slot, final MessageType type, final Session session)
    {
        final RateLimiter limiter = null != session ? session.rateLimiter : connectionLimiter(slot.connectionId);
        final boolean valid = ErrorCode.NONE.ordinal() == slot.errorCode;
        final int verdict =
            limiter.onMessage(valid ? type : MessageType.UNKNOWN, valid ? slot.patchEntryCount : 0, nowMs);
        if (RateLimiter.ALLOW == verdict)
        {
            return true;
        }
        counters.onRateLimited(limiter.limitedType().id(), limiter.limitedByOverall());
        if (RateLimiter.ABUSE == verdict)
        {
            logEvent(EventLog.RATE_LIMIT_ABUSE, slot, session, limiter.abuseStreakSeconds());
            closeForAbuse(slot.connectionId, session);
            return false;
        }
        if (null != session && nowMs - session.rateLimitLoggedMs >= RATE_LIMIT_LOG_INTERVAL_MS)
        {
            // One line per episode: the first rejection after ten seconds without a logged one.
            session.rateLimitLoggedMs = nowMs;
            logEvent(EventLog.RATE_LIMITED, slot, session, limiter.limitedByOverall() ? 1 : 0);
        }
        if (valid && type.isCritical() && type.isFromClient() && null != session && slot.hasMsgId &&
            session.dedupe.contains(slot.msgIdHi, slot.msgIdLo))
        {
            counters.onDrop(type.id(), DropReason.DUPLICATE);
            return false;
        }
        if (RateLimiter.LIMITED_REPLY == verdict)
        {
            if (MessageType.GAME_EVENT == type && null != session && slot.hasMsgId)
            {
                counters.onError(ErrorCode.RATE_LIMITED);
                final Room room = session.room;
                final long dseq = session.nextDseq();
                storeError(session, ReplayWindow.KIND_GAME_ERROR, encoder.gameError(
                    room, nowMs, ErrorCode.RATE_LIMITED, slot.msgIdHi, slot.msgIdLo, dseq),
                    ErrorCode.RATE_LIMITED, true, slot.msgIdHi, slot.msgIdLo, dseq);
            }
            else
            {
                replyError(slot, type, session, ErrorCode.RATE_LIMITED);
            }
        }
        return false;
    }

    private RateLimiter connectionLimiter(final long connectionId)
    {
        RateLimiter limiter = connectionLimiters.get(connectionId);
        if (null == limiter)
        {
            limiter = allocateLimiter();
            limiter.reset(nowMs);
            connectionLimiters.put(connectionId, limiter);
        }
        return limiter;
    }

    private void releaseConnectionLimiter(final long connectionId)
    {
        final RateLimiter limiter = connectionLimiters.remove(connectionId);
        if (null != limiter && limiterPoolCount < MAX_POOLED_LIMITERS)
        {
            if (limiterPoolCount == limiterPool.length)
            {
                limiterPool = java.util.Arrays.copyOf(limiterPool, limiterPoolCount * 2);
            }
            limiterPool[limiterPoolCount++] = limiter;
        }
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

    private void closeForAbuse(final long connectionId, final Session session)
    {
        publisher.close(connectionId, CLOSE_RATE_LIMIT_ABUSE, REASON_RATE_LIMIT_ABUSE);
        if (null != session)
        {
            onConnectionClosed(connectionId);
        }
        releaseConnectionLimiter(connectionId);
        closingConnections.add(connectionId);
    }

    private void keepSenderOrder(final MessageType type, final Session session)
    {
        if (session.icePending && MessageType.ICE_CANDIDATE != type)
        {
            flushIce();
        }
        final Room room = session.room;
        if (MessageType.GAME_STATE != type && room.pendingPatch.isPending() &&
            room.pendingPatch.senderSerial() == session.serial)
        {
            flushPatch(room);
        }
    }

    private void logUnknownType(final InboundSlot slot, final Session session)
    {
        final RateLimiter limiter = null != session ? session.rateLimiter : connectionLimiter(slot.connectionId);
        if (limiter.admitUnknownTypeLog(slot.typeId, nowMs))
        {
            logEvent(EventLog.UNKNOWN_TYPE, slot, session, 0);
        }
    }

    private void onEdgeError(final InboundSlot slot, final MessageType type, final Session session)
    {
        final ErrorCode code = ErrorCode.get(slot.errorCode);
        if (ErrorCode.UNKNOWN_TYPE == code)
        {
            logUnknownType(slot, session);
        }
        final boolean hasFor = slot.hasMsgId && ErrorCode.PAYLOAD_TOO_LARGE != code;
        sendError(slot, type, session, code, hasFor);
    }

    private void replyError(final InboundSlot slot, final MessageType type, final Session session, final ErrorCode code)
    {
        sendError(slot, type, session, code, slot.hasMsgId);
    }

    private void sendError(
        final InboundSlot slot, final MessageType type, final Session session, final ErrorCode code, final boolean hasFor)
    {
        counters.onError(code);
        if (null != session)
        {
            final Room room = session.room;
            if (type.isCritical() && type.isFromClient())
            {
                final long dseq = session.nextDseq();
                final Frame frame = encoder.error(
                    room.roomId, room.roomIdLength, nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, dseq);
                storeError(session, ReplayWindow.KIND_ERROR, frame, code, hasFor, slot.msgIdHi, slot.msgIdLo, dseq);
            }
            else
            {
                sendOnce(slot.connectionId, encoder.error(
                    room.roomId, room.roomIdLength, nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, 0));
            }
        }
        else
        {
            final int roomIdLength = isValidRoomId(slot) ? slot.roomIdLength : 0;
            sendOnce(slot.connectionId, encoder.error(
                slot.roomId, roomIdLength, nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, 0));
        }
    }

    private void onJoin(final InboundSlot slot, final Session current)
    {
        if (null != current)
        {
            replyError(slot, MessageType.JOIN, current, ErrorCode.ALREADY_JOINED);
            return;
        }
        if (!isValidRoomId(slot) ||
            (InboundSlot.ROLE_HOST != slot.role && InboundSlot.ROLE_VIEWER != slot.role))
        {
            replyError(slot, MessageType.JOIN, null, ErrorCode.INVALID_MESSAGE);
            return;
        }
        final boolean asHost = InboundSlot.ROLE_HOST == slot.role;
        final boolean authenticated = slot.authUserIdLength > 0;
        if (!grantsAllowJoin(slot, asHost))
        {
            replyError(slot, MessageType.JOIN, null, ErrorCode.FORBIDDEN);
            return;
        }
        Room room = roomById.get(slot.roomId, 0, slot.roomIdLength);
        if (null != room)
        {
            drainFanouts(room);
            final Session existing = authenticated ?
                room.byUserId.get(slot.authUserId, 0, slot.authUserIdLength) : null;
            // A room accepts a new host only with no host session (live or away) and no reservation for another
            // user; the same authenticated user replacing its own host session keeps the role.
            final boolean ownHostSession = null != room.host && room.host == existing;
            if (asHost && !ownHostSession && !room.hostRoleFreeFor(slot.authUserId, slot.authUserIdLength))
            {
                replyError(slot, MessageType.JOIN, null, ErrorCode.HOST_TAKEN);
                return;
            }
            if (null != existing)
            {
                if (existing.live)
                {
                    publisher.close(existing.connectionId, CLOSE_SESSION_REPLACED, REASON_SESSION_REPLACED);
                }
                endSession(existing);
                room = roomById.get(slot.roomId, 0, slot.roomIdLength);
            }
        }
        final boolean started = null == room;
        if (started)
        {
            room = openRoom(slot.roomId, slot.roomIdLength);
            clusterHooks.onRoomOpened(room.roomId, room.roomIdLength);
        }
        room.snapshotDirty = true;

        final Session session = allocateSession();
        if (authenticated)
        {
            System.arraycopy(slot.authUserId, 0, session.userId, 0, slot.authUserIdLength);
            session.userIdLength = slot.authUserIdLength;
            session.authenticated = true;
        }
        else
        {
            generateGuestId(session, room);
        }
        session.grantFlags = slot.grantFlags;
        generateToken(session);
        session.serial = ++lastSerial;
        session.rateLimiter.reset(nowMs);
        releaseConnectionLimiter(slot.connectionId);
        sessionBySerial.put(session.serial, session);
        session.room = room;
        session.role = asHost ? Session.ROLE_HOST : Session.ROLE_VIEWER;
        session.live = true;
        session.connectionId = slot.connectionId;
        session.joinRseq = room.lastRseq;
        room.addMember(session);
        if (asHost)
        {
            room.host = session;
            room.hostlessSinceMs = -1;
            if (authenticated)
            {
                room.reserveHost(session.userId, session.userIdLength);
            }
        }
        sessionByConnection.put(slot.connectionId, session);
        sessionByToken.put(session);
        if (!authenticated)
        {
            guestByUserId.put(session);
        }
        sessionCount++;
        room.presenceJoined.add(session.userId, 0, session.userIdLength);

        accept(slot, session);
        final long dseq = session.nextDseq();
        // joined carries the whole game state: never kept, a resume gets a fresh snapshot instead.
        session.directed.skip(dseq);
        sendOnce(slot.connectionId, encoder.joined(room, session, nowMs, dseq));
        if (started)
        {
            webhook(WebhookEvents.ROOM_STARTED, room, session, null);
        }
        webhook(WebhookEvents.PARTICIPANT_JOINED, room, session, asHost ? MessageEncoder.HOST : MessageEncoder.VIEWER);
    }

    private void onResume(final InboundSlot slot, final Session current)
    {
        if (null != current)
        {
            replyError(slot, MessageType.RESUME, current, ErrorCode.ALREADY_JOINED);
            return;
        }
        final Session session = sessionByToken.get(slot.token, 0, slot.tokenLength);
        if (null == session || !roomMatches(slot, session.room) || !sameUser(slot, session))
        {
            replyError(slot, MessageType.RESUME, null, ErrorCode.RESUME_FAILED);
            return;
        }
        final Room room = session.room;
        drainFanouts(room);
        final boolean wasAway = !session.live;
        if (session.live)
        {
            publisher.close(session.connectionId, CLOSE_SESSION_REPLACED, REASON_SESSION_REPLACED);
            sessionByConnection.remove(session.connectionId);
        }
        else
        {
            removeAway(session);
        }
        session.live = true;
        session.connectionId = slot.connectionId;
        sessionByConnection.put(slot.connectionId, session);
        releaseConnectionLimiter(slot.connectionId);
        if (room.host == session)
        {
            room.hostlessSinceMs = -1;
        }
        session.dedupe.add(slot.msgIdHi, slot.msgIdLo);
        room.snapshotDirty = true;

        long fromDseq = slot.lastDseq;
        long fromRseq = Math.max(slot.lastRseq, session.joinRseq);
        boolean lost = false;
        if (session.restored)
        {
            lost = !room.restoredFromHandover || fromDseq != session.restoredDseq || fromRseq != room.restoredRseq;
            fromDseq = resumeRestoredDseq(session, fromDseq);
            fromRseq = resumeRestoredRseq(session, room, fromRseq);
        }
        final ReplayWindow directed = session.directed;
        final ReplayWindow broadcasts = room.broadcasts;
        final int directedStart = directed.firstAfter(fromDseq);
        final int broadcastStart = broadcasts.firstAfter(fromRseq);
        final long serial = session.serial;
        int replayed = directed.size() - directedStart;
        for (int i = broadcastStart; i < broadcasts.size(); i++)
        {
            if (broadcasts.sender(i) != serial)
            {
                replayed++;
            }
        }
        final boolean gap = lost || directed.evictedSeq() > fromDseq || broadcasts.evictedSeq() > fromRseq;
        final byte[] reason = !wasAway || session.role == session.roleAtAway ? null :
            null == session.lastRoleReason ? MessageEncoder.REASON_ENDED : session.lastRoleReason;
        sendOnce(slot.connectionId, encoder.resumeAnswer(
            room, nowMs, slot.msgIdHi, slot.msgIdLo, session, reason, room.queuePosition(session), replayed, gap));
        logEvent(EventLog.RESUME, slot, session, replayed);

        int d = directedStart;
        int b = broadcastStart;
        final int directedEnd = directed.size();
        final int broadcastEnd = broadcasts.size();
        while (d < directedEnd || b < broadcastEnd)
        {
            if (b >= broadcastEnd || (d < directedEnd && directed.stamp(d) - broadcasts.stamp(b) < 0))
            {
                sendOnce(slot.connectionId, encoder.replayed(room, directed, d++));
            }
            else
            {
                if (broadcasts.sender(b) != serial)
                {
                    sendOnce(slot.connectionId, encoder.replayed(room, broadcasts, b));
                }
                b++;
            }
        }
        sendOnce(slot.connectionId, encoder.gameStateSnapshot(room, nowMs));
    }

    private static long resumeRestoredDseq(final Session session, final long clientDseq)
    {
        final long seen = Math.min(clientDseq, MAX_CLIENT_SEQUENCE);
        session.restored = false;
        if (0 == session.directed.size())
        {
            // Nothing was given a number since the restore: continue right after what the client holds.
            session.lastDseq = Math.max(session.restoredDseq, seen);
            return seen;
        }
        session.lastDseq = Math.max(session.lastDseq, seen);
        return seen >= session.restoredDseq ? Math.max(seen, session.restoredDseq + RESTORE_SEQUENCE_SKIP) : seen;
    }

    private static long resumeRestoredRseq(final Session session, final Room room, final long clientRseq)
    {
        final long seen = Math.min(clientRseq, MAX_CLIENT_SEQUENCE);
        if (seen > room.lastRseq)
        {
            room.lastRseq = seen;
        }
        final long restartRseq = room.restoredRseq + RESTORE_SEQUENCE_SKIP;
        session.joinRseq = Math.max(session.joinRseq, restartRseq);
        return seen >= room.restoredRseq ? Math.max(seen, restartRseq) : seen;
    }

    private void onPing(final InboundSlot slot, final Session session)
    {
        final Room room = null == session ? null : session.room;
        sendOnce(slot.connectionId, encoder.pong(
            null == room ? null : room.roomId, null == room ? 0 : room.roomIdLength, nowMs, slot.hasTs, slot.ts));
    }

    private void onLeave(final InboundSlot slot, final Session session)
    {
        accept(slot, session);
        publisher.close(session.connectionId, CLOSE_NORMAL, "");
        endSession(session);
    }

    private void onSdp(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        final Session target = room.byUserId.get(slot.to, 0, slot.toLength);
        if (null == target || target == session)
        {
            replyError(slot, MessageType.get(slot.typeId), session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        accept(slot, session);
        final long dseq = target.nextDseq();
        storeDirected(target, encoder.relay(room, nowMs, slot, session, dseq), dseq);
    }

    private void onIceCandidate(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        final Session target = room.byUserId.get(slot.to, 0, slot.toLength);
        if (null == target || target == session)
        {
            replyError(slot, MessageType.ICE_CANDIDATE, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        if (slot.seq <= session.lastIceSeq)
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
            return;
        }
        session.lastIceSeq = slot.seq;
        if (UfragGenerations.STALE == session.ufrags.onCandidate(target.serial, slot.ufrag, 0, slot.ufragLength))
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
            return;
        }
        deliverIceCandidates(slot, session, target);
    }

    private void deliverIceCandidates(final InboundSlot slot, final Session sender, final Session target)
    {
        if (!target.live)
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.PEER_AWAY);
            return;
        }
        iceCoalescer.add(sender.serial, target.serial, slot.payload, 0, slot.payloadLength,
            slot.msgIdHi, slot.msgIdLo, slot.seq);
        sender.icePending = true;
        icePending = true;
    }

    private void flushIce()
    {
        if (icePending)
        {
            icePending = false;
            iceCoalescer.flush(iceBatchHandler);
        }
    }

    private void onIceBatch(
        final long senderKey,
        final long targetKey,
        final byte[] arrayJson,
        final int offset,
        final int length,
        final long msgIdHi,
        final long msgIdLo,
        final long seq)
    {
        final Session sender = sessionBySerial.get(senderKey);
        final Session target = sessionBySerial.get(targetKey);
        if (null == sender || null == target)
        {
            return;
        }
        sender.icePending = false;
        if (!target.live)
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.PEER_AWAY);
            return;
        }
        sendOnce(target.connectionId, encoder.iceBatch(
            sender.room, nowMs, msgIdHi, msgIdLo, seq, sender, arrayJson, offset, length));
    }

    private void onGameEvent(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        accept(slot, session);
        final long rseq = ++room.lastRseq;
        broadcast(room, encoder.gameEvent(room, nowMs, slot, session, rseq), rseq, session.serial, session);
    }

    private void onGameState(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        if (Session.ROLE_HOST != session.role)
        {
            replyError(slot, MessageType.GAME_STATE, session, ErrorCode.FORBIDDEN);
            return;
        }
        if (slot.seq <= session.lastGameStateSeq || slot.version <= room.gameState.version())
        {
            counters.onDrop(MessageType.GAME_STATE.id(), DropReason.STALE);
            return;
        }
        final GameStateRefusal refusal = room.gameState.admit(
            slot, settings.maxPatchEntries(), settings.maxGameStateEntries(), settings.maxGameStateBytes());
        if (null != refusal)
        {
            counters.onGameStateRefused(refusal);
            if (room.gameState.refusalLogDue(nowMs))
            {
                logEvent(EventLog.GAME_STATE_REFUSED, slot, session, refusal.ordinal());
            }
            replyError(slot, MessageType.GAME_STATE, session, ErrorCode.INVALID_MESSAGE);
            return;
        }
        session.lastGameStateSeq = slot.seq;
        room.gameState.merge(slot);
        room.snapshotDirty = true;
        final boolean otherSender = room.pendingPatch.isPending() && room.pendingPatch.senderSerial() != session.serial;
        if (otherSender)
        {
            flushPatch(room);
        }
        room.pendingPatch.add(slot, session.serial);
    }

    private void flushPatch(final Room room)
    {
        final long senderSerial = room.pendingPatch.senderSerial();
        final Frame frame = encoder.gameStatePatch(room, nowMs, room.pendingPatch);
        final Session[] members = room.members;
        for (int i = 0, n = room.memberCount; i < n; i++)
        {
            final Session member = members[i];
            if (member.live && member.serial != senderSerial)
            {
                send(member.connectionId, frame);
            }
        }
        frame.release();
        room.pendingPatch.clear();
    }

    private void onCohostRequest(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        if (Session.ROLE_VIEWER != session.role || 0 != (session.grantFlags & Grants.DENY_COHOST))
        {
            replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.FORBIDDEN);
        }
        else if (session.queued)
        {
            replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.ALREADY_QUEUED);
        }
        else if (room.queueLength >= Math.min(settings.maxQueue(), room.queue.length))
        {
            replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.QUEUE_FULL);
        }
        else
        {
            room.enqueue(session);
            accept(slot, session);
            markQueueDirty(room);
        }
    }

    private void onCohostCancel(final InboundSlot slot, final Session session)
    {
        if (!session.queued)
        {
            replyError(slot, MessageType.COHOST_CANCEL, session, ErrorCode.FORBIDDEN);
            return;
        }
        session.room.removeFromQueue(session);
        accept(slot, session);
        markQueueDirty(session.room);
    }

    private void onCohostAccept(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        if (room.host != session)
        {
            replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.FORBIDDEN);
            return;
        }
        if (null != room.activeGuest)
        {
            replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.GUEST_ACTIVE);
            return;
        }
        final Session guest = slot.userIdLength > 0 ?
            room.findQueued(slot.userId, 0, slot.userIdLength) : (room.queueLength > 0 ? room.queue[0] : null);
        if (null == guest)
        {
            replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        room.removeFromQueue(guest);
        guest.role = Session.ROLE_GUEST;
        room.activeGuest = guest;
        webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_ACCEPTED);
        accept(slot, session);
        sendRoleChanged(guest, Session.ROLE_GUEST, MessageEncoder.REASON_ACCEPTED);
        markQueueDirty(room);
    }

    private void onCohostEnd(final InboundSlot slot, final Session session)
    {
        final Room room = session.room;
        if (room.host != session && room.activeGuest != session)
        {
            replyError(slot, MessageType.COHOST_END, session, ErrorCode.FORBIDDEN);
            return;
        }
        final Session guest = room.activeGuest;
        if (null == guest)
        {
            replyError(slot, MessageType.COHOST_END, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        guest.role = Session.ROLE_VIEWER;
        room.activeGuest = null;
        webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_ENDED);
        accept(slot, session);
        sendRoleChanged(guest, Session.ROLE_VIEWER, MessageEncoder.REASON_ENDED);
        markQueueDirty(room);
    }

    private void onConnectionClosed(final long connectionId)
    {
        closingConnections.remove(connectionId);
        releaseConnectionLimiter(connectionId);
        final Session session = sessionByConnection.remove(connectionId);
        if (null == session)
        {
            return;
        }
        drainFanouts(session.room);
        session.live = false;
        session.connectionId = 0;
        session.awaySinceMs = nowMs;
        session.roleAtAway = session.role;
        session.lastRoleReason = null;
        addAway(session);
        final Room room = session.room;
        room.snapshotDirty = true;
        if (room.host == session)
        {
            hostGone(room);
        }
    }

    private void onFlowControl(final long connectionId, final boolean normal, final long dropped)
    {
        final Session session = sessionByConnection.get(connectionId);
        final Room room = null == session ? null : session.room;
        if (null != room)
        {
            drainFanouts(room);
        }
        sendOnce(connectionId, encoder.flowControl(room, nowMs, normal, dropped));
        if (normal && null != room)
        {
            sendOnce(connectionId, encoder.gameStateSnapshot(room, nowMs));
        }
    }

    private void accept(final InboundSlot slot, final Session session)
    {
        session.dedupe.add(slot.msgIdHi, slot.msgIdLo);
        session.room.snapshotDirty = true;
        final long dseq = session.nextDseq();
        final Frame ack = encoder.ack(session.room, nowMs, slot.msgIdHi, slot.msgIdLo, dseq);
        session.directed.addAck(dseq, ++lastEmitStamp, nowMs, slot.msgIdHi, slot.msgIdLo, ack.length());
        sendIfLive(session, ack);
        final int event = eventFor(slot.typeId);
        if (0 != event)
        {
            logEvent(event, slot, session, 0);
        }
    }

    private static int eventFor(final int typeId)
    {
        switch (MessageType.get(typeId))
        {
            case JOIN:
                return EventLog.JOIN;
            case LEAVE:
                return EventLog.LEAVE;
            case WEBRTC_OFFER:
            case WEBRTC_ANSWER:
                return EventLog.RELAY;
            case COHOST_REQUEST:
            case COHOST_CANCEL:
            case COHOST_ACCEPT:
            case COHOST_END:
                return EventLog.COHOST;
            default:
                return 0;
        }
    }

    private void logEvent(final int event, final InboundSlot slot, final Session session, final long detail)
    {
        final Room room = null == session ? null : session.room;
        events.record(event,
            null != room ? room.roomId : slot.roomId, null != room ? room.roomIdLength : slot.roomIdLength,
            null != session ? session.userId : null, null != session ? session.userIdLength : 0,
            slot.typeId, slot.publishNs > 0 ? System.nanoTime() - slot.publishNs : -1, detail);
    }

    private void sendRoleChanged(final Session session, final int role, final byte[] reason)
    {
        session.lastRoleReason = reason;
        final long dseq = session.nextDseq();
        storeDirected(session, encoder.roleChanged(session.room, nowMs, role, reason, dseq), dseq);
    }

    private void hostGone(final Room room)
    {
        final Session guest = room.activeGuest;
        if (null != guest)
        {
            guest.role = Session.ROLE_VIEWER;
            room.activeGuest = null;
            webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_HOST_LEFT);
            sendRoleChanged(guest, Session.ROLE_VIEWER, MessageEncoder.REASON_HOST_LEFT);
        }
        room.flushQueue();
        sendQueueUpdate(room);
        if (room.hostlessSinceMs < 0)
        {
            room.hostlessSinceMs = nowMs;
        }
    }

    private void endSession(final Session session)
    {
        final Room room = session.room;
        drainFanouts(room);
        if (session.live)
        {
            sessionByConnection.remove(session.connectionId);
            session.live = false;
        }
        if (session.awayIndex >= 0)
        {
            removeAway(session);
        }
        sessionByToken.remove(session);
        if (!session.authenticated)
        {
            guestByUserId.remove(session);
        }
        final boolean wasHost = room.host == session;
        final boolean queueChanged = room.activeGuest == session || session.queued;
        webhook(WebhookEvents.PARTICIPANT_LEFT, room, session, null);
        if (room.activeGuest == session)
        {
            webhook(WebhookEvents.COHOST_CHANGED, room, session, WEBHOOK_LEFT);
        }
        forgetIceState(session);
        room.removeMember(session);
        sessionCount--;
        if (0 == room.memberCount)
        {
            webhook(WebhookEvents.ROOM_FINISHED, room, null, WEBHOOK_EMPTY);
            freeRoom(room);
        }
        else
        {
            room.snapshotDirty = true;
            room.presenceLeft.add(session.userId, 0, session.userIdLength);
            if (wasHost)
            {
                hostGone(room);
            }
            else if (queueChanged)
            {
                markQueueDirty(room);
            }
        }
        freeSession(session);
    }

    private void forgetIceState(final Session session)
    {
        final long serial = session.serial;
        sessionBySerial.remove(serial);
        if (icePending)
        {
            iceCoalescer.discard(serial);
        }
        final Session[] members = session.room.members;
        for (int i = 0, n = session.room.memberCount; i < n; i++)
        {
            members[i].ufrags.forgetTarget(serial);
        }
    }

    private void closeRoom(final Room room, final byte[] reason)
    {
        events.record(EventLog.ROOM_CLOSED, room.roomId, room.roomIdLength, null, 0, 0, -1, room.memberCount);
        drainFanouts(room);
        final long rseq = ++room.lastRseq;
        final Frame frame = encoder.roomClosed(room, nowMs, rseq, reason);
        final Session[] members = room.members;
        for (int i = 0, n = room.memberCount; i < n; i++)
        {
            final Session member = members[i];
            if (member.live)
            {
                send(member.connectionId, frame);
                publisher.close(member.connectionId, CLOSE_NORMAL, "");
                sessionByConnection.remove(member.connectionId);
                member.live = false;
            }
        }
        frame.release();
        for (int i = room.memberCount - 1; i >= 0; i--)
        {
            final Session member = members[i];
            if (member.awayIndex >= 0)
            {
                removeAway(member);
            }
            sessionByToken.remove(member);
            if (!member.authenticated)
            {
                guestByUserId.remove(member);
            }
            webhook(WebhookEvents.PARTICIPANT_LEFT, room, member, null);
            forgetIceState(member);
            room.removeMember(member);
            sessionCount--;
            freeSession(member);
        }
        webhook(WebhookEvents.ROOM_FINISHED, room, null, reason);
        freeRoom(room);
    }

    /**
     * An operator command from the admin port (operator traffic only, so it may allocate): act on a room of this
     * shard and answer the call once.
     */
    private void onAdmin(final InboundSlot slot)
    {
        final AdminCall call = slot.adminCall;
        if (null == call)
        {
            return;
        }
        final Room room = roomById.get(slot.roomId, 0, slot.roomIdLength);
        if (null == room)
        {
            call.complete(404, "{\"error\":\"room_not_found\"}");
            return;
        }
        drainFanouts(room);
        switch (slot.adminOp)
        {
            case AdminCall.DESCRIBE_ROOM:
                call.complete(200, RoomDescription.of(room));
                break;
            case AdminCall.CLOSE_ROOM:
                final int members = room.memberCount;
                closeRoom(room, java.util.Arrays.copyOf(slot.payload, slot.payloadLength));
                call.complete(200, "{\"closed\":true,\"members\":" + members + "}");
                break;
            case AdminCall.REMOVE_USER:
                final Session removed = room.byUserId.get(slot.userId, 0, slot.userIdLength);
                if (null == removed)
                {
                    call.complete(404, "{\"error\":\"user_not_found\"}");
                    break;
                }
                final boolean wasLive = removed.live;
                if (wasLive)
                {
                    publisher.close(removed.connectionId, CLOSE_REMOVED, REASON_REMOVED);
                }
                endSession(removed);
                call.complete(200, "{\"removed\":true,\"wasLive\":" + wasLive + "}");
                break;
            case AdminCall.PUBLISH_EVENT:
                final long rseq = ++room.lastRseq;
                broadcast(room, encoder.serverGameEvent(room, nowMs, slot, rseq), rseq, 0, null);
                call.complete(200, "{\"rseq\":" + rseq + "}");
                break;
            case AdminCall.PUBLISH_STATE:
                publishServerState(room, slot, call);
                break;
            default:
                call.complete(400, "{\"error\":\"unknown_operation\"}");
                break;
        }
    }

    /** Merge an operator's patch under the room's next version and send it at once to every live member. */
    private void publishServerState(final Room room, final InboundSlot slot, final AdminCall call)
    {
        if (room.pendingPatch.isPending())
        {
            flushPatch(room);
        }
        if (room.gameState.projectedBytes(slot) > settings.maxGameStateBytes())
        {
            call.complete(413, "{\"error\":\"game_state_too_large\"}");
            return;
        }
        slot.version = room.gameState.version() + 1;
        room.gameState.merge(slot);
        room.snapshotDirty = true;
        final Frame frame = encoder.serverGameStatePatch(room, nowMs, slot);
        final Session[] members = room.members;
        for (int i = 0, n = room.memberCount; i < n; i++)
        {
            if (members[i].live)
            {
                send(members[i].connectionId, frame);
            }
        }
        frame.release();
        call.complete(200, "{\"version\":" + slot.version + "}");
    }

    private void webhook(final byte kind, final Room room, final Session session, final byte[] detail)
    {
        webhooks.record(kind, nowMs, room.roomId, room.roomIdLength,
            null == session ? null : session.userId, null == session ? 0 : session.userIdLength, detail);
    }

    private void snapshotRoom(final Room room, final int flags)
    {
        final int length = snapshotCodec.encode(room, nowMs, flags, snapshotBuffer, 0);
        room.snapshotDirty = false;
        room.lastSnapshotMs = nowMs;
        counters.onSnapshot();
        clusterHooks.onRoomSnapshot(room.roomId, room.roomIdLength, snapshotBuffer.byteArray(), 0, length);
    }

    private void onRoomRestore(final InboundSlot slot)
    {
        final RoomSnapshot snapshot = restoreScratch;
        if (!snapshotCodec.decode(slot.payload, 0, slot.payloadLength, snapshot) || 0 == snapshot.memberCount ||
            !java.util.Arrays.equals(
            slot.roomId, 0, slot.roomIdLength, snapshot.roomId, 0, snapshot.roomIdLength))
        {
            rejectRestore(slot);
            return;
        }
        if (null != roomById.get(snapshot.roomId, 0, snapshot.roomIdLength))
        {
            counters.onRestoreIgnored();
            return;
        }
        final Room room = openRoom(snapshot.roomId, snapshot.roomIdLength);
        if (!restoreRoom(room, snapshot, slot.payload))
        {
            abortRestore(room);
            rejectRestore(slot);
            return;
        }
        counters.onRoomRestored();
        events.record(EventLog.ROOM_RESTORED, room.roomId, room.roomIdLength, null, 0, 0, -1, room.memberCount);
        clusterHooks.onRoomOpened(room.roomId, room.roomIdLength);
    }

    private void rejectRestore(final InboundSlot slot)
    {
        counters.onRestoreRejected();
        final int roomIdLength = isValidRoomId(slot) ? slot.roomIdLength : 0;
        events.record(EventLog.ROOM_RESTORE_REJECTED, slot.roomId, roomIdLength, null, 0, 0, -1, slot.payloadLength);
    }

    private boolean restoreRoom(final Room room, final RoomSnapshot snapshot, final byte[] src)
    {
        final int queueCapacity = Math.min(settings.maxQueue(), room.queue.length);
        room.restoredRseq = snapshot.lastRseq;
        room.restoredFromHandover = snapshot.isHandover();
        room.lastRseq = snapshot.lastRseq + RESTORE_SEQUENCE_SKIP;
        room.gameState.restore(snapshot.gameStateVersion);
        for (int e = 0; e < snapshot.entryCount; e++)
        {
            room.gameState.restoreEntry(src, snapshot.entryKeyOffset[e], snapshot.entryKeyLength[e],
                snapshot.entryValueOffset[e], snapshot.entryValueLength[e]);
        }
        int queued = 0;
        for (int i = 0; i < snapshot.memberCount; i++)
        {
            final RoomSnapshot.Member m = snapshot.members[i];
            if (null != sessionByToken.get(m.token, 0, m.tokenLength) ||
                null != room.byUserId.get(m.userId, 0, m.userIdLength) ||
                (!m.authenticated && null != guestByUserId.get(m.userId, 0, m.userIdLength)) ||
                m.queuePosition > queueCapacity)
            {
                return false;
            }
            final Session session = allocateSession();
            System.arraycopy(m.token, 0, session.token, 0, m.tokenLength);
            session.tokenLength = m.tokenLength;
            System.arraycopy(m.userId, 0, session.userId, 0, m.userIdLength);
            session.userIdLength = m.userIdLength;
            session.authenticated = m.authenticated;
            session.serial = ++lastSerial;
            session.rateLimiter.reset(nowMs);
            sessionBySerial.put(session.serial, session);
            session.room = room;
            session.role = m.role;
            session.live = false;
            session.connectionId = 0;
            session.awaySinceMs = nowMs;
            session.roleAtAway = m.roleKnown;
            session.lastRoleReason = RoomSnapshotCodec.reasonBytes(m.roleReason);
            session.restored = true;
            session.restoredDseq = m.lastDseq;
            session.lastDseq = m.lastDseq + RESTORE_SEQUENCE_SKIP;
            session.joinRseq = m.joinRseq;
            session.lastIceSeq = m.lastIceSeq;
            session.lastGameStateSeq = m.lastGameStateSeq;
            for (int d = 0; d < m.dedupeCount; d++)
            {
                session.dedupe.add(m.dedupeHi[d], m.dedupeLo[d]);
            }
            room.addMember(session);
            sessionByToken.put(session);
            if (!session.authenticated)
            {
                guestByUserId.put(session);
            }
            sessionCount++;
            addAway(session);
            if (Session.ROLE_HOST == m.role)
            {
                room.host = session;
            }
            else if (Session.ROLE_GUEST == m.role)
            {
                room.activeGuest = session;
            }
            if (m.queuePosition > 0)
            {
                room.queue[m.queuePosition - 1] = session;
                session.queued = true;
                queued++;
            }
        }
        room.queueLength = queued;
        room.hostlessSinceMs = snapshot.hostlessSinceMs >= 0 ? Math.min(snapshot.hostlessSinceMs, nowMs) : nowMs;
        room.snapshotDirty = true;
        return true;
    }

    private void abortRestore(final Room room)
    {
        final Session[] queue = room.queue;
        for (int i = 0; i < queue.length; i++)
        {
            if (null != queue[i])
            {
                queue[i].queued = false;
                queue[i] = null;
            }
        }
        room.queueLength = 0;
        final Session[] members = room.members;
        for (int i = room.memberCount - 1; i >= 0; i--)
        {
            final Session member = members[i];
            removeAway(member);
            sessionByToken.remove(member);
            if (!member.authenticated)
            {
                guestByUserId.remove(member);
            }
            sessionBySerial.remove(member.serial);
            room.removeMember(member);
            sessionCount--;
            freeSession(member);
        }
        releaseRoom(room);
    }

    private void sendQueueUpdate(final Room room)
    {
        final long rseq = ++room.lastRseq;
        broadcast(room, encoder.queueUpdated(room, nowMs, rseq), rseq, 0, null);
        room.queueDirty = false;
        room.queueSentThisTick = true;
    }

    private void markQueueDirty(final Room room)
    {
        room.queueDirty = true;
        if (!room.inQueueDirtyList)
        {
            if (queueDirtyCount == queueDirtyRooms.length)
            {
                queueDirtyRooms = java.util.Arrays.copyOf(queueDirtyRooms, queueDirtyCount * 2);
            }
            queueDirtyRooms[queueDirtyCount++] = room;
            room.inQueueDirtyList = true;
        }
    }

    private void compactQueueDirtyList()
    {
        int kept = 0;
        for (int i = 0; i < queueDirtyCount; i++)
        {
            final Room room = queueDirtyRooms[i];
            if (room.queueDirty && room.inQueueDirtyList)
            {
                queueDirtyRooms[kept++] = room;
            }
            else
            {
                room.inQueueDirtyList = false;
            }
        }
        for (int i = kept; i < queueDirtyCount; i++)
        {
            queueDirtyRooms[i] = null;
        }
        queueDirtyCount = kept;
    }

    private void flushPresence(final Room room)
    {
        drainFanouts(room);
        if (room.presenceJoined.size() > 0 || room.presenceLeft.size() > 0)
        {
            final Session host = room.host;
            final Session guest = room.activeGuest;
            final boolean hostLive = null != host && host.live;
            final boolean guestLive = null != guest && guest.live;
            if (hostLive || guestLive)
            {
                final Frame frame = encoder.presenceDelta(room, nowMs);
                if (hostLive)
                {
                    send(host.connectionId, frame);
                }
                if (guestLive)
                {
                    send(guest.connectionId, frame);
                }
                frame.release();
            }
            room.presenceJoined.clear();
            room.presenceLeft.clear();
        }
        if (room.memberCount != room.viewerSizeSent &&
            nowMs - room.viewerPresenceSentMs >= VIEWER_PRESENCE_INTERVAL_MS)
        {
            Frame frame = null;
            final Session[] members = room.members;
            for (int i = 0, n = room.memberCount; i < n; i++)
            {
                final Session member = members[i];
                if (member.live && Session.ROLE_VIEWER == member.role)
                {
                    if (null == frame)
                    {
                        frame = encoder.presenceSize(room, nowMs);
                    }
                    send(member.connectionId, frame);
                }
            }
            if (null != frame)
            {
                frame.release();
            }
            room.viewerSizeSent = room.memberCount;
            room.viewerPresenceSentMs = nowMs;
        }
    }

    private void broadcast(
        final Room room, final Frame frame, final long rseq, final long senderSerial, final Session exclude)
    {
        room.snapshotDirty = true;
        room.broadcasts.add(frame, rseq, ++lastEmitStamp, senderSerial);
        final int end = room.memberCount;
        final int next = room.pendingFanouts > 0 ? 0 : fanOut(room, frame, 0, end, exclude);
        if (next < end)
        {
            enqueueFanout(room, frame, next, end, exclude);
        }
        frame.release();
    }

    private int fanOut(final Room room, final Frame frame, final int from, final int end, final Session exclude)
    {
        final Session[] members = room.members;
        int sent = 0;
        int i = from;
        while (i < end && sent < fanoutSlice)
        {
            final Session member = members[i++];
            if (member.live && member != exclude)
            {
                send(member.connectionId, frame);
                sent++;
            }
        }
        return i;
    }

    private void enqueueFanout(final Room room, final Frame frame, final int next, final int end, final Session exclude)
    {
        if (fanoutCount == fanoutRooms.length)
        {
            final int capacity = fanoutCount * 2;
            fanoutRooms = java.util.Arrays.copyOf(fanoutRooms, capacity);
            fanoutFrames = java.util.Arrays.copyOf(fanoutFrames, capacity);
            fanoutExcludes = java.util.Arrays.copyOf(fanoutExcludes, capacity);
            fanoutNext = java.util.Arrays.copyOf(fanoutNext, capacity);
            fanoutEnd = java.util.Arrays.copyOf(fanoutEnd, capacity);
        }
        frame.retain();
        fanoutRooms[fanoutCount] = room;
        fanoutFrames[fanoutCount] = frame;
        fanoutExcludes[fanoutCount] = exclude;
        fanoutNext[fanoutCount] = next;
        fanoutEnd[fanoutCount] = end;
        fanoutCount++;
        room.pendingFanouts++;
    }

    private void advanceFanout()
    {
        if (0 == fanoutCount)
        {
            return;
        }
        final Room room = fanoutRooms[0];
        final int next = fanOut(room, fanoutFrames[0], fanoutNext[0], fanoutEnd[0], fanoutExcludes[0]);
        if (next >= fanoutEnd[0])
        {
            removeFanout(0);
        }
        else
        {
            fanoutNext[0] = next;
            if (fanoutCount > 1 && room.pendingFanouts == 1)
            {
                rotateHeadToTail();
            }
        }
    }

    private void drainFanouts(final Room room)
    {
        int i = 0;
        while (room.pendingFanouts > 0 && i < fanoutCount)
        {
            if (fanoutRooms[i] == room)
            {
                fanOutRest(room, fanoutFrames[i], fanoutNext[i], fanoutEnd[i], fanoutExcludes[i]);
                removeFanout(i);
            }
            else
            {
                i++;
            }
        }
    }

    private void drainAllFanouts()
    {
        while (fanoutCount > 0)
        {
            drainFanouts(fanoutRooms[0]);
        }
    }

    private void fanOutRest(
        final Room room, final Frame frame, final int from, final int end, final Session exclude)
    {
        final Session[] members = room.members;
        for (int i = from; i < end; i++)
        {
            final Session member = members[i];
            if (member.live && member != exclude)
            {
                send(member.connectionId, frame);
            }
        }
    }

    private void discardFanouts(final Room room)
    {
        int i = 0;
        while (room.pendingFanouts > 0 && i < fanoutCount)
        {
            if (fanoutRooms[i] == room)
            {
                removeFanout(i);
            }
            else
            {
                i++;
            }
        }
    }

    private void removeFanout(final int index)
    {
        fanoutFrames[index].release();
        fanoutRooms[index].pendingFanouts--;
        final int tail = fanoutCount - index - 1;
        System.arraycopy(fanoutRooms, index + 1, fanoutRooms, index, tail);
        System.arraycopy(fanoutFrames, index + 1, fanoutFrames, index, tail);
        System.arraycopy(fanoutExcludes, index + 1, fanoutExcludes, index, tail);
        System.arraycopy(fanoutNext, index + 1, fanoutNext, index, tail);
        System.arraycopy(fanoutEnd, index + 1, fanoutEnd, index, tail);
        fanoutCount--;
        fanoutRooms[fanoutCount] = null;
        fanoutFrames[fanoutCount] = null;
        fanoutExcludes[fanoutCount] = null;
    }

    private void rotateHeadToTail()
    {
        final Room room = fanoutRooms[0];
        final Frame frame = fanoutFrames[0];
        final Session exclude = fanoutExcludes[0];
        final int next = fanoutNext[0];
        final int end = fanoutEnd[0];
        final int tail = fanoutCount - 1;
        System.arraycopy(fanoutRooms, 1, fanoutRooms, 0, tail);
        System.arraycopy(fanoutFrames, 1, fanoutFrames, 0, tail);
        System.arraycopy(fanoutExcludes, 1, fanoutExcludes, 0, tail);
        System.arraycopy(fanoutNext, 1, fanoutNext, 0, tail);
        System.arraycopy(fanoutEnd, 1, fanoutEnd, 0, tail);
        fanoutRooms[tail] = room;
        fanoutFrames[tail] = frame;
        fanoutExcludes[tail] = exclude;
        fanoutNext[tail] = next;
        fanoutEnd[tail] = end;
    }

    private void storeDirected(final Session session, final Frame frame, final long dseq)
    {
        session.room.snapshotDirty = true;
        session.directed.add(frame, dseq, ++lastEmitStamp, 0);
        sendIfLive(session, frame);
    }

    private void storeError(
        final Session session,
        final int kind,
        final Frame frame,
        final ErrorCode code,
        final boolean hasFor,
        final long forHi,
        final long forLo,
        final long dseq)
    {
        session.room.snapshotDirty = true;
        session.directed.addError(kind, code, hasFor, dseq, ++lastEmitStamp, nowMs, forHi, forLo, frame.length());
        sendIfLive(session, frame);
    }

    private void sendIfLive(final Session session, final Frame frame)
    {
        if (session.live)
        {
            send(session.connectionId, frame);
        }
        frame.release();
    }

    private void send(final long connectionId, final Frame frame)
    {
        publisher.send(connectionId, frame);
        counters.onMessageOut();
    }

    private void sendOnce(final long connectionId, final Frame frame)
    {
        send(connectionId, frame);
        frame.release();
    }

    private Room openRoom(final byte[] roomId, final int roomIdLength)
    {
        final Room room = roomPoolCount > 0 ?
            roomPool[--roomPoolCount] :
            new Room(settings.maxQueue(), settings.replayWindow(), settings.roomReplayWindowBytes(), roomReplayBytes);
        roomPool[roomPoolCount] = null;
        System.arraycopy(roomId, 0, room.roomId, 0, roomIdLength);
        room.roomIdLength = roomIdLength;
        room.hostlessSinceMs = nowMs;
        room.viewerPresenceSentMs = nowMs;
        roomById.put(room);
        if (roomCount == rooms.length)
        {
            rooms = java.util.Arrays.copyOf(rooms, roomCount * 2);
        }
        room.listIndex = roomCount;
        rooms[roomCount++] = room;
        return room;
    }

    private void freeRoom(final Room room)
    {
        clusterHooks.onRoomClosed(room.roomId, room.roomIdLength);
        releaseRoom(room);
    }

    private void releaseRoom(final Room room)
    {
        discardFanouts(room);
        roomById.remove(room);
        final int index = room.listIndex;
        final int last = roomCount - 1;
        rooms[index] = rooms[last];
        rooms[index].listIndex = index;
        rooms[last] = null;
        roomCount = last;
        if (room.inQueueDirtyList)
        {
            for (int i = 0; i < queueDirtyCount; i++)
            {
                if (queueDirtyRooms[i] == room)
                {
                    queueDirtyRooms[i] = queueDirtyRooms[--queueDirtyCount];
                    queueDirtyRooms[queueDirtyCount] = null;
                    break;
                }
            }
        }
        room.reset();
        if (roomPoolCount >= MAX_POOLED_ROOMS)
        {
            return;
        }
        if (roomPoolCount == roomPool.length)
        {
            roomPool = java.util.Arrays.copyOf(roomPool, roomPoolCount * 2);
        }
        roomPool[roomPoolCount++] = room;
    }

    private Session allocateSession()
    {
        if (sessionPoolCount > 0)
        {
            final Session session = sessionPool[--sessionPoolCount];
            sessionPool[sessionPoolCount] = null;
            return session;
        }
        return new Session(settings.dedupeWindow(), settings.replayWindow(), settings.replayWindowBytes(),
            sessionReplayBytes, new RateLimiter(settings));
    }

    private void freeSession(final Session session)
    {
        session.reset();
        if (sessionPoolCount >= MAX_POOLED_SESSIONS)
        {
            return;
        }
        if (sessionPoolCount == sessionPool.length)
        {
            sessionPool = java.util.Arrays.copyOf(sessionPool, sessionPoolCount * 2);
        }
        sessionPool[sessionPoolCount++] = session;
    }

    private void addAway(final Session session)
    {
        if (awayCount == away.length)
        {
            away = java.util.Arrays.copyOf(away, awayCount * 2);
        }
        session.awayIndex = awayCount;
        away[awayCount++] = session;
    }

    private void removeAway(final Session session)
    {
        final int index = session.awayIndex;
        final int last = awayCount - 1;
        away[index] = away[last];
        away[index].awayIndex = index;
        away[last] = null;
        awayCount = last;
        session.awayIndex = -1;
    }

    private void generateGuestId(final Session session, final Room room)
    {
        final byte[] id = session.userId;
        System.arraycopy(GUEST_PREFIX, 0, id, 0, GUEST_PREFIX.length);
        final int length = GUEST_PREFIX.length + GUEST_RANDOM_CHARS;
        do
        {
            for (int i = GUEST_PREFIX.length; i < length; i++)
            {
                id[i] = URL_SAFE[random.nextInt(URL_SAFE.length)];
            }
        }
        while (null != guestByUserId.get(id, 0, length) || null != room.byUserId.get(id, 0, length));
        session.userIdLength = length;
    }

    private void generateToken(final Session session)
    {
        final byte[] token = session.token;
        do
        {
            for (int i = 0; i < Session.TOKEN_LENGTH; i++)
            {
                token[i] = URL_SAFE[random.nextInt(URL_SAFE.length)];
            }
        }
        while (null != sessionByToken.get(token, 0, Session.TOKEN_LENGTH));
        session.tokenLength = Session.TOKEN_LENGTH;
    }

    private boolean sameUser(final InboundSlot slot, final Session session)
    {
        if (session.authenticated)
        {
            return session.userIdEquals(slot.authUserId, 0, slot.authUserIdLength);
        }
        return 0 == slot.authUserIdLength;
    }

    /**
     * Whether the connection's token allows this join: the room matches its {@code rooms} patterns and the role
     * is one of its {@code roles}; flat fields only, no parsing.
     */
    private static boolean grantsAllowJoin(final InboundSlot slot, final boolean asHost)
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

    private static boolean roomMatches(final InboundSlot slot, final Room room)
    {
        return java.util.Arrays.equals(slot.roomId, 0, slot.roomIdLength, room.roomId, 0, room.roomIdLength);
    }

    private static boolean isValidRoomId(final InboundSlot slot)
    {
        final int length = slot.roomIdLength;
        if (length < 1 || length > InboundSlot.MAX_ID_LENGTH)
        {
            return false;
        }
        final byte[] id = slot.roomId;
        for (int i = 0; i < length; i++)
        {
            final byte c = id[i];
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                '_' == c || '.' == c || '-' == c;
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
