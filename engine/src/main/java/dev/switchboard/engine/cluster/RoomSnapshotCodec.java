package dev.switchboard.engine.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.room.GameState;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.store.DedupeWindow;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The versioned binary form of a room's durable state, used to carry a room to another node (failover and
 * handover). All numbers are little-endian; lengths are checked on decode, which never throws on bad input.
 * <p>
 * Format version 2 (version 1, written by earlier servers, is still read: it is version 2 without the host
 * reservation and the grant flags, which then restore as none):
 * <pre>
 * header   int32 magic 0x53425253 ("SBRS" read as little-endian bytes 'S','R','B','S'), uint16 format version (2),
 *          uint16 flags (bit 0: taken by a handover), int32 total length of the snapshot in bytes,
 *          int64 takenAtMs, int64 lastRseq, int64 hostlessSinceMs (-1 while a host is live),
 *          int64 gameStateVersion, uint8 roomIdLength (1..64), roomId bytes ({@code [A-Za-z0-9_.-]}),
 *          uint8 reservedHostLength (0..64, 0: no reservation), reserved host user id bytes
 *          ({@code [A-Za-z0-9_.:@-]}: the authenticated user the host role is kept for)
 * state    int32 entryCount, then per entry: int32 keyLength, key bytes (escaped, no quotes),
 *          int32 valueLength, value JSON bytes
 * sessions int32 sessionCount, then per session: uint8 tokenLength (exactly 24), token bytes
 *          ({@code [A-Za-z0-9_-]}), uint8 userIdLength (1..64), userId bytes ({@code [A-Za-z0-9_.:@-]}),
 *          uint8 flags (bit 0 authenticated, bit 1 live at snapshot),
 *          uint8 role (1 host, 2 viewer, 3 guest), uint8 roleKnown (the role the client was last told),
 *          uint8 roleReason (0 none, 1 accepted, 2 ended, 3 host_left), int32 queuePosition (1-based, 0 none),
 *          int64 lastDseq, int64 joinRseq, int64 lastIceSeq, int64 lastGameStateSeq,
 *          int32 dedupeCount, then dedupeCount x (int64 msgId high bits, int64 msgId low bits), oldest first,
 *          uint8 grantFlags (the denials of the token the session joined with, {@code Grants} flags, 0..15)
 * </pre>
 * The session list is in the room's member order. Decode rejects: a wrong magic or version, a total length that
 * is not the given length, any length out of range or past the end, an id or token outside its alphabet, trailing
 * bytes, a negative sequence or one
 * over {@link #MAX_SEQUENCE}, a grant flag {@code Grants} does not define, a joinRseq over the room's lastRseq, a
 * role or reason out of range, more than one host or guest, queue positions that are not exactly 1..n on viewers. Duplicate tokens or user ids are
 * left to the engine, which checks them against its indexes when it restores the room.
 * <p>
 * Replay windows (the frames themselves) are not carried: a restored room starts with empty windows, and the
 * engine reports {@code gap:true} to clients that may have missed anything.
 */
public final class RoomSnapshotCodec
{
    /** First four bytes of every snapshot, read as a little-endian int32. */
    public static final int MAGIC = 0x5342_5253;
    /** The format version this codec writes and reads. */
    public static final int FORMAT_VERSION = 2;
    /** The earlier format version this codec still reads: no host reservation, no grant flags. */
    public static final int FORMAT_VERSION_1 = 1;
    /** Every grant flag a session may carry (the {@code Grants} denials). */
    public static final int GRANT_FLAGS_MASK = Grants.ROOMS_LIMITED | Grants.DENY_HOST | Grants.DENY_VIEWER |
        Grants.DENY_COHOST;
    /** Flag: the snapshot was taken by a handover. */
    public static final int FLAG_HANDOVER = 1;
    /** Largest room id, user id or token carried, in bytes. */
    public static final int MAX_ID_LENGTH = 64;
    /** Role reason code: no role change recorded. */
    public static final int REASON_NONE = 0;
    /** Role reason code: {@code accepted}. */
    public static final int REASON_ACCEPTED = 1;
    /** Role reason code: {@code ended}. */
    public static final int REASON_ENDED = 2;
    /** Role reason code: {@code host_left}. */
    public static final int REASON_HOST_LEFT = 3;
    /** Largest rseq or dseq a snapshot may carry (2^53): restoring adds to them without overflow. */
    public static final long MAX_SEQUENCE = 1L << 53;
    /** Bytes before the room id: magic, version, flags, length and four int64 fields. */
    public static final int HEADER_LENGTH = 4 + 2 + 2 + 4 + 8 + 8 + 8 + 8;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final byte[] ROOM_ID_PUNCTUATION = {'_', '.', '-'};
    private static final byte[] USER_ID_PUNCTUATION = {'_', '.', ':', '@', '-'};
    private static final byte[] TOKEN_PUNCTUATION = {'_', '-'};
    private static final int LENGTH_OFFSET = 8;
    private static final int SESSION_FIXED_LENGTH = 1 + 1 + 1 + 1 + 1 + 1 + 4 + 8 * 4 + 4;
    private static final int FLAG_AUTHENTICATED = 1;
    private static final int FLAG_LIVE = 2;

    private final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[0]);
    private boolean[] positionSeen = new boolean[64];
    private int cursor;
    private int end;
    private int version;

    /**
     * Write a snapshot of the room at {@code offset} in the buffer, which grows as needed.
     *
     * @param room      the room.
     * @param takenAtMs the owner's clock now, epoch ms.
     * @param flags     {@link #FLAG_HANDOVER} or 0.
     * @param buffer    destination, expanded when too small.
     * @param offset    where the snapshot starts.
     * @return the snapshot's length in bytes.
     */
    public int encode(
        final Room room, final long takenAtMs, final int flags, final ExpandableArrayBuffer buffer, final int offset)
    {
        final MutableDirectBuffer b = buffer;
        b.putInt(offset, MAGIC, ORDER);
        b.putShort(offset + 4, (short)FORMAT_VERSION, ORDER);
        b.putShort(offset + 6, (short)flags, ORDER);
        b.putLong(offset + 12, takenAtMs, ORDER);
        b.putLong(offset + 20, room.lastRseq(), ORDER);
        b.putLong(offset + 28, room.hostlessSinceMs(), ORDER);
        final GameState state = room.gameState();
        b.putLong(offset + 36, state.version(), ORDER);
        int i = offset + HEADER_LENGTH;
        b.putByte(i++, (byte)room.roomIdLength());
        b.putBytes(i, room.roomId(), 0, room.roomIdLength());
        i += room.roomIdLength();
        b.putByte(i++, (byte)room.reservedHostUserIdLength());
        b.putBytes(i, room.reservedHostUserId(), 0, room.reservedHostUserIdLength());
        i += room.reservedHostUserIdLength();

        final int entries = state.size();
        b.putInt(i, entries, ORDER);
        i += 4;
        for (int e = 0; e < entries; e++)
        {
            final int keyLength = state.keyLength(e);
            b.putInt(i, keyLength, ORDER);
            b.putBytes(i + 4, state.keyBytes(e), 0, keyLength);
            i += 4 + keyLength;
            final int valueLength = state.valueLength(e);
            b.putInt(i, valueLength, ORDER);
            b.putBytes(i + 4, state.valueBytes(e), 0, valueLength);
            i += 4 + valueLength;
        }

        final int members = room.memberCount();
        b.putInt(i, members, ORDER);
        i += 4;
        for (int m = 0; m < members; m++)
        {
            final Session session = room.member(m);
            b.putByte(i++, (byte)session.tokenLength());
            b.putBytes(i, session.token(), 0, session.tokenLength());
            i += session.tokenLength();
            b.putByte(i++, (byte)session.userIdLength());
            b.putBytes(i, session.userId(), 0, session.userIdLength());
            i += session.userIdLength();
            b.putByte(i++, (byte)((session.authenticated() ? FLAG_AUTHENTICATED : 0) | (session.live() ? FLAG_LIVE : 0)));
            b.putByte(i++, (byte)session.role());
            b.putByte(i++, (byte)(session.live() || 0 == session.roleAtAway() ? session.role() : session.roleAtAway()));
            b.putByte(i++, (byte)reasonCode(session.lastRoleReason()));
            b.putInt(i, session.queued() ? room.queuePosition(session) : 0, ORDER);
            b.putLong(i + 4, session.lastDseq(), ORDER);
            b.putLong(i + 12, session.joinRseq(), ORDER);
            b.putLong(i + 20, session.lastIceSeq(), ORDER);
            b.putLong(i + 28, session.lastGameStateSeq(), ORDER);
            final DedupeWindow dedupe = session.dedupe();
            final int ids = dedupe.size();
            b.putInt(i + 36, ids, ORDER);
            i += 40;
            for (int d = 0; d < ids; d++)
            {
                b.putLong(i, dedupe.hiAt(d), ORDER);
                b.putLong(i + 8, dedupe.loAt(d), ORDER);
                i += 16;
            }
            b.putByte(i++, (byte)session.grantFlags());
        }
        final int length = i - offset;
        b.putInt(offset + LENGTH_OFFSET, length, ORDER);
        return length;
    }

    /**
     * Decode and validate a snapshot into a holder; never throws on bad input.
     *
     * @param src    buffer holding the snapshot; game-state entries in the holder point into it.
     * @param offset first byte of the snapshot.
     * @param length snapshot length in bytes.
     * @param into   the holder to fill (cleared first).
     * @return true when the snapshot is valid; false leaves the holder's content undefined.
     */
    public boolean decode(final byte[] src, final int offset, final int length, final RoomSnapshot into)
    {
        into.clear();
        if (null == src || offset < 0 || length < HEADER_LENGTH + 1 || offset > src.length - length)
        {
            return false;
        }
        final UnsafeBuffer b = readBuffer;
        b.wrap(src, 0, src.length);
        version = b.getShort(offset + 4, ORDER) & 0xFFFF;
        if (MAGIC != b.getInt(offset, ORDER) || !isReadableVersion(version) ||
            length != b.getInt(offset + LENGTH_OFFSET, ORDER))
        {
            return false;
        }
        into.flags = b.getShort(offset + 6, ORDER) & 0xFFFF;
        into.takenAtMs = b.getLong(offset + 12, ORDER);
        into.lastRseq = b.getLong(offset + 20, ORDER);
        into.hostlessSinceMs = b.getLong(offset + 28, ORDER);
        into.gameStateVersion = b.getLong(offset + 36, ORDER);
        if (into.lastRseq < 0 || into.lastRseq > MAX_SEQUENCE || into.gameStateVersion < 0)
        {
            return false;
        }
        cursor = offset + HEADER_LENGTH;
        end = offset + length;
        final int roomIdLength = b.getByte(cursor++) & 0xFF;
        if (roomIdLength < 1 || roomIdLength > MAX_ID_LENGTH || !has(roomIdLength) ||
            !inAlphabet(src, cursor, roomIdLength, ROOM_ID_PUNCTUATION))
        {
            return false;
        }
        b.getBytes(cursor, into.roomId, 0, roomIdLength);
        into.roomIdLength = roomIdLength;
        cursor += roomIdLength;
        return decodeReservation(b, into) && decodeState(b, into) && decodeSessions(b, into) && cursor == end &&
            validRoles(into);
    }

    /**
     * Copy the room id out of a snapshot without decoding the rest, after checking the header.
     *
     * @param src    buffer holding the snapshot.
     * @param offset first byte of the snapshot.
     * @param length snapshot length in bytes.
     * @param dst    destination of at least {@link #MAX_ID_LENGTH} bytes.
     * @return the room id length, or -1 when the header is not valid.
     */
    public int readRoomId(final byte[] src, final int offset, final int length, final byte[] dst)
    {
        if (null == src || offset < 0 || length < HEADER_LENGTH + 1 || offset > src.length - length)
        {
            return -1;
        }
        final UnsafeBuffer b = readBuffer;
        b.wrap(src, 0, src.length);
        if (MAGIC != b.getInt(offset, ORDER) || !isReadableVersion(b.getShort(offset + 4, ORDER) & 0xFFFF) ||
            length != b.getInt(offset + LENGTH_OFFSET, ORDER))
        {
            return -1;
        }
        final int roomIdLength = b.getByte(offset + HEADER_LENGTH) & 0xFF;
        if (roomIdLength < 1 || roomIdLength > MAX_ID_LENGTH || roomIdLength > length - HEADER_LENGTH - 1 ||
            dst.length < roomIdLength)
        {
            return -1;
        }
        b.getBytes(offset + HEADER_LENGTH + 1, dst, 0, roomIdLength);
        return roomIdLength;
    }

    /**
     * The wire reason bytes for a role reason code.
     *
     * @param code one of the REASON codes.
     * @return the reason bytes, null for {@link #REASON_NONE}.
     */
    public static byte[] reasonBytes(final int code)
    {
        switch (code)
        {
            case REASON_ACCEPTED:
                return MessageEncoder.REASON_ACCEPTED;
            case REASON_ENDED:
                return MessageEncoder.REASON_ENDED;
            case REASON_HOST_LEFT:
                return MessageEncoder.REASON_HOST_LEFT;
            default:
                return null;
        }
    }

    private static int reasonCode(final byte[] reason)
    {
        if (MessageEncoder.REASON_ACCEPTED == reason)
        {
            return REASON_ACCEPTED;
        }
        if (MessageEncoder.REASON_ENDED == reason)
        {
            return REASON_ENDED;
        }
        if (MessageEncoder.REASON_HOST_LEFT == reason)
        {
            return REASON_HOST_LEFT;
        }
        return REASON_NONE;
    }

    private static boolean isReadableVersion(final int version)
    {
        return FORMAT_VERSION == version || FORMAT_VERSION_1 == version;
    }

    /** Version 2: the authenticated user the host role is kept for, if any. */
    private boolean decodeReservation(final UnsafeBuffer b, final RoomSnapshot into)
    {
        if (FORMAT_VERSION_1 == version)
        {
            return true;
        }
        if (!has(1))
        {
            return false;
        }
        final int reservedLength = b.getByte(cursor++) & 0xFF;
        if (reservedLength > MAX_ID_LENGTH || !has(reservedLength) ||
            !inAlphabet(b.byteArray(), cursor, reservedLength, USER_ID_PUNCTUATION))
        {
            return false;
        }
        b.getBytes(cursor, into.reservedHostUserId, 0, reservedLength);
        into.reservedHostUserIdLength = reservedLength;
        cursor += reservedLength;
        return true;
    }

    private boolean has(final long bytes)
    {
        return bytes >= 0 && bytes <= end - cursor;
    }

    private boolean decodeState(final UnsafeBuffer b, final RoomSnapshot into)
    {
        if (!has(4))
        {
            return false;
        }
        final int entries = b.getInt(cursor, ORDER);
        cursor += 4;
        if (entries < 0 || !has(8L * entries))
        {
            return false;
        }
        into.ensureEntryCapacity(entries);
        for (int e = 0; e < entries; e++)
        {
            if (!has(4))
            {
                return false;
            }
            final int keyLength = b.getInt(cursor, ORDER);
            cursor += 4;
            if (keyLength < 1 || !has(keyLength + 4L))
            {
                return false;
            }
            into.entryKeyOffset[e] = cursor;
            into.entryKeyLength[e] = keyLength;
            cursor += keyLength;
            final int valueLength = b.getInt(cursor, ORDER);
            cursor += 4;
            if (valueLength < 1 || !has(valueLength))
            {
                return false;
            }
            into.entryValueOffset[e] = cursor;
            into.entryValueLength[e] = valueLength;
            cursor += valueLength;
        }
        into.entryCount = entries;
        return true;
    }

    private boolean decodeSessions(final UnsafeBuffer b, final RoomSnapshot into)
    {
        if (!has(4))
        {
            return false;
        }
        final int sessions = b.getInt(cursor, ORDER);
        cursor += 4;
        if (sessions < 0 || !has((long)sessions * (SESSION_FIXED_LENGTH + 2)))
        {
            return false;
        }
        for (int s = 0; s < sessions; s++)
        {
            final RoomSnapshot.Member m = into.member(s);
            into.memberCount = s + 1;
            if (!has(1))
            {
                return false;
            }
            m.tokenLength = b.getByte(cursor++) & 0xFF;
            if (m.tokenLength != Session.TOKEN_LENGTH || !has(m.tokenLength + 1L) ||
                !inAlphabet(b.byteArray(), cursor, m.tokenLength, TOKEN_PUNCTUATION))
            {
                return false;
            }
            b.getBytes(cursor, m.token, 0, m.tokenLength);
            cursor += m.tokenLength;
            m.userIdLength = b.getByte(cursor++) & 0xFF;
            if (m.userIdLength < 1 || m.userIdLength > MAX_ID_LENGTH ||
                !has(m.userIdLength + SESSION_FIXED_LENGTH - 2L) ||
                !inAlphabet(b.byteArray(), cursor, m.userIdLength, USER_ID_PUNCTUATION))
            {
                return false;
            }
            b.getBytes(cursor, m.userId, 0, m.userIdLength);
            cursor += m.userIdLength;
            final int flags = b.getByte(cursor) & 0xFF;
            m.authenticated = 0 != (flags & FLAG_AUTHENTICATED);
            m.liveAtSnapshot = 0 != (flags & FLAG_LIVE);
            m.role = b.getByte(cursor + 1);
            m.roleKnown = b.getByte(cursor + 2);
            m.roleReason = b.getByte(cursor + 3);
            m.queuePosition = b.getInt(cursor + 4, ORDER);
            m.lastDseq = b.getLong(cursor + 8, ORDER);
            m.joinRseq = b.getLong(cursor + 16, ORDER);
            m.lastIceSeq = b.getLong(cursor + 24, ORDER);
            m.lastGameStateSeq = b.getLong(cursor + 32, ORDER);
            final int ids = b.getInt(cursor + 40, ORDER);
            cursor += 44;
            if (!validRole(m.role) || !validRole(m.roleKnown) || m.roleReason < REASON_NONE ||
                m.roleReason > REASON_HOST_LEFT || m.queuePosition < 0 || m.lastDseq < 0 ||
                m.lastDseq > MAX_SEQUENCE || m.joinRseq < 0 || m.joinRseq > into.lastRseq || m.lastIceSeq < 0 ||
                m.lastGameStateSeq < 0 || ids < 0 || !has(16L * ids))
            {
                return false;
            }
            m.ensureDedupeCapacity(ids);
            for (int d = 0; d < ids; d++)
            {
                m.dedupeHi[d] = b.getLong(cursor, ORDER);
                m.dedupeLo[d] = b.getLong(cursor + 8, ORDER);
                cursor += 16;
            }
            m.dedupeCount = ids;
            m.grantFlags = 0;
            if (FORMAT_VERSION_1 != version)
            {
                if (!has(1) || 0 != ((b.getByte(cursor) & 0xFF) & ~GRANT_FLAGS_MASK))
                {
                    return false;
                }
                m.grantFlags = b.getByte(cursor++) & 0xFF;
            }
        }
        into.memberCount = sessions;
        return true;
    }

    /** Whether every byte is a letter, a digit or one of the punctuation bytes. */
    private static boolean inAlphabet(final byte[] bytes, final int offset, final int length, final byte[] punctuation)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte c = bytes[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            {
                continue;
            }
            boolean found = false;
            for (final byte p : punctuation)
            {
                found |= p == c;
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean validRole(final int role)
    {
        return Session.ROLE_HOST == role || Session.ROLE_VIEWER == role || Session.ROLE_GUEST == role;
    }

    private boolean validRoles(final RoomSnapshot into)
    {
        int hosts = 0;
        int guests = 0;
        int queued = 0;
        final int n = into.memberCount;
        if (positionSeen.length < n + 1)
        {
            positionSeen = new boolean[n + 1];
        }
        Arrays.fill(positionSeen, 0, n + 1, false);
        for (int s = 0; s < n; s++)
        {
            final RoomSnapshot.Member m = into.members[s];
            if (Session.ROLE_HOST == m.role)
            {
                hosts++;
            }
            else if (Session.ROLE_GUEST == m.role)
            {
                guests++;
            }
            final int position = m.queuePosition;
            if (position > 0)
            {
                if (Session.ROLE_VIEWER != m.role || position > n || positionSeen[position])
                {
                    return false;
                }
                positionSeen[position] = true;
                queued++;
            }
        }
        for (int p = 1; p <= queued; p++)
        {
            if (!positionSeen[p])
            {
                return false;
            }
        }
        return hosts <= 1 && guests <= 1;
    }
}
