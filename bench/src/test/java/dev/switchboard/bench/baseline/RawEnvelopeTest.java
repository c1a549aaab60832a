package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.JsonScan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawEnvelopeTest
{
    private final RawEnvelope envelope = new RawEnvelope();

    @Test
    void shouldFindEveryFieldAsARangeOfTheInput()
    {
        wrap("{\"type\":\"game_event\",\"msgId\":\"m-1\",\"roomId\":\"r1\",\"to\":\"u-7\",\"seq\":42,\"ts\":-5," +
            "\"payload\":{\"t\":1,\"s\":\"}]\\\"\"}}");

        assertTrue(envelope.hasType());
        assertTrue(envelope.typeIs(JsonScan.quotedValue("game_event")));
        assertFalse(envelope.typeIs(JsonScan.quotedValue("game_state")));
        assertEquals("\"game_event\"", range(envelope.typeStart(), envelope.typeEnd() + 1));
        assertEquals("m-1", range(envelope.msgIdStart(), envelope.msgIdEnd()));
        assertEquals("r1", range(envelope.roomIdStart(), envelope.roomIdEnd()));
        assertEquals("u-7", range(envelope.toStart(), envelope.toEnd()));
        assertEquals("42", range(envelope.seqStart(), envelope.seqEnd()));
        assertEquals("-5", range(envelope.tsStart(), envelope.tsEnd()));
        assertEquals("{\"t\":1,\"s\":\"}]\\\"\"}", range(envelope.payloadStart(), envelope.payloadEnd()));
    }

    @Test
    void shouldNotTakeFieldsFromInsideOrAfterThePayload()
    {
        wrap("{\"type\":\"game_event\",\"payload\":{\"msgId\":\"inner\",\"roomId\":\"inner\"},\"seq\":3}");

        assertEquals(-1, envelope.msgIdStart());
        assertEquals(-1, envelope.msgIdEnd());
        assertEquals(-1, envelope.roomIdStart());
        assertEquals(-1, envelope.seqStart());
        assertEquals("{\"msgId\":\"inner\",\"roomId\":\"inner\"}",
            range(envelope.payloadStart(), envelope.payloadEnd()));
    }

    @Test
    void shouldMarkAbsentOrMalformedFields()
    {
        wrap("{\"msgId\":5,\"seq\":\"7\",\"ts\":x,\"payload\":\"text\"}");

        assertFalse(envelope.hasType());
        assertEquals(-1, envelope.msgIdStart());
        assertEquals(-1, envelope.roomIdStart());
        assertEquals(-1, envelope.seqStart());
        assertEquals(-1, envelope.tsStart());
        assertEquals(-1, envelope.toStart());
        assertEquals(-1, envelope.payloadStart());
        assertEquals(-1, envelope.payloadEnd());
    }

    @Test
    void shouldRefuseANumberOrUnterminatedStringAsType()
    {
        wrap("{\"type\":5}");
        assertFalse(envelope.hasType());
        wrap("{\"type\":\"join}");
        assertFalse(envelope.hasType());
        wrap("{\"type\":\"join\"}");
        assertTrue(envelope.hasType());
        assertTrue(envelope.typeIs(JsonScan.quotedValue("join")));
    }

    @Test
    void shouldDropAnUnterminatedPayloadObject()
    {
        wrap("{\"type\":\"join\",\"payload\":{\"role\":\"host\"");
        assertEquals(-1, envelope.payloadStart());
        assertFalse(envelope.roleIsHost());
    }

    @Test
    void shouldReadTheHostRoleFromThePayloadOnly()
    {
        wrap("{\"type\":\"join\",\"roomId\":\"r\",\"msgId\":\"m\",\"payload\":{\"role\":\"host\"}}");
        assertTrue(envelope.roleIsHost());
        wrap("{\"type\":\"join\",\"roomId\":\"r\",\"msgId\":\"m\",\"payload\":{\"role\":\"viewer\"}}");
        assertFalse(envelope.roleIsHost());
        wrap("{\"type\":\"join\",\"role\":\"host\",\"roomId\":\"r\",\"msgId\":\"m\"}");
        assertFalse(envelope.roleIsHost(), "a role outside the payload is ignored");
    }

    @Test
    void shouldRewrapWithoutKeepingTheLastMessagesFields()
    {
        wrap("{\"type\":\"game_event\",\"msgId\":\"m\",\"roomId\":\"r\",\"seq\":1,\"payload\":{}}");
        wrap("{\"type\":\"ping\"}");

        assertTrue(envelope.typeIs(JsonScan.quotedValue("ping")));
        assertEquals(-1, envelope.msgIdStart());
        assertEquals(-1, envelope.roomIdStart());
        assertEquals(-1, envelope.seqStart());
        assertEquals(-1, envelope.payloadStart());
    }

    @Test
    void shouldOnlyLookWithinTheGivenLength()
    {
        final byte[] in = "{\"type\":\"join\",\"msgId\":\"m\"}".getBytes(StandardCharsets.US_ASCII);
        envelope.wrap(in, 16);
        assertTrue(envelope.hasType());
        assertEquals(-1, envelope.msgIdStart());
    }

    @Test
    void shouldFindTheEndOfNestedObjectsAndArraysSkippingStrings()
    {
        final byte[] in = "x{\"a\":[1,{\"b\":\"]}\"}],\"c\":\"\\\"}\"}tail".getBytes(StandardCharsets.US_ASCII);
        assertEquals(in.length - 5, RawEnvelope.objectEnd(in, 1, in.length));
        assertEquals(-1, RawEnvelope.objectEnd(in, 1, in.length - 6), "not closed within the limit");
        final byte[] open = "{\"a\":\"}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, RawEnvelope.objectEnd(open, 0, open.length), "an unterminated string hides the brace");
    }

    private void wrap(final String json)
    {
        final byte[] in = json.getBytes(StandardCharsets.US_ASCII);
        envelope.wrap(in, in.length);
    }

    private String range(final int start, final int end)
    {
        assertTrue(start >= 0 && end >= start, start + ".." + end);
        return new String(envelope.bytes(), start, end - start, StandardCharsets.US_ASCII);
    }
}
