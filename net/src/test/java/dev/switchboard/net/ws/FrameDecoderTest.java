package dev.switchboard.net.ws;

import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.switchboard.net.ws.ClientFrames.BINARY;
import static dev.switchboard.net.ws.ClientFrames.CONTINUATION;
import static dev.switchboard.net.ws.ClientFrames.PING;
import static dev.switchboard.net.ws.ClientFrames.PONG;
import static dev.switchboard.net.ws.ClientFrames.TEXT;
import static dev.switchboard.net.ws.ClientFrames.bytes;
import static dev.switchboard.net.ws.ClientFrames.concat;
import static dev.switchboard.net.ws.ClientFrames.frame;
import static dev.switchboard.net.ws.ClientFrames.raw;
import static dev.switchboard.net.ws.ClientFrames.text;
import static dev.switchboard.net.ws.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest
{
    private static final int[] BOUNDARY_LENGTHS = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537};

    private static byte[] asciiPayload(final int length, final int seed)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)('a' + (i * 7 + seed) % 26);
        }
        return payload;
    }

    private static List<Event> errorOnly(final int code)
    {
        return List.of(Event.error(code));
    }

    @Test
    void shouldDecodeTextAtEveryLengthEncodingBoundary()
    {
        for (final int length : BOUNDARY_LENGTHS)
        {
            final byte[] payload = asciiPayload(length, length);
            final List<Event> events = Decoding.allWays(frame(true, TEXT, payload));
            assertEquals(List.of(Event.text(payload)), events, "length " + length);
        }
    }

    @Test
    void shouldDecodeBackToBackFramesAtBoundaryLengthsInOneRead()
    {
        final byte[][] frames = new byte[BOUNDARY_LENGTHS.length][];
        final Event[] expected = new Event[BOUNDARY_LENGTHS.length];
        for (int i = 0; i < BOUNDARY_LENGTHS.length; i++)
        {
            final byte[] payload = asciiPayload(BOUNDARY_LENGTHS[i], i);
            frames[i] = frame(true, TEXT, payload, 0x01020304 * (i + 1));
            expected[i] = Event.text(payload);
        }
        assertEquals(List.of(expected), Decoding.allWays(concat(frames)));
    }

    @Test
    void shouldDeliverContiguousSingleFrameMessageStraightFromSourceWithoutPooledBuffer()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        final byte[] input = concat(bytes(9, 9), text("{\"type\":\"ping\"}"));
        run.decoder.decode(input, 2, input.length - 2, run.handler);

        assertEquals(List.of(Event.text("{\"type\":\"ping\"}")), run.events());
        assertSame(input, run.handler.lastTextBuffer);
        assertEquals(2 + 6, run.handler.lastTextOffset);
        assertEquals(0, run.pool.allocatedCount());
        assertTrue(run.decoder.isIdle());
    }

    @Test
    void shouldReassembleFragmentedMessageWithInterleavedControlFrames()
    {
        final byte[] input = concat(
            frame(false, TEXT, utf8("Hello, ")),
            frame(true, PING, utf8("p1")),
            frame(false, CONTINUATION, utf8("")),
            frame(false, CONTINUATION, utf8("wor")),
            frame(true, PONG, utf8("p2")),
            frame(true, CONTINUATION, utf8("ld!")),
            text("next"));

        assertEquals(
            List.of(Event.ping(utf8("p1")), Event.pong(utf8("p2")), Event.text("Hello, world!"), Event.text("next")),
            Decoding.allWays(input));
    }

    @Test
    void shouldDeliverEmptyFragmentedMessage()
    {
        final byte[] input = concat(frame(false, TEXT, new byte[0]), frame(true, CONTINUATION, new byte[0]));
        assertEquals(List.of(Event.text("")), Decoding.allWays(input));
    }

    @Test
    void shouldDecodeControlFramesAtLengthsUpTo125()
    {
        for (final int length : new int[] {0, 1, 4, 5, 124, 125})
        {
            final byte[] payload = asciiPayload(length, 3);
            assertEquals(List.of(Event.ping(payload)), Decoding.allWays(frame(true, PING, payload)));
            assertEquals(List.of(Event.pong(payload)), Decoding.allWays(frame(true, PONG, payload)));
        }
    }

    @Test
    void shouldHoldPooledBufferOnlyWhileMessageIsIncomplete()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        assertTrue(run.decoder.isIdle());

        run.feed(frame(false, TEXT, utf8("ab")));
        assertFalse(run.decoder.isIdle());
        assertEquals(1, run.pool.allocatedCount());
        assertEquals(0, run.pool.pooledCount());

        run.feed(frame(true, CONTINUATION, utf8("cd")));
        assertEquals(List.of(Event.text("abcd")), run.events());
        assertTrue(run.decoder.isIdle());
        assertEquals(1, run.pool.pooledCount());

        final byte[] split = text("split across reads");
        run.feed(split, 0, 10);
        assertFalse(run.decoder.isIdle());
        run.feed(split, 10, split.length - 10);
        assertTrue(run.decoder.isIdle());
        assertEquals(Event.text("split across reads"), run.events().get(1));
        assertEquals(1, run.pool.allocatedCount(), "the returned buffer was reused");
        assertEquals(1, run.pool.pooledCount());
    }

    @Test
    void shouldReturnPooledBufferOnRelease()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(frame(false, TEXT, utf8("ab")));
        assertEquals(0, run.pool.pooledCount());

        run.decoder.release();

        assertEquals(1, run.pool.pooledCount());
        assertTrue(run.decoder.isIdle());
        run.feed(frame(true, CONTINUATION, utf8("cd")));
        assertEquals(List.of(), run.events());
    }

    @Test
    void shouldCloseWith1002OnUnmaskedFrame()
    {
        assertEquals(errorOnly(1002), Decoding.allWays(raw(0x81, false, 2, utf8("hi"), 0)));
        assertEquals(errorOnly(1002), Decoding.allWays(raw(0x89, false, 0, new byte[0], 0)));
    }

    @Test
    void shouldCloseWith1002OnAnyReservedBit()
    {
        for (final int rsv : new int[] {0x40, 0x20, 0x10, 0x70})
        {
            assertEquals(errorOnly(1002), Decoding.allWays(raw(0x81 | rsv, true, 2, utf8("hi"), 7)), "rsv " + rsv);
            assertEquals(errorOnly(1002), Decoding.allWays(raw(0x89 | rsv, true, 0, new byte[0], 7)), "rsv " + rsv);
        }
    }

    @Test
    void shouldCloseWith1002OnReservedOpcodes()
    {
        for (final int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
        {
            assertEquals(errorOnly(1002), Decoding.allWays(frame(true, opcode, utf8("x"))), "opcode " + opcode);
        }
    }

    @Test
    void shouldCloseWith1002OnControlFrameOver125Bytes()
    {
        assertEquals(errorOnly(1002), Decoding.allWays(frame(true, PING, asciiPayload(126, 0))));
        assertEquals(errorOnly(1002), Decoding.allWays(frame(true, PONG, asciiPayload(65536, 0))));
        assertEquals(errorOnly(1002), Decoding.allWays(frame(true, ClientFrames.CLOSE, asciiPayload(126, 0))));
    }

    @Test
    void shouldCloseWith1002OnFragmentedControlFrame()
    {
        assertEquals(errorOnly(1002), Decoding.allWays(frame(false, PING, utf8("x"))));
        assertEquals(
            List.of(Event.error(1002)),
            Decoding.allWays(concat(frame(false, TEXT, utf8("a")), frame(false, PONG, utf8("x")))));
    }

    @Test
    void shouldCloseWith1002OnContinuationWithoutStartedMessage()
    {
        assertEquals(errorOnly(1002), Decoding.allWays(frame(true, CONTINUATION, utf8("x"))));
        assertEquals(
            List.of(Event.text("a"), Event.error(1002)),
            Decoding.allWays(concat(text("a"), frame(false, CONTINUATION, utf8("x")))));
    }

    @Test
    void shouldCloseWith1002OnNewDataFrameWhileFragmentedMessageIsOpen()
    {
        assertEquals(
            errorOnly(1002), Decoding.allWays(concat(frame(false, TEXT, utf8("a")), frame(true, TEXT, utf8("b")))));
        assertEquals(
            errorOnly(1002), Decoding.allWays(concat(frame(false, TEXT, utf8("a")), frame(true, BINARY, utf8("b")))));
    }

    @Test
    void shouldCloseWith1003OnBinaryFrameAtItsHeader()
    {
        assertEquals(errorOnly(1003), Decoding.allWays(frame(true, BINARY, bytes(1, 2, 3))));

        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(raw(0x82, true, 900_000, new byte[0], 5), 0, 1);
        assertEquals(errorOnly(1003), run.events());
        assertTrue(run.decoder.isCorrupt());
        assertEquals(0, run.pool.allocatedCount());
    }

    @Test
    void shouldCloseWith1002On64BitLengthWithTopBitSet()
    {
        final byte[] header = bytes(0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4);
        assertEquals(errorOnly(1002), Decoding.allWays(header));

        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(header, 0, 3);
        assertEquals(errorOnly(1002), run.events(), "reported at the first length byte");
    }

    @Test
    void shouldCloseWith1009AsSoonAsFrameLengthExceedsHardLimit()
    {
        final Decoding.Run run = new Decoding.Run(1000, 4096);
        final byte[] frame = raw(0x81, true, 4097, new byte[0], 5);
        run.feed(frame, 0, 4);
        assertEquals(errorOnly(1009), run.events(), "reported before mask key and payload");
        assertEquals(0, run.pool.allocatedCount());

        final Decoding.Run huge = new Decoding.Run(1000, 4096);
        huge.feed(raw(0x81, true, 0x7FFF_FFFF_FFFF_FFFFL, new byte[0], 5), 0, 10);
        assertEquals(errorOnly(1009), huge.events());

        assertEquals(List.of(Event.text(asciiPayload(4096, 1))),
            Decoding.allWays(frame(true, TEXT, asciiPayload(4096, 1)), 4096, 4096));
    }

    @Test
    void shouldCloseWith1009WhenReassembledMessageExceedsHardLimit()
    {
        final byte[] input = concat(
            frame(false, TEXT, asciiPayload(3000, 0)),
            frame(false, CONTINUATION, asciiPayload(1000, 0)),
            frame(true, CONTINUATION, asciiPayload(97, 0)));
        assertEquals(errorOnly(1009), Decoding.allWays(input, 1000, 4096));

        final Decoding.Run run = new Decoding.Run(1000, 4096);
        run.feed(input, 0, input.length - 97 - 4);
        assertEquals(errorOnly(1009), run.events(), "reported at the header of the fragment that crosses the limit");
    }

    @Test
    void shouldDiscardMessageOverMaxPayloadAndDeliverTheNextOne()
    {
        final byte[] input = concat(
            text("before"),
            frame(true, TEXT, asciiPayload(1001, 0)),
            text("after"),
            frame(false, TEXT, asciiPayload(600, 0)),
            frame(true, PING, utf8("p")),
            frame(true, CONTINUATION, asciiPayload(401, 0)),
            frame(false, TEXT, asciiPayload(500, 0)),
            frame(true, CONTINUATION, asciiPayload(500, 0)),
            text("end"));
        assertEquals(
            List.of(
                Event.text("before"),
                Event.tooLarge(),
                Event.text("after"),
                Event.ping(utf8("p")),
                Event.tooLarge(),
                Event.text(concat(asciiPayload(500, 0), asciiPayload(500, 0))),
                Event.text("end")),
            Decoding.allWays(input, 1000, 4096));
    }

    @Test
    void shouldNeverTakeAPooledBufferForAnOversizeMessage()
    {
        final Decoding.Run run = new Decoding.Run(1000, 1 << 20);
        final byte[] big = frame(true, TEXT, asciiPayload(500_000, 0));
        for (int pos = 0; pos < big.length; pos += 4096)
        {
            run.feed(big, pos, Math.min(4096, big.length - pos));
        }
        assertEquals(List.of(Event.tooLarge()), run.events());
        assertEquals(0, run.pool.allocatedCount());

        final Decoding.Run fragmented = new Decoding.Run(1000, 1 << 20);
        fragmented.feed(frame(false, TEXT, asciiPayload(900, 0)));
        assertEquals(0, fragmented.pool.pooledCount());
        fragmented.feed(frame(false, CONTINUATION, asciiPayload(200, 0)));
        assertEquals(1, fragmented.pool.pooledCount(), "buffer given back as soon as the message is over the limit");
        fragmented.feed(frame(true, CONTINUATION, asciiPayload(200, 0)));
        assertEquals(List.of(Event.tooLarge()), fragmented.events());
        assertTrue(fragmented.decoder.isIdle());
    }

    @Test
    void shouldStillCloseWith1007OnInvalidUtf8InsideOversizeMessage()
    {
        final byte[] payload = asciiPayload(2000, 0);
        payload[1500] = (byte)0xFF;
        assertEquals(errorOnly(1007), Decoding.allWays(frame(true, TEXT, payload), 1000, 4096));

        final byte[] truncated = concat(asciiPayload(1999, 0), bytes(0xE2));
        assertEquals(errorOnly(1007), Decoding.allWays(frame(true, TEXT, truncated), 1000, 4096));
    }

    @Test
    void shouldIgnoreEverythingAfterProtocolError()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(concat(frame(true, BINARY, bytes(1)), text("ignored")));
        run.feed(text("also ignored"));
        assertEquals(errorOnly(1003), run.events());
        assertTrue(run.decoder.isCorrupt());
        assertFalse(run.decoder.isClosed());
    }

    @Test
    void shouldRejectPoolWhoseBuffersCannotHoldAMaxSizeMessage()
    {
        final AssemblyBufferPool pool = new AssemblyBufferPool(1000, 4);
        assertEquals(1024, pool.bufferSize(), "classes are powers of two");
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(1025, 2000, pool));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(1000, 999, pool));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(100, 200, 0, pool));
    }

    @Test
    void shouldUnmaskEveryPhaseWhenSplitAtEveryPosition()
    {
        final Random random = new Random(42);
        final byte[] payload = asciiPayload(61, 5);
        final int mask = random.nextInt();
        final byte[] frame = frame(true, TEXT, payload, mask);
        for (int first = 0; first <= frame.length; first++)
        {
            for (int second = first; second <= frame.length; second += 3)
            {
                final Decoding.Run run = new Decoding.Run(1000, 2000);
                run.feed(frame, 0, first);
                run.feed(frame, first, second - first);
                run.feed(frame, second, frame.length - second);
                assertEquals(List.of(Event.text(payload)), run.events(), "split at " + first + ", " + second);
            }
        }
    }
}
