package dev.switchboard.engine.protocol;

import dev.switchboard.engine.outbound.Frame;

import java.nio.charset.StandardCharsets;

/**
 * Appends UTF-8 JSON text to a {@link Frame} at {@link Frame#PAYLOAD_OFFSET}, growing the frame as needed,
 * without allocation: numbers are written digit by digit, pre-escaped bytes are copied as they are and other text
 * goes through {@link JsonEscaper}.
 */
public final class JsonWriter
{
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private Frame frame;
    private byte[] buffer;
    private int position;
    private char[] chars = new char[64];

    /**
     * Start writing into a frame from {@link Frame#PAYLOAD_OFFSET}.
     *
     * @param frame the frame to write.
     * @return this writer.
     */
    public JsonWriter wrap(final Frame frame)
    {
        this.frame = frame;
        this.buffer = frame.buffer();
        this.position = Frame.PAYLOAD_OFFSET;
        return this;
    }

    /**
     * JSON bytes written so far.
     *
     * @return length in bytes.
     */
    public int length()
    {
        return position - Frame.PAYLOAD_OFFSET;
    }

    /**
     * Seal the frame as a text frame of the bytes written and let go of it.
     *
     * @return the sealed frame.
     */
    public Frame seal()
    {
        final Frame sealed = frame.sealText(length());
        frame = null;
        buffer = null;
        return sealed;
    }

    /**
     * Append one ASCII byte.
     *
     * @param b the byte.
     * @return this writer.
     */
    public JsonWriter raw(final byte b)
    {
        ensure(1);
        buffer[position++] = b;
        return this;
    }

    /**
     * Append bytes as they are (pre-encoded JSON).
     *
     * @param src the bytes.
     * @return this writer.
     */
    public JsonWriter raw(final byte[] src)
    {
        return raw(src, 0, src.length);
    }

    /**
     * Append a range of bytes as they are (pre-encoded JSON).
     *
     * @param src    source.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public JsonWriter raw(final byte[] src, final int offset, final int length)
    {
        ensure(length);
        System.arraycopy(src, offset, buffer, position, length);
        position += length;
        return this;
    }

    /**
     * Append a decimal integer.
     *
     * @param value the value.
     * @return this writer.
     */
    public JsonWriter number(final long value)
    {
        if (Long.MIN_VALUE == value)
        {
            return raw(MIN_LONG);
        }
        ensure(20);
        long v = value;
        if (v < 0)
        {
            buffer[position++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10)
        {
            digits++;
        }
        int p = position + digits;
        position = p;
        do
        {
            buffer[--p] = (byte)('0' + (v % 10));
            v /= 10;
        }
        while (v != 0);
        return this;
    }

    /**
     * Append a string whose bytes are already JSON-escaped, adding the quotes.
     *
     * @param src    source.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public JsonWriter quoted(final byte[] src, final int offset, final int length)
    {
        ensure(length + 2);
        buffer[position++] = '"';
        System.arraycopy(src, offset, buffer, position, length);
        position += length;
        buffer[position++] = '"';
        return this;
    }

    /**
     * Append a string of raw UTF-8 bytes, quoted and escaped by {@link JsonEscaper}.
     *
     * @param src    source.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this writer.
     */
    public JsonWriter escaped(final byte[] src, final int offset, final int length)
    {
        ensure(JsonEscaper.escapedLength(src, offset, length) + 2);
        buffer[position++] = '"';
        position = JsonEscaper.escape(src, offset, length, buffer, position);
        buffer[position++] = '"';
        return this;
    }

    /**
     * Append a string of characters, quoted, escaped by {@link JsonEscaper} and encoded as UTF-8.
     *
     * @param text the text.
     * @return this writer.
     */
    public JsonWriter escaped(final CharSequence text)
    {
        final int length = text.length();
        if (chars.length < length)
        {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        for (int i = 0; i < length; i++)
        {
            chars[i] = text.charAt(i);
        }
        ensure(JsonEscaper.escapedLength(chars, 0, length) + 2);
        buffer[position++] = '"';
        position = JsonEscaper.escape(chars, 0, length, buffer, position);
        buffer[position++] = '"';
        return this;
    }

    /**
     * Append a quoted canonical lower-case UUID.
     *
     * @param hi most significant bits.
     * @param lo least significant bits.
     * @return this writer.
     */
    public JsonWriter uuid(final long hi, final long lo)
    {
        ensure(Uuids.CANONICAL_LENGTH + 2);
        buffer[position++] = '"';
        position += Uuids.write(hi, lo, buffer, position);
        buffer[position++] = '"';
        return this;
    }

    /**
     * Append {@code true} or {@code false}.
     *
     * @param value the value.
     * @return this writer.
     */
    public JsonWriter bool(final boolean value)
    {
        return raw(value ? TRUE : FALSE);
    }

    /**
     * Append {@code null}.
     *
     * @return this writer.
     */
    public JsonWriter nullValue()
    {
        return raw(NULL);
    }

    private void ensure(final int bytes)
    {
        if (position + bytes > buffer.length)
        {
            frame.ensurePayloadCapacity(position - Frame.PAYLOAD_OFFSET + bytes);
            buffer = frame.buffer();
        }
    }
}
