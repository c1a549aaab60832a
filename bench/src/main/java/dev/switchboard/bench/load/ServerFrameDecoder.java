package dev.switchboard.bench.load;

/**
 * Decodes server-to-client WebSocket frames from a byte range: only whole frames are consumed, the rest is left for
 * the next read.
 */
public final class ServerFrameDecoder
{
    /** The server sent a masked frame, which RFC 6455 forbids. */
    public static final int ERROR_MASKED = -1;

    /** RSV bits were set although no extension was negotiated. */
    public static final int ERROR_RSV = -2;

    /** The opcode is reserved. */
    public static final int ERROR_OPCODE = -3;

    /** The frame is longer than the largest frame the client accepts. */
    public static final int ERROR_TOO_LARGE = -4;

    /** A control frame was fragmented or carries more than 125 bytes. */
    public static final int ERROR_CONTROL = -5;

    /** Receives each decoded frame. */
    public interface FrameHandler
    {
        /**
         * One whole frame; the payload is only valid during the call.
         *
         * @param opcode        the frame opcode.
         * @param fin           whether this is the final fragment of a message.
         * @param buffer        the array holding the payload.
         * @param payloadOffset first payload byte.
         * @param payloadLength number of payload bytes.
         */
        void onFrame(int opcode, boolean fin, byte[] buffer, int payloadOffset, int payloadLength);
    }

    private ServerFrameDecoder()
    {
    }

    /**
     * Decodes every whole frame in {@code [offset, limit)}.
     *
     * @param buffer          bytes read from the socket.
     * @param offset          first unread byte.
     * @param limit           one past the last byte read.
     * @param maxPayloadBytes largest payload accepted.
     * @param handler         receives each frame.
     * @return bytes consumed (a partial frame at the end is not consumed), or a negative {@code ERROR_} code.
     */
    public static int decode(
        final byte[] buffer, final int offset, final int limit, final int maxPayloadBytes, final FrameHandler handler)
    {
        int at = offset;
        while (limit - at >= 2)
        {
            final int b0 = buffer[at] & 0xFF;
            final int b1 = buffer[at + 1] & 0xFF;
            if (0 != (b1 & 0x80))
            {
                return ERROR_MASKED;
            }
            if (0 != (b0 & 0x70))
            {
                return ERROR_RSV;
            }
            final int opcode = b0 & 0x0F;
            final boolean fin = 0 != (b0 & 0x80);
            final boolean control = 0 != (opcode & 0x08);
            if ((opcode > ClientFrameEncoder.OPCODE_BINARY && opcode < ClientFrameEncoder.OPCODE_CLOSE) || opcode > 0xA)
            {
                return ERROR_OPCODE;
            }
            final int length7 = b1 & 0x7F;
            if (control && (!fin || length7 > 125))
            {
                return ERROR_CONTROL;
            }
            int headerBytes = 2;
            long payloadLength = length7;
            if (126 == length7)
            {
                if (limit - at < 4)
                {
                    break;
                }
                payloadLength = ((buffer[at + 2] & 0xFF) << 8) | (buffer[at + 3] & 0xFF);
                headerBytes = 4;
            }
            else if (127 == length7)
            {
                if (limit - at < 10)
                {
                    break;
                }
                payloadLength = 0;
                for (int i = 2; i < 10; i++)
                {
                    payloadLength = (payloadLength << 8) | (buffer[at + i] & 0xFF);
                }
                headerBytes = 10;
                if (payloadLength < 0)
                {
                    return ERROR_TOO_LARGE;
                }
            }
            if (payloadLength > maxPayloadBytes)
            {
                return ERROR_TOO_LARGE;
            }
            if (limit - at - headerBytes < payloadLength)
            {
                break;
            }
            handler.onFrame(opcode, fin, buffer, at + headerBytes, (int)payloadLength);
            at += headerBytes + (int)payloadLength;
        }
        return at - offset;
    }
}
