package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayEnvelopeTest
{
    private final RelayEnvelope envelope = new RelayEnvelope();

    @Test
    void shouldReadEnvelopeFieldsAndKeepPayloadAsByteRangeOfTheInput()
    {
        final String json = "{\"type\":\"game_event\",\"msgId\":\"m-1\",\"roomId\":\"r1\",\"seq\":7,\"extra\":[1,{\"a\":2}]," +
            "\"payload\":{\"t\":123,\"nested\":{\"x\":[1,2]}}}";
        final byte[] buffer = ("xxxx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        assertTrue(envelope.parse(buffer, 4, json.length()));
        assertEquals("game_event", envelope.type);
        assertEquals("m-1", envelope.msgId);
        assertEquals("r1", envelope.roomId);
        assertEquals(7L, envelope.seq);
        assertEquals("{\"t\":123,\"nested\":{\"x\":[1,2]}}",
            new String(buffer, envelope.payloadOffset, envelope.payloadLength, StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadJoinRole()
    {
        final byte[] buffer = "{\"payload\":{\"role\":\"host\"},\"type\":\"join\"}".getBytes(StandardCharsets.UTF_8);
        assertTrue(envelope.parse(buffer, 0, buffer.length));
        assertEquals("join", envelope.type);
        assertEquals("host", envelope.role);
    }

    @Test
    void shouldRejectMalformedJsonAndResetFields()
    {
        final byte[] good = "{\"type\":\"ping\",\"ts\":5}".getBytes(StandardCharsets.UTF_8);
        assertTrue(envelope.parse(good, 0, good.length));
        assertEquals(5L, envelope.ts);
        final byte[] bad = "{\"type\":".getBytes(StandardCharsets.UTF_8);
        assertFalse(envelope.parse(bad, 0, bad.length));
        assertNull(envelope.type);
        assertEquals(-1, envelope.payloadOffset);
    }
}
