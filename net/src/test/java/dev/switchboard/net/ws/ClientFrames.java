package dev.switchboard.net.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds client-to-server frames for tests: masked unless asked otherwise, with any header bits.
 */
final class ClientFrames
{
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int DEFAULT_MASK = 0x3D21FA37;

    private ClientFrames()
    {
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(final int... values)
    {
        final byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (byte)values[i];
        }
        return result;
    }

    static byte[] text(final String text)
    {
        return frame(true, TEXT, utf8(text));
    }

    static byte[] frame(final boolean fin, final int opcode, final byte[] payload)
    {
        return frame(fin, opcode, payload, DEFAULT_MASK);
    }

    static byte[] frame(final boolean fin, final int opcode, final byte[] payload, final int mask)
    {
        return raw((fin ? 0x80 : 0) | opcode, true, payload.length, payload, mask);
    }

    static byte[] closeFrame(final int code, final byte[] reason)
    {
        final byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return frame(true, CLOSE, payload);
    }

    /**
     * A frame with a chosen first byte, mask bit and length field (minimal encoding); the payload written may be
     * shorter than the length field says.
     */
    static byte[] raw(
        final int firstByte, final boolean masked, final long lengthField, final byte[] payload, final int mask)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        final int maskBit = masked ? 0x80 : 0;
        if (lengthField < 126)
        {
            out.write(maskBit | (int)lengthField);
        }
        else if (lengthField < 65536)
        {
            out.write(maskBit | 126);
            out.write((int)(lengthField >>> 8));
            out.write((int)lengthField);
        }
        else
        {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                out.write((int)(lengthField >>> shift));
            }
        }
        if (masked)
        {
            for (int i = 0; i < 4; i++)
            {
                out.write(mask >>> (24 - 8 * i));
            }
        }
        for (int i = 0; i < payload.length; i++)
        {
            final int maskByte = masked ? (mask >>> (24 - 8 * (i & 3))) & 0xFF : 0;
            out.write((payload[i] ^ maskByte) & 0xFF);
        }
        return out.toByteArray();
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    /**
     * Turn an unmasked server frame into the same frame masked, as a client would send it.
     */
    static byte[] maskServerFrame(final byte[] frame, final int offset, final int length, final int mask)
    {
        final int length7 = frame[offset + 1] & 0x7F;
        final int headerLength = 126 == length7 ? 4 : 127 == length7 ? 10 : 2;
        final byte[] payload = Arrays.copyOfRange(frame, offset + headerLength, offset + length);
        final byte[] header = Arrays.copyOfRange(frame, offset, offset + headerLength);
        header[1] |= (byte)0x80;
        final byte[] masked = raw(frame[offset] & 0xFF, true, payload.length, payload, mask);
        return concat(header, Arrays.copyOfRange(masked, headerLength, masked.length));
    }
}
