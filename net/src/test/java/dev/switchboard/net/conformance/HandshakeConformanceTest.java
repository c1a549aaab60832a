package dev.switchboard.net.conformance;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opening handshake (RFC 6455 section 4.2) and the plain HTTP routes, over a real loopback socket.
 */
class HandshakeConformanceTest
{
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static FrontEndServer server;

    @BeforeAll
    static void start() throws Exception
    {
        server = new FrontEndServer(SwitchboardSettings.builder()
            .allowedOrigins("https://app.example.com").build(), null);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static String upgradeHead(final String method, final String extra)
    {
        return method + " /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
            extra + "\r\n";
    }

    private static String exchange(final String request) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            ws.writeAscii(request);
            return ws.readHttpResponse();
        }
    }

    @Test
    void shouldAcceptValidUpgradeWithTheRfcAcceptValue() throws Exception
    {
        final String response = exchange(upgradeHead("GET",
            "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("upgrade: websocket"), response);
    }

    @Test
    void shouldAnswer400WithoutKey() throws Exception
    {
        final String response = exchange(upgradeHead("GET", "Sec-WebSocket-Version: 13\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
    }

    @Test
    void shouldAnswer400ForKeyThatIsNotSixteenBytes() throws Exception
    {
        final String shortKey = Base64.getEncoder().encodeToString(new byte[8]);
        final String response = exchange(upgradeHead("GET",
            "Sec-WebSocket-Key: " + shortKey + "\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
    }

    @Test
    void shouldAnswer426WithSupportedVersionForWrongVersion() throws Exception
    {
        final String response = exchange(upgradeHead("GET",
            "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 8\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 426"), response);
        assertTrue(response.contains("Sec-WebSocket-Version: 13"), response);
    }

    @Test
    void shouldRefuseNonGetUpgrade() throws Exception
    {
        final String response = exchange(upgradeHead("POST",
            "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.1 405"), response);
    }

    @Test
    void shouldAnswer403ForOriginNotAllowed() throws Exception
    {
        final String response = exchange(upgradeHead("GET",
            "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example.com\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 403"), response);
    }

    @Test
    void shouldUpgradeForAllowedOrigin() throws Exception
    {
        final String response = exchange(upgradeHead("GET",
            "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\nOrigin: https://app.example.com\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
    }

    @Test
    void shouldAnswer431ForHeadOver8KiB() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            ws.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
            final String response = ws.readHttpResponse();
            assertTrue(response.startsWith("HTTP/1.1 431"), response);
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldAnswer404ForUnknownPath() throws Exception
    {
        final String response = exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404"), response);
    }

    @Test
    void shouldServeHealthzAndMetricsOnOneKeepAliveConnection() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            ws.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            final String health = ws.readHttpResponse();
            assertTrue(health.startsWith("HTTP/1.1 200"), health);
            assertTrue(health.contains("\"status\":\"ok\""), health);
            assertTrue(health.contains("\"connectedSockets\":"), health);
            ws.writeAscii("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            final String metrics = ws.readHttpResponse();
            assertTrue(metrics.startsWith("HTTP/1.1 200"), metrics);
            assertTrue(metrics.contains("connected_sockets "), metrics);
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            ws.writeAscii("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(ws.readHttpResponse().startsWith("HTTP/1.1 404"));
            assertTrue(ws.readHttpResponse().startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void shouldCloseAfterResponseWhenClientAsksForClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            ws.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(ws.readHttpResponse().startsWith("HTTP/1.1 200"));
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldAnswer400ForGarbageRequestLine() throws Exception
    {
        final String response = exchange("HELLO\r\n\r\n");
        assertEquals("HTTP/1.1 400", response.substring(0, 12), response);
    }
}
