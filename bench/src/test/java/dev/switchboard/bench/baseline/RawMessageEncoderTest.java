package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encodes each kind of frame into the arena and reads it back from the view queued for the socket, without sockets:
 * nothing is flushed, so nothing is written.
 */
class RawMessageEncoderTest
{
    private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

    private final RawRoomTable rooms = new RawRoomTable();
    private final RawOutbound outbound = new RawOutbound(new RawReaper(rooms));
    private final RawMessageEncoder encoder = new RawMessageEncoder(outbound);
    private final RawEnvelope envelope = new RawEnvelope();
    private final RawConnection sender = connection();
    private final long beforeMs = System.currentTimeMillis();

    @Test
    void shouldWriteAckWithRoomIdAndMsgId()
    {
        wrap("{\"type\":\"game_event\",\"msgId\":\"m-1\",\"roomId\":\"r1\",\"payload\":{}}");
        encoder.writeAck(sender, envelope);

        assertEquals("{\"type\":\"ack\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"m-1\"}", text(sender, 0));
    }

    @Test
    void shouldWriteErrorWithOrWithoutIds()
    {
        wrap("{\"type\":\"join\",\"msgId\":\"m-2\",\"roomId\":\"r1\"}");
        encoder.writeError(sender, envelope, RawAscii.ascii("host_taken"));
        wrap("{\"type\":\"nope\"}");
        encoder.writeError(sender, envelope, RawAscii.ascii("unknown_type"));

        assertEquals("{\"type\":\"error\",\"roomId\":\"r1\",\"ts\":T,\"for\":\"m-2\"," +
            "\"payload\":{\"code\":\"host_taken\"}}",
            text(sender, 0));
        assertEquals("{\"type\":\"error\",\"roomId\":\"\",\"ts\":T,\"payload\":{\"code\":\"unknown_type\"}}",
            text(sender, 1));
    }

    @Test
    void shouldWriteJoinedWithRoleHostAndSize()
    {
        final RawRoom room = rooms.add(RawAscii.ascii("r1"), 0, 2);
        final RawConnection viewer = connection();
        rooms.join(sender, room, true);
        rooms.join(viewer, room, false);
        encoder.writeJoined(sender, room, true);
        encoder.writeJoined(viewer, room, false);

        assertEquals("{\"type\":\"joined\",\"roomId\":\"r1\",\"ts\":T," +
            "\"payload\":{\"userId\":\"u-1\",\"role\":\"host\",\"hostId\":\"u-1\",\"roomSize\":2}}", text(sender, 0));
        assertEquals("{\"type\":\"joined\",\"roomId\":\"r1\",\"ts\":T," +
            "\"payload\":{\"userId\":\"u-2\",\"role\":\"viewer\",\"hostId\":\"u-1\",\"roomSize\":2}}", text(viewer, 0));
    }

    @Test
    void shouldWriteJoinedWithoutHost()
    {
        final RawRoom room = rooms.add(RawAscii.ascii("r1"), 0, 2);
        rooms.join(sender, room, false);
        encoder.writeJoined(sender, room, false);

        assertEquals("{\"type\":\"joined\",\"roomId\":\"r1\",\"ts\":T," +
            "\"payload\":{\"userId\":\"u-1\",\"role\":\"viewer\",\"hostId\":null,\"roomSize\":1}}", text(sender, 0));
    }

    @Test
    void shouldRelayWithTheRoomsIdTheSenderAndThePayloadAsItCame()
    {
        joinRoom();
        wrap("{\"type\":\"game_event\",\"msgId\":\"m-3\",\"roomId\":\"r1\",\"seq\":7,\"payload\":{\"x\":[1,\"}\"]}}");
        final int start = encoder.encodeRelayed(sender, envelope, false);

        assertEquals("{\"type\":\"game_event\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"m-3\",\"seq\":7," +
            "\"senderId\":\"u-1\",\"payload\":{\"x\":[1,\"}\"]}}", text(outbound.arena(), start, encoder.frameEnd()));
    }

    @Test
    void shouldRelayCandidatesInAnArrayAndSeqZeroWhenAbsent()
    {
        joinRoom();
        wrap("{\"type\":\"ice_candidate\",\"msgId\":\"m-4\",\"roomId\":\"r1\",\"payload\":{\"candidate\":\"c\"}}");
        final int start = encoder.encodeRelayed(sender, envelope, true);

        assertEquals("{\"type\":\"ice_candidate\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"m-4\",\"seq\":0," +
            "\"senderId\":\"u-1\",\"payload\":{\"candidates\":[{\"candidate\":\"c\"}]}}",
            text(outbound.arena(), start, encoder.frameEnd()));
    }

    @Test
    void shouldRelayWithoutPayload()
    {
        joinRoom();
        wrap("{\"type\":\"game_state\",\"msgId\":\"m-5\",\"roomId\":\"r1\",\"seq\":-2}");
        final int start = encoder.encodeRelayed(sender, envelope, false);

        assertEquals("{\"type\":\"game_state\",\"roomId\":\"r1\",\"ts\":T,\"msgId\":\"m-5\",\"seq\":-2," +
            "\"senderId\":\"u-1\"}",
            text(outbound.arena(), start, encoder.frameEnd()));
    }

    @Test
    void shouldUseTheLengthHeaderThatFitsTheBody()
    {
        joinRoom();
        for (final int payloadBytes : new int[]{0, 20, 200, 65_400, 70_000})
        {
            final StringBuilder json = new StringBuilder("{\"type\":\"game_event\",\"msgId\":\"m\",\"roomId\":\"r1\"," +
                "\"payload\":{\"p\":\"");
            json.append("a".repeat(payloadBytes)).append("\"}}");
            wrap(json.toString());
            final int start = encoder.encodeRelayed(sender, envelope, false);
            final String body = text(outbound.arena(), start, encoder.frameEnd());
            assertTrue(body.endsWith("a".repeat(payloadBytes) + "\"}}"), "payload " + payloadBytes);
        }
    }

    @Test
    void shouldAnswerPingMessageWithItsTsOrZero()
    {
        wrap("{\"type\":\"ping\",\"ts\":123}");
        encoder.writePongMessage(sender, envelope);
        wrap("{\"type\":\"ping\"}");
        encoder.writePongMessage(sender, envelope);

        assertEquals("{\"type\":\"pong\",\"ts\":T,\"payload\":{\"ts\":123}}", text(sender, 0));
        assertEquals("{\"type\":\"pong\",\"ts\":T,\"payload\":{\"ts\":0}}", text(sender, 1));
    }

    @Test
    void shouldEchoAtMost125BytesInAPongFrame()
    {
        final byte[] payload = new byte[200];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)i;
        }
        encoder.writePongFrame(sender, payload, 3);
        encoder.writePongFrame(sender, payload, 200);

        assertArrayEquals(new byte[]{(byte)0x8A, 3, 0, 1, 2}, bytes(sender.views[0]));
        final byte[] long125 = bytes(sender.views[1]);
        assertEquals(2 + 125, long125.length);
        assertEquals((byte)0x8A, long125[0]);
        assertEquals(125, long125[1]);
        assertEquals(124, long125[126]);
    }

    @Test
    void shouldQueueACloseFrameAndCloseAfterTheFlush()
    {
        assertFalse(sender.closeAfterFlush);
        encoder.closeWith(sender, 1009);

        assertArrayEquals(new byte[]{(byte)0x88, 2, 0x03, (byte)0xF1}, bytes(sender.views[0]));
        assertTrue(sender.closeAfterFlush);
    }

    @Test
    void shouldQueueHttpBytesWithoutAFrame()
    {
        encoder.writeHttp(sender, RawHandshake.NOT_FOUND);

        assertArrayEquals(RawHandshake.NOT_FOUND, bytes(sender.views[0]));
        assertEquals(1, sender.viewCount);
    }

    private void joinRoom()
    {
        rooms.join(sender, rooms.add(RawAscii.ascii("r1"), 0, 2), false);
    }

    private void wrap(final String json)
    {
        final byte[] in = json.getBytes(StandardCharsets.US_ASCII);
        envelope.wrap(in, in.length);
    }

    private String text(final RawConnection connection, final int view)
    {
        final ByteBuffer frame = connection.views[view];
        return text(frame, frame.position(), frame.limit());
    }

    /**
     * Reads one text frame of the arena, checks its header against its length, and returns its body with the
     * server's {@code ts} checked against the wall clock and replaced by {@code T}.
     */
    private String text(final ByteBuffer arena, final int start, final int end)
    {
        final long afterMs = System.currentTimeMillis();
        assertEquals((byte)0x81, arena.get(start), "FIN and text opcode");
        final int lengthCode = arena.get(start + 1);
        final int header;
        final long length;
        if (126 == lengthCode)
        {
            header = 4;
            length = arena.getShort(start + 2) & 0xFFFF;
            assertTrue(length >= 126 && length < 65_536, "two length bytes for " + length);
        }
        else if (127 == lengthCode)
        {
            header = 10;
            length = arena.getLong(start + 2);
            assertTrue(length >= 65_536, "eight length bytes for " + length);
        }
        else
        {
            header = 2;
            length = lengthCode;
            assertTrue(length < 126);
        }
        assertEquals(end - start - header, length, "header length matches the body");
        final byte[] body = new byte[(int)length];
        arena.get(start + header, body);
        final String text = new String(body, StandardCharsets.US_ASCII);
        final Matcher ts = TS.matcher(text);
        assertTrue(ts.find(), text);
        final long tsMs = Long.parseLong(ts.group(1));
        assertTrue(tsMs >= beforeMs && tsMs <= afterMs, tsMs + " within " + beforeMs + ".." + afterMs);
        return ts.replaceFirst("\"ts\":T");
    }

    private static byte[] bytes(final ByteBuffer view)
    {
        final byte[] bytes = new byte[view.remaining()];
        view.duplicate().get(bytes);
        return bytes;
    }

    private RawConnection connection()
    {
        return new RawConnection(null, outbound.arena(), RawOutbound.VIEWS_PER_SOCKET);
    }
}
