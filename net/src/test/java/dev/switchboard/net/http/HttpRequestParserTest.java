package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.switchboard.net.http.HttpRequestParser.BAD_REQUEST;
import static dev.switchboard.net.http.HttpRequestParser.INCOMPLETE;
import static dev.switchboard.net.http.HttpRequestParser.MAX_HEAD_BYTES;
import static dev.switchboard.net.http.HttpRequestParser.TOO_LARGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestParserTest
{
    static final String UPGRADE_HEAD =
        "GET /ws?authToken=abc HTTP/1.1\r\n" +
        "Host: server.example.com\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Origin: http://example.com\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    private final HttpRequestParser parser = new HttpRequestParser();

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private int parse(final String head)
    {
        final byte[] buffer = bytes(head);
        return parser.parse(buffer, 0, buffer.length);
    }

    private String key()
    {
        return new String(parser.buffer(), parser.keyOffset(), parser.keyLength(), StandardCharsets.ISO_8859_1);
    }

    private String origin()
    {
        return new String(parser.buffer(), parser.originOffset(), parser.originLength(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldParseTypicalUpgradeHead()
    {
        assertEquals(UPGRADE_HEAD.length(), parse(UPGRADE_HEAD));

        assertTrue(parser.isGet());
        assertFalse(parser.isHead());
        assertTrue(parser.isHttp11());
        assertTrue(parser.pathEquals("/ws"));
        assertEquals(4, parser.pathOffset());
        assertEquals(3, parser.pathLength());
        assertEquals("abc", parser.queryParameter("authToken"));
        assertTrue(parser.isWebSocketUpgrade());
        assertEquals(13, parser.webSocketVersion());
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", key());
        assertEquals("http://example.com", origin());
        assertEquals("server.example.com".length(), parser.hostLength());
        assertTrue(parser.keepAlive());
        assertFalse(parser.hasBody());
    }

    @Test
    void shouldReportIncompleteAtEverySplitPositionAndTheSameResultWhenComplete()
    {
        final byte[] head = bytes(UPGRADE_HEAD);
        final int offset = 7;
        final byte[] buffer = new byte[offset + head.length + 5];
        Arrays.fill(buffer, (byte)'x');
        System.arraycopy(head, 0, buffer, offset, head.length);

        for (int available = 0; available < head.length; available++)
        {
            assertEquals(INCOMPLETE, parser.parse(buffer, offset, available), "available=" + available);
        }
        for (int available = head.length; available <= head.length + 5; available++)
        {
            assertEquals(head.length, parser.parse(buffer, offset, available), "available=" + available);
            assertTrue(parser.isWebSocketUpgrade());
            assertEquals("dGhlIHNhbXBsZSBub25jZQ==", key());
            assertTrue(parser.pathEquals("/ws"));
            assertEquals(offset + 4, parser.pathOffset());
        }
    }

    @Test
    void shouldReportIncompleteAtEverySplitPositionWithBareLineFeeds()
    {
        final byte[] head = bytes(UPGRADE_HEAD.replace("\r\n", "\n"));
        for (int available = 0; available < head.length; available++)
        {
            assertEquals(INCOMPLETE, parser.parse(head, 0, available), "available=" + available);
        }
        assertEquals(head.length, parser.parse(head, 0, head.length));
        assertTrue(parser.isWebSocketUpgrade());
        assertEquals(13, parser.webSocketVersion());
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", key());
    }

    @Test
    void shouldReturnTooLargeForMoreThanMaxHeadBytesWithoutEnd()
    {
        final byte[] buffer = new byte[MAX_HEAD_BYTES + 1];
        final byte[] start = bytes("GET / HTTP/1.1\r\nX-Filler: ");
        Arrays.fill(buffer, (byte)'a');
        System.arraycopy(start, 0, buffer, 0, start.length);

        assertEquals(TOO_LARGE, parser.parse(buffer, 0, MAX_HEAD_BYTES + 1));
        assertEquals(TOO_LARGE, parser.parse(buffer, 0, MAX_HEAD_BYTES));
        assertEquals(INCOMPLETE, parser.parse(buffer, 0, MAX_HEAD_BYTES - 1));
    }

    @Test
    void shouldAcceptHeadOfExactlyMaxHeadBytesAndRejectOneMore()
    {
        final String start = "GET / HTTP/1.1\r\nHost: a\r\nX-Filler: ";
        final String end = "\r\n\r\n";
        final String fits = start + "a".repeat(MAX_HEAD_BYTES - start.length() - end.length()) + end;
        assertEquals(MAX_HEAD_BYTES, fits.length());
        assertEquals(MAX_HEAD_BYTES, parse(fits));

        final String tooLong = start + "a".repeat(MAX_HEAD_BYTES + 1 - start.length() - end.length()) + end;
        assertEquals(TOO_LARGE, parse(tooLong));
    }

    @Test
    void shouldReturnTooLargeForEndlessEmptyLines()
    {
        assertEquals(TOO_LARGE, parse("\r\n".repeat(MAX_HEAD_BYTES)));
    }

    @Test
    void shouldMatchHeaderNamesCaseInsensitively()
    {
        final String head =
            "GET /ws HTTP/1.1\r\n" +
            "hOsT: h\r\n" +
            "UPGRADE: WebSocket\r\n" +
            "connection: UPGRADE\r\n" +
            "SEC-WEBSOCKET-KEY: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "sec-websocket-version: 13\r\n" +
            "ORIGIN: https://a.example\r\n" +
            "\r\n";
        assertEquals(head.length(), parse(head));
        assertTrue(parser.isWebSocketUpgrade());
        assertEquals(13, parser.webSocketVersion());
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", key());
        assertEquals("https://a.example", origin());
        assertEquals(1, parser.hostLength());
    }

    @Test
    void shouldTrimOddWhitespaceAndFindTokensInLists()
    {
        final String head =
            "GET /ws HTTP/1.1\r\n" +
            "Host:h\r\n" +
            "Upgrade: \t h2c ,  websocket\t \r\n" +
            "Connection:\tkeep-alive ,Upgrade \r\n" +
            "Sec-WebSocket-Key:   dGhlIHNhbXBsZSBub25jZQ==\t\r\n" +
            "Sec-WebSocket-Version:\t13 \r\n" +
            "X-Empty:\r\n" +
            "\r\n";
        assertEquals(head.length(), parse(head));
        assertTrue(parser.isWebSocketUpgrade());
        assertEquals(13, parser.webSocketVersion());
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", key());
        assertTrue(parser.keepAlive());
    }

    @Test
    void shouldRejectObsoleteLineFoldingWithBadRequest()
    {
        // RFC 9112 section 5.2: a server may reject obs-fold with 400; a proxy may have read the fold differently.
        assertEquals(HttpRequestParser.BAD_REQUEST, parse(
            "GET /ws HTTP/1.1\r\n" +
            "Host: h\r\n" +
            "Connection: keep-alive,\r\n" +
            "   Upgrade\r\n" +
            "\r\n"));
        assertEquals(HttpRequestParser.BAD_REQUEST, parse(
            "GET /healthz HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tcontinued\r\n\r\n"));
        assertEquals(HttpRequestParser.BAD_REQUEST, parse(
            "GET /healthz HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tcon"), "reported before the head is complete");
    }

    @Test
    void shouldKeepTheLastForwardedForFieldLine()
    {
        final String head = "GET /ws HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.2.3.4\r\n" +
            "x-forwarded-for:  10.0.0.1, 10.0.0.2 \r\n\r\n";
        assertEquals(head.length(), parse(head));
        assertEquals("10.0.0.1, 10.0.0.2", new String(parser.buffer(), parser.forwardedForOffset(),
            parser.forwardedForLength(), StandardCharsets.US_ASCII));
        assertEquals(0, parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n") > 0 ? parser.forwardedForLength() : -1);
    }

    @Test
    void shouldTreatTokenSubstringsAsDifferentTokens()
    {
        final String head =
            "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websockets\r\nConnection: upgraded, closer\r\n\r\n";
        assertEquals(head.length(), parse(head));
        assertFalse(parser.isWebSocketUpgrade());
        assertTrue(parser.keepAlive());
    }

    @Test
    void shouldSkipEmptyLinesBeforeRequestLine()
    {
        final String head = "\r\n\nGET /healthz HTTP/1.1\r\nHost: h\r\n\r\n";
        assertEquals(head.length(), parse(head));
        assertTrue(parser.pathEquals("/healthz"));
    }

    @Test
    void shouldStopAtEndOfHeadWhenPipelinedBytesFollow()
    {
        final String first = "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n";
        assertEquals(first.length(), parse(first + "GET /metrics HTTP/1.1\r\n"));
        assertTrue(parser.pathEquals("/healthz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET / HTTP/1.1x\r\n\r\n",
        "GET / HTTP/1.\r\n\r\n",
        "G@T / HTTP/1.1\r\n\r\n",
        "GET foo HTTP/1.1\r\n\r\n",
        "GET /a#b HTTP/1.1\r\n\r\n",
        "GET /a?b#c HTTP/1.1\r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
        "GET /\u0001 HTTP/1.1\r\n\r\n",
        "GET /\u00e9 HTTP/1.1\r\n\r\n",
        "GET http:// HTTP/1.1\r\n\r\n",
        "GET http://host HTTP/1.1\r\n\r\n",
        "GET *x HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\rHost: h\r\n\r\n",
        "\rGET / HTTP/1.1\r\n\r\n"})
    void shouldRejectBadRequestLines(final String head)
    {
        assertEquals(BAD_REQUEST, parse(head));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Host : h\r\n",
        ": value\r\n",
        "No-Colon\r\n",
        "Bad@Name: x\r\n",
        "X-Ctl: a\u0001b\r\n",
        "X-Del: a\u007fb\r\n",
        "X-Cr: a\rb\r\n",
        "Content-Length: abc\r\n",
        "Content-Length: 1, 1\r\n",
        "Content-Length:\r\n",
        "Host: a\r\nHost: b\r\n",
        "Origin: http://a\r\nOrigin: http://b\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13\r\n",
        "Content-Length: 0\r\nContent-Length: 0\r\n"})
    void shouldRejectBadHeaderFields(final String fields)
    {
        assertEquals(BAD_REQUEST, parse("GET / HTTP/1.1\r\n" + fields + "\r\n"));
    }

    @Test
    void shouldRejectWhitespaceBeforeFirstHeaderField()
    {
        assertEquals(BAD_REQUEST, parse("GET / HTTP/1.1\r\n Host: h\r\n\r\n"));
    }

    @Test
    void shouldRejectBadRequestLineBeforeHeadIsComplete()
    {
        assertEquals(BAD_REQUEST, parse("BREW /pot HTCPCP/1.0\r\nHost: h\r\n"));
    }

    @Test
    void shouldRejectControlCharacterBeforeHeadIsComplete()
    {
        assertEquals(BAD_REQUEST, parse("GET / HTTP/1.1\r\nHost: h\r\nX-Bad: a\u0000b"));
        assertEquals(BAD_REQUEST, parse("GET / HTTP/1.1\r\nHost: h\rX"));
        assertEquals(INCOMPLETE, parse("GET / HTTP/1.1\r\nHost: h\r"));
    }

    @Test
    void shouldApplyKeepAliveRulesOfHttp11()
    {
        parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(parser.isHttp11());
        assertTrue(parser.keepAlive());

        parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n");
        assertFalse(parser.keepAlive());

        parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, close\r\n\r\n");
        assertFalse(parser.keepAlive());
    }

    @Test
    void shouldApplyKeepAliveRulesOfHttp10()
    {
        parse("GET / HTTP/1.0\r\n\r\n");
        assertFalse(parser.isHttp11());
        assertFalse(parser.keepAlive());
        assertEquals(0, parser.hostLength());

        parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assertTrue(parser.keepAlive());

        parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n");
        assertFalse(parser.keepAlive());
    }

    @Test
    void shouldTreatLaterHttp1MinorVersionAsHttp11()
    {
        parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n");
        assertTrue(parser.isHttp11());
        assertTrue(parser.keepAlive());
    }

    @Test
    void shouldDetectBodies()
    {
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        assertFalse(parser.hasBody());

        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n");
        assertTrue(parser.hasBody());

        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n");
        assertTrue(parser.hasBody());

        parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertTrue(parser.hasBody());
    }

    @Test
    void shouldReadWebSocketVersionOrMinusOne()
    {
        parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(-1, parser.webSocketVersion());

        parse("GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Version: 8\r\n\r\n");
        assertEquals(8, parser.webSocketVersion());

        parse("GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Version: 13a\r\n\r\n");
        assertEquals(-1, parser.webSocketVersion());

        parse("GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Version: 99999999999\r\n\r\n");
        assertEquals(-1, parser.webSocketVersion());

        parse("GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Version:\r\n\r\n");
        assertEquals(-1, parser.webSocketVersion());
    }

    @Test
    void shouldReportMissingKeyOriginAndHostAsZeroLength()
    {
        parse("GET /ws HTTP/1.1\r\n\r\n");
        assertEquals(0, parser.keyLength());
        assertEquals(0, parser.originLength());
        assertEquals(0, parser.hostLength());
        assertFalse(parser.isWebSocketUpgrade());
    }

    @Test
    void shouldResetFieldsBetweenParses()
    {
        parse(UPGRADE_HEAD);
        assertTrue(parser.isWebSocketUpgrade());

        parse("HEAD /metrics HTTP/1.0\r\n\r\n");
        assertTrue(parser.isHead());
        assertFalse(parser.isGet());
        assertFalse(parser.isWebSocketUpgrade());
        assertEquals(0, parser.keyLength());
        assertEquals(-1, parser.webSocketVersion());
        assertNull(parser.queryParameter("authToken"));
        assertTrue(parser.pathEquals("/metrics"));
    }

    @Test
    void shouldCompareMethodsCaseSensitively()
    {
        parse("get / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertFalse(parser.isGet());
        parse("GETX / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertFalse(parser.isGet());
    }

    @Test
    void shouldDecodePercentAndPlusInQueryParameters()
    {
        parse("GET /ws?x=1&authToken=eyJ%2EeyJ+part%2bplus&y HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("eyJ.eyJ part+plus", parser.queryParameter("authToken"));
        assertEquals("1", parser.queryParameter("x"));
        assertEquals("", parser.queryParameter("y"));
        assertNull(parser.queryParameter("z"));
        assertNull(parser.queryParameter("authtoken"));
        assertNull(parser.queryParameter("auth"));
    }

    @Test
    void shouldDecodeEncodedNamesUtf8AndKeepMalformedEscapesLiteral()
    {
        parse("GET /ws?auth%54oken=%C3%A9t%C3%A9&bad=%zz%4&a=1&a=2 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("\u00e9t\u00e9", parser.queryParameter("authToken"));
        assertEquals("%zz%4", parser.queryParameter("bad"));
        assertEquals("1", parser.queryParameter("a"));
    }

    @Test
    void shouldSeparatePathFromQuery()
    {
        parse("GET /harness/app.js?v=3 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(parser.pathEquals("/harness/app.js"));
        assertTrue(parser.pathStartsWith("/harness/"));
        assertFalse(parser.pathStartsWith("/harness/app.js?"));
        assertFalse(parser.pathEquals("/harness"));
        assertEquals("3", parser.queryParameter("v"));
    }

    @Test
    void shouldTakePathFromAbsoluteFormTarget()
    {
        parse("GET HTTP://server.example.com:8080/ws?authToken=t HTTP/1.1\r\nHost: server.example.com\r\n\r\n");
        assertTrue(parser.pathEquals("/ws"));
        assertEquals("t", parser.queryParameter("authToken"));
    }

    @Test
    void shouldHaveEmptyQueryWhenOnlyQuestionMark()
    {
        parse("GET /ws? HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(parser.pathEquals("/ws"));
        assertNull(parser.queryParameter("authToken"));
    }
}
