package dev.switchboard.net.ws;

import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.switchboard.net.ws.ClientFrames.CLOSE;
import static dev.switchboard.net.ws.ClientFrames.CONTINUATION;
import static dev.switchboard.net.ws.ClientFrames.PING;
import static dev.switchboard.net.ws.ClientFrames.TEXT;
import static dev.switchboard.net.ws.ClientFrames.bytes;
import static dev.switchboard.net.ws.ClientFrames.closeFrame;
import static dev.switchboard.net.ws.ClientFrames.concat;
import static dev.switchboard.net.ws.ClientFrames.frame;
import static dev.switchboard.net.ws.ClientFrames.text;
import static dev.switchboard.net.ws.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Close frame handling, grouped like Autobahn test group 7.
 */
class FrameDecoderCloseTest
{
    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
        3000, 3999, 4000, 4009, 4409, 4999};
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};

    @Test
    void shouldReportValidCodesWithReasonSoTheCallerCanEchoThem()
    {
        for (final int code : VALID_CODES)
        {
            assertEquals(List.of(Event.close(code, utf8(""))), Decoding.allWays(closeFrame(code, new byte[0])));
            final byte[] reason = utf8("bye \u00e9\u20ac");
            assertEquals(List.of(Event.close(code, reason)), Decoding.allWays(closeFrame(code, reason)));

            final byte[] echo = new byte[8 + reason.length];
            final int written = FrameEncoder.encodeClose(echo, 0, code, reason, 0, reason.length);
            assertEquals(
                List.of(Event.close(code, reason)),
                Decoding.allWays(ClientFrames.maskServerFrame(echo, 0, written, 0x11223344)));
        }
    }

    @Test
    void shouldCloseWith1002OnInvalidCodes()
    {
        for (final int code : INVALID_CODES)
        {
            assertEquals(List.of(Event.error(1002)), Decoding.allWays(closeFrame(code, utf8("r"))), "code " + code);
        }
    }

    @Test
    void shouldCloseWith1002OnOneBytePayloadAtTheHeader()
    {
        final byte[] input = frame(true, CLOSE, bytes(0x03));
        assertEquals(List.of(Event.error(1002)), Decoding.allWays(input));

        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(input, 0, 2);
        assertEquals(List.of(Event.error(1002)), run.events());
    }

    @Test
    void shouldReport1005ForEmptyClosePayload()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(frame(true, CLOSE, new byte[0]));
        assertEquals(List.of(Event.close(1005, new byte[0])), run.events());
        assertTrue(run.decoder.isClosed());
        assertFalse(run.decoder.isCorrupt());
        assertEquals(List.of(Event.close(1005, new byte[0])), Decoding.allWays(frame(true, CLOSE, new byte[0])));
    }

    @Test
    void shouldCloseWith1007OnReasonThatIsNotUtf8()
    {
        final byte[] surrogate = bytes(0xCE, 0xBA, 0xED, 0xA0, 0x80);
        assertEquals(List.of(Event.error(1007)), Decoding.allWays(closeFrame(1000, surrogate)));
        assertEquals(List.of(Event.error(1007)), Decoding.allWays(closeFrame(1000, bytes(0x61, 0xE2, 0x82))));
    }

    @Test
    void shouldAcceptMaximalReason()
    {
        final byte[] reason = new byte[123];
        Arrays.fill(reason, (byte)'r');
        assertEquals(List.of(Event.close(1000, reason)), Decoding.allWays(closeFrame(1000, reason)));
    }

    @Test
    void shouldIgnoreDataAfterClose()
    {
        final byte[] input = concat(
            text("first"),
            closeFrame(1000, utf8("done")),
            text("after close"),
            frame(true, PING, utf8("p")),
            bytes(0xFF, 0xFF, 0x00));
        assertEquals(List.of(Event.text("first"), Event.close(1000, utf8("done"))), Decoding.allWays(input));

        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(input);
        run.feed(text("later read"));
        assertEquals(2, run.events().size());
        assertTrue(run.decoder.isClosed());
    }

    @Test
    void shouldAcceptCloseBetweenFragmentsAndDropTheOpenMessage()
    {
        final Decoding.Run run = new Decoding.Run(1000, 2000);
        run.feed(concat(frame(false, TEXT, utf8("part")), closeFrame(1001, new byte[0])));
        run.feed(frame(true, CONTINUATION, utf8("rest")));
        assertEquals(List.of(Event.close(1001, new byte[0])), run.events());
        assertTrue(run.decoder.isIdle());
        assertEquals(run.pool.allocatedCount(), run.pool.pooledCount());
    }
}
