package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketFrameCodecTest
{
    private static final int[] BOUNDARY_LENGTHS = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537,
        65538, 65539};

    private static final class Captured
    {
        final int opcode;
        final boolean fin;
        final byte[] payload;

        Captured(final int opcode, final boolean fin, final byte[] payload)
        {
            this.opcode = opcode;
            this.fin = fin;
            this.payload = payload;
        }
    }

    private final List<Captured> frames = new ArrayList<>();
    private final ServerFrameDecoder.FrameHandler handler = (opcode, fin, buffer, offset, length) ->
        frames.add(new Captured(opcode, fin, Arrays.copyOfRange(buffer, offset, offset + length)));

    @Test
    void shouldEncodeMaskedClientFramesAtEveryLengthBoundary()
    {
        for (final int length : BOUNDARY_LENGTHS)
        {
            final byte[] payload = payload(length);
            final byte[] frame = new byte[ClientFrameEncoder.frameLength(length)];
            final int written = ClientFrameEncoder.encode(
                ClientFrameEncoder.OPCODE_TEXT, payload, 0, length, 0x1234ABCD, frame, 0);
            assertEquals(frame.length, written, "frame length for payload " + length);
            assertEquals(0x81, frame[0] & 0xFF);
            assertTrue(0 != (frame[1] & 0x80), "client frames are masked");
            assertArrayEquals(payload, unmaskClientFrame(frame), "payload round trip for length " + length);
        }
    }

    @Test
    void shouldUseTheShortestLengthEncoding()
    {
        assertEquals(2 + 4 + 125, ClientFrameEncoder.frameLength(125));
        assertEquals(4 + 4 + 126, ClientFrameEncoder.frameLength(126));
        assertEquals(4 + 4 + 65535, ClientFrameEncoder.frameLength(65535));
        assertEquals(10 + 4 + 65536, ClientFrameEncoder.frameLength(65536));
    }

    @Test
    void shouldRefuseToEncodeIntoTooSmallBuffer()
    {
        assertEquals(-1, ClientFrameEncoder.encode(
            ClientFrameEncoder.OPCODE_TEXT, new byte[10], 0, 10, 1, new byte[15], 0));
    }

    @Test
    void shouldDecodeServerFramesAtEveryLengthBoundary()
    {
        for (final int length : BOUNDARY_LENGTHS)
        {
            frames.clear();
            final byte[] payload = payload(length);
            final byte[] frame = serverFrame(0x81, payload);
            assertEquals(frame.length, ServerFrameDecoder.decode(frame, 0, frame.length, 1 << 20, handler));
            assertEquals(1, frames.size());
            assertEquals(ClientFrameEncoder.OPCODE_TEXT, frames.get(0).opcode);
            assertTrue(frames.get(0).fin);
            assertArrayEquals(payload, frames.get(0).payload, "payload for length " + length);
        }
    }

    @Test
    void shouldConsumeOnlyWholeFramesWhenBytesArriveOneByOne()
    {
        final byte[] first = serverFrame(0x81, payload(130));
        final byte[] second = serverFrame(0x89, payload(3));
        final byte[] stream = new byte[first.length + second.length];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy(second, 0, stream, first.length, second.length);
        int consumed = 0;
        for (int limit = 1; limit <= stream.length; limit++)
        {
            final int result = ServerFrameDecoder.decode(stream, consumed, limit, 1 << 20, handler);
            assertTrue(result >= 0);
            consumed += result;
            if (limit < first.length)
            {
                assertEquals(0, frames.size(), "no frame before its last byte, at " + limit);
            }
        }
        assertEquals(stream.length, consumed);
        assertEquals(2, frames.size());
        assertEquals(ClientFrameEncoder.OPCODE_PING, frames.get(1).opcode);
    }

    @Test
    void shouldReportFragmentsWithoutFin()
    {
        final byte[] frame = serverFrame(0x01, payload(4));
        ServerFrameDecoder.decode(frame, 0, frame.length, 1 << 20, handler);
        assertFalse(frames.get(0).fin);
    }

    @Test
    void shouldRejectMaskedServerFrame()
    {
        final byte[] frame = {(byte)0x81, (byte)0x81, 1, 2, 3, 4, 'a'};
        assertEquals(ServerFrameDecoder.ERROR_MASKED, ServerFrameDecoder.decode(frame, 0, frame.length, 100, handler));
    }

    @Test
    void shouldRejectRsvBitsReservedOpcodesAndBadControlFrames()
    {
        final byte[] rsv = {(byte)0xC1, 0};
        assertEquals(ServerFrameDecoder.ERROR_RSV, ServerFrameDecoder.decode(rsv, 0, rsv.length, 100, handler));
        final byte[] reserved = {(byte)0x83, 0};
        assertEquals(ServerFrameDecoder.ERROR_OPCODE,
            ServerFrameDecoder.decode(reserved, 0, reserved.length, 100, handler));
        final byte[] fragmentedPing = {(byte)0x09, 0};
        assertEquals(ServerFrameDecoder.ERROR_CONTROL,
            ServerFrameDecoder.decode(fragmentedPing, 0, fragmentedPing.length, 100, handler));
        final byte[] longPing = serverFrame(0x89, payload(126));
        assertEquals(ServerFrameDecoder.ERROR_CONTROL,
            ServerFrameDecoder.decode(longPing, 0, longPing.length, 1 << 20, handler));
    }

    @Test
    void shouldRejectFrameOverTheLimitAsSoonAsItsLengthIsKnown()
    {
        final byte[] header = {(byte)0x81, 126, 0x01, 0x00};
        assertEquals(ServerFrameDecoder.ERROR_TOO_LARGE, ServerFrameDecoder.decode(header, 0, header.length, 255,
            handler));
    }

    @Test
    void shouldMakeDifferentMaskKeys()
    {
        final int first = ClientFrameEncoder.nextMaskKey(0x9E3779B9);
        final int second = ClientFrameEncoder.nextMaskKey(first);
        assertTrue(first != second && 0 != first && 0 != second);
    }

    private static byte[] payload(final int length)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        return payload;
    }

    private static byte[] serverFrame(final int firstByte, final byte[] payload)
    {
        final int length = payload.length;
        final int header = length < 126 ? 2 : (length <= 0xFFFF ? 4 : 10);
        final byte[] frame = new byte[header + length];
        frame[0] = (byte)firstByte;
        if (length < 126)
        {
            frame[1] = (byte)length;
        }
        else if (length <= 0xFFFF)
        {
            frame[1] = 126;
            frame[2] = (byte)(length >>> 8);
            frame[3] = (byte)length;
        }
        else
        {
            frame[1] = 127;
            for (int i = 0; i < 8; i++)
            {
                frame[2 + i] = (byte)((long)length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    private static byte[] unmaskClientFrame(final byte[] frame)
    {
        final int length7 = frame[1] & 0x7F;
        int at = 2;
        long length = length7;
        if (126 == length7)
        {
            length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
            at = 4;
        }
        else if (127 == length7)
        {
            length = 0;
            for (int i = 2; i < 10; i++)
            {
                length = (length << 8) | (frame[i] & 0xFF);
            }
            at = 10;
        }
        final byte[] mask = Arrays.copyOfRange(frame, at, at + 4);
        at += 4;
        final byte[] payload = new byte[(int)length];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(frame[at + i] ^ mask[i & 3]);
        }
        return payload;
    }
}
