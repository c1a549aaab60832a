package dev.switchboard.bench.baseline;

import java.nio.charset.StandardCharsets;

/**
 * ASCII bytes for the {@link RawWriter}: its templates made once at class load, and decimal numbers written into a
 * caller's buffer without a String.
 */
final class RawAscii
{
    /** Bytes enough for any long in decimal, sign included. */
    static final int MAX_LONG_DIGITS = 20;

    private RawAscii()
    {
    }

    /**
     * The ASCII bytes of a template.
     *
     * @param text the template, ASCII only.
     * @return its bytes.
     */
    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a long in decimal at the start of {@code out}; {@link Long#MIN_VALUE} is not supported.
     *
     * @param value the number.
     * @param out   at least {@link #MAX_LONG_DIGITS} bytes.
     * @return the number of bytes written.
     */
    static int formatLong(final long value, final byte[] out)
    {
        long v = value;
        if (0 == v)
        {
            out[0] = '0';
            return 1;
        }
        int length = 0;
        final boolean negative = v < 0;
        if (negative)
        {
            out[length++] = '-';
            v = -v;
        }
        int count = 0;
        for (long x = v; x != 0; x /= 10)
        {
            count++;
        }
        int at = length + count - 1;
        while (v != 0)
        {
            out[at--] = (byte)('0' + (v % 10));
            v /= 10;
        }
        return length + count;
    }
}
