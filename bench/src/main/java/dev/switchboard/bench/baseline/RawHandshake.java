package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.ClientHandshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static dev.switchboard.bench.baseline.RawAscii.ascii;

/**
 * The minimal HTTP upgrade of the {@link RawWriter}: finds the end of a request head in the read buffer and answers
 * it with 101 and the accept key, 404 for a path other than {@code /ws}, or 400. Runs once per socket, so it may
 * build Strings.
 */
final class RawHandshake
{
    /** Longest request head accepted; a longer one without its blank line is answered 400. */
    static final int MAX_HEAD_BYTES = 8_192;

    /** The answer to a malformed request or one without a key. */
    static final byte[] BAD_REQUEST =
        ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    /** The answer to a request for a path other than {@code /ws}. */
    static final byte[] NOT_FOUND =
        ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private RawHandshake()
    {
    }

    /**
     * Where the request head ends: one past its blank line.
     *
     * @param buffer the bytes read, from index 0.
     * @param limit  one past the last byte read.
     * @return the index after {@code \r\n\r\n}, or -1 when the head is not complete yet.
     */
    static int headEnd(final ByteBuffer buffer, final int limit)
    {
        for (int i = 3; i < limit; i++)
        {
            if ('\n' == buffer.get(i) && '\r' == buffer.get(i - 1) && '\n' == buffer.get(i - 2) &&
                '\r' == buffer.get(i - 3))
            {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * The response to a complete request head.
     *
     * @param buffer  the bytes read, from index 0.
     * @param headEnd from {@link #headEnd}.
     * @return the 101 response with its accept key, or {@link #NOT_FOUND} or {@link #BAD_REQUEST}.
     */
    static byte[] response(final ByteBuffer buffer, final int headEnd)
    {
        final byte[] headBytes = new byte[headEnd];
        buffer.get(0, headBytes, 0, headEnd);
        final String head = new String(headBytes, StandardCharsets.ISO_8859_1);
        final int lineEnd = head.indexOf("\r\n");
        final String[] requestLine = head.substring(0, lineEnd).split(" ");
        if (requestLine.length != 3 || !"GET".equals(requestLine[0]))
        {
            return BAD_REQUEST;
        }
        if (!requestLine[1].equals("/ws") && !requestLine[1].startsWith("/ws?"))
        {
            return NOT_FOUND;
        }
        final String key = key(head, lineEnd + 2);
        if (null == key || key.isEmpty())
        {
            return BAD_REQUEST;
        }
        return ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Accept: " + ClientHandshake.expectedAccept(key) + "\r\n\r\n");
    }

    /**
     * Whether a response from {@link #response} upgrades the socket.
     *
     * @param response the response.
     * @return false for {@link #BAD_REQUEST} and {@link #NOT_FOUND}.
     */
    static boolean upgrades(final byte[] response)
    {
        return BAD_REQUEST != response && NOT_FOUND != response;
    }

    private static String key(final String head, final int headersStart)
    {
        String key = null;
        int at = headersStart;
        while (at < head.length())
        {
            final int end = head.indexOf("\r\n", at);
            if (end <= at)
            {
                break;
            }
            final int colon = head.indexOf(':', at);
            if (colon > at && colon < end &&
                "sec-websocket-key".equals(head.substring(at, colon).trim().toLowerCase(Locale.ROOT)))
            {
                key = head.substring(colon + 1, end).trim();
            }
            at = end + 2;
        }
        return key;
    }
}
