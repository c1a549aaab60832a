package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the message rules with messages as the decoder hands them on, and reads back the frames queued for each
 * connection; nothing is flushed, so no socket is needed.
 */
class RawRelayTest
{
    private final RawRoomTable rooms = new RawRoomTable();
    private final RawOutbound outbound = new RawOutbound(new RawReaper(rooms));
    private final RawRelay relay = new RawRelay(rooms, new RawMessageEncoder(outbound), outbound);
    private final RawConnection a = connection();
    private final RawConnection b = connection();
    private final RawConnection c = connection();

    @Test
    void shouldAckAJoinAndTellTheMemberItsIdRoleAndHost()
    {
        send(a, "{\"type\":\"join\",\"msgId\":\"j1\",\"roomId\":\"r1\",\"payload\":{\"role\":\"host\"}}");
        send(b, "{\"type\":\"join\",\"msgId\":\"j2\",\"roomId\":\"r1\"}");

        assertEquals(List.of("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"j1\"}",
            "{\"type\":\"joined\",\"roomId\":\"r1\",\"ts\":T,\"payload\":{\"userId\":\"u-1\",\"role\":\"host\"," +
                "\"hostId\":\"u-1\",\"roomSize\":1}}"), frames(a));
        assertEquals(List.of("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"j2\"}",
            "{\"type\":\"joined\",\"roomId\":\"r1\",\"ts\":T,\"payload\":{\"userId\":\"u-2\",\"role\":\"viewer\"," +
                "\"hostId\":\"u-1\",\"roomSize\":2}}"), frames(b));
        assertEquals(1, rooms.roomCount());
    }

    @Test
    void shouldRefuseASecondHostASecondJoinAndAJoinWithoutIds()
    {
        join(a, true);
        send(b, "{\"type\":\"join\",\"msgId\":\"j2\",\"roomId\":\"r1\",\"payload\":{\"role\":\"host\"}}");
        send(a, "{\"type\":\"join\",\"msgId\":\"j3\",\"roomId\":\"r2\"}");
        send(c, "{\"type\":\"join\",\"roomId\":\"r1\"}");

        assertEquals(List.of(error("r1", "j2", "host_taken")), frames(b));
        assertEquals(error("r2", "j3", "already_joined"), frames(a).get(2));
        assertEquals(List.of("{\"type\":\"error\",\"roomId\":\"r1\",\"ts\":T," +
            "\"payload\":{\"code\":\"invalid_message\"}}"), frames(c));
        assertNull(b.room);
        assertNull(c.room);
    }

    @Test
    void shouldBroadcastOneEncodingToTheOthersAndAckOnlyGameEvents()
    {
        join(a, true);
        join(b, false);
        join(c, false);
        send(a, "{\"type\":\"game_event\",\"msgId\":\"e1\",\"roomId\":\"r1\",\"seq\":3,\"payload\":{\"x\":1}}");
        send(b, "{\"type\":\"game_state\",\"msgId\":\"s1\",\"roomId\":\"r1\",\"payload\":{\"y\":2}}");

        final String event = "{\"type\":\"game_event\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"e1\",\"seq\":3," +
            "\"senderId\":\"u-1\",\"payload\":{\"x\":1}}";
        final String state = "{\"type\":\"game_state\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"s1\",\"seq\":0," +
            "\"senderId\":\"u-2\",\"payload\":{\"y\":2}}";
        assertEquals(List.of("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"e1\"}", state),
            frames(a).subList(2, 4));
        assertEquals(List.of(event), frames(b).subList(2, 3), "no ack for game_state");
        assertEquals(List.of(event, state), frames(c).subList(2, 4));
        assertEquals(b.views[2].position(), c.views[2].position(), "one encoding shared by both recipients");
    }

    @Test
    void shouldRelayOffersWithAckAndCandidatesWithoutToTheNamedMemberOnly()
    {
        join(a, true);
        join(b, false);
        join(c, false);
        send(a, "{\"type\":\"webrtc_offer\",\"msgId\":\"o1\",\"roomId\":\"r1\",\"to\":\"u-2\"," +
            "\"payload\":{\"sdp\":\"v\"}}");
        send(b, "{\"type\":\"ice_candidate\",\"msgId\":\"i1\",\"roomId\":\"r1\",\"to\":\"u-1\",\"payload\":{\"c\":1}}");

        assertEquals(List.of("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"o1\"}",
            "{\"type\":\"ice_candidate\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"i1\",\"seq\":0,\"senderId\":\"u-2\"," +
                "\"payload\":{\"candidates\":[{\"c\":1}]}}"), frames(a).subList(2, 4));
        assertEquals(List.of("{\"type\":\"webrtc_offer\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"o1\",\"seq\":0," +
            "\"senderId\":\"u-1\",\"payload\":{\"sdp\":\"v\"}}"), frames(b).subList(2, 3));
        assertEquals(2, frames(c).size(), "c got only its join replies");
    }

    @Test
    void shouldAnswerPeerNotFoundForAnUnknownMemberOrOneOfAnotherRoom()
    {
        join(a, true);
        send(b, "{\"type\":\"join\",\"msgId\":\"j\",\"roomId\":\"other\"}");
        send(a, "{\"type\":\"webrtc_answer\",\"msgId\":\"x1\",\"roomId\":\"r1\",\"to\":\"u-9\",\"payload\":{}}");
        send(a, "{\"type\":\"webrtc_answer\",\"msgId\":\"x2\",\"roomId\":\"r1\",\"to\":\"u-2\",\"payload\":{}}");
        send(a, "{\"type\":\"ice_candidate\",\"msgId\":\"x3\",\"roomId\":\"r1\",\"payload\":{}}");

        assertEquals(List.of(error("r1", "x1", "peer_not_found"), error("r1", "x2", "peer_not_found"),
            error("r1", "x3", "peer_not_found")), frames(a).subList(2, 5));
        assertEquals(2, frames(b).size());
    }

    @Test
    void shouldRefuseRelaysOutsideTheSendersRoom()
    {
        send(a, "{\"type\":\"game_event\",\"msgId\":\"e1\",\"roomId\":\"r1\",\"payload\":{}}");
        send(a, "{\"type\":\"leave\",\"msgId\":\"l1\",\"roomId\":\"r1\"}");
        join(b, true);
        send(b, "{\"type\":\"game_event\",\"msgId\":\"e2\",\"roomId\":\"r2\",\"payload\":{}}");
        send(b, "{\"type\":\"game_state\",\"roomId\":\"r1\",\"payload\":{}}");

        assertEquals(List.of(error("r1", "e1", "not_in_room"), error("r1", "l1", "not_in_room")), frames(a));
        assertEquals(List.of(error("r2", "e2", "invalid_message"),
            "{\"type\":\"error\",\"roomId\":\"r1\",\"ts\":T,\"payload\":{\"code\":\"invalid_message\"}}"),
            frames(b).subList(2, 4));
    }

    @Test
    void shouldAnswerAMessageWithoutTypeOrOfAnUnknownType()
    {
        send(a, "{\"msgId\":\"m1\",\"roomId\":\"r1\"}");
        send(a, "{\"type\":\"chat\",\"msgId\":\"m2\",\"roomId\":\"r1\"}");

        assertEquals(List.of(error("r1", "m1", "invalid_message"), error("r1", "m2", "unknown_type")), frames(a));
    }

    @Test
    void shouldAckALeaveThenCloseWith1000AndCloseTheEmptyRoom()
    {
        join(a, true);
        send(a, "{\"type\":\"leave\",\"msgId\":\"l1\",\"roomId\":\"r1\"}");

        assertEquals(List.of("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"l1\"}", "close 1000"),
            frames(a).subList(2, 4));
        assertTrue(a.closeAfterFlush);
        assertNull(a.room);
        assertEquals(0, rooms.roomCount());
    }

    @Test
    void shouldAnswerPingMessagesAndControlFramesAndEchoTheCloseCode()
    {
        send(a, "{\"type\":\"ping\",\"ts\":42}");
        relay.onPing(a, new byte[]{'h', 'i'}, 2);
        assertFalse(a.closeAfterFlush);
        relay.onClose(a, 4000);

        assertEquals(List.of("{\"type\":\"pong\",\"ts\":T,\"payload\":{\"ts\":42}}", "pong hi", "close 4000"),
            frames(a));
        assertTrue(a.closeAfterFlush);
    }

    private void join(final RawConnection connection, final boolean host)
    {
        send(connection, "{\"type\":\"join\",\"msgId\":\"j\",\"roomId\":\"r1\"" +
            (host ? ",\"payload\":{\"role\":\"host\"}}" : "}"));
    }

    private void send(final RawConnection connection, final String json)
    {
        final byte[] payload = json.getBytes(StandardCharsets.US_ASCII);
        relay.onText(connection, payload, payload.length);
    }

    private static String error(final String roomId, final String msgId, final String code)
    {
        return "{\"type\":\"error\",\"roomId\":\"" + roomId + "\",\"ts\":T,\"for\":\"" + msgId +
            "\",\"payload\":{\"code\":\"" + code + "\"}}";
    }

    /**
     * The frames queued for a connection: text bodies with the server's {@code ts} replaced by {@code T}, and
     * {@code close N} or {@code pong payload} for control frames.
     */
    private static List<String> frames(final RawConnection connection)
    {
        final List<String> frames = new ArrayList<>();
        for (int i = 0; i < connection.viewCount; i++)
        {
            final ByteBuffer frame = connection.views[i].duplicate();
            final int first = frame.get() & 0xFF;
            int length = frame.get() & 0x7F;
            if (126 == length)
            {
                length = frame.getShort() & 0xFFFF;
            }
            final byte[] body = new byte[length];
            frame.get(body);
            assertFalse(frame.hasRemaining(), "one frame per view");
            if (0x88 == first)
            {
                frames.add("close " + (((body[0] & 0xFF) << 8) | (body[1] & 0xFF)));
            }
            else if (0x8A == first)
            {
                frames.add("pong " + new String(body, StandardCharsets.US_ASCII));
            }
            else
            {
                assertEquals(0x81, first);
                frames.add(new String(body, StandardCharsets.US_ASCII).replaceFirst("\"ts\":\\d+", "\"ts\":T"));
            }
        }
        return frames;
    }

    private RawConnection connection()
    {
        return new RawConnection(null, outbound.arena(), RawOutbound.VIEWS_PER_SOCKET);
    }
}
