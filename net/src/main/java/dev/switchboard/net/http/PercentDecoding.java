package dev.switchboard.net.http;

/**
 * The one percent-decoder (RFC 3986 section 2.1) of request paths and query strings, a byte at a time and
 * allocation-free: each call returns the decoded byte and how many source bytes it took, packed in one int.
 */
final class PercentDecoding
{
    /** Returned for a '%' not followed by two hex digits. */
    static final int MALFORMED = -1;

    private static final int WIDTH_SHIFT = 8;

    private PercentDecoding()
    {
    }

    /**
     * Decode the byte at {@code p}: {@code %XY} is the byte 0xXY (3 source bytes), {@code +} is a space when
     * {@code plusIsSpace} (form encoding, query strings only), anything else is itself (1 source byte).
     *
     * @param src         the encoded bytes.
     * @param p           where the byte starts; below {@code end}.
     * @param end         end of the encoded range.
     * @param plusIsSpace whether '+' decodes to a space.
     * @return the decoded byte in the low 8 bits and the source bytes taken above them, or {@link #MALFORMED}.
     */
    static int decodeAt(final byte[] src, final int p, final int end, final boolean plusIsSpace)
    {
        final byte b = src[p];
        if ('%' == b)
        {
            if (p + 2 >= end)
            {
                return MALFORMED;
            }
            final int hi = AsciiBytes.hexValue(src[p + 1]);
            final int lo = AsciiBytes.hexValue(src[p + 2]);
            if (hi < 0 || lo < 0)
            {
                return MALFORMED;
            }
            return (3 << WIDTH_SHIFT) | (hi << 4) | lo;
        }
        if (plusIsSpace && '+' == b)
        {
            return (1 << WIDTH_SHIFT) | ' ';
        }
        return (1 << WIDTH_SHIFT) | (b & 0xFF);
    }

    /**
     * Like {@link #decodeAt} with a malformed escape taken as the literal '%' (the lenient reading of query
     * strings).
     *
     * @param src         the encoded bytes.
     * @param p           where the byte starts; below {@code end}.
     * @param end         end of the encoded range.
     * @param plusIsSpace whether '+' decodes to a space.
     * @return the decoded byte in the low 8 bits and the source bytes taken above them.
     */
    static int decodeLenient(final byte[] src, final int p, final int end, final boolean plusIsSpace)
    {
        final int decoded = decodeAt(src, p, end, plusIsSpace);
        return MALFORMED == decoded ? (1 << WIDTH_SHIFT) | '%' : decoded;
    }

    /**
     * The decoded byte of a packed result.
     *
     * @param decoded a result of {@link #decodeAt}, not {@link #MALFORMED}.
     * @return the byte, 0 to 255.
     */
    static int value(final int decoded)
    {
        return decoded & 0xFF;
    }

    /**
     * The source bytes a packed result took.
     *
     * @param decoded a result of {@link #decodeAt}, not {@link #MALFORMED}.
     * @return 1 or 3.
     */
    static int width(final int decoded)
    {
        return decoded >>> WIDTH_SHIFT;
    }
}
