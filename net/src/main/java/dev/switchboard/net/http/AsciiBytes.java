package dev.switchboard.net.http;

/**
 * Allocation-free helpers over ASCII bytes shared by the HTTP classes of this package.
 */
final class AsciiBytes
{
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];
    private static final byte[] LOWER = new byte[256];

    static
    {
        for (int c = '0'; c <= '9'; c++)
        {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++)
        {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        final String extra = "!#$%&'*+-.^_`|~";
        for (int i = 0; i < extra.length(); i++)
        {
            TCHAR[extra.charAt(i)] = true;
        }
        for (int i = 0; i < 256; i++)
        {
            LOWER[i] = (byte)(i >= 'A' && i <= 'Z' ? i + 32 : i);
        }
    }

    private AsciiBytes()
    {
    }

    static boolean isTokenChar(final byte b)
    {
        return TCHAR[b & 0xFF];
    }

    static byte toLower(final byte b)
    {
        return LOWER[b & 0xFF];
    }

    static boolean isOws(final byte b)
    {
        return SP == b || HTAB == b;
    }

    /** Whitespace inside a header value, including the CR LF left by obsolete line folding. */
    static boolean isValueSpace(final byte b)
    {
        return SP == b || HTAB == b || CR == b || LF == b;
    }

    static int hexValue(final byte b)
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

    /** Case-insensitive comparison of a byte range with lower-case ASCII bytes. */
    static boolean equalsLowerCase(final byte[] buffer, final int offset, final int length, final byte[] lowerCase)
    {
        if (length != lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (LOWER[buffer[offset + i] & 0xFF] != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(final String text)
    {
        final byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++)
        {
            final char c = text.charAt(i);
            if (c > 0x7E || (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
            {
                throw new IllegalArgumentException("not printable ASCII: " + text);
            }
            bytes[i] = (byte)c;
        }
        return bytes;
    }

    static int writeAscii(final String text, final byte[] dst, final int offset)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            dst[offset + i] = (byte)text.charAt(i);
        }
        return length;
    }

    static int writeBytes(final byte[] src, final byte[] dst, final int offset)
    {
        System.arraycopy(src, 0, dst, offset, src.length);
        return src.length;
    }

    static int decimalDigits(final int value)
    {
        int digits = 1;
        int v = value;
        while (v >= 10)
        {
            v /= 10;
            digits++;
        }
        return digits;
    }

    static int writeDecimal(final int value, final byte[] dst, final int offset)
    {
        final int digits = decimalDigits(value);
        int v = value;
        for (int i = offset + digits - 1; i >= offset; i--)
        {
            dst[i] = (byte)('0' + v % 10);
            v /= 10;
        }
        return digits;
    }
}
