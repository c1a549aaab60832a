package dev.switchboard.engine.room;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.IdIndex;
import dev.switchboard.engine.store.ReplayBytes;
import dev.switchboard.engine.store.ReplayWindow;

import java.util.Arrays;

/**
 * One room of a shard: its sessions (live and away), host, active guest, co-host queue, game state, broadcast
 * sequence and replay window, and coalescing state; owned by the engine thread and pooled once closed.
 */
public final class Room
{
    /** Longest room id in bytes. */
    public static final int MAX_ID_LENGTH = 64;

    final byte[] roomId = new byte[64];
    int roomIdLength;
    /** Sessions of the room, live and away, valid for {@link #memberCount}. */
    Session[] members = new Session[16];
    int memberCount;
    final IdIndex<Session> byUserId = new SessionIndexes.ByUserId(16);
    Session host;
    Session activeGuest;
    /** The co-host queue in order, valid for {@link #queueLength}. */
    final Session[] queue;
    int queueLength;
    long lastRseq;
    final ReplayWindow broadcasts;
    final GameState gameState = new GameState();
    final PendingPatch pendingPatch = new PendingPatch(gameState);
    long hostlessSinceMs = -1;
    final byte[] reservedHostUserId = new byte[64];
    int reservedHostUserIdLength;
    /** Whether a cohost_queue_updated is owed; owned by {@link CohostQueue}. */
    boolean queueDirty;
    /** Whether a cohost_queue_updated went out during the current tick; owned by {@link CohostQueue}. */
    boolean queueSentThisTick;
    /** Whether the room sits in the list of rooms owing a queue update; owned by {@link CohostQueue}. */
    boolean inQueueDirtyList;
    final IdList presenceJoined = new IdList();
    final IdList presenceLeft = new IdList();
    int viewerSizeSent;
    long viewerPresenceSentMs;
    /** Index in the shard's room list; owned by {@link RoomRegistry}. */
    int listIndex = -1;
    /** Broadcasts of this room still being handed out in slices; owned by {@link FanoutScheduler}. */
    int pendingFanouts;
    boolean snapshotDirty;
    long lastSnapshotMs = Long.MIN_VALUE / 2;
    long restoredRseq = -1;
    boolean restoredFromHandover;

    /**
     * Create a room with the given limits.
     *
     * @param maxQueue     co-host queue capacity.
     * @param replayWindow broadcast frames kept for replay.
     */
    public Room(final int maxQueue, final int replayWindow)
    {
        this(maxQueue, replayWindow, SwitchboardSettings.DEFAULT_ROOM_REPLAY_WINDOW_BYTES, new ReplayBytes());
    }

    /**
     * Create a room whose broadcast window is bounded in entries and bytes.
     *
     * @param maxQueue              co-host queue capacity.
     * @param replayWindow          broadcast frames kept for replay.
     * @param roomReplayWindowBytes wire bytes of broadcast frames kept for replay.
     * @param replayBytes           the engine's tally of bytes held by room windows.
     */
    public Room(final int maxQueue, final int replayWindow, final int roomReplayWindowBytes, final ReplayBytes replayBytes)
    {
        queue = new Session[Math.max(1, maxQueue)];
        broadcasts = new ReplayWindow(replayWindow, roomReplayWindowBytes, replayBytes);
    }

    /**
     * Whether these bytes are a valid room id: 1 to 64 characters of {@code [A-Za-z0-9_.-]}.
     *
     * @param id     bytes holding the id.
     * @param length its length.
     * @return true when valid.
     */
    public static boolean isValidId(final byte[] id, final int length)
    {
        if (length < 1 || length > MAX_ID_LENGTH)
        {
            return false;
        }
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

    /**
     * Add a session as a member.
     *
     * @param session the session.
     */
    public void addMember(final Session session)
    {
        if (memberCount == members.length)
        {
            members = Arrays.copyOf(members, memberCount * 2);
        }
        session.memberIndex = memberCount;
        members[memberCount++] = session;
        byUserId.put(session);
    }

    /**
     * Remove a member session (from the member list, the user index, the queue and the guest slot).
     *
     * @param session the session.
     */
    public void removeMember(final Session session)
    {
        final int index = session.memberIndex;
        final int last = memberCount - 1;
        if (index >= 0 && index <= last && members[index] == session)
        {
            members[index] = members[last];
            members[index].memberIndex = index;
            members[last] = null;
            memberCount = last;
        }
        session.memberIndex = -1;
        byUserId.remove(session);
        if (session.queued)
        {
            removeFromQueue(session);
        }
        if (activeGuest == session)
        {
            activeGuest = null;
        }
        if (host == session)
        {
            host = null;
        }
    }

    /**
     * Append a session to the co-host queue.
     *
     * @param session the session.
     */
    public void enqueue(final Session session)
    {
        queue[queueLength++] = session;
        session.queued = true;
    }

    /**
     * 1-based queue position of a session, 0 when not queued.
     *
     * @param session the session.
     * @return position.
     */
    public int queuePosition(final Session session)
    {
        for (int i = 0; i < queueLength; i++)
        {
            if (queue[i] == session)
            {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Find a queued session by user id.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @param length length.
     * @return the session or null.
     */
    public Session findQueued(final byte[] src, final int offset, final int length)
    {
        for (int i = 0; i < queueLength; i++)
        {
            if (queue[i].userIdEquals(src, offset, length))
            {
                return queue[i];
            }
        }
        return null;
    }

    /**
     * Remove a session from the queue, keeping the others' order.
     *
     * @param session the session.
     */
    public void removeFromQueue(final Session session)
    {
        final int position = queuePosition(session);
        if (position > 0)
        {
            System.arraycopy(queue, position, queue, position - 1, queueLength - position);
            queue[--queueLength] = null;
        }
        session.queued = false;
    }

    /**
     * Empty the queue.
     */
    public void flushQueue()
    {
        for (int i = 0; i < queueLength; i++)
        {
            if (null != queue[i])
            {
                queue[i].queued = false;
                queue[i] = null;
            }
        }
        queueLength = 0;
    }

    /**
     * Keep the host role for this authenticated user id until the room closes: after the host leaves, only the
     * same user may take the host role again.
     *
     * @param userId user id bytes.
     * @param length user id length.
     */
    public void reserveHost(final byte[] userId, final int length)
    {
        System.arraycopy(userId, 0, reservedHostUserId, 0, length);
        reservedHostUserIdLength = length;
    }

    /**
     * Whether a join as host by this user (length 0 for a guest) may take the host role now: the room has no
     * host session, live or away, and no host reservation held by another user.
     *
     * @param userId user id bytes of an authenticated user.
     * @param length user id length, 0 for a guest.
     * @return true when the role is free for this user.
     */
    public boolean hostRoleFreeFor(final byte[] userId, final int length)
    {
        return null == host && (0 == reservedHostUserIdLength ||
            Arrays.equals(reservedHostUserId, 0, reservedHostUserIdLength, userId, 0, length));
    }

    /**
     * Note a change a snapshot has not seen yet.
     */
    public void markChanged()
    {
        snapshotDirty = true;
    }

    /**
     * Note that a snapshot of the room as it is now was taken.
     *
     * @param nowMs now.
     */
    public void snapshotTaken(final long nowMs)
    {
        snapshotDirty = false;
        lastSnapshotMs = nowMs;
    }

    /**
     * Assign the next rseq.
     *
     * @return the new rseq.
     */
    public long nextRseq()
    {
        return ++lastRseq;
    }

    /**
     * Give the host role to a member that just joined as host; an authenticated host keeps the role reserved for
     * its user id until the room closes.
     *
     * @param session a member whose role is {@link Session#ROLE_HOST}.
     */
    public void admitHost(final Session session)
    {
        host = session;
        hostlessSinceMs = -1;
        if (session.authenticated)
        {
            reserveHost(session.userId, session.userIdLength);
        }
    }

    /**
     * A member's socket is bound again: when it is the host, the room is no longer hostless.
     *
     * @param session the member.
     */
    public void memberBound(final Session session)
    {
        if (host == session)
        {
            hostlessSinceMs = -1;
        }
    }

    /**
     * Note the room became hostless now, unless it already was.
     *
     * @param nowMs now.
     */
    public void markHostless(final long nowMs)
    {
        if (hostlessSinceMs < 0)
        {
            hostlessSinceMs = nowMs;
        }
    }

    /**
     * Take a queued viewer out of the queue and make it the active guest.
     *
     * @param guest a session waiting in the queue.
     */
    public void promoteGuest(final Session guest)
    {
        removeFromQueue(guest);
        guest.role = Session.ROLE_GUEST;
        activeGuest = guest;
    }

    /**
     * Make the active guest a viewer again.
     *
     * @return the former guest, or null when there was none.
     */
    public Session demoteGuest()
    {
        final Session guest = activeGuest;
        if (null != guest)
        {
            guest.role = Session.ROLE_VIEWER;
            activeGuest = null;
        }
        return guest;
    }

    /**
     * Note that viewers were given the room's size now.
     *
     * @param nowMs now.
     */
    public void presenceSent(final long nowMs)
    {
        viewerSizeSent = memberCount;
        viewerPresenceSentMs = nowMs;
    }

    /**
     * A client resuming a restored room saw broadcasts up to this rseq: numbering continues past it.
     *
     * @param seenRseq the client's lastRseq, capped.
     */
    public void broadcastsSeenUpTo(final long seenRseq)
    {
        if (seenRseq > lastRseq)
        {
            lastRseq = seenRseq;
        }
    }

    /**
     * Take a snapshot's broadcast numbering: numbering restarts {@code sequenceSkip} past its last rseq.
     *
     * @param snapshotRseq the snapshot's last rseq.
     * @param sequenceSkip how far past it numbering restarts.
     * @param fromHandover whether a handover took the snapshot.
     */
    public void restoreSequence(final long snapshotRseq, final long sequenceSkip, final boolean fromHandover)
    {
        restoredRseq = snapshotRseq;
        restoredFromHandover = fromHandover;
        lastRseq = snapshotRseq + sequenceSkip;
    }

    /**
     * Put a restored member back in its role slot (host or active guest) and its queue place.
     *
     * @param session       a member with its restored role.
     * @param queuePosition its 1-based queue position, 0 when not queued; at most the queue's capacity.
     */
    public void restoreMemberPlace(final Session session, final int queuePosition)
    {
        if (Session.ROLE_HOST == session.role)
        {
            host = session;
        }
        else if (Session.ROLE_GUEST == session.role)
        {
            activeGuest = session;
        }
        if (queuePosition > 0)
        {
            queue[queuePosition - 1] = session;
            session.queued = true;
            queueLength = Math.max(queueLength, queuePosition);
        }
    }

    /**
     * Take a snapshot's hostless time, never later than now; a room with a host in the snapshot counts as hostless
     * from now, its host being away.
     *
     * @param snapshotHostlessSinceMs the snapshot's value, -1 when it had a host.
     * @param nowMs                   now.
     */
    public void restoreHostless(final long snapshotHostlessSinceMs, final long nowMs)
    {
        hostlessSinceMs = snapshotHostlessSinceMs >= 0 ? Math.min(snapshotHostlessSinceMs, nowMs) : nowMs;
    }

    void assignId(final byte[] id, final int length)
    {
        System.arraycopy(id, 0, roomId, 0, length);
        roomIdLength = length;
    }

    /**
     * Room id bytes, valid for {@link #roomIdLength()}; read only.
     *
     * @return room id bytes, valid for {@link #roomIdLength()}.
     */
    public byte[] roomId()
    {
        return roomId;
    }

    /**
     * Length of {@link #roomId()}.
     *
     * @return length of {@link #roomId()}.
     */
    public int roomIdLength()
    {
        return roomIdLength;
    }

    /**
     * Number of sessions in the room, live and away.
     *
     * @return number of sessions in the room, live and away.
     */
    public int memberCount()
    {
        return memberCount;
    }

    /**
     * Sessions by user id; read only.
     *
     * @return sessions by user id.
     */
    public IdIndex<Session> byUserId()
    {
        return byUserId;
    }

    /**
     * The host session (live or away), or null.
     *
     * @return the host session (live or away), or null.
     */
    public Session host()
    {
        return host;
    }

    /**
     * The active guest session, or null.
     *
     * @return the active guest session, or null.
     */
    public Session activeGuest()
    {
        return activeGuest;
    }

    /**
     * Sessions waiting in the co-host queue.
     *
     * @return sessions waiting in the co-host queue.
     */
    public int queueLength()
    {
        return queueLength;
    }

    /**
     * Last rseq assigned.
     *
     * @return last rseq assigned.
     */
    public long lastRseq()
    {
        return lastRseq;
    }

    /**
     * The last broadcast frames, by rseq.
     *
     * @return the last broadcast frames, by rseq.
     */
    public ReplayWindow broadcasts()
    {
        return broadcasts;
    }

    /**
     * Merged game state.
     *
     * @return merged game state.
     */
    public GameState gameState()
    {
        return gameState;
    }

    /**
     * The game_state patches of the current tick, merged, sent on the next tick.
     *
     * @return the game_state patches of the current tick, merged, sent on the next tick.
     */
    public PendingPatch pendingPatch()
    {
        return pendingPatch;
    }

    /**
     * When the room became hostless (host socket closed, host left, or created by a viewer), -1 otherwise.
     *
     * @return when the room became hostless (host socket closed, host left, or created by a viewer), -1 otherwise.
     */
    public long hostlessSinceMs()
    {
        return hostlessSinceMs;
    }

    /**
     * User id of the authenticated host the host role is kept for; read only.
     *
     * @return user id of the authenticated host the host role is kept for.
     */
    public byte[] reservedHostUserId()
    {
        return reservedHostUserId;
    }

    /**
     * Length of {@link #reservedHostUserId()}, 0 when no host was authenticated.
     *
     * @return length of {@link #reservedHostUserId()}, 0 when no host was authenticated.
     */
    public int reservedHostUserIdLength()
    {
        return reservedHostUserIdLength;
    }

    /**
     * User ids that joined since the last presence flush.
     *
     * @return user ids that joined since the last presence flush.
     */
    public IdList presenceJoined()
    {
        return presenceJoined;
    }

    /**
     * User ids that left since the last presence flush.
     *
     * @return user ids that left since the last presence flush.
     */
    public IdList presenceLeft()
    {
        return presenceLeft;
    }

    /**
     * The room size last sent to viewers.
     *
     * @return the room size last sent to viewers.
     */
    public int viewerSizeSent()
    {
        return viewerSizeSent;
    }

    /**
     * When viewers last got presence, epoch ms.
     *
     * @return when viewers last got presence, epoch ms.
     */
    public long viewerPresenceSentMs()
    {
        return viewerPresenceSentMs;
    }

    /**
     * Multi-node: whether the room changed since its last snapshot.
     *
     * @return multi-node: whether the room changed since its last snapshot.
     */
    public boolean snapshotDirty()
    {
        return snapshotDirty;
    }

    /**
     * Multi-node: when the room was last snapshotted, epoch ms.
     *
     * @return multi-node: when the room was last snapshotted, epoch ms.
     */
    public long lastSnapshotMs()
    {
        return lastSnapshotMs;
    }

    /**
     * Multi-node: the snapshot's lastRseq when the room was restored from one, -1 otherwise.
     *
     * @return multi-node: the snapshot's lastRseq when the room was restored from one, -1 otherwise.
     */
    public long restoredRseq()
    {
        return restoredRseq;
    }

    /**
     * Multi-node: whether the snapshot the room was restored from was taken by a handover.
     *
     * @return multi-node: whether the snapshot the room was restored from was taken by a handover.
     */
    public boolean restoredFromHandover()
    {
        return restoredFromHandover;
    }

    /**
     * A member by position; positions change as members leave.
     *
     * @param index from 0 to {@link #memberCount()} - 1.
     * @return the session.
     */
    public Session member(final int index)
    {
        return members[index];
    }

    /**
     * A queued session by position.
     *
     * @param index from 0 to {@link #queueLength()} - 1, 0 being the head of the queue.
     * @return the session.
     */
    public Session queued(final int index)
    {
        return queue[index];
    }

    /**
     * How many sessions the co-host queue holds at most.
     *
     * @return capacity.
     */
    public int queueCapacity()
    {
        return queue.length;
    }

    /**
     * Forget all state, releasing held frames, ready for reuse.
     */
    public void reset()
    {
        reservedHostUserIdLength = 0;
        for (int i = 0; i < memberCount; i++)
        {
            members[i] = null;
        }
        memberCount = 0;
        roomIdLength = 0;
        host = null;
        activeGuest = null;
        flushQueue();
        lastRseq = 0;
        broadcasts.clear();
        gameState.reset();
        pendingPatch.clear();
        hostlessSinceMs = -1;
        queueDirty = false;
        queueSentThisTick = false;
        inQueueDirtyList = false;
        presenceJoined.clear();
        presenceLeft.clear();
        viewerSizeSent = 0;
        viewerPresenceSentMs = 0;
        listIndex = -1;
        pendingFanouts = 0;
        snapshotDirty = false;
        lastSnapshotMs = Long.MIN_VALUE / 2;
        restoredRseq = -1;
        restoredFromHandover = false;
    }
}
