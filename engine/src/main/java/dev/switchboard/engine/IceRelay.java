package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.flow.IceBatchHandler;
import dev.switchboard.engine.flow.IceCoalescer;
import dev.switchboard.engine.flow.UfragGenerations;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.room.SessionTable;

/**
 * ICE candidates between two members. A candidate addressed to the sender itself or to no member is
 * {@code peer_not_found}; an old seq, or a {@code usernameFragment} of an older generation than the newest the
 * sender used towards that target, is dropped as stale; a target that is away at collection or at flush time drops
 * it with reason {@code peer_away} (candidates are not replayed). The rest are coalesced per (sender, target) and
 * sent on the next flush as one {@code ice_candidate {candidates:[...]}} frame with the msgId and seq of its last
 * candidate. The engine flushes before applying any other message of a sender with candidates pending.
 */
final class IceRelay
{
    private final SessionTable sessions;
    private final MessageEncoder encoder;
    private final Outbox outbox;
    private final EngineCounters counters;
    private final IceCoalescer iceCoalescer = new IceCoalescer();
    private final IceBatchHandler iceBatchHandler = this::onIceBatch;
    private boolean icePending;
    private long nowMs;

    IceRelay(
        final SessionTable sessions, final MessageEncoder encoder, final Outbox outbox, final EngineCounters counters)
    {
        this.sessions = sessions;
        this.encoder = encoder;
        this.outbox = outbox;
        this.counters = counters;
    }

    /** Check a member's candidate and collect it for the next flush, or answer or drop it. */
    void onCandidate(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        final Session target = room.byUserId().get(slot.to, 0, slot.toLength);
        if (null == target || target == session)
        {
            outbox.replyError(slot, MessageType.ICE_CANDIDATE, session, ErrorCode.PEER_NOT_FOUND);
            return;
        }
        if (!session.advanceIceSeq(slot.seq))
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
            return;
        }
        if (UfragGenerations.STALE == session.ufrags().onCandidate(target.serial(), slot.ufrag, 0, slot.ufragLength))
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
            return;
        }
        deliver(slot, session, target);
    }

    private void deliver(final InboundSlot slot, final Session sender, final Session target)
    {
        if (!target.live())
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.PEER_AWAY);
            return;
        }
        iceCoalescer.add(sender.serial(), target.serial(), slot.payload, 0, slot.payloadLength,
            slot.msgIdHi, slot.msgIdLo, slot.seq);
        sender.icePending(true);
        icePending = true;
    }

    /** Send every coalesced batch now. */
    void flush(final long nowMs)
    {
        this.nowMs = nowMs;
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
        final Session sender = sessions.bySerial(senderKey);
        final Session target = sessions.bySerial(targetKey);
        if (null == sender || null == target)
        {
            return;
        }
        sender.icePending(false);
        if (!target.live())
        {
            counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.PEER_AWAY);
            return;
        }
        outbox.sendOnce(target.connectionId(), encoder.iceBatch(
            sender.room(), nowMs, msgIdHi, msgIdLo, seq, sender, arrayJson, offset, length));
    }

    /** Forget a session that ends: its pending candidates and every member's ufrag record of it. */
    void forget(final Session session)
    {
        final long serial = session.serial();
        if (icePending)
        {
            iceCoalescer.discard(serial);
        }
        for (int i = 0, n = session.room().memberCount(); i < n; i++)
        {
            session.room().member(i).ufrags().forgetTarget(serial);
        }
    }
}
