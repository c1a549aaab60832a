package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes client frames through the decoder without sockets, at the lengths where the length encoding changes.
 */
class RawFrameDecoderTest
{
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Recorder recorder = new Recorder();
    private final RawFrameDecoder decoder = new RawFrameDecoder(recorder);
    private final RawConnection connection = new RawConnection(null, ByteBuffer.allocate(0), 0);

    @Test
    void shouldUnmaskTextAtEveryLengthWhereTheHeaderChanges()
    {
        for (final int length : new int[]{0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65_535, 65_536})
        {
            recorder.events.clear();
            final byte[] payload = payload(length);
            final ByteBuffer buffer = buffer(frame(true, TEXT, payload, true));

            final int limit = buffer.position();
            assertEquals(limit, decoder.onFrames(connection, buffer, 0, limit), "length " + length);
            assertEquals(List.of("text " + length), recorder.events);
            assertArrayEquals(payload, recorder.lastPayload, "length " + length);
        }
    }

    @Test
    void shouldLeaveAPartialFrameUnconsumed()
    {
        for (final int length : new int[]{5, 200, 70_000 - 14})
        {
            final byte[] frame = frame(true, TEXT, payload(Math.min(length, 65_536)), true);
            final ByteBuffer buffer = buffer(frame);
            for (final int cut : new int[]{1, 2, 3, 4, 5, 9, 10, frame.length - 1})
            {
                assertEquals(0, decoder.onFrames(connection, buffer, 0, Math.min(cut, frame.length - 1)), "cut " + cut);
            }
            assertTrue(recorder.events.isEmpty(), recorder.events.toString());
        }
    }

    @Test
    void shouldDecodeEveryCompleteFrameOfOneReadAndStopBeforeATrailingPart()
    {
        final byte[] first = frame(true, TEXT, payload(3), true);
        final byte[] second = frame(true, PING, payload(2), true);
        final byte[] third = frame(true, TEXT, payload(300), true);
        final ByteBuffer buffer = buffer(concat(first, second, Arrays.copyOf(third, 7)));

        assertEquals(first.length + second.length, decoder.onFrames(connection, buffer, 0, buffer.position()));
        assertEquals(List.of("text 3", "ping 2"), recorder.events);
    }

    @Test
    void shouldStartAtTheGivenOffset()
    {
        final byte[] frame = frame(true, TEXT, payload(4), true);
        final ByteBuffer buffer = buffer(concat(new byte[]{9, 9, 9}, frame));

        assertEquals(buffer.position(), decoder.onFrames(connection, buffer, 3, buffer.position()));
        assertEquals(List.of("text 4"), recorder.events);
    }

    @Test
    void shouldIgnorePongAndHandPingPayloadOn()
    {
        final ByteBuffer buffer =
            buffer(concat(frame(true, PONG, payload(4), true), frame(true, PING, payload(5), true)));

        assertEquals(buffer.position(), decoder.onFrames(connection, buffer, 0, buffer.position()));
        assertEquals(List.of("ping 5"), recorder.events);
        assertArrayEquals(payload(5), recorder.lastPayload);
    }

    @Test
    void shouldEchoTheCloseCodeAndDecodeNothingAfterIt()
    {
        final ByteBuffer buffer = buffer(concat(frame(true, CLOSE, new byte[]{0x0F, (byte)0xA0, 'x'}, true),
            frame(true, TEXT, payload(3), true)));

        assertEquals(buffer.position(), decoder.onFrames(connection, buffer, 0, buffer.position()));
        assertEquals(List.of("close 4000"), recorder.events);
    }

    @Test
    void shouldCloseWith1000ForACloseFrameWithoutCode()
    {
        assertCloses(frame(true, CLOSE, new byte[0], true), 1000);
    }

    @Test
    void shouldCloseWith1002ForAnUnmaskedFrameReservedBitsOrAnUnknownOpcode()
    {
        assertCloses(frame(true, TEXT, payload(2), false), 1002);
        final byte[] reserved = frame(true, TEXT, payload(2), true);
        reserved[0] |= 0x40;
        assertCloses(reserved, 1002);
        assertCloses(frame(true, BINARY, payload(2), true), 1002);
        assertCloses(frame(true, 0x3, payload(2), true), 1002);
    }

    @Test
    void shouldCloseWith1003ForAFragmentedMessage()
    {
        assertCloses(frame(false, TEXT, payload(2), true), 1003);
        assertCloses(frame(true, 0x0, payload(2), true), 1003);
    }

    @Test
    void shouldCloseWith1009AsSoonAsTheLengthIsOverTheLimit()
    {
        final ByteBuffer over = ByteBuffer.allocate(10);
        over.put((byte)0x81).put((byte)(0x80 | 127)).putLong(65_537);
        assertEquals(10, decoder.onFrames(connection, over, 0, 10), "only the header read");
        assertEquals(List.of("close 1009"), recorder.events);

        recorder.events.clear();
        final ByteBuffer negative = ByteBuffer.allocate(10);
        negative.put((byte)0x81).put((byte)(0x80 | 127)).putLong(Long.MIN_VALUE);
        assertEquals(10, decoder.onFrames(connection, negative, 0, 10));
        assertEquals(List.of("close 1009"), recorder.events);
    }

    @Test
    void shouldStopOnceTheListenerClosesTheConnection()
    {
        recorder.closeOnText = true;
        final byte[] first = frame(true, TEXT, payload(3), true);
        final ByteBuffer buffer = buffer(concat(first, frame(true, TEXT, payload(3), true)));

        assertEquals(first.length, decoder.onFrames(connection, buffer, 0, buffer.position()));
        assertEquals(List.of("text 3"), recorder.events);
    }

    private void assertCloses(final byte[] frame, final int code)
    {
        recorder.events.clear();
        final ByteBuffer buffer = buffer(frame);
        assertEquals(frame.length, decoder.onFrames(connection, buffer, 0, frame.length));
        assertEquals(List.of("close " + code), recorder.events);
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

    private static byte[] frame(final boolean fin, final int opcode, final byte[] payload, final boolean masked)
    {
        final int length = payload.length;
        final int lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
        final int maskBytes = masked ? 4 : 0;
        final ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + maskBytes + length);
        frame.put((byte)((fin ? 0x80 : 0) | opcode));
        final int maskBit = masked ? 0x80 : 0;
        if (0 == lengthBytes)
        {
            frame.put((byte)(maskBit | length));
        }
        else if (2 == lengthBytes)
        {
            frame.put((byte)(maskBit | 126)).putShort((short)length);
        }
        else
        {
            frame.put((byte)(maskBit | 127)).putLong(length);
        }
        final byte[] mask = {0x37, (byte)0xFA, 0x21, 0x3D};
        if (masked)
        {
            frame.put(mask);
        }
        for (int i = 0; i < length; i++)
        {
            frame.put((byte)(masked ? payload[i] ^ mask[i & 3] : payload[i]));
        }
        return frame.array();
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(part -> part.length).sum());
        for (final byte[] part : parts)
        {
            all.put(part);
        }
        return all.array();
    }

    private static ByteBuffer buffer(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 8);
        buffer.put(bytes);
        return buffer;
    }

    private final class Recorder implements RawFrameListener
    {
        final List<String> events = new ArrayList<>();
        byte[] lastPayload;
        boolean closeOnText;

        @Override
        public void onText(final RawConnection connection, final byte[] payload, final int length)
        {
            events.add("text " + length);
            lastPayload = Arrays.copyOf(payload, length);
            connection.closeAfterFlush = closeOnText;
        }

        @Override
        public void onPing(final RawConnection connection, final byte[] payload, final int length)
        {
            events.add("ping " + length);
            lastPayload = Arrays.copyOf(payload, length);
        }

        @Override
        public void onClose(final RawConnection connection, final int closeCode)
        {
            events.add("close " + closeCode);
        }
    }
}
