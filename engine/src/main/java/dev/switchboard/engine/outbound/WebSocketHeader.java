package dev.switchboard.engine.outbound;

/**
 * The one writer of RFC 6455 frame headers (section 5.2) for server-to-client frames: final or not as the first
 * byte says, never masked, the payload length in 7, 7+16 or 7+64 bits; allocation-free.
 */
public final class WebSocketHeader
{
    /** Longest header of a server frame: 2 bytes plus an 8-byte extended length. */
    public static final int MAX_LENGTH = 10;
    /** First byte of a final text frame: FIN and opcode 0x1. */
    public static final int FINAL_TEXT = 0x81;

    private static final int MAX_7_BIT_LENGTH = 125;
    private static final int MAX_16_BIT_LENGTH = 65535;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;

    private WebSocketHeader()
    {
    }

    /**
     * Length of the header of an unmasked frame carrying the given payload.
     *
     * @param payloadLength payload bytes, not negative.
     * @return 2, 4 or 10.
     */
    public static int length(final int payloadLength)
    {
        if (payloadLength <= MAX_7_BIT_LENGTH)
        {
            return 2;
        }
        return payloadLength <= MAX_16_BIT_LENGTH ? 4 : MAX_LENGTH;
    }

    /**
     * Write an unmasked frame header; {@code dst} must have {@link #length(int)} bytes from {@code offset}.
     *
     * @param dst           destination.
     * @param offset        where the header starts.
     * @param firstByte     FIN, RSV and opcode bits, e.g. {@link #FINAL_TEXT}.
     * @param payloadLength payload bytes, not negative.
     * @return header bytes written, equal to {@link #length(int)}.
     */
    public static int write(final byte[] dst, final int offset, final int firstByte, final int payloadLength)
    {
        dst[offset] = (byte)firstByte;
        if (payloadLength <= MAX_7_BIT_LENGTH)
        {
            dst[offset + 1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= MAX_16_BIT_LENGTH)
        {
            dst[offset + 1] = LENGTH_16_BIT;
            dst[offset + 2] = (byte)(payloadLength >>> 8);
            dst[offset + 3] = (byte)payloadLength;
            return 4;
        }
        dst[offset + 1] = LENGTH_64_BIT;
        dst[offset + 2] = 0;
        dst[offset + 3] = 0;
        dst[offset + 4] = 0;
        dst[offset + 5] = 0;
        dst[offset + 6] = (byte)(payloadLength >>> 24);
        dst[offset + 7] = (byte)(payloadLength >>> 16);
        dst[offset + 8] = (byte)(payloadLength >>> 8);
        dst[offset + 9] = (byte)payloadLength;
        return MAX_LENGTH;
    }
}
