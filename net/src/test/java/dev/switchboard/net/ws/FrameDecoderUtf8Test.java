package dev.switchboard.net.ws;

import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.switchboard.net.ws.ClientFrames.CONTINUATION;
import static dev.switchboard.net.ws.ClientFrames.PING;
import static dev.switchboard.net.ws.ClientFrames.TEXT;
import static dev.switchboard.net.ws.ClientFrames.bytes;
import static dev.switchboard.net.ws.ClientFrames.concat;
import static dev.switchboard.net.ws.ClientFrames.frame;
import static dev.switchboard.net.ws.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UTF-8 handling of text messages, grouped like Autobahn test group 6.
 */
class FrameDecoderUtf8Test
{
    static final byte[][] VALID = {
        bytes(0x7F),
        bytes(0xC2, 0x80),
        bytes(0xDF, 0xBF),
        bytes(0xE0, 0xA0, 0x80),
        bytes(0xED, 0x9F, 0xBF),
        bytes(0xEE, 0x80, 0x80),
        bytes(0xEF, 0xBF, 0xBF),
        bytes(0xF0, 0x90, 0x80, 0x80),
        bytes(0xF4, 0x8F, 0xBF, 0xBF),
        utf8("κόσμε"),
        utf8("Hello-µ@ßöäüàá-UTF-8!!"),
        utf8("{\"type\":\"join\",\"roomId\":\"salle-é\",\"payload\":{\"role\":\"\uD83D\uDE00\"}}"),
    };

    static final byte[][] OVERLONG = {
        bytes(0xC0, 0xAF),
        bytes(0xC1, 0xBF),
        bytes(0xE0, 0x80, 0xAF),
        bytes(0xE0, 0x9F, 0xBF),
        bytes(0xF0, 0x80, 0x80, 0xAF),
        bytes(0xF0, 0x8F, 0xBF, 0xBF),
        bytes(0xF8, 0x80, 0x80, 0x80, 0xAF),
        bytes(0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF),
    };

    static final byte[][] SURROGATES = {
        bytes(0xED, 0xA0, 0x80),
        bytes(0xED, 0xAD, 0xBF),
        bytes(0xED, 0xAE, 0x80),
        bytes(0xED, 0xAF, 0xBF),
        bytes(0xED, 0xB0, 0x80),
        bytes(0xED, 0xBF, 0xBF),
        bytes(0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80),
    };

    static final byte[][] OVER_MAX_CODE_POINT = {
        bytes(0xF4, 0x90, 0x80, 0x80),
        bytes(0xF5, 0x80, 0x80, 0x80),
        bytes(0xF7, 0xBF, 0xBF, 0xBF),
        bytes(0xFE),
        bytes(0xFF),
    };

    static final byte[][] TRUNCATED = {
        bytes(0xC2),
        bytes(0xE0, 0xA0),
        bytes(0xE2, 0x82),
        bytes(0xF0, 0x9F, 0x98),
        bytes(0xF4, 0x8F, 0xBF),
    };

    static final byte[][] STRAY_OR_INTERRUPTED = {
        bytes(0x80),
        bytes(0xBF),
        bytes(0x80, 0xBF, 0x80),
        bytes(0xC2, 0x41),
        bytes(0xE2, 0x82, 0x41),
        bytes(0xF0, 0x9F, 0x98, 0x20),
        bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69),
    };

    private static byte[] withText(final byte[] sequence)
    {
        return concat(utf8("ab"), sequence, utf8("cd"));
    }

    private static void assertInvalidEverywhere(final byte[][] group, final boolean alsoAtEnd)
    {
        for (final byte[] sequence : group)
        {
            final String name = HexFormat.ofDelimiter(" ").formatHex(sequence);
            assertEquals(List.of(Event.error(1007)), Decoding.allWays(frame(true, TEXT, withText(sequence))), name);
            if (alsoAtEnd)
            {
                assertEquals(List.of(Event.error(1007)), Decoding.allWays(frame(true, TEXT, sequence)), name);
            }
        }
    }

    @Test
    void shouldDeliverValidMultiByteSequencesWholeAndFragmented()
    {
        for (final byte[] sequence : VALID)
        {
            final byte[] text = withText(sequence);
            assertEquals(List.of(Event.text(text)), Decoding.allWays(frame(true, TEXT, text)));
            for (int cut = 0; cut <= text.length; cut++)
            {
                final byte[] input = concat(
                    frame(false, TEXT, Arrays.copyOfRange(text, 0, cut)),
                    frame(true, PING, utf8("x")),
                    frame(true, CONTINUATION, Arrays.copyOfRange(text, cut, text.length)));
                assertEquals(List.of(Event.ping(utf8("x")), Event.text(text)), Decoding.allWays(input), "cut " + cut);
            }
        }
    }

    @Test
    void shouldCloseWith1007OnOverlongEncodings()
    {
        assertInvalidEverywhere(OVERLONG, true);
    }

    @Test
    void shouldCloseWith1007OnSurrogates()
    {
        assertInvalidEverywhere(SURROGATES, true);
    }

    @Test
    void shouldCloseWith1007OnCodePointsOverU10FFFF()
    {
        assertInvalidEverywhere(OVER_MAX_CODE_POINT, true);
    }

    @Test
    void shouldCloseWith1007OnTruncatedSequences()
    {
        assertInvalidEverywhere(TRUNCATED, true);
        for (final byte[] sequence : TRUNCATED)
        {
            final byte[] input = concat(frame(false, TEXT, utf8("ok")), frame(true, CONTINUATION, sequence));
            assertEquals(List.of(Event.error(1007)), Decoding.allWays(input));
        }
    }

    @Test
    void shouldCloseWith1007OnStrayOrInterruptedContinuationBytes()
    {
        assertInvalidEverywhere(STRAY_OR_INTERRUPTED, true);
    }

    @Test
    void shouldCloseWith1007OnInvalidSequenceSplitAtEveryPositionAcrossFragments()
    {
        final byte[][][] groups = {OVERLONG, SURROGATES, OVER_MAX_CODE_POINT, STRAY_OR_INTERRUPTED};
        for (final byte[][] group : groups)
        {
            for (final byte[] sequence : group)
            {
                final byte[] text = withText(sequence);
                for (int first = 0; first <= text.length; first++)
                {
                    for (int second = first; second <= text.length; second++)
                    {
                        final byte[] input = concat(
                            frame(false, TEXT, Arrays.copyOfRange(text, 0, first)),
                            frame(false, CONTINUATION, Arrays.copyOfRange(text, first, second)),
                            frame(true, CONTINUATION, Arrays.copyOfRange(text, second, text.length)));
                        assertEquals(List.of(Event.error(1007)), Decoding.allWays(input));
                    }
                }
            }
        }
    }

    @Test
    void shouldFailFastBeforeTheFinalFragmentArrives()
    {
        final byte[][][] groups = {OVERLONG, SURROGATES, OVER_MAX_CODE_POINT, STRAY_OR_INTERRUPTED};
        for (final byte[][] group : groups)
        {
            for (final byte[] sequence : group)
            {
                final Decoding.Run run = new Decoding.Run(1000, 2000);
                run.feed(frame(false, TEXT, withText(sequence)));
                assertEquals(List.of(Event.error(1007)), run.events(), "before the final fragment");
                assertTrue(run.decoder.isCorrupt());
                assertTrue(run.decoder.isIdle());
                assertEquals(run.pool.allocatedCount(), run.pool.pooledCount());
            }
        }
    }

    @Test
    void shouldFailFastInsideAFrameBeforeItsPayloadIsComplete()
    {
        final byte[] text = concat(utf8("valid start "), bytes(0xED, 0xA0, 0x80), new byte[200]);
        final byte[] input = frame(true, TEXT, text);
        final int invalidByteEnd = 4 + 4 + 12 + 2;
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(input, 0, invalidByteEnd - 1);
        assertEquals(List.of(), run.events(), "ED is a valid prefix");
        run.feed(input, invalidByteEnd - 1, 1);
        assertEquals(List.of(Event.error(1007)), run.events(), "A0 after ED is a surrogate");
    }
}
