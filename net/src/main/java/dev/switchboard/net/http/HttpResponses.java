package dev.switchboard.net.http;

import java.nio.charset.StandardCharsets;

/**
 * Pre-built HTTP/1.1 responses and an allocation-free head writer for dynamic bodies.
 * <p>
 * Every canned response is built once when the class loads; callers send the returned arrays as they are and must
 * not modify them.
 */
public final class HttpResponses
{
    /** Content type of plain UTF-8 text. */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    /** Content type of JSON, as served by /healthz. */
    public static final String APPLICATION_JSON = "application/json";

    /** Content type of the Prometheus text exposition format, as served by /metrics. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** The statuses {@link #status(int, boolean)} has responses for. */
    private static final int[] CANNED = {200, 400, 403, 404, 405, 408, 413, 426, 429, 431, 500, 501, 503, 505};

    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 599;

    private static final String[] REASONS = new String[MAX_STATUS + 1];
    private static final byte[][] STATUS_LINES = new byte[MAX_STATUS + 1][];
    private static final byte[][][] RESPONSES = new byte[MAX_STATUS + 1][][];

    private static final byte[] CONTENT_TYPE = AsciiBytes.ascii("\r\nContent-Type: ");
    private static final byte[] CONTENT_LENGTH = AsciiBytes.ascii("\r\nContent-Length: ");
    private static final byte[] KEEP_ALIVE = AsciiBytes.ascii("\r\nConnection: keep-alive");
    private static final byte[] CLOSE = AsciiBytes.ascii("\r\nConnection: close");
    private static final byte[] NO_STORE_END = AsciiBytes.ascii("\r\nCache-Control: no-store\r\n\r\n");

    static
    {
        reason(101, "Switching Protocols");
        reason(200, "OK");
        reason(204, "No Content");
        reason(301, "Moved Permanently");
        reason(304, "Not Modified");
        reason(400, "Bad Request");
        reason(401, "Unauthorized");
        reason(403, "Forbidden");
        reason(404, "Not Found");
        reason(405, "Method Not Allowed");
        reason(408, "Request Timeout");
        reason(413, "Content Too Large");
        reason(426, "Upgrade Required");
        reason(429, "Too Many Requests");
        reason(431, "Request Header Fields Too Large");
        reason(500, "Internal Server Error");
        reason(501, "Not Implemented");
        reason(503, "Service Unavailable");
        reason(505, "HTTP Version Not Supported");

        for (final int status : CANNED)
        {
            final byte[] body = (status + " " + REASONS[status] + "\n").getBytes(StandardCharsets.US_ASCII);
            final String extra = extraHeaders(status);
            RESPONSES[status] = new byte[][] {
                build(status, TEXT_PLAIN, extra, body, true, false),
                build(status, TEXT_PLAIN, extra, body, false, false),
                build(status, TEXT_PLAIN, extra, body, true, true),
                build(status, TEXT_PLAIN, extra, body, false, true)};
        }
    }

    private HttpResponses()
    {
    }

    /**
     * The canned response for a status, with a short text/plain body naming it.
     *
     * @param status    one of 200, 400, 403, 404, 405 (with "Allow: GET, HEAD"), 408, 413, 426 (with
     *                  "Upgrade: websocket" and "Sec-WebSocket-Version: 13"), 429 (with "Retry-After: 1"), 431,
     *                  500, 501, 503, 505.
     * @param keepAlive whether the connection stays open afterwards.
     * @return the complete response; do not modify it.
     * @throws IllegalArgumentException for a status without a canned response.
     */
    public static byte[] status(final int status, final boolean keepAlive)
    {
        return status(status, keepAlive, false);
    }

    /**
     * The canned response for a status, without its body when it answers a HEAD request.
     *
     * @param status    as for {@link #status(int, boolean)}.
     * @param keepAlive whether the connection stays open afterwards.
     * @param headOnly  true to leave the body out (the head still gives its Content-Length).
     * @return the complete response; do not modify it.
     * @throws IllegalArgumentException for a status without a canned response.
     */
    public static byte[] status(final int status, final boolean keepAlive, final boolean headOnly)
    {
        final byte[][] variants = status >= MIN_STATUS && status <= MAX_STATUS ? RESPONSES[status] : null;
        if (null == variants)
        {
            throw new IllegalArgumentException("no canned response for status " + status);
        }
        return variants[(keepAlive ? 0 : 1) + (headOnly ? 2 : 0)];
    }

    /**
     * Write a response head for a dynamic body: status line, Content-Type, Content-Length, Connection and
     * "Cache-Control: no-store".
     *
     * @param dst           destination.
     * @param offset        where to write.
     * @param status        a status with a known reason phrase, such as 200 or 503.
     * @param contentType   printable ASCII content type, such as {@link #APPLICATION_JSON}.
     * @param contentLength length of the body that follows.
     * @param keepAlive     whether the connection stays open afterwards.
     * @return the number of bytes written, or -1 when the head does not fit in dst from offset.
     * @throws IllegalArgumentException for a status without a reason phrase.
     */
    public static int writeHead(
        final byte[] dst,
        final int offset,
        final int status,
        final String contentType,
        final int contentLength,
        final boolean keepAlive)
    {
        final byte[] statusLine = statusLine(status);
        final byte[] connection = keepAlive ? KEEP_ALIVE : CLOSE;
        final int required = statusLine.length + CONTENT_TYPE.length + contentType.length() + CONTENT_LENGTH.length +
            AsciiBytes.decimalDigits(contentLength) + connection.length + NO_STORE_END.length;
        if (offset < 0 || dst.length - offset < required)
        {
            return -1;
        }
        int p = offset;
        p += AsciiBytes.writeBytes(statusLine, dst, p);
        p += AsciiBytes.writeBytes(CONTENT_TYPE, dst, p);
        p += AsciiBytes.writeAscii(contentType, dst, p);
        p += AsciiBytes.writeBytes(CONTENT_LENGTH, dst, p);
        p += AsciiBytes.writeDecimal(contentLength, dst, p);
        p += AsciiBytes.writeBytes(connection, dst, p);
        p += AsciiBytes.writeBytes(NO_STORE_END, dst, p);
        return p - offset;
    }

    /**
     * Build a complete response once at start-up, with Content-Type, Content-Length, Connection and
     * "Cache-Control: no-store".
     *
     * @param status      a status with a known reason phrase.
     * @param contentType printable ASCII content type.
     * @param body        the body.
     * @param keepAlive   whether the connection stays open afterwards.
     * @return the response bytes.
     */
    public static byte[] full(final int status, final String contentType, final byte[] body, final boolean keepAlive)
    {
        return build(status, contentType, "", body, keepAlive, false);
    }

    /**
     * The reason phrase of a status.
     *
     * @param status an HTTP status.
     * @return the reason phrase, or null when unknown.
     */
    public static String reasonPhrase(final int status)
    {
        return status >= MIN_STATUS && status <= MAX_STATUS ? REASONS[status] : null;
    }

    static byte[] build(
        final int status,
        final String contentType,
        final String extraHeaders,
        final byte[] body,
        final boolean keepAlive,
        final boolean headOnly)
    {
        final String head = "HTTP/1.1 " + status + " " + reasonOf(status) + "\r\n" +
            (null == contentType ? "" : "Content-Type: " + contentType + "\r\n") +
            "Content-Length: " + body.length + "\r\n" +
            "Connection: " + (426 == status ? "Upgrade, " : "") + (keepAlive ? "keep-alive" : "close") + "\r\n" +
            extraHeaders +
            "Cache-Control: no-store\r\n" +
            "\r\n";
        final byte[] headBytes = AsciiBytes.ascii(head);
        final byte[] response = new byte[headBytes.length + (headOnly ? 0 : body.length)];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        if (!headOnly)
        {
            System.arraycopy(body, 0, response, headBytes.length, body.length);
        }
        return response;
    }

    static String reasonOf(final int status)
    {
        final String reason = reasonPhrase(status);
        if (null == reason)
        {
            throw new IllegalArgumentException("no reason phrase for status " + status);
        }
        return reason;
    }

    private static byte[] statusLine(final int status)
    {
        final byte[] line = status >= MIN_STATUS && status <= MAX_STATUS ? STATUS_LINES[status] : null;
        if (null == line)
        {
            throw new IllegalArgumentException("no reason phrase for status " + status);
        }
        return line;
    }

    private static void reason(final int status, final String reason)
    {
        REASONS[status] = reason;
        STATUS_LINES[status] = AsciiBytes.ascii("HTTP/1.1 " + status + " " + reason);
    }

    private static String extraHeaders(final int status)
    {
        switch (status)
        {
            case 405:
                return "Allow: GET, HEAD\r\n";
            case 426:
                return "Upgrade: websocket\r\nSec-WebSocket-Version: " + Handshake.WEBSOCKET_VERSION + "\r\n";
            case 429:
                return "Retry-After: 1\r\n";
            default:
                return "";
        }
    }
}
