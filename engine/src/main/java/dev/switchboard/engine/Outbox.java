package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.FrameSink;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.store.ReplayWindow;
import dev.switchboard.engine.webhook.WebhookEvents;

/**
 * What the engine sends to one connection: acks, errors and directed frames (numbered with the session's dseq and
 * kept in its replay window), unnumbered replies, and the event-log line of an accepted message. Counts every frame
 * out; stamps every kept frame so a resume replays directed and broadcast frames in their original order.
 */
final class Outbox implements FrameSink
{
    private final OutboundPublisher publisher;
    private final MessageEncoder encoder;
    private final EngineCounters counters;
    private final EventLog events;
    private WebhookEvents webhooks = WebhookEvents.NONE;
    private long lastEmitStamp;
    private long nowMs;

    Outbox(
        final OutboundPublisher publisher,
        final MessageEncoder encoder,
        final EngineCounters counters,
        final EventLog events)
    {
        this.publisher = publisher;
        this.encoder = encoder;
        this.counters = counters;
        this.events = events;
    }

    /** Set the engine's time for what follows. */
    void now(final long nowMs)
    {
        this.nowMs = nowMs;
    }

    /** The engine's time of the event being applied. */
    long nowMs()
    {
        return nowMs;
    }

    /** The next emit stamp, shared by directed and broadcast replay windows. */
    long nextStamp()
    {
        return ++lastEmitStamp;
    }

    /** {@inheritDoc} */
    @Override
    public void send(final long connectionId, final Frame frame)
    {
        publisher.send(connectionId, frame);
        counters.onMessageOut();
    }

    /** Send and release the caller's reference. */
    void sendOnce(final long connectionId, final Frame frame)
    {
        send(connectionId, frame);
        frame.release();
    }

    /** Send to the session when it has a socket, and release the caller's reference. */
    void sendIfLive(final Session session, final Frame frame)
    {
        if (session.live())
        {
            send(session.connectionId(), frame);
        }
        frame.release();
    }

    /** Let the publisher flush what the batch queued. */
    void endOfBatch()
    {
        publisher.endOfBatch();
    }

    /** Close a connection with a code and reason. */
    void close(final long connectionId, final int code, final String reason)
    {
        publisher.close(connectionId, code, reason);
    }

    /** Keep a directed frame in the session's replay window and send it when the session is live. */
    void storeDirected(final Session session, final Frame frame, final long dseq)
    {
        session.room().markChanged();
        session.directed().add(frame, dseq, nextStamp(), 0);
        sendIfLive(session, frame);
    }

    /** Keep an error (as its fields, re-encoded on replay) in the session's window and send it when live. */
    void storeError(
        final Session session,
        final int kind,
        final Frame frame,
        final ErrorCode code,
        final boolean hasFor,
        final long forHi,
        final long forLo,
        final long dseq)
    {
        session.room().markChanged();
        session.directed().addError(kind, code, hasFor, dseq, nextStamp(), nowMs, forHi, forLo, frame.length());
        sendIfLive(session, frame);
    }

    /** Accept a critical message: enter it in the dedupe window, ack it with a dseq, log it. */
    void accept(final InboundSlot slot, final Session session)
    {
        session.dedupe().add(slot.msgIdHi, slot.msgIdLo);
        session.room().markChanged();
        final long dseq = session.nextDseq();
        final Frame ack = encoder.ack(session.room(), nowMs, slot.msgIdHi, slot.msgIdLo, dseq);
        session.directed().addAck(dseq, nextStamp(), nowMs, slot.msgIdHi, slot.msgIdLo, ack.length());
        sendIfLive(session, ack);
        final int event = eventFor(slot.typeId);
        if (0 != event)
        {
            logEvent(event, slot, session, 0);
        }
    }

    /** Answer a message with an error, {@code for} its msgId when it has one. */
    void replyError(final InboundSlot slot, final MessageType type, final Session session, final ErrorCode code)
    {
        sendError(slot, type, session, code, slot.hasMsgId);
    }

    /** Answer a message with an error: numbered and kept when it answers a member's critical message. */
    void sendError(
        final InboundSlot slot,
        final MessageType type,
        final Session session,
        final ErrorCode code,
        final boolean hasFor)
    {
        counters.onError(code);
        if (null == session)
        {
            final int roomIdLength = Admission.isValidRoomId(slot) ? slot.roomIdLength : 0;
            sendOnce(slot.connectionId, encoder.error(
                slot.roomId, roomIdLength, nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, 0));
            return;
        }
        final Room room = session.room();
        if (type.isCritical() && type.isFromClient())
        {
            final long dseq = session.nextDseq();
            final Frame frame = encoder.error(
                room.roomId(), room.roomIdLength(), nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, dseq);
            storeError(session, ReplayWindow.KIND_ERROR, frame, code, hasFor, slot.msgIdHi, slot.msgIdLo, dseq);
        }
        else
        {
            sendOnce(slot.connectionId, encoder.error(
                room.roomId(), room.roomIdLength(), nowMs, code, hasFor, slot.msgIdHi, slot.msgIdLo, 0));
        }
    }

    /** Tell a session its role changed, numbered and kept. */
    void sendRoleChanged(final Session session, final int role, final byte[] reason)
    {
        session.roleChangedFor(reason);
        final long dseq = session.nextDseq();
        storeDirected(session, encoder.roleChanged(session.room(), nowMs, role, reason, dseq), dseq);
    }

    /** Send room and participant events to this webhook outbox from now on. */
    void webhooks(final WebhookEvents webhooks)
    {
        this.webhooks = webhooks;
    }

    /** Record a webhook event about the room and, when not null, one of its sessions. */
    void webhook(final byte kind, final Room room, final Session session, final byte[] detail)
    {
        webhooks.record(kind, nowMs, room.roomId(), room.roomIdLength(),
            null == session ? null : session.userId(), null == session ? 0 : session.userIdLength(), detail);
    }

    /** Record one event-log line about a message of this slot. */
    void logEvent(final int event, final InboundSlot slot, final Session session, final long detail)
    {
        final Room room = null == session ? null : session.room();
        events.record(event,
            null != room ? room.roomId() : slot.roomId, null != room ? room.roomIdLength() : slot.roomIdLength,
            null != session ? session.userId() : null, null != session ? session.userIdLength() : 0,
            slot.typeId, slot.publishNs > 0 ? System.nanoTime() - slot.publishNs : -1, detail);
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
}
