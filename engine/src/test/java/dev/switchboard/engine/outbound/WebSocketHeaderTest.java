package dev.switchboard.engine.outbound;

import dev.switchboard.engine.codes.MessageType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WebSocketHeaderTest
{
    private static final int[] EDGE_LENGTHS = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537, 65538,
        65539, 1 << 20};

    /** The payload length a strict reader takes from the header (RFC 6455 section 5.2), or -1 when malformed. */
    private static long readLength(final byte[] header, final int offset)
    {
        final int len7 = header[offset + 1] & 0x7F;
        if (0 != (header[offset + 1] & 0x80))
        {
            return -1;
        }
        if (len7 < 126)
        {
            return len7;
        }
        if (126 == len7)
        {
            final int len16 = ((header[offset + 2] & 0xFF) << 8) | (header[offset + 3] & 0xFF);
            return len16 < 126 ? -1 : len16;
        }
        long len64 = 0;
        for (int i = 2; i < 10; i++)
        {
            len64 = (len64 << 8) | (header[offset + i] & 0xFF);
        }
        return len64 < 65536 || len64 < 0 ? -1 : len64;
    }

    @Test
    void shouldWriteTheMinimalEncodingAtEveryLengthWhereItChanges()
    {
        for (final int length : EDGE_LENGTHS)
        {
            final byte[] dst = new byte[3 + WebSocketHeader.MAX_LENGTH];
            final int written = WebSocketHeader.write(dst, 3, WebSocketHeader.FINAL_TEXT, length);
            final int expectedLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
            assertEquals(expectedLength, written, "header bytes for " + length);
            assertEquals(expectedLength, WebSocketHeader.length(length), "length() for " + length);
            assertEquals((byte)0x81, dst[3], "FIN and text opcode for " + length);
            assertEquals(length, readLength(dst, 3), "decoded length for " + length);
        }
    }

    @Test
    void shouldSealEngineFramesWithTheSameHeaderBytes()
    {
        final FramePool pool = new FramePool(16, null);
        for (final int length : EDGE_LENGTHS)
        {
            final Frame frame = pool.acquire(length, MessageType.UNKNOWN, false);
            frame.ensurePayloadCapacity(length);
            Arrays.fill(frame.buffer(), Frame.PAYLOAD_OFFSET, Frame.PAYLOAD_OFFSET + length, (byte)'x');
            frame.sealText(length);

            final byte[] expected = new byte[WebSocketHeader.MAX_LENGTH];
            final int headerLength = WebSocketHeader.write(expected, 0, WebSocketHeader.FINAL_TEXT, length);
            assertEquals(Frame.PAYLOAD_OFFSET - headerLength, frame.offset(), "header ends where the payload starts");
            assertEquals(headerLength + length, frame.length());
            assertEquals(length, frame.payloadLength());
            assertArrayEquals(Arrays.copyOf(expected, headerLength),
                Arrays.copyOfRange(frame.buffer(), frame.offset(), frame.offset() + headerLength), "length " + length);
            frame.release();
        }
    }

    @Test
    void shouldCarryTheFirstByteAsGiven()
    {
        final byte[] dst = new byte[WebSocketHeader.MAX_LENGTH];
        assertEquals(2, WebSocketHeader.write(dst, 0, 0x88, 0));
        assertEquals((byte)0x88, dst[0]);
        assertEquals(0, dst[1]);
    }
}
