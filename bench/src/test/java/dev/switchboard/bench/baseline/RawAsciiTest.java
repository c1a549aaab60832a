package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RawAsciiTest
{
    @Test
    void shouldFormatLongsLikeLongToString()
    {
        final long[] values = {0, 1, 9, 10, 99, 100, -1, -42, 1_733_000_000_123L, Integer.MAX_VALUE, Long.MAX_VALUE,
            -Long.MAX_VALUE};
        final byte[] out = new byte[RawAscii.MAX_LONG_DIGITS];
        for (final long value : values)
        {
            final int length = RawAscii.formatLong(value, out);
            assertEquals(Long.toString(value), new String(out, 0, length, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldWriteOnlyTheDigitsAndLeaveTheRestOfTheBuffer()
    {
        final byte[] out = "xxxxxxxx".getBytes(StandardCharsets.US_ASCII);
        assertEquals(3, RawAscii.formatLong(123, out));
        assertArrayEquals("123xxxxx".getBytes(StandardCharsets.US_ASCII), out);
    }

    @Test
    void shouldEncodeTemplatesAsAscii()
    {
        assertArrayEquals(new byte[]{'{', '"', 'a', '"', '}'}, RawAscii.ascii("{\"a\"}"));
    }
}
