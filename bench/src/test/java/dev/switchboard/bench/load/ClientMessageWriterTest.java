package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.protocol.Uuids;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageWriterTest
{
    private static final byte[] ROOM = "lg1-7".getBytes(StandardCharsets.US_ASCII);
    private static final long HIGH = 0x1234_5678_9ABC_4DEFL;

    private final ClientMessageWriter writer = new ClientMessageWriter(4096);

    @Test
    void shouldWriteGameEventCarryingIntendedTimePublisherAndNumber() throws IOException
    {
        final int length = writer.gameEvent(ROOM, HIGH, FleetState.msgIdLow(99), 3, 1_234_567_890_123L, 17, 99, 0);
        final Map<String, String> fields = flatten(length);
        assertEquals("game_event", fields.get("type"));
        assertEquals("lg1-7", fields.get("roomId"));
        assertEquals("3", fields.get("seq"));
        assertEquals("1234567890123", fields.get("payload.t"));
        assertEquals("17", fields.get("payload.pub"));
        assertEquals("99", fields.get("payload.n"));
        final byte[] msgId = fields.get("msgId").getBytes(StandardCharsets.US_ASCII);
        assertTrue(Uuids.isCanonical(msgId, 0, msgId.length));
        assertEquals(HIGH, Uuids.parseHigh(msgId, 0));
        assertEquals(99L, Uuids.parseLow(msgId, 0) & FleetState.NUMBER_MASK);
    }

    @Test
    void shouldPadGameEventPayload() throws IOException
    {
        final int length = writer.gameEvent(ROOM, HIGH, FleetState.msgIdLow(1), 1, 5, 0, 1, 300);
        assertEquals(300, flatten(length).get("payload.pad").length());
    }

    @Test
    void shouldWriteJoinLeaveStateOfferAndIce() throws IOException
    {
        assertEquals("host", flatten(writer.join(ROOM, true, HIGH, FleetState.msgIdLow(1), 1)).get("payload.role"));
        assertEquals("viewer", flatten(writer.join(ROOM, false, HIGH, FleetState.msgIdLow(1), 1)).get("payload.role"));
        assertEquals("leave", flatten(writer.leave(ROOM, HIGH, FleetState.msgIdLow(2), 2)).get("type"));

        final Map<String, String> state = flatten(writer.gameState(ROOM, HIGH, FleetState.msgIdLow(3), 3, 8, -5));
        assertEquals("8", state.get("payload.version"));
        assertEquals("-5", state.get("payload.patch.t"));

        final byte[] to = "xxguest-abcxx".getBytes(StandardCharsets.US_ASCII);
        final Map<String, String> offer = flatten(writer.sdp(false, ROOM, HIGH, FleetState.msgIdLow(4), 4, to, 2, 9, 77));
        assertEquals("webrtc_offer", offer.get("type"));
        assertEquals("guest-abc", offer.get("to"));
        assertTrue(offer.get("payload.sdp").endsWith("lg t=77"));
        assertEquals("webrtc_answer",
            flatten(writer.sdp(true, ROOM, HIGH, FleetState.msgIdLow(5), 5, to, 2, 9, 77)).get("type"));

        final Map<String, String> ice = flatten(writer.ice(ROOM, HIGH, FleetState.msgIdLow(6), 6, to, 2, 9, 50_001));
        assertEquals("ice_candidate", ice.get("type"));
        assertTrue(ice.get("payload.candidate").contains(" 50001 typ host"));
        assertEquals("0", ice.get("payload.sdpMLineIndex"));
    }

    private Map<String, String> flatten(final int length) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(writer.buffer(), 0, length))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            flattenObject(parser, "", fields);
            assertEquals(null, parser.nextToken(), "exactly one JSON object");
        }
        return fields;
    }

    private static void flattenObject(final JsonParser parser, final String prefix, final Map<String, String> fields)
        throws IOException
    {
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = prefix + parser.currentName();
            if (JsonToken.START_OBJECT == parser.nextToken())
            {
                flattenObject(parser, name + ".", fields);
            }
            else
            {
                fields.put(name, parser.getText());
            }
        }
    }
}
