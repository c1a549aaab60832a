package dev.switchboard.net.ws;

import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.switchboard.net.ws.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameEncoderTest
{
    private static final int[] BOUNDARY_LENGTHS = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537};

    private static long lengthField(final byte[] frame, final int offset)
    {
        final int length7 = frame[offset + 1] & 0x7F;
        if (length7 < 126)
        {
            return length7;
        }
        final int bytes = 126 == length7 ? 2 : 8;
        long value = 0;
        for (int i = 0; i < bytes; i++)
        {
            value = (value << 8) | (frame[offset + 2 + i] & 0xFF);
        }
        return value;
    }

    @Test
    void shouldEncodeUnmaskedFinalTextFrameWithMinimalLengthAtEveryBoundary()
    {
        for (final int length : BOUNDARY_LENGTHS)
        {
            final byte[] payload = new byte[length];
            for (int i = 0; i < length; i++)
            {
                payload[i] = (byte)('A' + i % 26);
            }
            final int expectedHeader = length < 126 ? 2 : length < 65536 ? 4 : 10;
            assertEquals(expectedHeader, FrameEncoder.headerLength(length), "length " + length);

            final byte[] dst = new byte[7 + expectedHeader + length];
            final int written = FrameEncoder.encodeText(dst, 7, payload, 0, length);

            assertEquals(expectedHeader + length, written);
            assertEquals((byte)0x81, dst[7]);
            assertEquals(0, dst[8] & 0x80, "server frames are not masked");
            assertEquals(length, lengthField(dst, 7));
            assertArrayEquals(payload, Arrays.copyOfRange(dst, 7 + expectedHeader, 7 + written));

            assertEquals(
                List.of(Event.text(payload)),
                Decoding.allWays(ClientFrames.maskServerFrame(dst, 7, written, 0x5A5AA5A5)));
        }
    }

    @Test
    void shouldWriteTextHeaderInFrontOfPayloadWrittenLater()
    {
        final byte[] dst = new byte[4 + 300];
        final int header = FrameEncoder.encodeTextHeader(dst, 0, 300);
        assertEquals(4, header);
        assertEquals(300, lengthField(dst, 0));
    }

    @Test
    void shouldEncodePingAndPongAtBoundaryLengthsAndRefuseOver125()
    {
        for (final int length : new int[] {0, 1, 2, 3, 4, 5, 124, 125})
        {
            final byte[] payload = new byte[length];
            Arrays.fill(payload, (byte)'p');
            final byte[] dst = new byte[2 + length];

            assertEquals(2 + length, FrameEncoder.encodePing(dst, 0, payload, 0, length));
            assertEquals((byte)0x89, dst[0]);
            assertEquals(length, dst[1]);
            final byte[] maskedPing = ClientFrames.maskServerFrame(dst, 0, 2 + length, 9);
            assertEquals(List.of(Event.ping(payload)), Decoding.allWays(maskedPing));

            assertEquals(2 + length, FrameEncoder.encodePong(dst, 0, payload, 0, length));
            assertEquals((byte)0x8A, dst[0]);
            final byte[] maskedPong = ClientFrames.maskServerFrame(dst, 0, 2 + length, 9);
            assertEquals(List.of(Event.pong(payload)), Decoding.allWays(maskedPong));
        }
        final byte[] dst = new byte[200];
        assertEquals(-1, FrameEncoder.encodePing(dst, 0, new byte[126], 0, 126));
        assertEquals(-1, FrameEncoder.encodePong(dst, 0, new byte[126], 0, 126));
        assertEquals(0, dst[0], "nothing written");
    }

    @Test
    void shouldEncodeCloseWithCodeAndReason()
    {
        final byte[] reason = utf8("server_draining retry_after_ms=1200");
        final byte[] dst = new byte[2 + 2 + reason.length];
        final int written = FrameEncoder.encodeClose(dst, 0, CloseCodes.SERVER_DRAINING, reason, 0, reason.length);

        assertEquals(dst.length, written);
        assertEquals((byte)0x88, dst[0]);
        assertEquals(2 + reason.length, dst[1]);
        assertEquals(4000, ((dst[2] & 0xFF) << 8) | (dst[3] & 0xFF));
        assertEquals(
            List.of(Event.close(4000, reason)), Decoding.allWays(ClientFrames.maskServerFrame(dst, 0, written, 77)));
    }

    @Test
    void shouldEncodeEmptyCloseFor1005AndRefuseReasonOver123Bytes()
    {
        final byte[] dst = new byte[130];
        assertEquals(2, FrameEncoder.encodeClose(dst, 0, CloseCodes.NO_STATUS, null, 0, 0));
        assertEquals((byte)0x88, dst[0]);
        assertEquals(0, dst[1]);

        assertEquals(4, FrameEncoder.encodeClose(dst, 0, CloseCodes.NORMAL, null, 0, 0));
        assertEquals(127, FrameEncoder.encodeClose(dst, 0, CloseCodes.NORMAL, new byte[123], 0, 123));
        assertEquals(-1, FrameEncoder.encodeClose(dst, 0, CloseCodes.NORMAL, new byte[124], 0, 124));
    }
}
