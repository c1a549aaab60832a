package dev.switchboard.engine.encode;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomStates;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.test.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageEncoderTest
{
    private final FramePool pool = new FramePool(16, null);
    private final MessageEncoder encoder = new MessageEncoder(pool);
    private final Room room = RoomStates.room("room-1", 10, 4);

    private static String text(final Frame frame)
    {
        final String json = new String(
            frame.buffer(), frame.payloadOffset(), frame.payloadLength(), StandardCharsets.UTF_8);
        frame.release();
        return json;
    }

    @Test
    void shouldWriteGameErrorWithForAndDseqBeforePayload()
    {
        final String json = text(encoder.gameError(room, 5, ErrorCode.RATE_LIMITED, 1, 2, 9));
        assertEquals("{\"type\":\"game_error\",\"roomId\":\"room-1\",\"ts\":5," +
            "\"for\":\"00000000-0000-0001-0000-000000000002\",\"dseq\":9," +
            "\"payload\":{\"code\":\"rate_limited\",\"message\":\"rate limit exceeded\"}}", json);
    }

    @Test
    void shouldWriteErrorWithoutRoomForOrDseq()
    {
        final Map<String, Object> m = Json.object(text(encoder.error(null, 0, 7, ErrorCode.PAYLOAD_TOO_LARGE,
            false, 0, 0, 0)));
        assertEquals(List.of("type", "ts", "payload"), List.copyOf(m.keySet()));
    }

    @Test
    void shouldWriteResumeMigratedWithReasonAndNullPosition()
    {
        final Session session = RoomStates.session("u-1", "", Session.ROLE_VIEWER, 4);
        final Map<String, Object> m = Json.object(text(encoder.resumeAnswer(
            room, 1, 3, 4, session, MessageEncoder.REASON_HOST_LEFT, 0, 2, true)));
        assertEquals("resume_migrated", m.get("type"));
        assertFalse(m.containsKey("dseq"));
        final Map<?, ?> payload = (Map<?, ?>)m.get("payload");
        assertEquals("host_left", payload.get("reason"));
        assertTrue(payload.containsKey("position"));
        assertEquals(null, payload.get("position"));
        assertEquals(2L, payload.get("replayed"));
        assertEquals(Boolean.TRUE, payload.get("gap"));
    }

    @Test
    void shouldWriteValidJsonForRoomMessages()
    {
        assertEquals(Map.of("reason", "host_timeout"),
            Json.object(text(encoder.roomClosed(room, 1, 3, MessageEncoder.REASON_HOST_TIMEOUT))).get("payload"));
        assertEquals(Map.of("activeGuest", Map.of(), "queue", List.of(), "queueLength", 0L).keySet(),
            ((Map<?, ?>)Json.object(text(encoder.queueUpdated(room, 1, 1))).get("payload")).keySet());
        assertEquals(Map.of("roomSize", 0L), Json.object(text(encoder.presenceSize(room, 1))).get("payload"));
        assertEquals(Map.of("joined", List.of(), "left", List.of(), "roomSize", 0L),
            Json.object(text(encoder.presenceDelta(room, 1))).get("payload"));
        assertEquals(Map.of("ts", 42L), Json.object(text(encoder.pong(null, 0, 1, true, 42))).get("payload"));
    }
}
