package dev.switchboard.engine;

import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.store.ReplayWindow;

import static dev.switchboard.engine.Engine.MAX_CLIENT_SEQUENCE;
import static dev.switchboard.engine.Engine.RESTORE_SEQUENCE_SKIP;

/**
 * The answer to a successful {@code resume}: {@code resume_ok} or {@code resume_migrated} with the replay count and
 * gap flag, then every directed and broadcast frame after the client's last seqs in their original order, then a
 * game state snapshot.
 * <p>
 * First resume of a session restored from a multi-node snapshot: the counters move past the client's lastDseq and
 * lastRseq when those are ahead (up to {@link Engine#MAX_CLIENT_SEQUENCE}); a session that nothing was numbered for
 * since the restore continues its dseq right after the larger of the snapshot's and the client's value, so a client
 * that missed nothing sees no jump in dseq (rseq may jump by {@link Engine#RESTORE_SEQUENCE_SKIP}). The answer is
 * {@code resume_migrated} when the role differs from the role the client was last told (recorded in the snapshot).
 * {@code gap} is true unless the snapshot came from a handover and the client's lastDseq and lastRseq (or its
 * joinRseq) equal the snapshot's: after a failover anything sent after the last snapshot is lost, and the replay
 * windows are not carried. Later resumes are ordinary.
 */
final class Resumption
{
    private final MessageEncoder encoder;
    private final Outbox outbox;

    Resumption(final MessageEncoder encoder, final Outbox outbox)
    {
        this.encoder = encoder;
        this.outbox = outbox;
    }

    /** Answer the resume of the session (now bound to the slot's connection) and replay what it missed. */
    void answer(final InboundSlot slot, final Session session, final boolean wasAway, final long nowMs)
    {
        final Room room = session.room();
        long fromDseq = slot.lastDseq;
        long fromRseq = Math.max(slot.lastRseq, session.joinRseq());
        boolean lost = false;
        if (session.restored())
        {
            lost = !room.restoredFromHandover() || fromDseq != session.restoredDseq() || fromRseq != room.restoredRseq();
            fromDseq = resumeRestoredDseq(session, fromDseq);
            fromRseq = resumeRestoredRseq(session, room, fromRseq);
        }
        final ReplayWindow directed = session.directed();
        final ReplayWindow broadcasts = room.broadcasts();
        final int directedStart = directed.firstAfter(fromDseq);
        final int broadcastStart = broadcasts.firstAfter(fromRseq);
        final long serial = session.serial();
        int replayed = directed.size() - directedStart;
        for (int i = broadcastStart; i < broadcasts.size(); i++)
        {
            if (broadcasts.sender(i) != serial)
            {
                replayed++;
            }
        }
        final boolean gap = lost || directed.evictedSeq() > fromDseq || broadcasts.evictedSeq() > fromRseq;
        final byte[] reason = !wasAway || session.role() == session.roleAtAway() ? null :
            null == session.lastRoleReason() ? MessageEncoder.REASON_ENDED : session.lastRoleReason();
        outbox.sendOnce(slot.connectionId, encoder.resumeAnswer(
            room, nowMs, slot.msgIdHi, slot.msgIdLo, session, reason, room.queuePosition(session), replayed, gap));
        outbox.logEvent(EventLog.RESUME, slot, session, replayed);

        int d = directedStart;
        int b = broadcastStart;
        final int directedEnd = directed.size();
        final int broadcastEnd = broadcasts.size();
        while (d < directedEnd || b < broadcastEnd)
        {
            if (b >= broadcastEnd || (d < directedEnd && directed.stamp(d) - broadcasts.stamp(b) < 0))
            {
                outbox.sendOnce(slot.connectionId, encoder.replayed(room, directed, d++));
            }
            else
            {
                if (broadcasts.sender(b) != serial)
                {
                    outbox.sendOnce(slot.connectionId, encoder.replayed(room, broadcasts, b));
                }
                b++;
            }
        }
        outbox.sendOnce(slot.connectionId, encoder.gameStateSnapshot(room, nowMs));
    }

    private static long resumeRestoredDseq(final Session session, final long clientDseq)
    {
        return session.resumeRestoredDseq(Math.min(clientDseq, MAX_CLIENT_SEQUENCE), RESTORE_SEQUENCE_SKIP);
    }

    private static long resumeRestoredRseq(final Session session, final Room room, final long clientRseq)
    {
        final long seen = Math.min(clientRseq, MAX_CLIENT_SEQUENCE);
        room.broadcastsSeenUpTo(seen);
        final long restartRseq = room.restoredRseq() + RESTORE_SEQUENCE_SKIP;
        session.replayBroadcastsFrom(restartRseq);
        return seen >= room.restoredRseq() ? Math.max(seen, restartRseq) : seen;
    }
}
