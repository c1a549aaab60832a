package dev.switchboard.engine;

import dev.switchboard.engine.admin.AdminCall;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.cluster.RoomRestorer;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.ice.IceServers;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.room.CohostQueue;
import dev.switchboard.engine.room.FanoutScheduler;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomDescription;
import dev.switchboard.engine.room.RoomRegistry;
import dev.switchboard.engine.room.RoomSizeConsumer;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.room.SessionTable;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.ReplayBytes;
import dev.switchboard.engine.store.ReplayWindow;
import dev.switchboard.engine.webhook.WebhookEvents;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The single-writer conductor of one shard: takes each ring event (message, socket close, flow change, timer,
 * restore, handover, operator call), applies the room rules of docs/PROTOCOL.md through its collaborators
 * ({@link Admission} for limits and dedupe, {@link SessionTable} and {@link RoomRegistry} for who is where,
 * {@link CohostQueue}, {@link FanoutScheduler} for sliced broadcasts, {@link Outbox} for replies, {@link RoomRestorer}
 * for multi-node snapshots) and emits encoded frames. Runs on one thread; allocates nothing per message in steady
 * state. Where the protocol is silent, the choices are listed in docs/PROTOCOL.md.
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
    /** Multi-node: how far restored sequence numbers move past a snapshot's ({@link RoomRestorer}). */
    public static final long RESTORE_SEQUENCE_SKIP = RoomRestorer.RESTORE_SEQUENCE_SKIP;
    /** Close code sent to a socket whose user an operator removed; terminal, the client must not reconnect. */
    public static final int CLOSE_REMOVED = 4410;
    /** Close reason sent with {@link #CLOSE_REMOVED}. */
    public static final String REASON_REMOVED = "removed";
    /** Largest lastDseq or lastRseq of a resume the engine moves its counters to (2^52, exact in JavaScript). */
    public static final long MAX_CLIENT_SEQUENCE = 1L << 52;

    private static final byte[] WEBHOOK_EMPTY = "empty".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBHOOK_LEFT = "left".getBytes(StandardCharsets.US_ASCII);

    private final SwitchboardSettings settings;
    private final EpochClock epochClock;
    private final MessageEncoder encoder;
    private final FramePool framePool;
    private final ReplayBytes sessionReplayBytes = new ReplayBytes();
    private final ReplayBytes roomReplayBytes = new ReplayBytes();
    private final EventLog events;
    private final EngineCounters counters = new EngineCounters();
    private final long resumeWindowMs;
    private final long hostlessRoomMs;
    private final ClusterHooks clusterHooks;
    private final Outbox outbox;
    private final Admission admission;
    private final SessionTable sessions;
    private final RoomRegistry rooms;
    private final CohostQueue cohost;
    private final FanoutScheduler fanout;
    private final RoomRestorer restorer;
    private final IceRelay ice;
    private final CohostRules cohostRules;
    private final GameStateRelay gameStates;
    private final PresenceReporter presence;
    private final Resumption resumption;
    private long nowMs;

    /**
     * Create an engine for one shard.
     *
     * @param context the shard's wiring.
     */
    public Engine(final EngineContext context)
    {
        settings = context.settings();
        epochClock = context.epochClock();
        framePool = context.framePool();
        encoder = new MessageEncoder(framePool);
        encoder.iceServers(IceServers.fromSettings(settings));
        events = context.eventLog();
        resumeWindowMs = settings.resumeWindowSeconds() * 1000L;
        hostlessRoomMs = settings.hostlessRoomSeconds() * 1000L;
        clusterHooks = context.clusterHooks();
        outbox = new Outbox(context.publisher(), encoder, counters, events);
        admission = new Admission(settings, counters);
        sessions = new SessionTable(
            settings, context.random(), sessionReplayBytes, context.socketClaims(), context.shardIndex());
        rooms = new RoomRegistry(
            settings.maxQueue(), settings.replayWindow(), settings.roomReplayWindowBytes(), roomReplayBytes);
        cohost = new CohostQueue(this::sendQueueUpdate);
        fanout = new FanoutScheduler(settings.fanoutSlice(), outbox);
        gameStates = new GameStateRelay(settings, encoder, outbox, counters);
        presence = new PresenceReporter(encoder, outbox);
        cohostRules = new CohostRules(settings.maxQueue(), cohost, outbox);
        ice = new IceRelay(sessions, encoder, outbox, counters);
        resumption = new Resumption(encoder, outbox);
        restorer = new RoomRestorer(clusterHooks, rooms, sessions, counters, events, settings.maxQueue());
        now();
    }

    /**
     * Apply one ring event of any kind; input errors become replies, never exceptions.
     *
     * @param slot the event.
     */
    public void onEvent(final InboundSlot slot)
    {
        now();
        fanout.advance();
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
                restorer.onRoomRestore(slot, nowMs);
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
        now();
        fanout.drainAll();
        ice.flush(nowMs);
        for (int i = sessions.awayCount() - 1; i >= 0; i--)
        {
            final Session session = sessions.away(i);
            if (nowMs - session.awaySinceMs() >= resumeWindowMs)
            {
                endSession(session);
            }
        }
        for (int i = rooms.count() - 1; i >= 0; i--)
        {
            final Room room = rooms.at(i);
            if (room.hostlessSinceMs() >= 0 && nowMs - room.hostlessSinceMs() >= hostlessRoomMs)
            {
                closeRoom(room, MessageEncoder.REASON_HOST_TIMEOUT);
                continue;
            }
            cohost.onTick(room);
            if (room.pendingPatch().isPending())
            {
                gameStates.flushPatch(room);
            }
            fanout.drain(room);
            presence.flush(room, nowMs);
            restorer.onTick(room, nowMs);
        }
        cohost.compact();
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
        now();
        fanout.drainAll();
        restorer.onHandover(nowMs);
    }

    /**
     * End of a ring batch: send queue updates owed this tick, then let the publisher flush.
     */
    public void onEndOfBatch()
    {
        cohost.onEndOfBatch();
        fanout.drainAll();
        counters.gauges(rooms.count(), sessions.count(), sessions.liveCount());
        counters.memory().publish(framePool.freeBytes(), framePool.inUseBytes(),
            sessionReplayBytes.heldBytes(), roomReplayBytes.heldBytes());
        outbox.endOfBatch();
    }

    /**
     * Send room and participant events to this outbox for webhook delivery; call before the engine's thread
     * starts. Without it nothing is recorded.
     *
     * @param outbox this shard's outbox.
     */
    public void webhookEvents(final WebhookEvents outbox)
    {
        this.outbox.webhooks(outbox);
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
        return rooms.count();
    }

    /**
     * Sessions now, live and away.
     *
     * @return count.
     */
    public int sessionCount()
    {
        return sessions.count();
    }

    /**
     * Connections bound to a session now.
     *
     * @return count.
     */
    public int liveConnectionCount()
    {
        return sessions.liveCount();
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
        final Room room = rooms.get(id, 0, id.length);
        return null == room ? 0 : room.memberCount();
    }

    /**
     * Visit every room with its size, on the engine thread.
     *
     * @param consumer receives each room id and size.
     */
    public void forEachRoomSize(final RoomSizeConsumer consumer)
    {
        for (int i = 0, n = rooms.count(); i < n; i++)
        {
            final Room room = rooms.at(i);
            consumer.accept(room.roomId(), room.roomIdLength(), room.memberCount());
        }
    }

    private void now()
    {
        nowMs = epochClock.time();
        outbox.now(nowMs);
    }

    private void onMessage(final InboundSlot slot)
    {
        counters.onMessageIn(slot.typeId);
        if (admission.isClosing(slot.connectionId))
        {
            return;
        }
        final MessageType type = MessageType.get(slot.typeId);
        final Session session = sessions.byConnection(slot.connectionId);
        if (null != session)
        {
            fanout.drain(session.room());
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
        if (admission.isDuplicate(slot, type, session))
        {
            return;
        }
        if (!type.isFromClient() || MessageType.UNKNOWN == type)
        {
            logUnknownType(slot, session);
            outbox.replyError(slot, MessageType.UNKNOWN, session, ErrorCode.UNKNOWN_TYPE);
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
        if (null == session || !Admission.roomMatches(slot, session.room()))
        {
            outbox.replyError(slot, type, session, ErrorCode.NOT_IN_ROOM);
            return;
        }
        onMemberMessage(slot, type, session);
    }

    private void onMemberMessage(final InboundSlot slot, final MessageType type, final Session session)
    {
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
                ice.onCandidate(slot, session);
                break;
            case GAME_EVENT:
                onGameEvent(slot, session);
                break;
            case GAME_STATE:
                gameStates.onGameState(slot, session);
                break;
            case COHOST_REQUEST:
                cohostRules.onRequest(slot, session);
                break;
            case COHOST_CANCEL:
                cohostRules.onCancel(slot, session);
                break;
            case COHOST_ACCEPT:
                cohostRules.onAccept(slot, session);
                break;
            case COHOST_END:
                cohostRules.onEnd(slot, session);
                break;
            default:
                outbox.replyError(slot, MessageType.UNKNOWN, session, ErrorCode.UNKNOWN_TYPE);
                break;
        }
    }

    private boolean admit(final InboundSlot slot, final MessageType type, final Session session)
    {
        final int verdict = admission.check(slot, type, session, nowMs);
        if (Admission.ADMIT == verdict)
        {
            return true;
        }
        final RateLimiter limiter = admission.limiterFor(slot.connectionId, session, nowMs);
        if (Admission.ABUSE == verdict)
        {
            outbox.logEvent(EventLog.RATE_LIMIT_ABUSE, slot, session, limiter.abuseStreakSeconds());
            closeForAbuse(slot.connectionId, session);
            return false;
        }
        if (admission.logDue())
        {
            outbox.logEvent(EventLog.RATE_LIMITED, slot, session, limiter.limitedByOverall() ? 1 : 0);
        }
        if (Admission.REPLY_LIMITED == verdict)
        {
            if (MessageType.GAME_EVENT == type && null != session && slot.hasMsgId)
            {
                counters.onError(ErrorCode.RATE_LIMITED);
                final long dseq = session.nextDseq();
                outbox.storeError(session, ReplayWindow.KIND_GAME_ERROR, encoder.gameError(
                    session.room(), nowMs, ErrorCode.RATE_LIMITED, slot.msgIdHi, slot.msgIdLo, dseq),
                    ErrorCode.RATE_LIMITED, true, slot.msgIdHi, slot.msgIdLo, dseq);
            }
            else
            {
                outbox.replyError(slot, type, session, ErrorCode.RATE_LIMITED);
            }
        }
        return false;
    }

    private void closeForAbuse(final long connectionId, final Session session)
    {
        outbox.close(connectionId, CLOSE_RATE_LIMIT_ABUSE, REASON_RATE_LIMIT_ABUSE);
        if (null != session)
        {
            onConnectionClosed(connectionId);
        }
        admission.markClosing(connectionId);
    }

    private void keepSenderOrder(final MessageType type, final Session session)
    {
        if (session.icePending() && MessageType.ICE_CANDIDATE != type)
        {
            ice.flush(nowMs);
        }
        final Room room = session.room();
        if (MessageType.GAME_STATE != type && room.pendingPatch().isPending() &&
            room.pendingPatch().senderSerial() == session.serial())
        {
            gameStates.flushPatch(room);
        }
    }

    private void logUnknownType(final InboundSlot slot, final Session session)
    {
        final RateLimiter limiter = admission.limiterFor(slot.connectionId, session, nowMs);
        if (limiter.admitUnknownTypeLog(slot.typeId, nowMs))
        {
            outbox.logEvent(EventLog.UNKNOWN_TYPE, slot, session, 0);
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
        outbox.sendError(slot, type, session, code, hasFor);
    }

    private void onJoin(final InboundSlot slot, final Session current)
    {
        // One room per socket, across shards too: a socket another shard holds is already joined.
        if (null != current || !sessions.claimSocket(slot.connectionId))
        {
            outbox.replyError(slot, MessageType.JOIN, current, ErrorCode.ALREADY_JOINED);
            return;
        }
        joinClaimed(slot);
        sessions.releaseUnboundClaim(slot.connectionId);
    }

    private void joinClaimed(final InboundSlot slot)
    {
        if (!Admission.isValidRoomId(slot) ||
            (InboundSlot.ROLE_HOST != slot.role && InboundSlot.ROLE_VIEWER != slot.role))
        {
            outbox.replyError(slot, MessageType.JOIN, null, ErrorCode.INVALID_MESSAGE);
            return;
        }
        final boolean asHost = InboundSlot.ROLE_HOST == slot.role;
        final boolean authenticated = slot.authUserIdLength > 0;
        if (!Admission.grantsAllowJoin(slot, asHost))
        {
            outbox.replyError(slot, MessageType.JOIN, null, ErrorCode.FORBIDDEN);
            return;
        }
        Room room = rooms.get(slot.roomId, 0, slot.roomIdLength);
        if (null != room)
        {
            fanout.drain(room);
            final Session existing = authenticated ?
                room.byUserId().get(slot.authUserId, 0, slot.authUserIdLength) : null;
            // A room accepts a new host only with no host session (live or away) and no reservation for another
            // user; the same authenticated user replacing its own host session keeps the role.
            final boolean ownHostSession = null != room.host() && room.host() == existing;
            if (asHost && !ownHostSession && !room.hostRoleFreeFor(slot.authUserId, slot.authUserIdLength))
            {
                outbox.replyError(slot, MessageType.JOIN, null, ErrorCode.HOST_TAKEN);
                return;
            }
            if (null != existing)
            {
                if (existing.live())
                {
                    outbox.close(existing.connectionId(), CLOSE_SESSION_REPLACED, REASON_SESSION_REPLACED);
                }
                endSession(existing);
                room = rooms.get(slot.roomId, 0, slot.roomIdLength);
            }
        }
        final boolean started = null == room;
        if (started)
        {
            room = rooms.open(slot.roomId, slot.roomIdLength, nowMs);
            clusterHooks.onRoomOpened(room.roomId(), room.roomIdLength());
        }
        final Session session = newSession(slot, room, asHost, authenticated);
        outbox.accept(slot, session);
        final long dseq = session.nextDseq();
        // joined carries the whole game state: never kept, a resume gets a fresh snapshot instead.
        session.directed().skip(dseq);
        outbox.sendOnce(slot.connectionId, encoder.joined(room, session, nowMs, dseq));
        if (started)
        {
            outbox.webhook(WebhookEvents.ROOM_STARTED, room, session, null);
        }
        outbox.webhook(
            WebhookEvents.PARTICIPANT_JOINED, room, session, asHost ? MessageEncoder.HOST : MessageEncoder.VIEWER);
    }

    private Session newSession(
        final InboundSlot slot, final Room room, final boolean asHost, final boolean authenticated)
    {
        room.markChanged();
        final Session session = sessions.allocate();
        if (authenticated)
        {
            session.authenticateAs(slot.authUserId, slot.authUserIdLength);
        }
        else
        {
            sessions.generateGuestId(session, room);
        }
        sessions.generateToken(session);
        session.rateLimiter().reset(nowMs);
        admission.releaseConnectionLimiter(slot.connectionId);
        session.enter(room, asHost ? Session.ROLE_HOST : Session.ROLE_VIEWER, slot.grantFlags);
        room.addMember(session);
        if (asHost)
        {
            room.admitHost(session);
        }
        sessions.bind(slot.connectionId, session);
        sessions.register(session);
        room.presenceJoined().add(session.userId(), 0, session.userIdLength());
        return session;
    }

    private void onResume(final InboundSlot slot, final Session current)
    {
        if (null != current || !sessions.claimSocket(slot.connectionId))
        {
            outbox.replyError(slot, MessageType.RESUME, current, ErrorCode.ALREADY_JOINED);
            return;
        }
        resumeClaimed(slot);
        sessions.releaseUnboundClaim(slot.connectionId);
    }

    private void resumeClaimed(final InboundSlot slot)
    {
        final Session session = sessions.byToken(slot.token, 0, slot.tokenLength);
        if (null == session || !Admission.roomMatches(slot, session.room()) || !Admission.sameUser(slot, session))
        {
            outbox.replyError(slot, MessageType.RESUME, null, ErrorCode.RESUME_FAILED);
            return;
        }
        final Room room = session.room();
        fanout.drain(room);
        final boolean wasAway = !session.live();
        if (session.live())
        {
            outbox.close(session.connectionId(), CLOSE_SESSION_REPLACED, REASON_SESSION_REPLACED);
            sessions.unbind(session.connectionId());
        }
        sessions.bind(slot.connectionId, session);
        admission.releaseConnectionLimiter(slot.connectionId);
        room.memberBound(session);
        session.dedupe().add(slot.msgIdHi, slot.msgIdLo);
        room.markChanged();

        resumption.answer(slot, session, wasAway, nowMs);
    }

    private void onPing(final InboundSlot slot, final Session session)
    {
        final Room room = null == session ? null : session.room();
        outbox.sendOnce(slot.connectionId, encoder.pong(
            null == room ? null : room.roomId(), null == room ? 0 : room.roomIdLength(), nowMs, slot.hasTs, slot.ts));
    }

    private void onLeave(final InboundSlot slot, final Session session)
    {
        outbox.accept(slot, session);
        outbox.close(session.connectionId(), CLOSE_NORMAL, "");
        endSession(session);
    }

    private void onSdp(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        final Session target = room.byUserId().get(slot.to, 0, slot.toLength);
        if (null == target || target == session)
        {
            outbox.replyError(slot, MessageType.get(slot.typeId), session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        outbox.accept(slot, session);
        final long dseq = target.nextDseq();
        outbox.storeDirected(target, encoder.relay(room, nowMs, slot, session, dseq), dseq);
    }

    private void onGameEvent(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        outbox.accept(slot, session);
        final long rseq = room.nextRseq();
        broadcast(room, encoder.gameEvent(room, nowMs, slot, session, rseq), rseq, session.serial(), session);
    }

    private void onConnectionClosed(final long connectionId)
    {
        admission.onConnectionClosed(connectionId);
        final Session session = sessions.unbind(connectionId);
        if (null == session)
        {
            return;
        }
        fanout.drain(session.room());
        sessions.addAway(session, nowMs);
        final Room room = session.room();
        room.markChanged();
        if (room.host() == session)
        {
            hostGone(room);
        }
    }

    private void onFlowControl(final long connectionId, final boolean normal, final long dropped)
    {
        final Session session = sessions.byConnection(connectionId);
        final Room room = null == session ? null : session.room();
        if (null != room)
        {
            fanout.drain(room);
        }
        outbox.sendOnce(connectionId, encoder.flowControl(room, nowMs, normal, dropped));
        if (normal && null != room)
        {
            outbox.sendOnce(connectionId, encoder.gameStateSnapshot(room, nowMs));
        }
    }

    private void hostGone(final Room room)
    {
        final Session guest = room.demoteGuest();
        if (null != guest)
        {
            outbox.webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_HOST_LEFT);
            outbox.sendRoleChanged(guest, Session.ROLE_VIEWER, MessageEncoder.REASON_HOST_LEFT);
        }
        room.flushQueue();
        cohost.sendNow(room);
        room.markHostless(nowMs);
    }

    private void endSession(final Session session)
    {
        final Room room = session.room();
        fanout.drain(room);
        if (session.live())
        {
            sessions.unbind(session.connectionId());
        }
        sessions.unregister(session);
        final boolean wasHost = room.host() == session;
        final boolean queueChanged = room.activeGuest() == session || session.queued();
        outbox.webhook(WebhookEvents.PARTICIPANT_LEFT, room, session, null);
        if (room.activeGuest() == session)
        {
            outbox.webhook(WebhookEvents.COHOST_CHANGED, room, session, WEBHOOK_LEFT);
        }
        ice.forget(session);
        room.removeMember(session);
        if (0 == room.memberCount())
        {
            outbox.webhook(WebhookEvents.ROOM_FINISHED, room, null, WEBHOOK_EMPTY);
            freeRoom(room);
        }
        else
        {
            room.markChanged();
            room.presenceLeft().add(session.userId(), 0, session.userIdLength());
            if (wasHost)
            {
                hostGone(room);
            }
            else if (queueChanged)
            {
                cohost.markDirty(room);
            }
        }
        sessions.free(session);
    }

    private void closeRoom(final Room room, final byte[] reason)
    {
        events.record(EventLog.ROOM_CLOSED, room.roomId(), room.roomIdLength(), null, 0, 0, -1, room.memberCount());
        fanout.drain(room);
        final long rseq = room.nextRseq();
        final Frame frame = encoder.roomClosed(room, nowMs, rseq, reason);
        for (int i = 0, n = room.memberCount(); i < n; i++)
        {
            final Session member = room.member(i);
            if (member.live())
            {
                outbox.send(member.connectionId(), frame);
                outbox.close(member.connectionId(), CLOSE_NORMAL, "");
                sessions.unbind(member.connectionId());
            }
        }
        frame.release();
        for (int i = room.memberCount() - 1; i >= 0; i--)
        {
            final Session member = room.member(i);
            sessions.unregister(member);
            outbox.webhook(WebhookEvents.PARTICIPANT_LEFT, room, member, null);
            ice.forget(member);
            room.removeMember(member);
            sessions.free(member);
        }
        outbox.webhook(WebhookEvents.ROOM_FINISHED, room, null, reason);
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
        final Room room = rooms.get(slot.roomId, 0, slot.roomIdLength);
        if (null == room)
        {
            call.complete(404, "{\"error\":\"room_not_found\"}");
            return;
        }
        fanout.drain(room);
        switch (slot.adminOp)
        {
            case AdminCall.DESCRIBE_ROOM:
                call.complete(200, RoomDescription.of(room));
                break;
            case AdminCall.CLOSE_ROOM:
                final int members = room.memberCount();
                closeRoom(room, Arrays.copyOf(slot.payload, slot.payloadLength));
                call.complete(200, "{\"closed\":true,\"members\":" + members + "}");
                break;
            case AdminCall.REMOVE_USER:
                final Session removed = room.byUserId().get(slot.userId, 0, slot.userIdLength);
                if (null == removed)
                {
                    call.complete(404, "{\"error\":\"user_not_found\"}");
                    break;
                }
                final boolean wasLive = removed.live();
                if (wasLive)
                {
                    outbox.close(removed.connectionId(), CLOSE_REMOVED, REASON_REMOVED);
                }
                endSession(removed);
                call.complete(200, "{\"removed\":true,\"wasLive\":" + wasLive + "}");
                break;
            case AdminCall.PUBLISH_EVENT:
                final long rseq = room.nextRseq();
                broadcast(room, encoder.serverGameEvent(room, nowMs, slot, rseq), rseq, 0, null);
                call.complete(200, "{\"rseq\":" + rseq + "}");
                break;
            case AdminCall.PUBLISH_STATE:
                gameStates.publishServerState(room, slot, call);
                break;
            default:
                call.complete(400, "{\"error\":\"unknown_operation\"}");
                break;
        }
    }

    private void sendQueueUpdate(final Room room)
    {
        final long rseq = room.nextRseq();
        broadcast(room, encoder.queueUpdated(room, nowMs, rseq), rseq, 0, null);
    }

    private void broadcast(
        final Room room, final Frame frame, final long rseq, final long senderSerial, final Session exclude)
    {
        room.markChanged();
        room.broadcasts().add(frame, rseq, outbox.nextStamp(), senderSerial);
        fanout.fanOut(room, frame, exclude);
        frame.release();
    }

    private void freeRoom(final Room room)
    {
        clusterHooks.onRoomClosed(room.roomId(), room.roomIdLength());
        fanout.discard(room);
        cohost.forget(room);
        rooms.release(room);
    }
}
