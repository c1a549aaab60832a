package dev.switchboard.bench.load;

/**
 * Encodes client-to-server WebSocket frames (RFC 6455): FIN set, no extensions, always masked as clients must.
 */
public final class ClientFrameEncoder
{
    /** Opcode of a continuation frame. */
    public static final int OPCODE_CONTINUATION = 0x0;

    /** Opcode of a text frame. */
    public static final int OPCODE_TEXT = 0x1;

    /** Opcode of a binary frame. */
    public static final int OPCODE_BINARY = 0x2;

    /** Opcode of a close frame. */
    public static final int OPCODE_CLOSE = 0x8;

    /** Opcode of a ping frame. */
    public static final int OPCODE_PING = 0x9;

    /** Opcode of a pong frame. */
    public static final int OPCODE_PONG = 0xA;

    /** The most header bytes a masked client frame can need: 2 + 8 length bytes + 4 mask bytes. */
    public static final int MAX_HEADER_BYTES = 14;

    private ClientFrameEncoder()
    {
    }

    /**
     * The number of bytes a masked frame with the given payload length occupies.
     *
     * @param payloadLength payload bytes.
     * @return header plus payload bytes.
     */
    public static int frameLength(final int payloadLength)
    {
        final int lengthBytes = payloadLength < 126 ? 0 : (payloadLength <= 0xFFFF ? 2 : 8);
        return 2 + lengthBytes + 4 + payloadLength;
    }

    /**
     * Writes one final, masked frame.
     *
     * @param opcode        the frame opcode.
     * @param src           payload bytes.
     * @param srcOffset     first payload byte.
     * @param payloadLength number of payload bytes.
     * @param maskKey       the four masking-key bytes, first byte in the high bits.
     * @param dst           destination array.
     * @param dstOffset     where the frame starts.
     * @return bytes written, or -1 when {@code dst} has no room for the frame.
     */
    public static int encode(
        final int opcode,
        final byte[] src,
        final int srcOffset,
        final int payloadLength,
        final int maskKey,
        final byte[] dst,
        final int dstOffset)
    {
        final int total = frameLength(payloadLength);
        if (dstOffset + total > dst.length || payloadLength < 0)
        {
            return -1;
        }
        int at = dstOffset;
        dst[at++] = (byte)(0x80 | (opcode & 0x0F));
        if (payloadLength < 126)
        {
            dst[at++] = (byte)(0x80 | payloadLength);
        }
        else if (payloadLength <= 0xFFFF)
        {
            dst[at++] = (byte)(0x80 | 126);
            dst[at++] = (byte)(payloadLength >>> 8);
            dst[at++] = (byte)payloadLength;
        }
        else
        {
            dst[at++] = (byte)(0x80 | 127);
            final long length = payloadLength;
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                dst[at++] = (byte)(length >>> shift);
            }
        }
        final byte m0 = (byte)(maskKey >>> 24);
        final byte m1 = (byte)(maskKey >>> 16);
        final byte m2 = (byte)(maskKey >>> 8);
        final byte m3 = (byte)maskKey;
        dst[at++] = m0;
        dst[at++] = m1;
        dst[at++] = m2;
        dst[at++] = m3;
        int i = 0;
        final int whole = payloadLength & ~3;
        while (i < whole)
        {
            dst[at++] = (byte)(src[srcOffset + i] ^ m0);
            dst[at++] = (byte)(src[srcOffset + i + 1] ^ m1);
            dst[at++] = (byte)(src[srcOffset + i + 2] ^ m2);
            dst[at++] = (byte)(src[srcOffset + i + 3] ^ m3);
            i += 4;
        }
        while (i < payloadLength)
        {
            final int k = i & 3;
            final byte m = 0 == k ? m0 : (1 == k ? m1 : (2 == k ? m2 : m3));
            dst[at++] = (byte)(src[srcOffset + i] ^ m);
            i++;
        }
        return total;
    }

    /**
     * Advances a xorshift state to make the next masking key; keys only need to be unpredictable to the peer's
     * intermediaries, which a load generator on loopback does not have.
     *
     * @param state the previous state, never zero.
     * @return the next state, also usable as a masking key.
     */
    public static int nextMaskKey(final int state)
    {
        int x = state;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x;
    }
}
