package dev.switchboard.bench.baseline;

import java.nio.ByteBuffer;

/**
 * Reads the client frames of the {@link RawWriter} (RFC 6455) out of the read buffer: checks the reserved bits, the
 * mask and the length as soon as each is known, unmasks a complete frame into one reused payload array and hands it
 * to a {@link RawFrameListener}. Fragmented messages are refused. A partial frame is left unconsumed for the next
 * read. Owned by the serving thread; allocates nothing.
 */
final class RawFrameDecoder
{
    /** Largest payload accepted; a longer frame is closed with 1009. */
    static final int MAX_PAYLOAD_BYTES = 65_536;

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;
    private static final int MASK_BYTES = 4;

    private final byte[] payload = new byte[MAX_PAYLOAD_BYTES];
    private final RawFrameListener listener;

    /**
     * Makes a decoder.
     *
     * @param listener told of every complete frame.
     */
    RawFrameDecoder(final RawFrameListener listener)
    {
        this.listener = listener;
    }

    /**
     * Decodes the complete frames in {@code buffer[from, limit)} while the connection is open and not closing.
     *
     * @param connection the sender.
     * @param buffer     the bytes read.
     * @param from       first byte of the next frame.
     * @param limit      one past the last byte read.
     * @return the index after the last frame consumed, or {@code limit} once the frames end with a close.
     */
    int onFrames(final RawConnection connection, final ByteBuffer buffer, final int from, final int limit)
    {
        int at = from;
        while (connection.open && !connection.closeAfterFlush && limit - at >= 2)
        {
            final int b0 = buffer.get(at) & 0xFF;
            final int b1 = buffer.get(at + 1) & 0xFF;
            final boolean fin = 0 != (b0 & 0x80);
            final int opcode = b0 & 0x0F;
            if (0 != (b0 & 0x70) || 0 == (b1 & 0x80))
            {
                listener.onClose(connection, 1002);
                return limit;
            }
            int header = 2;
            long length = b1 & 0x7F;
            if (126 == length)
            {
                if (limit - at < 4)
                {
                    break;
                }
                length = buffer.getShort(at + 2) & 0xFFFF;
                header = 4;
            }
            else if (127 == length)
            {
                if (limit - at < 10)
                {
                    break;
                }
                length = buffer.getLong(at + 2);
                header = 10;
            }
            if (length < 0 || length > MAX_PAYLOAD_BYTES)
            {
                listener.onClose(connection, 1009);
                return limit;
            }
            header += MASK_BYTES;
            final int payloadLength = (int)length;
            if (limit - at < header + payloadLength)
            {
                break;
            }
            unmask(buffer, at + header - MASK_BYTES, at + header, payloadLength);
            at += header + payloadLength;
            if (!fin || OPCODE_CONTINUATION == opcode)
            {
                listener.onClose(connection, 1003);
                return limit;
            }
            if (!dispatch(connection, opcode, payloadLength))
            {
                return limit;
            }
        }
        return at;
    }

    private void unmask(final ByteBuffer buffer, final int maskAt, final int dataAt, final int payloadLength)
    {
        final byte[] payload = this.payload;
        for (int i = 0; i < payloadLength; i++)
        {
            payload[i] = (byte)(buffer.get(dataAt + i) ^ buffer.get(maskAt + (i & 3)));
        }
    }

    private boolean dispatch(final RawConnection connection, final int opcode, final int payloadLength)
    {
        switch (opcode)
        {
            case OPCODE_TEXT:
                listener.onText(connection, payload, payloadLength);
                return true;
            case OPCODE_CLOSE:
                listener.onClose(connection,
                    payloadLength >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1000);
                return false;
            case OPCODE_PING:
                listener.onPing(connection, payload, payloadLength);
                return true;
            case OPCODE_PONG:
                return true;
            default:
                listener.onClose(connection, 1002);
                return false;
        }
    }
}
