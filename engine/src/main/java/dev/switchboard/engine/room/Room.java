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

    /** Room id bytes, valid for {@link #roomIdLength}. */
    public final byte[] roomId = new byte[64];
    /** Length of {@link #roomId}. */
    public int roomIdLength;
    /** Sessions of the room, live and away, valid for {@link #memberCount}. */
    public Session[] members = new Session[16];
    /** Number of sessions in the room. */
    public int memberCount;
    /** Sessions by user id. */
    public final IdIndex<Session> byUserId = new SessionIndexes.ByUserId(16);
    /** The host session (live or away), or null. */
    public Session host;
    /** The active guest session, or null. */
    public Session activeGuest;
    /** The co-host queue in order, valid for {@link #queueLength}. */
    public final Session[] queue;
    /** Sessions waiting in the queue. */
    public int queueLength;
    /** Last rseq assigned. */
    public long lastRseq;
    /** The last broadcast frames, by rseq. */
    public final ReplayWindow broadcasts;
    /** Merged game state. */
    public final GameState gameState = new GameState();
    /** The game_state patches of the current tick, merged, sent on the next tick. */
    public final PendingPatch pendingPatch = new PendingPatch(gameState);
    /** When the room became hostless (host socket closed, host left, or created by a viewer), -1 otherwise. */
    public long hostlessSinceMs = -1;
    /** User id of the authenticated host the host role is kept for until the room closes. */
    public final byte[] reservedHostUserId = new byte[64];
    /** Length of {@link #reservedHostUserId}, 0 when no host was authenticated. */
    public int reservedHostUserIdLength;
    /** Whether a cohost_queue_updated is owed; owned by {@link CohostQueue}. */
    boolean queueDirty;
    /** Whether a cohost_queue_updated went out during the current tick; owned by {@link CohostQueue}. */
    boolean queueSentThisTick;
    /** Whether the room sits in the list of rooms owing a queue update; owned by {@link CohostQueue}. */
    boolean inQueueDirtyList;
    /** User ids that joined since the last presence flush. */
    public final IdList presenceJoined = new IdList();
    /** User ids that left since the last presence flush. */
    public final IdList presenceLeft = new IdList();
    /** The room size last sent to viewers. */
    public int viewerSizeSent;
    /** When viewers last got presence, epoch ms. */
    public long viewerPresenceSentMs;
    /** Index in the shard's room list; owned by {@link RoomRegistry}. */
    int listIndex = -1;
    /** Broadcasts of this room still being handed out in slices; owned by {@link FanoutScheduler}. */
    int pendingFanouts;
    /** Multi-node: whether the room changed since its last snapshot. */
    public boolean snapshotDirty;
    /** Multi-node: when the room was last snapshotted, epoch ms. */
    public long lastSnapshotMs = Long.MIN_VALUE / 2;
    /** Multi-node: the snapshot's lastRseq when the room was restored from one, -1 otherwise. */
    public long restoredRseq = -1;
    /** Multi-node: whether the snapshot the room was restored from was taken by a handover. */
    public boolean restoredFromHandover;

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
            queue[i].queued = false;
            queue[i] = null;
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
