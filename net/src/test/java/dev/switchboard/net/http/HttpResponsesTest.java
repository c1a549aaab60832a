package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpResponsesTest
{
    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldBuildCannedStatusWithReasonBodyAndConnection()
    {
        assertEquals(
            "HTTP/1.1 404 Not Found\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 14\r\n" +
            "Connection: keep-alive\r\n" +
            "Cache-Control: no-store\r\n" +
            "\r\n" +
            "404 Not Found\n",
            text(HttpResponses.status(404, true)));
        assertTrue(text(HttpResponses.status(400, false)).contains("\r\nConnection: close\r\n"));
        assertTrue(text(HttpResponses.status(431, false)).startsWith(
            "HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assertTrue(text(HttpResponses.status(503, true)).startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
        assertTrue(text(HttpResponses.status(403, true)).startsWith("HTTP/1.1 403 Forbidden\r\n"));
    }

    @Test
    void shouldCacheEachCannedResponse()
    {
        assertSame(HttpResponses.status(400, false), HttpResponses.status(400, false));
        assertSame(HttpResponses.status(404, true), HttpResponses.status(404, true, false));
    }

    @Test
    void shouldCarryVersionAndUpgradeOn426AndAllowOn405()
    {
        final String upgradeRequired = text(HttpResponses.status(426, true));
        assertTrue(upgradeRequired.contains("\r\nSec-WebSocket-Version: 13\r\n"), upgradeRequired);
        assertTrue(upgradeRequired.contains("\r\nUpgrade: websocket\r\n"), upgradeRequired);
        assertTrue(upgradeRequired.contains("\r\nConnection: Upgrade, keep-alive\r\n"), upgradeRequired);

        assertTrue(text(HttpResponses.status(405, false)).contains("\r\nAllow: GET, HEAD\r\n"));
    }

    @Test
    void shouldLeaveBodyOutForHeadRequests()
    {
        final String head = text(HttpResponses.status(404, true, true));
        assertTrue(head.endsWith("Content-Length: 14\r\nConnection: keep-alive\r\nCache-Control: no-store\r\n\r\n"));
    }

    @Test
    void shouldRejectStatusWithoutCannedResponse()
    {
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.status(418, true));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.status(42, true));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.status(1000, true));
        assertNull(HttpResponses.reasonPhrase(418));
    }

    @Test
    void shouldWriteHeadForDynamicBody()
    {
        final byte[] dst = new byte[256];
        final int length = HttpResponses.writeHead(dst, 5, 200, HttpResponses.APPLICATION_JSON, 1234, true);

        final String expected =
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/json\r\n" +
            "Content-Length: 1234\r\n" +
            "Connection: keep-alive\r\n" +
            "Cache-Control: no-store\r\n" +
            "\r\n";
        assertEquals(expected.length(), length);
        assertEquals(expected, new String(dst, 5, length, StandardCharsets.US_ASCII));
        assertEquals(0, dst[4]);
        assertEquals(0, dst[5 + length]);
    }

    @Test
    void shouldWriteHeadWithZeroLengthAndClose()
    {
        final byte[] dst = new byte[256];
        final int length = HttpResponses.writeHead(dst, 0, 503, HttpResponses.APPLICATION_JSON, 0, false);
        assertEquals(
            "HTTP/1.1 503 Service Unavailable\r\n" +
            "Content-Type: application/json\r\n" +
            "Content-Length: 0\r\n" +
            "Connection: close\r\n" +
            "Cache-Control: no-store\r\n" +
            "\r\n",
            new String(dst, 0, length, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldReturnMinusOneWhenHeadDoesNotFit()
    {
        final byte[] probe = new byte[256];
        final int length = HttpResponses.writeHead(probe, 0, 200, HttpResponses.PROMETHEUS_TEXT, 99, true);

        final byte[] exact = new byte[length + 3];
        assertEquals(length, HttpResponses.writeHead(exact, 3, 200, HttpResponses.PROMETHEUS_TEXT, 99, true));
        assertEquals(-1, HttpResponses.writeHead(exact, 4, 200, HttpResponses.PROMETHEUS_TEXT, 99, true));
    }

    @Test
    void shouldBuildFullResponse()
    {
        final byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/json\r\n" +
            "Content-Length: 15\r\n" +
            "Connection: close\r\n" +
            "Cache-Control: no-store\r\n" +
            "\r\n" +
            "{\"status\":\"ok\"}",
            text(HttpResponses.full(200, HttpResponses.APPLICATION_JSON, body, false)));
    }
}
