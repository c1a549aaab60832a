package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawHandshakeTest
{
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @Test
    void shouldFindTheEndOfTheHeadOnlyOnceItsBlankLineIsThere()
    {
        final String head = "GET /ws HTTP/1.1\r\nHost: a\r\n\r\n";
        final ByteBuffer buffer = buffer(head + "\u0081\u0080");
        for (int limit = 0; limit < head.length(); limit++)
        {
            assertEquals(-1, RawHandshake.headEnd(buffer, limit), "limit " + limit);
        }
        assertEquals(head.length(), RawHandshake.headEnd(buffer, head.length()));
        assertEquals(head.length(), RawHandshake.headEnd(buffer, head.length() + 2), "frame bytes behind the head");
    }

    @Test
    void shouldUpgradeWithTheAcceptKeyOfRfc6455()
    {
        final String response = respond("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n\r\n", response);
    }

    @Test
    void shouldMatchTheKeyHeaderInAnyCaseAndWithAQuery()
    {
        final byte[] response = response("GET /ws?room=1 HTTP/1.1\r\nSEC-WEBSOCKET-KEY:   " + RFC_KEY + "  \r\n\r\n");
        assertTrue(RawHandshake.upgrades(response));
        assertTrue(new String(response, StandardCharsets.US_ASCII).contains(RFC_ACCEPT));
    }

    @Test
    void shouldAnswer404ToAnotherPath()
    {
        final byte[] response = response("GET /wsx HTTP/1.1\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\n\r\n");
        assertSame(RawHandshake.NOT_FOUND, response);
        assertFalse(RawHandshake.upgrades(response));
    }

    @Test
    void shouldAnswer400ToAnotherMethodABadRequestLineOrNoKey()
    {
        assertSame(RawHandshake.BAD_REQUEST,
            response("POST /ws HTTP/1.1\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\n\r\n"));
        assertSame(RawHandshake.BAD_REQUEST, response("GET /ws\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\n\r\n"));
        assertSame(RawHandshake.BAD_REQUEST, response("GET /ws HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertSame(RawHandshake.BAD_REQUEST, response("GET /ws HTTP/1.1\r\nSec-WebSocket-Key:  \r\n\r\n"));
        assertFalse(RawHandshake.upgrades(RawHandshake.BAD_REQUEST));
    }

    private static String respond(final String head)
    {
        return new String(response(head), StandardCharsets.US_ASCII);
    }

    private static byte[] response(final String head)
    {
        final ByteBuffer buffer = buffer(head);
        final int headEnd = RawHandshake.headEnd(buffer, head.length());
        assertEquals(head.length(), headEnd);
        return RawHandshake.response(buffer, headEnd);
    }

    private static ByteBuffer buffer(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 16);
        buffer.put(bytes);
        return buffer;
    }
}
