package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Finds the few fields the load generator needs in a server message by scanning its bytes, without building a
 * tree or a String.
 */
public final class JsonScan
{
    private JsonScan()
    {
    }

    /**
     * Pre-encodes a field name as {@code "name"} for {@link #valueIndex}.
     *
     * @param name the field name.
     * @return the quoted name bytes.
     */
    public static byte[] quotedName(final String name)
    {
        return ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Pre-encodes a string value as {@code "value"} for {@link #matches}.
     *
     * @param value the value.
     * @return the quoted value bytes.
     */
    public static byte[] quotedValue(final String value)
    {
        return quotedName(value);
    }

    /**
     * Where the value of the first field with the given quoted name starts.
     *
     * @param buffer     the message.
     * @param offset     first byte to search.
     * @param limit      one past the last byte.
     * @param quotedName the name with its quotes, from {@link #quotedName}.
     * @return index of the value's first byte, or -1 when the field is absent.
     */
    public static int valueIndex(final byte[] buffer, final int offset, final int limit, final byte[] quotedName)
    {
        final int last = limit - quotedName.length;
        for (int i = offset; i <= last; i++)
        {
            if (matches(buffer, i, limit, quotedName))
            {
                int at = skipWhitespace(buffer, i + quotedName.length, limit);
                if (at < limit && ':' == buffer[at])
                {
                    at = skipWhitespace(buffer, at + 1, limit);
                    return at < limit ? at : -1;
                }
            }
        }
        return -1;
    }

    /**
     * Whether the bytes at {@code index} equal the literal.
     *
     * @param buffer  the message.
     * @param index   where to compare.
     * @param limit   one past the last byte.
     * @param literal the bytes to compare with.
     * @return true on equality.
     */
    public static boolean matches(final byte[] buffer, final int index, final int limit, final byte[] literal)
    {
        if (index < 0 || index + literal.length > limit)
        {
            return false;
        }
        for (int k = 0; k < literal.length; k++)
        {
            if (buffer[index + k] != literal[k])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a JSON integer starting at {@code index}.
     *
     * @param buffer       the message.
     * @param index        the first byte of the number.
     * @param limit        one past the last byte.
     * @param defaultValue returned when no digits are there.
     * @return the number, or {@code defaultValue}.
     */
    public static long parseLong(final byte[] buffer, final int index, final int limit, final long defaultValue)
    {
        if (index < 0 || index >= limit)
        {
            return defaultValue;
        }
        int at = index;
        boolean negative = false;
        if ('-' == buffer[at])
        {
            negative = true;
            at++;
        }
        long value = 0;
        int digits = 0;
        while (at < limit && buffer[at] >= '0' && buffer[at] <= '9')
        {
            value = value * 10 + (buffer[at] - '0');
            at++;
            digits++;
        }
        if (0 == digits)
        {
            return defaultValue;
        }
        return negative ? -value : value;
    }

    /**
     * The index of the closing quote of a string whose opening quote is at {@code index}.
     *
     * @param buffer the message.
     * @param index  the opening quote.
     * @param limit  one past the last byte.
     * @return the closing quote's index, or -1 when there is no string there.
     */
    public static int stringEnd(final byte[] buffer, final int index, final int limit)
    {
        if (index < 0 || index >= limit || '"' != buffer[index])
        {
            return -1;
        }
        for (int i = index + 1; i < limit; i++)
        {
            final byte b = buffer[i];
            if ('\\' == b)
            {
                i++;
            }
            else if ('"' == b)
            {
                return i;
            }
        }
        return -1;
    }

    private static int skipWhitespace(final byte[] buffer, final int index, final int limit)
    {
        int at = index;
        while (at < limit && (' ' == buffer[at] || '\t' == buffer[at] || '\n' == buffer[at] || '\r' == buffer[at]))
        {
            at++;
        }
        return at;
    }
}
