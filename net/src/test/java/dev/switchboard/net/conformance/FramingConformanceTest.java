package dev.switchboard.net.conformance;

import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.switchboard.net.conformance.ConformanceSupport.expectCloseAndEof;
import static dev.switchboard.net.conformance.ConformanceSupport.expectPong;
import static dev.switchboard.net.conformance.ConformanceSupport.pingOfLength;

/**
 * Autobahn groups 1 (framing), 3 (reserved bits) and 4 (opcodes) over a real loopback socket.
 */
class FramingConformanceTest
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

    // ---- group 1: framing

    @ParameterizedTest(name = "1.1 text message of {0} bytes is received whole")
    @ValueSource(ints = {40, 125, 126, 127, 128, 129, 1000, 65535, 65536})
    void shouldReceiveTextMessageAtLengthBoundaries(final int length) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.TEXT, pingOfLength(length, length));
            expectPong(ws, length);
        }
    }

    @Test
    void shouldDecodeFrameDeliveredOneByteAtATime() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.writeBytewise(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(7, 300)));
            expectPong(ws, 7);
        }
    }

    @Test
    void shouldDecodeManyFramesInRandomSplits() throws Exception
    {
        final Random random = new Random(1);
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i <= 50; i++)
            {
                all.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(i, 40 + random.nextInt(300))));
            }
            final byte[] bytes = all.toByteArray();
            int offset = 0;
            while (offset < bytes.length)
            {
                final int chunk = Math.min(bytes.length - offset, 1 + random.nextInt(97));
                ws.write(Arrays.copyOfRange(bytes, offset, offset + chunk));
                offset += chunk;
            }
            for (int i = 1; i <= 50; i++)
            {
                expectPong(ws, i);
            }
        }
    }

    @Test
    void shouldDecodeFramesSentRightAfterTheHandshakeHead() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            final String head = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(5, 60)));
            ws.write(bytes.toByteArray());
            Assertions.assertTrue(ws.readHttpHead().startsWith("HTTP/1.1 101"));
            expectPong(ws, 5);
        }
    }

    @Test
    void shouldCloseWith1002OnUnmaskedClientFrame() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, 0, RawWebSocket.TEXT, false, pingOfLength(1, 40)));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldCloseWith1002OnLengthWithTopBitSet() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(new byte[] {(byte)0x81, (byte)0xFF, (byte)0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4});
            expectCloseAndEof(ws, 1002);
        }
    }

    // ---- group 3: reserved bits

    @ParameterizedTest(name = "3.x RSV value {0} on a text frame closes with 1002")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void shouldCloseWith1002OnReservedBitsInTextFrame(final int rsv) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, rsv, RawWebSocket.TEXT, true, pingOfLength(1, 40)));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldCloseWith1002OnReservedBitInPing() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, 4, RawWebSocket.PING, true, new byte[] {1}));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldAnswerEarlierMessageBeforeFailingOnReservedBits() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(9, 40)));
            bytes.writeBytes(ws.frame(true, 2, RawWebSocket.TEXT, true, pingOfLength(10, 40)));
            ws.write(bytes.toByteArray());
            expectPong(ws, 9);
            expectCloseAndEof(ws, 1002);
        }
    }

    // ---- group 4: opcodes

    @ParameterizedTest(name = "4.1/4.2 reserved opcode {0} closes with 1002")
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void shouldCloseWith1002OnReservedOpcode(final int opcode) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, 0, opcode, true, new byte[] {1, 2, 3}));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldCloseWith1003OnBinaryFrame() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, 0, RawWebSocket.BINARY, true, new byte[] {1, 2, 3}));
            expectCloseAndEof(ws, 1003);
        }
    }
}
