package dev.switchboard.net.conformance;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static dev.switchboard.net.conformance.ConformanceSupport.expectAlive;
import static dev.switchboard.net.conformance.ConformanceSupport.expectCloseAndEof;
import static dev.switchboard.net.conformance.ConformanceSupport.pingOfLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Size limits of PROTOCOL.md section 1: payload_too_large keeps the connection, the hard limit closes 1009.
 */
class LimitsConformanceTest
{
    private static FrontEndServer server;

    @BeforeAll
    static void start() throws Exception
    {
        server = new FrontEndServer(SwitchboardSettings.defaults(), null);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void shouldAnswerPayloadTooLargeAndKeepTheConnection() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            ws.send(RawWebSocket.TEXT, pingOfLength(1, 65537));
            final RawWebSocket.Frame reply = ws.readNonPing();
            assertEquals(RawWebSocket.TEXT, reply.opcode);
            assertTrue(reply.text().contains("\"code\":\"payload_too_large\""), reply::text);
            expectAlive(ws, 2);
        }
    }

    @Test
    void shouldAnswerPayloadTooLargeForFragmentedMessageOverTheLimit() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final byte[] message = pingOfLength(1, 200_000);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final int piece = 50_000;
            for (int offset = 0; offset < message.length; offset += piece)
            {
                final int end = Math.min(message.length, offset + piece);
                bytes.writeBytes(ws.frame(end == message.length, 0,
                    0 == offset ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION, true,
                    Arrays.copyOfRange(message, offset, end)));
            }
            ws.write(bytes.toByteArray());
            assertTrue(ws.readNonPing().text().contains("payload_too_large"));
            expectAlive(ws, 3);
        }
    }

    @Test
    void shouldCloseWith1009WhenFrameLengthExceedsHardLimit() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            // Only the header: the server must decide from the length field alone.
            ws.write(new byte[] {(byte)0x81, (byte)0xFF, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4});
            expectCloseAndEof(ws, 1009);
        }
    }

    @Test
    void shouldCloseWith1009WhenReassembledMessageExceedsHardLimit() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            final byte[] chunk = new byte[400_000];
            Arrays.fill(chunk, (byte)'a');
            ws.write(ws.frame(false, 0, RawWebSocket.TEXT, true, chunk));
            ws.write(ws.frame(false, 0, RawWebSocket.CONTINUATION, true, chunk));
            // The server fails the connection as soon as this frame's length is known; it keeps reading
            // (discarding) until we close, so the rest of our write is not reset and its close frame arrives.
            ws.write(ws.frame(false, 0, RawWebSocket.CONTINUATION, true, chunk));
            expectCloseAndEof(ws, 1009);
        }
    }
}
