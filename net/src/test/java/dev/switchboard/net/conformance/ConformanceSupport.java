package dev.switchboard.net.conformance;

import dev.switchboard.net.support.RawWebSocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared checks for the RFC 6455 conformance groups: what a compliant server must answer.
 */
final class ConformanceSupport
{
    private ConformanceSupport()
    {
    }

    /** A ping envelope padded with a string field to exactly {@code totalBytes} bytes. */
    static byte[] pingOfLength(final long ts, final int totalBytes)
    {
        final String prefix = "{\"type\":\"ping\",\"ts\":" + ts + ",\"pad\":\"";
        final String suffix = "\"}";
        final int padding = totalBytes - prefix.length() - suffix.length();
        if (padding < 0)
        {
            throw new IllegalArgumentException("too short for a ping: " + totalBytes);
        }
        return (prefix + "a".repeat(padding) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    /** Read the next data frame and check it is the pong for {@code ts}. */
    static void expectPong(final RawWebSocket ws, final long ts) throws IOException
    {
        final RawWebSocket.Frame frame = ws.readNonPing();
        assertEquals(RawWebSocket.TEXT, frame.opcode, () -> "expected a text reply, got " + frame);
        assertFalse(frame.masked, "server frames must not be masked");
        assertTrue(frame.fin);
        assertTrue(frame.text().contains("\"type\":\"pong\""), frame::text);
        assertTrue(frame.text().contains("\"ts\":" + ts + "}"), frame::text);
    }

    /** The server answers with a close frame carrying {@code code}, then closes TCP. */
    static void expectCloseAndEof(final RawWebSocket ws, final int code) throws IOException
    {
        final RawWebSocket.Frame close = ws.readUntilClose();
        assertEquals(code, close.closeCode(), () -> "close frame " + close + " reason " + close.closeReason());
        // Answer the close as a well-behaved client does, then expect the TCP close.
        try
        {
            ws.sendClose(code >= 3000 || code == 1000 ? code : 1000, "");
        }
        catch (final IOException ignore)
        {
            // the server may already have closed the socket
        }
        assertTrue(ws.awaitEof(3_000), "server must close the TCP connection");
    }

    /** The connection still answers a ping message. */
    static void expectAlive(final RawWebSocket ws, final long ts) throws IOException
    {
        ws.write(ws.frame(true, 0, RawWebSocket.TEXT, true, pingOfLength(ts, 40)));
        expectPong(ws, ts);
    }
}
