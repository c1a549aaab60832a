package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

import static dev.switchboard.net.http.HttpRequestParserTest.UPGRADE_HEAD;
import static dev.switchboard.net.http.HttpRequestParserTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest
{
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private final HttpRequestParser parser = new HttpRequestParser();
    private final Handshake handshake = new Handshake();
    private final AllowedOrigins anyOrigin = AllowedOrigins.parse(null);

    private void parse(final String head)
    {
        final byte[] buffer = bytes(head);
        assertEquals(buffer.length, parser.parse(buffer, 0, buffer.length), head);
    }

    private static String upgradeHead(final String method, final String version, final String fields)
    {
        return method + " /ws " + version + "\r\n" + fields + "\r\n";
    }

    private static String withoutField(final String prefix)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String line : UPGRADE_HEAD.split("\r\n", -1))
        {
            if (!line.startsWith(prefix))
            {
                sb.append(line).append("\r\n");
            }
        }
        return sb.substring(0, sb.length() - 2);
    }

    @Test
    void shouldWriteRfc6455ExampleAcceptResponse()
    {
        parse(UPGRADE_HEAD);
        assertEquals(0, handshake.validate(parser, anyOrigin));

        final byte[] dst = new byte[512];
        final int length = handshake.writeAccept(parser, dst, 3);

        assertEquals(Handshake.ACCEPT_RESPONSE_LENGTH, length);
        assertEquals(
            "HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n" +
            "\r\n",
            new String(dst, 3, length, StandardCharsets.US_ASCII));
        assertEquals(0, dst[2]);
        assertEquals(0, dst[3 + length]);
    }

    @Test
    void shouldComputeAcceptLikeTheJdkForManyKeysWithOneDigest() throws Exception
    {
        final Random random = new Random(6455);
        final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        final byte[] nonce = new byte[16];
        final byte[] dst = new byte[Handshake.ACCEPT_LENGTH];
        for (int i = 0; i < 200; i++)
        {
            random.nextBytes(nonce);
            final byte[] key = Base64.getEncoder().encode(nonce);
            assertTrue(Handshake.isValidKey(key, 0, key.length));

            final String expected = Base64.getEncoder().encodeToString(sha1.digest(
                (new String(key, StandardCharsets.US_ASCII) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .getBytes(StandardCharsets.US_ASCII)));
            assertEquals(Handshake.ACCEPT_LENGTH, handshake.writeAcceptValue(key, 0, key.length, dst, 0));
            assertEquals(expected, new String(dst, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldRejectMissingKeyWith400()
    {
        parse(withoutField("Sec-WebSocket-Key"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectKeyOfFewerThan16BytesWith400()
    {
        final String fifteenBytes = Base64.getEncoder().encodeToString(new byte[15]);
        parse(UPGRADE_HEAD.replace(RFC_KEY, fifteenBytes));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectKeysThatAreNotBase64Of16Bytes()
    {
        final String[] badKeys = {
            Base64.getEncoder().encodeToString(new byte[17]),
            "dGhlIHNhbXBsZSBub25jZQ=",
            "dGhlIHNhbXBsZSBub25jZQ===",
            "dGhlIHNhbXBsZSBub25jZ===",
            "dGhlIHNhbXBsZSBub25jZ!==",
            "dGhlIHNhbXBsZSBub25jZQAA",
            "dGhlIHNhbXBsZSBub2 jZQ=="};
        for (final String key : badKeys)
        {
            parse(UPGRADE_HEAD.replace(RFC_KEY, key));
            assertEquals(400, handshake.validate(parser, anyOrigin), key);
        }
        assertFalse(Handshake.isValidKey(bytes(""), 0, 0));
    }

    @Test
    void shouldAnswer426WithSupportedVersionForOtherVersions()
    {
        parse(UPGRADE_HEAD.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        assertEquals(426, handshake.validate(parser, anyOrigin));

        parse(withoutField("Sec-WebSocket-Version"));
        assertEquals(426, handshake.validate(parser, anyOrigin));

        final String response = new String(HttpResponses.status(426, false), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
    }

    @Test
    void shouldRejectUpgradeWithOtherMethodThanGetWith400()
    {
        parse(UPGRADE_HEAD.replace("GET /ws", "POST /ws"));
        assertEquals(400, handshake.validate(parser, anyOrigin));

        parse(UPGRADE_HEAD.replace("GET /ws", "HEAD /ws"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectUpgradeWithoutHostWith400()
    {
        parse(withoutField("Host"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectHttp10UpgradeWith400()
    {
        parse(UPGRADE_HEAD.replace("HTTP/1.1", "HTTP/1.0"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectRequestWithoutUpgradeTokensWith400()
    {
        parse(withoutField("Upgrade"));
        assertEquals(400, handshake.validate(parser, anyOrigin));

        parse(UPGRADE_HEAD.replace("Connection: Upgrade", "Connection: keep-alive"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectUpgradeWithBodyWith400()
    {
        parse(upgradeHead("GET", "HTTP/1.1",
            "Host: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\n" +
            "Sec-WebSocket-Version: 13\r\nContent-Length: 3\r\n"));
        assertEquals(400, handshake.validate(parser, anyOrigin));
    }

    @Test
    void shouldRejectOriginNotAllowedWith403()
    {
        parse(UPGRADE_HEAD);
        assertEquals(403, handshake.validate(parser, AllowedOrigins.parse("https://example.com")));
        assertEquals(0, handshake.validate(parser, AllowedOrigins.parse("https://example.com, HTTP://Example.com")));
    }

    @Test
    void shouldAllowUpgradeWithoutOriginWhenOriginsAreRestricted()
    {
        parse(withoutField("Origin"));
        assertEquals(0, handshake.validate(parser, AllowedOrigins.parse("https://example.com")));
    }

    @Test
    void shouldPreferVersionErrorOverKeyError()
    {
        parse(upgradeHead("GET", "HTTP/1.1",
            "Host: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 7\r\n"));
        assertEquals(426, handshake.validate(parser, anyOrigin));
    }
}
