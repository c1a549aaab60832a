package dev.switchboard.net.conformance;

import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.switchboard.net.conformance.ConformanceSupport.expectCloseAndEof;
import static dev.switchboard.net.conformance.ConformanceSupport.expectPong;

/**
 * Autobahn group 6 (UTF-8 handling) over a real loopback socket: valid text passes, invalid text closes with
 * 1007, and the failure is detected inside a fragment, before the message ends.
 */
class Utf8ConformanceTest
{
    private static FrontEndServer server;

    @BeforeAll
    static void start() throws Exception
    {
        server = new FrontEndServer();
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static byte[] pingWithPad(final long ts, final byte[] pad)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("{\"type\":\"ping\",\"ts\":" + ts + ",\"pad\":\"").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(pad);
        bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void shouldAcceptValidMultiByteText() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.TEXT, pingWithPad(21, "κόσμε \u00e9 \u20ac \uD83D\uDE00 \uDBFF\uDFFF"
                .getBytes(StandardCharsets.UTF_8)));
            expectPong(ws, 21);
        }
    }

    @Test
    void shouldAcceptValidTextSplitAtEveryPositionAcrossFragments() throws Exception
    {
        final byte[] message = pingWithPad(22, "κόσμε\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            for (int split = 1; split < message.length; split++)
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(ws.frame(false, 0, RawWebSocket.TEXT, true, Arrays.copyOfRange(message, 0, split)));
                bytes.writeBytes(ws.frame(true, 0, RawWebSocket.CONTINUATION, true,
                    Arrays.copyOfRange(message, split, message.length)));
                ws.write(bytes.toByteArray());
                expectPong(ws, 22);
            }
        }
    }

    static Stream<Arguments> invalidSequences()
    {
        return Stream.of(
            Arguments.of("6.3 lone continuation byte", new byte[] {(byte)0x80}),
            Arguments.of("6.8 overlong slash", new byte[] {(byte)0xC0, (byte)0xAF}),
            Arguments.of("6.8 overlong 3-byte", new byte[] {(byte)0xE0, (byte)0x80, (byte)0xAF}),
            Arguments.of("6.8 overlong 4-byte", new byte[] {(byte)0xF0, (byte)0x80, (byte)0x80, (byte)0xAF}),
            Arguments.of("6.9 high surrogate", new byte[] {(byte)0xED, (byte)0xA0, (byte)0x80}),
            Arguments.of("6.9 low surrogate", new byte[] {(byte)0xED, (byte)0xBF, (byte)0xBF}),
            Arguments.of("6.10 above U+10FFFF", new byte[] {(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80}),
            Arguments.of("6.4 invalid lead byte FE", new byte[] {(byte)0xFE}),
            Arguments.of("6.4 invalid lead byte FF", new byte[] {(byte)0xFF}),
            Arguments.of("6.6 truncated 2-byte then ASCII", new byte[] {(byte)0xCE, 'a'}),
            Arguments.of("6.6 truncated 3-byte then ASCII", new byte[] {(byte)0xE2, (byte)0x82, 'a'}));
    }

    @ParameterizedTest(name = "{0} closes with 1007")
    @MethodSource("invalidSequences")
    void shouldCloseWith1007OnInvalidUtf8(final String name, final byte[] sequence) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.TEXT, pingWithPad(1, sequence));
            expectCloseAndEof(ws, 1007);
        }
    }

    @Test
    void shouldCloseWith1007OnTextEndingMidSequence() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.TEXT, new byte[] {'{', '"', 'a', (byte)0xE2, (byte)0x82});
            expectCloseAndEof(ws, 1007);
        }
    }

    @ParameterizedTest(name = "invalid sequence split at every position: {0}")
    @MethodSource("invalidSequences")
    void shouldFailFastInsideFragmentBeforeTheMessageEnds(final String name, final byte[] sequence) throws Exception
    {
        final byte[] message = pingWithPad(1, sequence);
        for (int split = 1; split < message.length; split++)
        {
            try (RawWebSocket ws = RawWebSocket.connect(server.port()))
            {
                // Everything up to the split (which may cut the bad sequence) and then the rest, but never FIN:
                // a fail-fast server closes as soon as the bytes so far cannot be valid.
                ws.write(ws.frame(false, 0, RawWebSocket.TEXT, true, Arrays.copyOfRange(message, 0, split)));
                ws.write(ws.frame(false, 0, RawWebSocket.CONTINUATION, true,
                    Arrays.copyOfRange(message, split, message.length)));
                expectCloseAndEof(ws, 1007);
            }
        }
    }
}
