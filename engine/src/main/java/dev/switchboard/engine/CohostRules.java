package dev.switchboard.engine;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.CohostQueue;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.webhook.WebhookEvents;

/**
 * The co-host messages of room members: who may request, cancel, accept and end, and the role changes they make;
 * {@code cohost_cancel} from a sender that is not queued is {@code forbidden}. Every queue change marks the room for
 * a {@code queue_updated} ({@link CohostQueue}).
 */
final class CohostRules
{
    private final int maxQueue;
    private final CohostQueue queue;
    private final Outbox outbox;

    CohostRules(final int maxQueue, final CohostQueue queue, final Outbox outbox)
    {
        this.maxQueue = maxQueue;
        this.queue = queue;
        this.outbox = outbox;
    }

    /** A viewer asks to co-host: queued unless denied, already queued or the queue is full. */
    void onRequest(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        if (Session.ROLE_VIEWER != session.role() || 0 != (session.grantFlags() & Grants.DENY_COHOST))
        {
            outbox.replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.FORBIDDEN);
        }
        else if (session.queued())
        {
            outbox.replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.ALREADY_QUEUED);
        }
        else if (!CohostQueue.hasSpace(room, maxQueue))
        {
            outbox.replyError(slot, MessageType.COHOST_REQUEST, session, ErrorCode.QUEUE_FULL);
        }
        else
        {
            room.enqueue(session);
            outbox.accept(slot, session);
            queue.markDirty(room);
        }
    }

    /** A queued viewer leaves the queue. */
    void onCancel(final InboundSlot slot, final Session session)
    {
        if (!session.queued())
        {
            outbox.replyError(slot, MessageType.COHOST_CANCEL, session, ErrorCode.FORBIDDEN);
            return;
        }
        session.room().removeFromQueue(session);
        outbox.accept(slot, session);
        queue.markDirty(session.room());
    }

    /** The host promotes a queued viewer (the named one, else the first) to guest when no guest is active. */
    void onAccept(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        if (room.host() != session)
        {
            outbox.replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.FORBIDDEN);
            return;
        }
        if (null != room.activeGuest())
        {
            outbox.replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.GUEST_ACTIVE);
            return;
        }
        final Session guest = slot.userIdLength > 0 ?
            room.findQueued(slot.userId, 0, slot.userIdLength) : (room.queueLength() > 0 ? room.queued(0) : null);
        if (null == guest)
        {
            outbox.replyError(slot, MessageType.COHOST_ACCEPT, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        room.promoteGuest(guest);
        outbox.webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_ACCEPTED);
        outbox.accept(slot, session);
        outbox.sendRoleChanged(guest, Session.ROLE_GUEST, MessageEncoder.REASON_ACCEPTED);
        queue.markDirty(room);
    }

    /** The host or the guest ends the co-host session: the guest goes back to viewer. */
    void onEnd(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        if (room.host() != session && room.activeGuest() != session)
        {
            outbox.replyError(slot, MessageType.COHOST_END, session, ErrorCode.FORBIDDEN);
            return;
        }
        final Session guest = room.demoteGuest();
        if (null == guest)
        {
            outbox.replyError(slot, MessageType.COHOST_END, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        outbox.webhook(WebhookEvents.COHOST_CHANGED, room, guest, MessageEncoder.REASON_ENDED);
        outbox.accept(slot, session);
        outbox.sendRoleChanged(guest, Session.ROLE_VIEWER, MessageEncoder.REASON_ENDED);
        queue.markDirty(room);
    }
}
