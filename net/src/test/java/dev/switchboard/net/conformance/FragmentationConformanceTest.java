package dev.switchboard.net.conformance;

import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static dev.switchboard.net.conformance.ConformanceSupport.expectCloseAndEof;
import static dev.switchboard.net.conformance.ConformanceSupport.expectPong;
import static dev.switchboard.net.conformance.ConformanceSupport.pingOfLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autobahn group 5 (fragmentation) over a real loopback socket.
 */
class FragmentationConformanceTest
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

    private static byte[] fragments(final RawWebSocket ws, final byte[] message, final int pieces, final boolean pings)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int size = (message.length + pieces - 1) / pieces;
        int offset = 0;
        for (int i = 0; i < pieces; i++)
        {
            final int end = Math.min(message.length, offset + size);
            final boolean last = i == pieces - 1;
            bytes.writeBytes(ws.frame(last, 0, 0 == i ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION, true,
                Arrays.copyOfRange(message, offset, last ? message.length : end)));
            if (pings && !last)
            {
                bytes.writeBytes(ws.frame(true, 0, RawWebSocket.PING, true, new byte[] {(byte)i}));
            }
            offset = end;
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldReassembleTwoFragments() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(fragments(ws, pingOfLength(11, 200), 2, false));
            expectPong(ws, 11);
        }
    }

    @Test
    void shouldReassembleOneByteFragments() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final byte[] message = pingOfLength(12, 60);
            ws.write(fragments(ws, message, message.length, false));
            expectPong(ws, 12);
        }
    }

    @Test
    void shouldAnswerPingsInterleavedBetweenFragments() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.writeBytewise(fragments(ws, pingOfLength(13, 90), 3, true));
            // the two WebSocket pings are answered (RFC 6455 5.5.3 lets a queued pong fold into a newer one)
            expectPongsThenTextPong(ws, 13);
        }
    }

    @Test
    void shouldReassembleMessageOverManyReads() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final byte[] bytes = fragments(ws, pingOfLength(14, 60_000), 7, true);
            for (int offset = 0; offset < bytes.length; offset += 1000)
            {
                ws.write(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + 1000)));
            }
            expectPongsThenTextPong(ws, 14);
        }
    }

    @Test
    void shouldCloseWith1002OnContinuationWithoutStart() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(true, 0, RawWebSocket.CONTINUATION, true, new byte[] {'a'}));
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldCloseWith1002OnNewTextFrameInsideFragmentedMessage() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(ws.frame(false, 0, RawWebSocket.TEXT, true, new byte[] {'{'}));
            bytes.writeBytes(ws.frame(true, 0, RawWebSocket.TEXT, true, new byte[] {'}'}));
            ws.write(bytes.toByteArray());
            expectCloseAndEof(ws, 1002);
        }
    }

    @Test
    void shouldCloseWith1002OnFragmentedClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.write(ws.frame(false, 0, RawWebSocket.CLOSE, true, new byte[] {0x03, (byte)0xE8}));
            expectCloseAndEof(ws, 1002);
        }
    }

    /** One or more WebSocket pongs (queued ones may be folded into the newest), then the text pong of ts. */
    private static void expectPongsThenTextPong(final RawWebSocket ws, final long ts) throws Exception
    {
        int pongs = 0;
        RawWebSocket.Frame frame = ws.readFrame();
        while (RawWebSocket.PONG == frame.opcode || RawWebSocket.PING == frame.opcode)
        {
            pongs += RawWebSocket.PONG == frame.opcode ? 1 : 0;
            frame = ws.readFrame();
        }
        assertTrue(pongs >= 1, "the pings between fragments are answered");
        assertEquals(RawWebSocket.TEXT, frame.opcode);
        assertTrue(frame.text().contains("\"type\":\"pong\"") && frame.text().contains("\"ts\":" + ts + "}"),
            frame::text);
    }
}
