package dev.switchboard.net.conformance;

import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static dev.switchboard.net.conformance.ConformanceSupport.expectAlive;
import static dev.switchboard.net.conformance.ConformanceSupport.expectCloseAndEof;
import static dev.switchboard.net.conformance.ConformanceSupport.expectPong;
import static dev.switchboard.net.conformance.ConformanceSupport.pingOfLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autobahn groups 2 (ping/pong) and 7 (close handling) over a real loopback socket.
 */
class ControlFrameConformanceTest
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

    // ---- group 2: ping/pong

    @ParameterizedTest(name = "2.x ping with {0} payload bytes gets a pong with the same payload")
    @ValueSource(ints = {0, 1, 10, 125})
    void shouldAnswerPingWithPongOfSamePayload(final int length) throws Exception
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i * 7);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.PING, payload);
            final RawWebSocket.Frame pong = ws.readFrame();
            assertEquals(RawWebSocket.PONG, pong.opcode);
            assertFalse(pong.masked);
            assertArrayEquals(payload, pong.payload);
        }
    }

    @Test
    void shouldCloseWith1002OnPingOver125Bytes() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.PING, new byte[126]);
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldIgnoreUnsolicitedPong() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.PONG, "unsolicited".getBytes(StandardCharsets.UTF_8));
            expectAlive(ws, 3);
        }
    }

    @Test
    void shouldCloseWith1002OnFragmentedPing() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(false, 0, RawWebSocket.PING, true, new byte[] {1}));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldAnswerTenPingsInOrderEndingWithTheLast() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++)
            {
                bytes.writeBytes(ws.frame(true, 0, RawWebSocket.PING, true, new byte[] {(byte)i}));
            }
            ws.writeBytewise(bytes.toByteArray());
            // RFC 6455 5.5.3: pongs not yet sent may be folded into the newest one; those sent come in order
            int last = -1;
            while (last < 9)
            {
                final RawWebSocket.Frame pong = ws.readFrame();
                assertEquals(RawWebSocket.PONG, pong.opcode);
                assertEquals(1, pong.payload.length);
                assertTrue(pong.payload[0] > last, "pong " + pong.payload[0] + " after " + last);
                last = pong.payload[0];
            }
        }
    }

    // ---- group 7: close handling

    @Test
    void shouldEchoNormalCloseAndCloseTcp() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.sendClose(1000, "bye");
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1000, close.closeCode());
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldEchoEmptyCloseWithEmptyClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.CLOSE, new byte[0]);
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(0, close.payload.length, "no status received: the echo carries none");
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldCloseWith1002OnOneByteClosePayload() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.CLOSE, new byte[] {3});
            expectCloseAndEof(ws, 1002);
        }
    }

    @ParameterizedTest(name = "7.7 valid close code {0} is echoed")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void shouldEchoValidCloseCode(final int code) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.sendClose(code, "");
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(code, close.closeCode());
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @ParameterizedTest(name = "7.9 invalid close code {0} closes with 1002")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void shouldCloseWith1002OnInvalidCloseCode(final int code) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.sendClose(code, "");
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldFailOnCloseReasonThatIsNotUtf8() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte)0xE8, (byte)0xCE, (byte)0xBA, (byte)0xE1, (byte)0xBD,
                (byte)0xB9, (byte)0xCF, (byte)0x83, (byte)0xCE, (byte)0xBC, (byte)0xCE, (byte)0xB5, (byte)0xED,
                (byte)0xA0, (byte)0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64});
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertTrue(close.closeCode() == 1007 || close.closeCode() == 1002, close::toString);
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldIgnoreDataAfterClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.CLOSE, true, new byte[] {0x03, (byte)0xE8}));
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(1, 40)));
            ws.write(bytes.toByteArray());
            final RawWebSocket.Frame first = ws.readNonPing();
            assertEquals(RawWebSocket.CLOSE, first.opcode, "nothing may answer the text sent after the close");
            assertEquals(1000, first.closeCode());
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldAnswerMessageSentBeforeClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(4, 40)));
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.CLOSE, true, new byte[] {0x03, (byte)0xE8}));
            ws.write(bytes.toByteArray());
            expectPong(ws, 4);
            assertEquals(1000, ws.readUntilClose().closeCode());
        }
    }
}
