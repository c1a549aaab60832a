package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHandshakeTest
{
    @Test
    void shouldComputeTheAcceptValueOfRfc6455Example()
    {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ClientHandshake.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void shouldMakeSixteenByteKeysThatDifferPerSeed()
    {
        final String key = ClientHandshake.key(1);
        assertEquals(24, key.length());
        assertNotEquals(key, ClientHandshake.key(2));
    }

    @Test
    void shouldWriteUpgradeRequest()
    {
        final String request = new String(ClientHandshake.request("127.0.0.1:8080", "/ws", "k=="),
            StandardCharsets.US_ASCII);
        assertTrue(request.startsWith("GET /ws HTTP/1.1\r\n"));
        assertTrue(request.contains("\r\nUpgrade: websocket\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Key: k==\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(request.endsWith("\r\n\r\n"));
    }

    @Test
    void shouldAcceptSwitchingProtocolsWithMatchingAcceptAndReportHeadLength()
    {
        final String accept = ClientHandshake.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==");
        final String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "sec-websocket-accept: " + accept + "\r\n\r\n";
        final byte[] bytes = (head + "\u0081\u0000").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(head.length(), ClientHandshake.parseResponse(bytes, 0, bytes.length, accept));
    }

    @Test
    void shouldWaitForTheWholeHead()
    {
        final byte[] bytes = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            .getBytes(StandardCharsets.US_ASCII);
        assertEquals(ClientHandshake.INCOMPLETE, ClientHandshake.parseResponse(bytes, 0, bytes.length, "x"));
    }

    @Test
    void shouldRejectOtherStatusAndWrongAccept()
    {
        final byte[] notFound = "HTTP/1.1 404 Not Found\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ClientHandshake.ERROR_STATUS, ClientHandshake.parseResponse(notFound, 0, notFound.length, "x"));
        final byte[] wrong = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
        assertEquals(ClientHandshake.ERROR_ACCEPT, ClientHandshake.parseResponse(wrong, 0, wrong.length, "x"));
    }
}
