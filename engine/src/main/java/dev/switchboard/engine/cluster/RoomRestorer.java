package dev.switchboard.engine.cluster;

import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomRegistry;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.room.SessionTable;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * Multi-node snapshots of one shard's rooms for the {@link ClusterHooks}; with {@link ClusterHooks#NONE} none of
 * this runs.
 * <ul>
 * <li>Snapshots: when {@link ClusterHooks#snapshotIntervalMs()} (read once, at construction) is not negative, a
 * room that changed (join, leave, resume, away, role or queue change, accepted message, directed or broadcast
 * frame numbered, game state merged) is snapshotted on the next tick at least that long after its previous
 * snapshot, in the {@link RoomSnapshotCodec} format, from one reused buffer.</li>
 * <li>Handover: every open room is snapshotted at once with the handover flag, then
 * {@link ClusterHooks#onHandoverComplete} is called. The engine keeps serving the rooms; what it applies to them
 * afterwards is not in the snapshot, so the cluster layer stops routing them here first.</li>
 * <li>Restore: a snapshot of a room not open on the shard opens it with every session away (no socket) and its
 * resume window starting now; roles, active guest, queue order, dedupe windows, game state, the host reservation (the
 * authenticated user the host role is kept for) and each session's grant denials are the snapshot's,
 * and the host is not treated as gone (its guest and queue stay). The hostless clock keeps the snapshot's start
 * when the room was already hostless, else starts now, so a host that does not resume closes the room after
 * {@code hostlessRoomSeconds}. Replay windows are not carried. An invalid snapshot (codec rejection, no session, a
 * room id other than the slot's, a token or guest id already in use here, a queue over {@code maxQueue}) is
 * counted, logged and ignored, leaving nothing behind; a restore of a room already open is counted and ignored. A
 * restored room is snapshotted again on the next tick.</li>
 * <li>Sequence numbers are never given twice: the previous owner may have numbered frames after its last
 * snapshot, so a restored room's rseq and each restored session's dseq continue {@link #RESTORE_SEQUENCE_SKIP}
 * past the snapshot's values (the first resume of each session is answered by the engine's resumption).</li>
 * </ul>
 */
public final class RoomRestorer
{
    /**
     * How far a restored room's rseq and each restored session's dseq move past the snapshot's values, so that
     * numbers the previous owner used after its last snapshot are never given again.
     */
    public static final long RESTORE_SEQUENCE_SKIP = 1L << 20;

    private final ClusterHooks hooks;
    private final RoomRegistry rooms;
    private final SessionTable sessions;
    private final EngineCounters counters;
    private final EventLog events;
    private final int maxQueue;
    private final long snapshotIntervalMs;
    private final RoomSnapshotCodec codec = new RoomSnapshotCodec();
    private final RoomSnapshot scratch = new RoomSnapshot();
    private final ExpandableArrayBuffer buffer;

    /**
     * A restorer for one shard.
     *
     * @param hooks    the cluster layer, {@link ClusterHooks#NONE} on a single node.
     * @param rooms    the shard's rooms.
     * @param sessions the shard's sessions.
     * @param counters the shard's counters.
     * @param events   the shard's event log.
     * @param maxQueue the configured co-host queue limit.
     */
    public RoomRestorer(
        final ClusterHooks hooks,
        final RoomRegistry rooms,
        final SessionTable sessions,
        final EngineCounters counters,
        final EventLog events,
        final int maxQueue)
    {
        this.hooks = hooks;
        this.rooms = rooms;
        this.sessions = sessions;
        this.counters = counters;
        this.events = events;
        this.maxQueue = maxQueue;
        this.snapshotIntervalMs = hooks.snapshotIntervalMs();
        this.buffer = new ExpandableArrayBuffer(snapshotIntervalMs >= 0 ? 4096 : 64);
    }

    /**
     * Snapshot the room when it changed and its interval has passed (never on a single node).
     *
     * @param room  the room.
     * @param nowMs the engine's time.
     */
    public void onTick(final Room room, final long nowMs)
    {
        if (snapshotIntervalMs >= 0 && room.snapshotDirty() && nowMs - room.lastSnapshotMs() >= snapshotIntervalMs)
        {
            snapshot(room, 0, nowMs);
        }
    }

    /**
     * Snapshot every open room now with the handover flag, then report the handover complete; nothing on a single
     * node.
     *
     * @param nowMs the engine's time.
     */
    public void onHandover(final long nowMs)
    {
        if (ClusterHooks.NONE == hooks)
        {
            return;
        }
        final int count = rooms.count();
        for (int i = 0; i < count; i++)
        {
            snapshot(rooms.at(i), RoomSnapshotCodec.FLAG_HANDOVER, nowMs);
        }
        hooks.onHandoverComplete(count);
    }

    /**
     * Open the room of a {@code ROOM_RESTORE} slot from its snapshot, or count and log why not.
     *
     * @param slot  the slot with the snapshot as payload.
     * @param nowMs the engine's time.
     */
    public void onRoomRestore(final InboundSlot slot, final long nowMs)
    {
        final RoomSnapshot snapshot = scratch;
        if (!codec.decode(slot.payload, 0, slot.payloadLength, snapshot) || 0 == snapshot.memberCount ||
            !Arrays.equals(slot.roomId, 0, slot.roomIdLength, snapshot.roomId, 0, snapshot.roomIdLength))
        {
            reject(slot);
            return;
        }
        if (null != rooms.get(snapshot.roomId, 0, snapshot.roomIdLength))
        {
            counters.onRestoreIgnored();
            return;
        }
        final Room room = rooms.open(snapshot.roomId, snapshot.roomIdLength, nowMs);
        if (!restore(room, snapshot, slot.payload, nowMs))
        {
            abort(room);
            reject(slot);
            return;
        }
        counters.onRoomRestored();
        events.record(EventLog.ROOM_RESTORED, room.roomId(), room.roomIdLength(), null, 0, 0, -1, room.memberCount());
        hooks.onRoomOpened(room.roomId(), room.roomIdLength());
    }

    private void snapshot(final Room room, final int flags, final long nowMs)
    {
        final int length = codec.encode(room, nowMs, flags, buffer, 0);
        room.snapshotTaken(nowMs);
        counters.onSnapshot();
        hooks.onRoomSnapshot(room.roomId(), room.roomIdLength(), buffer.byteArray(), 0, length);
    }

    private void reject(final InboundSlot slot)
    {
        counters.onRestoreRejected();
        final int roomIdLength = Room.isValidId(slot.roomId, slot.roomIdLength) ? slot.roomIdLength : 0;
        events.record(EventLog.ROOM_RESTORE_REJECTED, slot.roomId, roomIdLength, null, 0, 0, -1, slot.payloadLength);
    }

    private boolean restore(final Room room, final RoomSnapshot snapshot, final byte[] src, final long nowMs)
    {
        final int queueCapacity = Math.min(maxQueue, room.queueCapacity());
        room.restoreSequence(snapshot.lastRseq, RESTORE_SEQUENCE_SKIP, snapshot.isHandover());
        room.gameState().restore(snapshot.gameStateVersion);
        for (int e = 0; e < snapshot.entryCount; e++)
        {
            room.gameState().restoreEntry(src, snapshot.entryKeyOffset[e], snapshot.entryKeyLength[e],
                snapshot.entryValueOffset[e], snapshot.entryValueLength[e]);
        }
        for (int i = 0; i < snapshot.memberCount; i++)
        {
            final RoomSnapshot.Member m = snapshot.members[i];
            if (null != sessions.byToken(m.token, 0, m.tokenLength) ||
                null != room.byUserId().get(m.userId, 0, m.userIdLength) ||
                (!m.authenticated && null != sessions.guest(m.userId, 0, m.userIdLength)) ||
                m.queuePosition > queueCapacity)
            {
                return false;
            }
            room.restoreMemberPlace(restoreMember(room, m, nowMs), m.queuePosition);
        }
        if (snapshot.reservedHostUserIdLength > 0)
        {
            room.reserveHost(snapshot.reservedHostUserId, snapshot.reservedHostUserIdLength);
        }
        room.restoreHostless(snapshot.hostlessSinceMs, nowMs);
        room.markChanged();
        return true;
    }

    private Session restoreMember(final Room room, final RoomSnapshot.Member m, final long nowMs)
    {
        final Session session = sessions.allocate();
        session.restoreIdentity(m.token, m.tokenLength, m.userId, m.userIdLength, m.authenticated, m.grantFlags);
        session.rateLimiter().reset(nowMs);
        session.restore(room, m.role, m.roleKnown, RoomSnapshotCodec.reasonBytes(m.roleReason), m.lastDseq, m.joinRseq,
            m.lastIceSeq, m.lastGameStateSeq, RESTORE_SEQUENCE_SKIP, nowMs);
        for (int d = 0; d < m.dedupeCount; d++)
        {
            session.dedupe().add(m.dedupeHi[d], m.dedupeLo[d]);
        }
        room.addMember(session);
        sessions.registerRestored(session);
        return session;
    }

    private void abort(final Room room)
    {
        room.flushQueue();
        for (int i = room.memberCount() - 1; i >= 0; i--)
        {
            final Session member = room.member(i);
            sessions.unregister(member);
            room.removeMember(member);
            sessions.free(member);
        }
        rooms.release(room);
    }
}
