package dev.switchboard.engine.protocol;

/**
 * The one JSON string escaper: writes text as the UTF-8 content of a JSON string (without the quotes).
 * <p>
 * Quote and backslash get a backslash; backspace, form feed, newline, carriage return and tab get their short
 * escapes; every other character below 0x20 becomes {@code \\u00XX}; anything else is written as UTF-8, except a
 * lone surrogate, which has no UTF-8 form and becomes a {@code \\u} escape with four hex digits. Two sources share these rules:
 * UTF-16 characters (the decoder's parsed strings, the writer's text) and raw UTF-8 bytes (whose bytes from 0x80 up
 * are copied as they are). Each has a length method that sizes the destination first, so the caller grows its
 * buffer once and the escape itself never checks bounds. Stateless and allocation-free.
 */
public final class JsonEscaper
{
    /** Most bytes one UTF-16 character or one UTF-8 byte can escape to (a {@code \\u} escape with four hex digits). */
    public static final int MAX_BYTES_PER_CHAR = 6;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private JsonEscaper()
    {
    }

    /**
     * Number of bytes {@link #escape(char[], int, int, byte[], int)} writes for the given text.
     *
     * @param src    the text.
     * @param offset index of its first character.
     * @param length number of characters.
     * @return the escaped UTF-8 length.
     */
    public static int escapedLength(final char[] src, final int offset, final int length)
    {
        int n = 0;
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            final char c = src[i];
            if (c < 0x80)
            {
                n += asciiEscapedLength(c);
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isSurrogate(c))
            {
                if (isPairAt(src, i, end))
                {
                    i++;
                    n += 4;
                }
                else
                {
                    n += 6;
                }
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Write UTF-16 text as the UTF-8 content of a JSON string; dst needs room for
     * {@link #escapedLength(char[], int, int)} bytes.
     *
     * @param src       the text.
     * @param offset    index of its first character.
     * @param length    number of characters.
     * @param dst       destination.
     * @param dstOffset index of the first byte to write.
     * @return the index after the last byte written.
     */
    public static int escape(final char[] src, final int offset, final int length, final byte[] dst, final int dstOffset)
    {
        int p = dstOffset;
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            final char c = src[i];
            if (c < 0x80)
            {
                p = escapeAscii(c, dst, p);
            }
            else if (c < 0x800)
            {
                dst[p++] = (byte)(0xC0 | (c >> 6));
                dst[p++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                if (isPairAt(src, i, end))
                {
                    final int cp = Character.toCodePoint(c, src[++i]);
                    dst[p++] = (byte)(0xF0 | (cp >> 18));
                    dst[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    dst[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    dst[p++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    p = unicodeEscape(c, dst, p);
                }
            }
            else
            {
                dst[p++] = (byte)(0xE0 | (c >> 12));
                dst[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                dst[p++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    /**
     * Number of bytes {@link #escape(byte[], int, int, byte[], int)} writes for the given UTF-8 bytes.
     *
     * @param src    the UTF-8 bytes.
     * @param offset index of the first byte.
     * @param length number of bytes.
     * @return the escaped length.
     */
    public static int escapedLength(final byte[] src, final int offset, final int length)
    {
        int n = 0;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final int b = src[i] & 0xFF;
            n += b < 0x80 ? asciiEscapedLength(b) : 1;
        }
        return n;
    }

    /**
     * Write raw UTF-8 bytes as the content of a JSON string, escaping the ASCII characters JSON requires and copying
     * the rest; dst needs room for {@link #escapedLength(byte[], int, int)} bytes.
     *
     * @param src       the UTF-8 bytes.
     * @param offset    index of the first byte.
     * @param length    number of bytes.
     * @param dst       destination.
     * @param dstOffset index of the first byte to write.
     * @return the index after the last byte written.
     */
    public static int escape(final byte[] src, final int offset, final int length, final byte[] dst, final int dstOffset)
    {
        int p = dstOffset;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final int b = src[i] & 0xFF;
            if (b < 0x80)
            {
                p = escapeAscii(b, dst, p);
            }
            else
            {
                dst[p++] = (byte)b;
            }
        }
        return p;
    }

    private static boolean isPairAt(final char[] src, final int i, final int end)
    {
        return Character.isHighSurrogate(src[i]) && i + 1 < end && Character.isLowSurrogate(src[i + 1]);
    }

    private static int asciiEscapedLength(final int c)
    {
        if (c >= 0x20 && '"' != c && '\\' != c)
        {
            return 1;
        }
        return c >= 0x20 || '\b' == c || '\f' == c || '\n' == c || '\r' == c || '\t' == c ? 2 : 6;
    }

    private static int escapeAscii(final int c, final byte[] dst, final int offset)
    {
        int p = offset;
        if (c >= 0x20 && '"' != c && '\\' != c)
        {
            dst[p++] = (byte)c;
            return p;
        }
        switch (c)
        {
            case '"':
            case '\\':
                dst[p++] = '\\';
                dst[p++] = (byte)c;
                return p;
            case '\b':
                return shortEscape('b', dst, p);
            case '\f':
                return shortEscape('f', dst, p);
            case '\n':
                return shortEscape('n', dst, p);
            case '\r':
                return shortEscape('r', dst, p);
            case '\t':
                return shortEscape('t', dst, p);
            default:
                return unicodeEscape(c, dst, p);
        }
    }

    private static int shortEscape(final char letter, final byte[] dst, final int offset)
    {
        dst[offset] = '\\';
        dst[offset + 1] = (byte)letter;
        return offset + 2;
    }

    private static int unicodeEscape(final int c, final byte[] dst, final int offset)
    {
        int p = offset;
        dst[p++] = '\\';
        dst[p++] = 'u';
        dst[p++] = HEX[(c >> 12) & 0xF];
        dst[p++] = HEX[(c >> 8) & 0xF];
        dst[p++] = HEX[(c >> 4) & 0xF];
        dst[p++] = HEX[c & 0xF];
        return p;
    }
}
