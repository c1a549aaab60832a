package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonScanTest
{
    private static final byte[] T = JsonScan.quotedName("t");
    private static final byte[] TYPE = JsonScan.quotedName("type");

    @Test
    void shouldFindFieldValueWithoutConfusingLongerNames()
    {
        final byte[] json = bytes("{\"type\":\"game_event\",\"ts\":17,\"payload\":{\"t\": 123456789,\"n\":4}}");
        final int at = JsonScan.valueIndex(json, 0, json.length, T);
        assertEquals(123_456_789L, JsonScan.parseLong(json, at, json.length, -1));
        assertTrue(JsonScan.matches(json, JsonScan.valueIndex(json, 0, json.length, TYPE), json.length,
            JsonScan.quotedValue("game_event")));
    }

    @Test
    void shouldReportAbsentFieldsAndMissingNumbers()
    {
        final byte[] json = bytes("{\"type\":\"ack\",\"for\":\"x\"}");
        assertEquals(-1, JsonScan.valueIndex(json, 0, json.length, T));
        assertEquals(-7L, JsonScan.parseLong(json, -1, json.length, -7));
        assertEquals(-7L, JsonScan.parseLong(json, 1, json.length, -7));
    }

    @Test
    void shouldParseNegativeNumbers()
    {
        final byte[] json = bytes("-42}");
        assertEquals(-42L, JsonScan.parseLong(json, 0, json.length, 0));
    }

    @Test
    void shouldFindEndOfStringPastEscapedQuotes()
    {
        final byte[] json = bytes("\"a\\\"b\",");
        assertEquals(5, JsonScan.stringEnd(json, 0, json.length));
        assertEquals(-1, JsonScan.stringEnd(json, 1, json.length));
    }

    @Test
    void shouldNotMatchBeyondLimit()
    {
        final byte[] json = bytes("\"ack\"");
        assertFalse(JsonScan.matches(json, 0, 4, JsonScan.quotedValue("ack")));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
