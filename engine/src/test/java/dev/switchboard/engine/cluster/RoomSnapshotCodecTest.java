package dev.switchboard.engine.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomStates;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.test.SlotBuilder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomSnapshotCodecTest
{
    private final RoomSnapshotCodec codec = new RoomSnapshotCodec();
    private final RoomSnapshot decoded = new RoomSnapshot();

    private static Session session(final String userId, final String token, final int role)
    {
        return RoomStates.session(userId, token, role, 64);
    }

    private static Room sampleRoom()
    {
        final Room room = RoomStates.room("room-42", 100, 16);
        RoomStates.lastRseq(room, 77);
        room.gameState().merge(SlotBuilder.message(1, MessageType.GAME_STATE).version(9)
            .patch("score", "{\"a\":1}").patch("turn", "\"alice\"").build());

        final Session host = session("alice", "tokenhost0123456789abcde", Session.ROLE_HOST);
        RoomStates.authenticated(host);
        RoomStates.sequences(host, 12, 0, 0, 33);
        host.dedupe().add(1, 2);
        host.dedupe().add(3, 4);
        room.addMember(host);
        RoomStates.host(room, host);
        room.reserveHost(host.userId(), host.userIdLength());

        final Session guest = session("guest-AAAAAAAAAAAA", "tokenguest0123456789abcd", Session.ROLE_GUEST);
        RoomStates.sequences(guest, 5, 10, 8, 0);
        room.addMember(guest);
        RoomStates.activeGuest(room, guest);

        final Session away = session("guest-BBBBBBBBBBBB", "tokenaway00123456789abcd", Session.ROLE_VIEWER);
        RoomStates.away(away, Session.ROLE_GUEST, MessageEncoder.REASON_HOST_LEFT);
        RoomStates.sequences(away, 3, 20, 0, 0);
        room.addMember(away);

        final Session first = session("guest-CCCCCCCCCCCC", "tokenq1000123456789abcde", Session.ROLE_VIEWER);
        RoomStates.grantFlags(first, Grants.ROOMS_LIMITED | Grants.DENY_HOST | Grants.DENY_COHOST);
        final Session second = session("guest-DDDDDDDDDDDD", "tokenq2000123456789abcde", Session.ROLE_VIEWER);
        room.addMember(second);
        room.addMember(first);
        room.enqueue(first);
        room.enqueue(second);
        return room;
    }

    private byte[] encode(final Room room, final int flags)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final int length = codec.encode(room, 1_000L, flags, buffer, 3);
        return Arrays.copyOfRange(buffer.byteArray(), 3, 3 + length);
    }

    private static String text(final byte[] bytes, final int offset, final int length)
    {
        return new String(bytes, offset, length, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldRoundTripEveryField()
    {
        final byte[] bytes = encode(sampleRoom(), RoomSnapshotCodec.FLAG_HANDOVER);
        assertTrue(codec.decode(bytes, 0, bytes.length, decoded));

        assertEquals("room-42", text(decoded.roomId, 0, decoded.roomIdLength));
        assertTrue(decoded.isHandover());
        assertEquals(1_000L, decoded.takenAtMs);
        assertEquals(77, decoded.lastRseq);
        assertEquals(-1, decoded.hostlessSinceMs);
        assertEquals(9, decoded.gameStateVersion);
        assertEquals(2, decoded.entryCount);
        assertEquals("score", text(bytes, decoded.entryKeyOffset[0], decoded.entryKeyLength[0]));
        assertEquals("{\"a\":1}", text(bytes, decoded.entryValueOffset[0], decoded.entryValueLength[0]));
        assertEquals("turn", text(bytes, decoded.entryKeyOffset[1], decoded.entryKeyLength[1]));
        assertEquals("\"alice\"", text(bytes, decoded.entryValueOffset[1], decoded.entryValueLength[1]));

        assertEquals(5, decoded.memberCount);
        final RoomSnapshot.Member host = decoded.members[0];
        assertEquals("alice", text(host.userId, 0, host.userIdLength));
        assertEquals("tokenhost0123456789abcde", text(host.token, 0, host.tokenLength));
        assertTrue(host.authenticated);
        assertTrue(host.liveAtSnapshot);
        assertEquals(Session.ROLE_HOST, host.role);
        assertEquals(Session.ROLE_HOST, host.roleKnown);
        assertEquals(12, host.lastDseq);
        assertEquals(33, host.lastGameStateSeq);
        assertEquals(2, host.dedupeCount);
        assertEquals(1, host.dedupeHi[0]);
        assertEquals(2, host.dedupeLo[0]);
        assertEquals(3, host.dedupeHi[1]);
        assertEquals(4, host.dedupeLo[1]);

        final RoomSnapshot.Member guest = decoded.members[1];
        assertFalse(guest.authenticated);
        assertEquals(Session.ROLE_GUEST, guest.role);
        assertEquals(10, guest.joinRseq);
        assertEquals(8, guest.lastIceSeq);

        final RoomSnapshot.Member away = decoded.members[2];
        assertFalse(away.liveAtSnapshot);
        assertEquals(Session.ROLE_VIEWER, away.role);
        assertEquals(Session.ROLE_GUEST, away.roleKnown);
        assertEquals(RoomSnapshotCodec.REASON_HOST_LEFT, away.roleReason);
        assertArrayEquals(MessageEncoder.REASON_HOST_LEFT, RoomSnapshotCodec.reasonBytes(away.roleReason));

        assertEquals("guest-DDDDDDDDDDDD", text(decoded.members[3].userId, 0, decoded.members[3].userIdLength));
        assertEquals(2, decoded.members[3].queuePosition);
        assertEquals(1, decoded.members[4].queuePosition);

        assertEquals("alice", text(decoded.reservedHostUserId, 0, decoded.reservedHostUserIdLength));
        assertEquals(0, host.grantFlags);
        assertEquals(Grants.ROOMS_LIMITED | Grants.DENY_HOST | Grants.DENY_COHOST, decoded.members[4].grantFlags);
    }

    @Test
    void shouldCarryTheHostReservationAfterTheHostLeftAndNoneForAGuestHost()
    {
        final Room room = sampleRoom();
        final Session host = room.member(0);
        RoomStates.host(room, null);
        room.removeMember(host);
        final byte[] left = encode(room, 0);
        assertTrue(codec.decode(left, 0, left.length, decoded));
        assertEquals(4, decoded.memberCount);
        assertEquals("alice", text(decoded.reservedHostUserId, 0, decoded.reservedHostUserIdLength),
            "the reservation outlives the host session");

        RoomStates.clearHostReservation(room);
        final byte[] none = encode(room, 0);
        assertTrue(codec.decode(none, 0, none.length, decoded));
        assertEquals(0, decoded.reservedHostUserIdLength);
    }

    @Test
    void shouldRejectAReservationOutsideTheUserIdAlphabetOrOverItsLength()
    {
        final Room room = sampleRoom();
        room.reservedHostUserId()[2] = '"';
        final byte[] quote = encode(room, 0);
        assertFalse(codec.decode(quote, 0, quote.length, decoded), "a quote in the reserved user id");

        final byte[] tooLong = encode(sampleRoom(), 0);
        tooLong[RoomSnapshotCodec.HEADER_LENGTH + 1 + "room-42".length()] = (byte)(RoomSnapshotCodec.MAX_ID_LENGTH + 1);
        assertFalse(codec.decode(tooLong, 0, tooLong.length, decoded), "a 65-byte reservation");
    }

    @Test
    void shouldRejectAGrantFlagTheServerDoesNotDefine()
    {
        final Room room = sampleRoom();
        RoomStates.grantFlags(room.member(4), Grants.DENY_COHOST | 16);
        final byte[] unknown = encode(room, 0);
        assertFalse(codec.decode(unknown, 0, unknown.length, decoded));
        RoomStates.grantFlags(room.member(4), RoomSnapshotCodec.GRANT_FLAGS_MASK);
        final byte[] all = encode(room, 0);
        assertTrue(codec.decode(all, 0, all.length, decoded));
    }

    @Test
    void shouldStillReadAVersion1SnapshotWithoutReservationOrGrants()
    {
        final Room room = RoomStates.room("r", 10, 4);
        final Session s = session("alice", "tokenhost0123456789abcde", Session.ROLE_HOST);
        RoomStates.authenticated(s);
        room.addMember(s);
        RoomStates.host(room, s);
        final byte[] v2 = encode(room, 0);
        // Version 1 is version 2 without the reservation length byte (here 0) and the session's grant flags byte.
        final int reservationAt = RoomSnapshotCodec.HEADER_LENGTH + 1 + 1;
        assertEquals(0, v2[reservationAt]);
        assertEquals(0, v2[v2.length - 1]);
        final byte[] v1 = new byte[v2.length - 2];
        System.arraycopy(v2, 0, v1, 0, reservationAt);
        System.arraycopy(v2, reservationAt + 1, v1, reservationAt, v2.length - 1 - reservationAt - 1);
        final ByteBuffer header = ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort(4, (short)RoomSnapshotCodec.FORMAT_VERSION_1).putInt(8, v1.length);

        decoded.reservedHostUserIdLength = 9;
        assertTrue(codec.decode(v1, 0, v1.length, decoded));
        assertEquals(0, decoded.reservedHostUserIdLength);
        assertEquals("alice", text(decoded.members[0].userId, 0, decoded.members[0].userIdLength));
        assertEquals(0, decoded.members[0].grantFlags);
        assertEquals(1, codec.readRoomId(v1, 0, v1.length, new byte[64]));
    }

    @Test
    void shouldKeepOnlyTheDedupeWindowInArrivalOrderAfterItWrapped()
    {
        final Room room = RoomStates.room("r", 10, 4);
        final Session s = RoomStates.session("u", "t".repeat(Session.TOKEN_LENGTH), Session.ROLE_VIEWER, 3);
        for (int i = 1; i <= 5; i++)
        {
            s.dedupe().add(i, -i);
        }
        room.addMember(s);
        final byte[] bytes = encode(room, 0);
        assertTrue(codec.decode(bytes, 0, bytes.length, decoded));
        assertFalse(decoded.isHandover());
        final RoomSnapshot.Member m = decoded.members[0];
        assertEquals(3, m.dedupeCount);
        assertEquals(3, m.dedupeHi[0]);
        assertEquals(-3, m.dedupeLo[0]);
        assertEquals(5, m.dedupeHi[2]);
    }

    @Test
    void shouldReadTheRoomIdFromTheHeader()
    {
        final byte[] bytes = encode(sampleRoom(), 0);
        final byte[] id = new byte[64];
        assertEquals(7, codec.readRoomId(bytes, 0, bytes.length, id));
        assertEquals("room-42", text(id, 0, 7));
        bytes[0] ^= 1;
        assertEquals(-1, codec.readRoomId(bytes, 0, bytes.length, id));
    }

    @Test
    void shouldRejectWrongMagicVersionOrLength()
    {
        final byte[] good = encode(sampleRoom(), 0);
        assertTrue(codec.decode(good, 0, good.length, decoded));

        final byte[] magic = good.clone();
        magic[0] ^= 0x40;
        assertFalse(codec.decode(magic, 0, magic.length, decoded));

        final byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short)3);
        assertFalse(codec.decode(version, 0, version.length, decoded));
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short)1);
        assertFalse(codec.decode(version, 0, version.length, decoded), "version 2 bytes read as version 1");

        final byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertFalse(codec.decode(trailing, 0, trailing.length, decoded));
        ByteBuffer.wrap(trailing).order(ByteOrder.LITTLE_ENDIAN).putInt(8, trailing.length);
        assertFalse(codec.decode(trailing, 0, trailing.length, decoded));

        assertFalse(codec.decode(good, 0, good.length + 1, decoded));
        assertFalse(codec.decode(good, 1, good.length, decoded));
        assertFalse(codec.decode(null, 0, 10, decoded));
    }

    @Test
    void shouldRejectEveryTruncationWithoutThrowing()
    {
        final byte[] good = encode(sampleRoom(), 0);
        for (int length = 0; length < good.length; length++)
        {
            final byte[] cut = Arrays.copyOf(good, length);
            if (length >= 12)
            {
                // Make the header agree with the cut so the structure checks are reached.
                ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(8, length);
            }
            assertFalse(codec.decode(cut, 0, cut.length, decoded), "length " + length);
        }
    }

    @Test
    void shouldNeverThrowOnRandomCorruption()
    {
        final byte[] good = encode(sampleRoom(), 0);
        final Random random = new Random(8);
        int rejected = 0;
        for (int round = 0; round < 5_000; round++)
        {
            final byte[] bad = good.clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                bad[12 + random.nextInt(bad.length - 12)] = (byte)random.nextInt(256);
            }
            if (!codec.decode(bad, 0, bad.length, decoded))
            {
                rejected++;
            }
        }
        assertTrue(rejected > 0);
    }

    @Test
    void shouldRejectTwoHostsAndBrokenQueuePositions()
    {
        final Room twoHosts = sampleRoom();
        RoomStates.role(twoHosts.member(1), Session.ROLE_HOST);
        final byte[] hosts = encode(twoHosts, 0);
        assertFalse(codec.decode(hosts, 0, hosts.length, decoded));

        final Room queuedHost = sampleRoom();
        queuedHost.flushQueue();
        queuedHost.enqueue(queuedHost.member(0));
        final byte[] host = encode(queuedHost, 0);
        assertFalse(codec.decode(host, 0, host.length, decoded));
    }

    @Test
    void shouldRejectTokensOfAnotherLengthAndIdsOutsideTheirAlphabet()
    {
        final Room room = RoomStates.room("r", 10, 4);
        final Session s = session("alice", "tokenhost0123456789abcde", Session.ROLE_HOST);
        room.addMember(s);
        RoomStates.host(room, s);
        final byte[] valid = encode(room, 0);
        assertTrue(codec.decode(valid, 0, valid.length, decoded));

        RoomStates.tokenLength(s, Session.TOKEN_LENGTH - 1);
        final byte[] shortToken = encode(room, 0);
        assertFalse(codec.decode(shortToken, 0, shortToken.length, decoded), "a 23-byte token");
        RoomStates.tokenLength(s, Session.TOKEN_LENGTH);

        s.token()[3] = '"';
        final byte[] quoteInToken = encode(room, 0);
        assertFalse(codec.decode(quoteInToken, 0, quoteInToken.length, decoded), "a quote in a token");
        s.token()[3] = 'e';

        s.userId()[1] = '\\';
        final byte[] backslashInUser = encode(room, 0);
        assertFalse(codec.decode(backslashInUser, 0, backslashInUser.length, decoded), "a backslash in a user id");
        s.userId()[1] = 'l';

        room.roomId()[0] = ' ';
        final byte[] spaceInRoom = encode(room, 0);
        assertFalse(codec.decode(spaceInRoom, 0, spaceInRoom.length, decoded), "a space in a room id");
    }
}
