package dev.switchboard.net.ws;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.switchboard.net.ws.ClientFrames.CONTINUATION;
import static dev.switchboard.net.ws.ClientFrames.PING;
import static dev.switchboard.net.ws.ClientFrames.TEXT;
import static dev.switchboard.net.ws.ClientFrames.bytes;
import static dev.switchboard.net.ws.ClientFrames.concat;
import static dev.switchboard.net.ws.ClientFrames.frame;
import static dev.switchboard.net.ws.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder's abuse limits: fragments per message, reassembly buffers sized to what arrived, and the signals the
 * IoAgent's message deadline and frame budget read.
 */
class FrameDecoderLimitsTest
{
    private static final int MAX_PAYLOAD_BYTES = 65_536;

    private final AssemblyBufferPool pool = new AssemblyBufferPool(MAX_PAYLOAD_BYTES, 8);
    private final RecordingHandler handler = new RecordingHandler();

    private FrameDecoder decoder(final int maxFragments)
    {
        return new FrameDecoder(MAX_PAYLOAD_BYTES, 1 << 20, maxFragments, pool);
    }

    private void feed(final FrameDecoder decoder, final byte[] input)
    {
        decoder.decode(input.clone(), 0, input.length, handler);
    }

    @Test
    void shouldCloseWith1008WhenAMessageHasMoreFragmentsThanAllowed()
    {
        final FrameDecoder decoder = decoder(4);
        feed(decoder, frame(false, TEXT, utf8("a")));
        for (int i = 0; i < 2; i++)
        {
            feed(decoder, frame(false, CONTINUATION, new byte[0]));
        }
        feed(decoder, frame(true, CONTINUATION, utf8("b")));
        assertEquals(List.of(RecordingHandler.Event.text("ab")), handler.events, "4 frames are allowed");
        feed(decoder, frame(false, TEXT, utf8("a")));
        for (int i = 0; i < 3; i++)
        {
            feed(decoder, frame(false, CONTINUATION, new byte[0]));
        }
        assertEquals(1, handler.events.size());
        feed(decoder, frame(false, CONTINUATION, new byte[0]));
        assertEquals(RecordingHandler.Event.error(CloseCodes.POLICY_VIOLATION), handler.events.get(1),
            "the fifth frame of a message");
        assertTrue(decoder.isCorrupt());
        assertEquals(pool.allocatedCount(), pool.pooledCount(), "every buffer returned");
    }

    @Test
    void shouldHoldTheSmallestBufferForAOneByteFragmentAndGrowWithTheBytesThatArrive()
    {
        final FrameDecoder decoder = decoder(1024);
        feed(decoder, frame(false, TEXT, utf8("x")));
        assertEquals(AssemblyBufferPool.MIN_BUFFER_BYTES, pool.allocatedBytes(), "not a 64 KiB buffer");

        final byte[] big = new byte[40_000];
        Arrays.fill(big, (byte)'y');
        // a frame that announces 40,000 bytes but sends 10 of them: the buffer follows what arrived
        final byte[] announced = frame(true, CONTINUATION, big);
        feed(decoder, Arrays.copyOf(announced, announced.length - big.length + 10));
        assertEquals(AssemblyBufferPool.MIN_BUFFER_BYTES, pool.allocatedBytes());
        feed(decoder, Arrays.copyOfRange(announced, announced.length - big.length + 10, announced.length));
        assertEquals(1, handler.events.size());
        assertEquals(40_001, handler.events.get(0).data().length());
        assertTrue(pool.allocatedBytes() < 3L * 65_536, "doubling classes: " + pool.allocatedBytes());
        assertTrue(decoder.isIdle());
    }

    @Test
    void shouldSayWhenAMessageIsInProgressAcrossControlFrames()
    {
        final FrameDecoder decoder = decoder(1024);
        assertFalse(decoder.isMessageInProgress());
        final byte[] text = frame(true, TEXT, utf8("hello"));
        feed(decoder, Arrays.copyOf(text, 1));
        assertTrue(decoder.isMessageInProgress(), "one byte of a header");
        feed(decoder, Arrays.copyOfRange(text, 1, text.length));
        assertFalse(decoder.isMessageInProgress());
        feed(decoder, frame(false, TEXT, utf8("a")));
        feed(decoder, frame(true, PING, bytes(1)));
        assertTrue(decoder.isMessageInProgress(), "a ping between fragments does not end the message");
        feed(decoder, frame(true, CONTINUATION, utf8("b")));
        assertFalse(decoder.isMessageInProgress());
    }

    @Test
    void shouldCountControlFramesAndEveryFragmentButTheLast()
    {
        final FrameDecoder decoder = decoder(1024);
        feed(decoder, concat(frame(true, TEXT, utf8("m")), frame(true, PING, bytes(1)),
            frame(false, TEXT, utf8("a")), frame(false, CONTINUATION, new byte[0]), frame(true, PING, bytes(2)),
            frame(true, CONTINUATION, utf8("b"))));
        assertEquals(4, decoder.controlAndFragmentFrames(), "two pings and two non-final fragments");
    }
}
