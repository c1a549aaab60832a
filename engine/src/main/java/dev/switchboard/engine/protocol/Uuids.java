package dev.switchboard.engine.protocol;

/**
 * Canonical 36-character UUID text to and from two longs, without allocation.
 * <p>
 * Parsing accepts either letter case (msgIds are compared as 128-bit values); formatting writes lower case.
 */
public final class Uuids
{
    /** Length of the canonical form {@code 8-4-4-4-12}. */
    public static final int CANONICAL_LENGTH = 36;

    private static final byte[] HEX = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private Uuids()
    {
    }

    /**
     * Whether the bytes are a canonical UUID: 36 characters, hex digits with dashes at 8, 13, 18 and 23.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true when canonical.
     */
    public static boolean isCanonical(final byte[] src, final int offset, final int length)
    {
        if (CANONICAL_LENGTH != length)
        {
            return false;
        }
        for (int i = 0; i < CANONICAL_LENGTH; i++)
        {
            final byte b = src[offset + i];
            if (8 == i || 13 == i || 18 == i || 23 == i)
            {
                if ('-' != b)
                {
                    return false;
                }
            }
            else if (hexValue(b) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The high 64 bits of a canonical UUID; check {@link #isCanonical} first.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @return the most significant bits.
     */
    public static long parseHigh(final byte[] src, final int offset)
    {
        return parseHex(src, offset, 0, 18);
    }

    /**
     * The low 64 bits of a canonical UUID; check {@link #isCanonical} first.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @return the least significant bits.
     */
    public static long parseLow(final byte[] src, final int offset)
    {
        return parseHex(src, offset, 19, 36);
    }

    /**
     * Write the canonical lower-case form.
     *
     * @param hi     most significant bits.
     * @param lo     least significant bits.
     * @param dst    destination.
     * @param offset where to write.
     * @return {@link #CANONICAL_LENGTH}.
     */
    public static int write(final long hi, final long lo, final byte[] dst, final int offset)
    {
        int p = offset;
        for (int i = 0; i < 16; i++)
        {
            if (8 == i || 12 == i)
            {
                dst[p++] = '-';
            }
            dst[p++] = HEX[(int)(hi >>> (60 - 4 * i)) & 0xF];
        }
        for (int i = 0; i < 16; i++)
        {
            if (0 == i || 4 == i)
            {
                dst[p++] = '-';
            }
            dst[p++] = HEX[(int)(lo >>> (60 - 4 * i)) & 0xF];
        }
        return CANONICAL_LENGTH;
    }

    private static long parseHex(final byte[] src, final int offset, final int from, final int to)
    {
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final int digit = hexValue(src[offset + i]);
            if (digit >= 0)
            {
                value = (value << 4) | digit;
            }
        }
        return value;
    }

    private static int hexValue(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }
}
