package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reading helpers the envelope and payload decoders share: id alphabets, non-negative integers, app-value depth
 * and byte scanning over already validated JSON. Stateless and allocation-free; the parser is passed in because
 * the envelope decoder rebuilds it when its name table grows.
 */
final class JsonTokens
{
    /** A field that was not in the message. */
    static final byte ABSENT = 0;
    /** A field that was present and valid. */
    static final byte VALID = 1;
    /** A field that was present and broke its rule. */
    static final byte BAD = 2;
    /** A field that was present as JSON null. */
    static final byte NULL = 3;

    /** Room id alphabet: letters, digits, {@code _ - .}. */
    static final int ROOM_CHARS = 1;
    /** User id alphabet: the room alphabet plus {@code : @}. */
    static final int USER_CHARS = 2;
    /** Session token alphabet: letters, digits, {@code _ -}. */
    static final int TOKEN_CHARS = 4;

    private static final byte[] ID_CHAR_CLASS = new byte[128];

    static
    {
        for (int c = 'a'; c <= 'z'; c++)
        {
            ID_CHAR_CLASS[c] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
            ID_CHAR_CLASS[c - 'a' + 'A'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        }
        for (int c = '0'; c <= '9'; c++)
        {
            ID_CHAR_CLASS[c] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        }
        ID_CHAR_CLASS['_'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        ID_CHAR_CLASS['-'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        ID_CHAR_CLASS['.'] = ROOM_CHARS | USER_CHARS;
        ID_CHAR_CLASS[':'] = USER_CHARS;
        ID_CHAR_CLASS['@'] = USER_CHARS;
    }

    private JsonTokens()
    {
    }

    /**
     * Copy the parser's current string token into dst when it is 1 to {@link InboundSlot#MAX_ID_LENGTH} characters
     * of the given alphabet.
     *
     * @return the length copied, or -1 when the string breaks the rule.
     */
    static int copyId(final EnvelopeJsonParser parser, final int charClass, final byte[] dst) throws IOException
    {
        final int length = parser.getTextLength();
        if (length < 1 || length > InboundSlot.MAX_ID_LENGTH)
        {
            return -1;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        for (int i = 0; i < length; i++)
        {
            final char c = chars[offset + i];
            if (c > 0x7F || 0 == (ID_CHAR_CLASS[c] & charClass))
            {
                return -1;
            }
            dst[i] = (byte)c;
        }
        return length;
    }

    /**
     * The parser's current token as a JSON integer of at least zero.
     *
     * @return the value, or -1 when the token is not an integer, is negative or does not fit in a long.
     */
    static long nonNegativeLong(final EnvelopeJsonParser parser, final JsonToken token) throws IOException
    {
        if (JsonToken.VALUE_NUMBER_INT != token)
        {
            return -1;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        int i = offset;
        final int end = offset + length;
        final boolean negative = i < end && '-' == chars[i];
        if (negative)
        {
            i++;
        }
        if (i >= end || end - i > 19)
        {
            return -1;
        }
        long value = 0;
        for (; i < end; i++)
        {
            final int digit = chars[i] - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return negative && 0 != value ? -1 : value;
    }

    /**
     * Walk an app value whose opening token (at the given depth) is current, to its closing token.
     *
     * @return false when any part of it is deeper than {@link EnvelopeDecoder#MAX_APP_DEPTH}.
     */
    static boolean skipAppValue(final EnvelopeJsonParser parser, final int openDepth) throws IOException
    {
        boolean valid = openDepth <= EnvelopeDecoder.MAX_APP_DEPTH;
        int depth = openDepth;
        while (depth >= openDepth)
        {
            final JsonToken token = parser.nextToken();
            if (JsonToken.START_OBJECT == token || JsonToken.START_ARRAY == token)
            {
                if (++depth > EnvelopeDecoder.MAX_APP_DEPTH)
                {
                    valid = false;
                }
            }
            else if (JsonToken.END_OBJECT == token || JsonToken.END_ARRAY == token)
            {
                depth--;
            }
        }
        return valid;
    }

    /** Copy the parser's input bytes [start, end) into the slot's payload. */
    static void copyRange(final EnvelopeJsonParser parser, final int start, final int end, final InboundSlot slot)
    {
        final int length = end - start;
        slot.ensurePayloadCapacity(length);
        System.arraycopy(parser.inputBuffer(), start, slot.payload, 0, length);
        slot.payloadLength = length;
    }

    /** True when the parser's current string token equals the expected ASCII bytes. */
    static boolean textEquals(final EnvelopeJsonParser parser, final byte[] expected) throws IOException
    {
        return asciiEquals(expected, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** True when the characters equal the expected ASCII bytes. */
    static boolean asciiEquals(final byte[] expected, final char[] chars, final int offset, final int length)
    {
        if (expected.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (expected[i] != chars[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    /** Index of the first byte at or after from that is not JSON whitespace, or end. */
    static int skipWhitespace(final byte[] buffer, final int from, final int end)
    {
        int p = from;
        while (p < end && isWhitespace(buffer[p]))
        {
            p++;
        }
        return p;
    }

    /** Index of the closing quote of a JSON string whose content starts at from (already validated). */
    static int closingQuote(final byte[] buffer, final int from)
    {
        int p = from;
        while (true)
        {
            final byte b = buffer[p];
            if ('\\' == b)
            {
                p += 2;
            }
            else if ('"' == b)
            {
                return p;
            }
            else
            {
                p++;
            }
        }
    }

    /** Index of the first byte of a value after the whitespace and colon that follow a field name. */
    static int skipColon(final byte[] buffer, final int from)
    {
        int p = from;
        while (':' == buffer[p] || isWhitespace(buffer[p]))
        {
            p++;
        }
        return p;
    }

    /** The ASCII bytes of a constant. */
    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isWhitespace(final byte b)
    {
        return ' ' == b || '\t' == b || '\n' == b || '\r' == b;
    }
}
