package dev.switchboard.engine.cluster;

import java.util.Arrays;

/**
 * A decoded room snapshot in flat, reusable fields: what {@link RoomSnapshotCodec#decode} fills and the engine
 * restores a room from. Arrays grow only when a larger snapshot first arrives, so a holder is reused for every
 * restore. Game-state entries are not copied: their offsets point into the buffer that was decoded, which must
 * stay unchanged while the holder is read.
 */
public final class RoomSnapshot
{
    /** One session of the room as recorded in the snapshot. */
    public static final class Member
    {
        /** Session token bytes, valid for {@link #tokenLength}. */
        public final byte[] token = new byte[RoomSnapshotCodec.MAX_ID_LENGTH];
        /** Length of {@link #token}. */
        public int tokenLength;
        /** User id bytes, valid for {@link #userIdLength}. */
        public final byte[] userId = new byte[RoomSnapshotCodec.MAX_ID_LENGTH];
        /** Length of {@link #userId}. */
        public int userIdLength;
        /** Whether the user id came from the authenticator rather than being a generated guest id. */
        public boolean authenticated;
        /** Whether a socket was bound to the session when the snapshot was taken. */
        public boolean liveAtSnapshot;
        /** The session's role: one of the Session ROLE constants. */
        public int role;
        /** The role the client was last told (its role when it went away, or its role when it was live). */
        public int roleKnown;
        /** Why the role last changed: one of the codec's REASON codes. */
        public int roleReason;
        /** 1-based co-host queue position, 0 when not queued. */
        public int queuePosition;
        /** Last dseq the session was given. */
        public long lastDseq;
        /** The room's rseq when the session joined. */
        public long joinRseq;
        /** Last applied seq of the session's ice_candidate messages. */
        public long lastIceSeq;
        /** Last applied seq of the session's game_state messages. */
        public long lastGameStateSeq;
        /** Msgids in the session's dedupe window, valid for {@link #dedupeCount}, oldest first: high bits. */
        public long[] dedupeHi = new long[64];
        /** Msgids in the session's dedupe window, oldest first: low bits. */
        public long[] dedupeLo = new long[64];
        /** Number of msgids in the dedupe window. */
        public int dedupeCount;
        /** The grant denials of the token the session joined with ({@code Grants} flags), 0 when unrestricted. */
        public int grantFlags;

        void ensureDedupeCapacity(final int count)
        {
            if (dedupeHi.length < count)
            {
                dedupeHi = new long[count];
                dedupeLo = new long[count];
            }
        }
    }

    /** Room id bytes, valid for {@link #roomIdLength}. */
    public final byte[] roomId = new byte[RoomSnapshotCodec.MAX_ID_LENGTH];
    /** Length of {@link #roomId}. */
    public int roomIdLength;
    /** The authenticated user the host role is kept for, valid for {@link #reservedHostUserIdLength}. */
    public final byte[] reservedHostUserId = new byte[RoomSnapshotCodec.MAX_ID_LENGTH];
    /** Length of {@link #reservedHostUserId}, 0 when no host reservation. */
    public int reservedHostUserIdLength;
    /** Snapshot flags, {@link RoomSnapshotCodec#FLAG_HANDOVER} when taken by a handover. */
    public int flags;
    /** When the snapshot was taken, epoch ms of the owner's clock. */
    public long takenAtMs;
    /** The room's last rseq when the snapshot was taken. */
    public long lastRseq;
    /** When the room became hostless, epoch ms, or -1 while it had a live host. */
    public long hostlessSinceMs;
    /** Version of the room's game state. */
    public long gameStateVersion;
    /** Number of game-state entries. */
    public int entryCount;
    /** Per entry: offset in the decoded buffer of the key's escaped bytes. */
    public int[] entryKeyOffset = new int[16];
    /** Per entry: length of the key. */
    public int[] entryKeyLength = new int[16];
    /** Per entry: offset in the decoded buffer of the value's JSON bytes. */
    public int[] entryValueOffset = new int[16];
    /** Per entry: length of the value. */
    public int[] entryValueLength = new int[16];
    /** Sessions of the room, valid for {@link #memberCount}. */
    public Member[] members = new Member[16];
    /** Number of sessions. */
    public int memberCount;

    /**
     * Whether the snapshot was taken by a handover (the owner stopped serving the room right after).
     *
     * @return true for a handover snapshot.
     */
    public boolean isHandover()
    {
        return 0 != (flags & RoomSnapshotCodec.FLAG_HANDOVER);
    }

    /**
     * Forget the content, keeping buffers.
     */
    public void clear()
    {
        roomIdLength = 0;
        reservedHostUserIdLength = 0;
        flags = 0;
        takenAtMs = 0;
        lastRseq = 0;
        hostlessSinceMs = -1;
        gameStateVersion = 0;
        entryCount = 0;
        memberCount = 0;
    }

    void ensureEntryCapacity(final int count)
    {
        if (entryKeyOffset.length < count)
        {
            entryKeyOffset = new int[count];
            entryKeyLength = new int[count];
            entryValueOffset = new int[count];
            entryValueLength = new int[count];
        }
    }

    Member member(final int index)
    {
        if (index >= members.length)
        {
            members = Arrays.copyOf(members, Math.max(index + 1, members.length * 2));
        }
        Member member = members[index];
        if (null == member)
        {
            member = new Member();
            members[index] = member;
        }
        return member;
    }
}
