package dev.switchboard.net.http;

import java.nio.charset.StandardCharsets;

import static dev.switchboard.net.http.AsciiBytes.CR;
import static dev.switchboard.net.http.AsciiBytes.HTAB;
import static dev.switchboard.net.http.AsciiBytes.LF;
import static dev.switchboard.net.http.AsciiBytes.SP;

/**
 * Flyweight parser of one HTTP/1.1 request head over a byte array; reusable and not thread-safe.
 * <p>
 * The parser works on byte offsets into the caller's buffer and allocates nothing; its accessors are valid after
 * {@link #parse} returned a positive head length and until the next call or until the buffer changes. Lines may end
 * with CR LF or a bare LF; a bare CR, a control character in a field, whitespace before a colon, or a duplicate
 * Host, Origin, Content-Length, Sec-WebSocket-Key or Sec-WebSocket-Version is {@link #BAD_REQUEST}, and so is
 * obsolete line folding (a field line starting with SP or HTAB), which RFC 9112 section 5.2 lets a server reject
 * with 400 and which proxies may read differently from us. Bytes are checked as they arrive,
 * so a control character or a malformed request line is reported before the rest of the head is in.
 */
public final class HttpRequestParser
{
    /** Most bytes a request head may take, through its blank line. */
    public static final int MAX_HEAD_BYTES = 8192;

    /** The head is not complete yet: parse again when more bytes arrived. */
    public static final int INCOMPLETE = -1;

    /** No end of head within {@link #MAX_HEAD_BYTES}: answer 431. */
    public static final int TOO_LARGE = -2;

    /** Malformed request line or header field: answer 400. */
    public static final int BAD_REQUEST = -3;

    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] HEAD = {'H', 'E', 'A', 'D'};
    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final byte[] HTTP_SCHEME = {'h', 't', 't', 'p', ':', '/', '/'};
    private static final byte[] HTTPS_SCHEME = {'h', 't', 't', 'p', 's', ':', '/', '/'};

    private static final byte[] H_HOST = AsciiBytes.ascii("host");
    private static final byte[] H_ORIGIN = AsciiBytes.ascii("origin");
    private static final byte[] H_UPGRADE = AsciiBytes.ascii("upgrade");
    private static final byte[] H_CONNECTION = AsciiBytes.ascii("connection");
    private static final byte[] H_CONTENT_LENGTH = AsciiBytes.ascii("content-length");
    private static final byte[] H_TRANSFER_ENCODING = AsciiBytes.ascii("transfer-encoding");
    private static final byte[] H_SEC_WEBSOCKET_KEY = AsciiBytes.ascii("sec-websocket-key");
    private static final byte[] H_SEC_WEBSOCKET_VERSION = AsciiBytes.ascii("sec-websocket-version");
    private static final byte[] H_X_FORWARDED_FOR = AsciiBytes.ascii("x-forwarded-for");

    private static final byte[] T_CLOSE = AsciiBytes.ascii("close");
    private static final byte[] T_KEEP_ALIVE = AsciiBytes.ascii("keep-alive");
    private static final byte[] T_UPGRADE = AsciiBytes.ascii("upgrade");
    private static final byte[] T_WEBSOCKET = AsciiBytes.ascii("websocket");

    private static final int NO_LINE_FEED = -1;
    private static final int EMPTY_LINES_CUT = -1;
    private static final int EMPTY_LINES_BAD = -2;
    private static final int BAD_LINE = -2;
    private static final int MAX_VERSION_DIGITS = 9;
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private byte[] buffer;

    private int methodOffset;
    private int methodLength;
    private int pathOffset;
    private int pathLength;
    private int queryOffset;
    private int queryLength;
    private int httpMinorVersion;

    private int hostCount;
    private int hostLength;
    private int originCount;
    private int originOffset;
    private int originLength;
    private int forwardedForOffset;
    private int forwardedForLength;
    private int keyCount;
    private int keyOffset;
    private int keyLength;
    private int versionCount;
    private int webSocketVersion;
    private int contentLengthCount;
    private long contentLength;
    private boolean transferEncoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean connectionUpgrade;
    private boolean upgradeWebSocket;

    private int fieldNameOffset;
    private int fieldNameLength;
    private int fieldValueOffset;
    private int fieldValueEnd;

    /**
     * Parse a request head starting at offset.
     *
     * @param buffer bytes received so far.
     * @param offset first byte of the head.
     * @param length number of bytes available from offset.
     * @return the head's length in bytes through the blank line, or {@link #INCOMPLETE}, {@link #TOO_LARGE} or
     * {@link #BAD_REQUEST}.
     */
    public int parse(final byte[] buffer, final int offset, final int length)
    {
        reset(buffer);

        final int limit = offset + Math.min(length, MAX_HEAD_BYTES);
        final int needMore = length >= MAX_HEAD_BYTES ? TOO_LARGE : INCOMPLETE;
        int p = skipEmptyLines(buffer, offset, limit);
        if (p < 0)
        {
            return EMPTY_LINES_CUT == p ? needMore : BAD_REQUEST;
        }

        int lineFeed = scanLine(buffer, p, limit);
        if (lineFeed < 0)
        {
            return NO_LINE_FEED == lineFeed ? needMore : BAD_REQUEST;
        }
        if (!parseRequestLine(buffer, p, contentEnd(buffer, p, lineFeed)))
        {
            return BAD_REQUEST;
        }
        p = lineFeed + 1;

        while (true)
        {
            if (p < limit && AsciiBytes.isOws(buffer[p]))
            {
                return BAD_REQUEST;
            }
            lineFeed = scanLine(buffer, p, limit);
            if (lineFeed < 0)
            {
                return NO_LINE_FEED == lineFeed ? needMore : BAD_REQUEST;
            }
            final int end = contentEnd(buffer, p, lineFeed);
            if (end == p)
            {
                if (fieldNameLength > 0 && !onField(buffer))
                {
                    return BAD_REQUEST;
                }
                return lineFeed + 1 - offset;
            }
            if (fieldNameLength > 0 && !onField(buffer))
            {
                return BAD_REQUEST;
            }
            int q = p;
            while (q < end && AsciiBytes.isTokenChar(buffer[q]))
            {
                q++;
            }
            if (q == p || q == end || ':' != buffer[q])
            {
                return BAD_REQUEST;
            }
            fieldNameOffset = p;
            fieldNameLength = q - p;
            fieldValueOffset = q + 1;
            fieldValueEnd = end;
            p = lineFeed + 1;
        }
    }

    /**
     * Whether the method is GET.
     *
     * @return true for GET.
     */
    public boolean isGet()
    {
        return methodIs(GET);
    }

    /**
     * Whether the method is HEAD.
     *
     * @return true for HEAD.
     */
    public boolean isHead()
    {
        return methodIs(HEAD);
    }

    /**
     * Whether the path, without the query, equals the given ASCII text byte for byte.
     *
     * @param asciiPath path such as {@code /ws}.
     * @return true when equal.
     */
    public boolean pathEquals(final String asciiPath)
    {
        return asciiPath.length() == pathLength && regionMatches(asciiPath);
    }

    /**
     * Whether the path, without the query, starts with the given ASCII text.
     *
     * @param asciiPrefix prefix such as {@code /harness/}.
     * @return true when the path starts with it.
     */
    public boolean pathStartsWith(final String asciiPrefix)
    {
        return asciiPrefix.length() <= pathLength && regionMatches(asciiPrefix);
    }

    /**
     * Offset of the path, without the query, in the parsed buffer; the path is still percent-encoded.
     *
     * @return offset of the first path byte.
     */
    public int pathOffset()
    {
        return pathOffset;
    }

    /**
     * Length of the path without the query.
     *
     * @return number of path bytes.
     */
    public int pathLength()
    {
        return pathLength;
    }

    /**
     * The first query parameter of that name, percent- and plus-decoded as UTF-8; allocates, so use it only at upgrade.
     *
     * @param name parameter name, compared with the decoded name.
     * @return the decoded value, empty when the parameter has no {@code =}, or null when absent.
     */
    public String queryParameter(final String name)
    {
        final int end = queryOffset + queryLength;
        int p = queryOffset;
        while (p < end)
        {
            int pairEnd = p;
            while (pairEnd < end && '&' != buffer[pairEnd])
            {
                pairEnd++;
            }
            int nameEnd = p;
            while (nameEnd < pairEnd && '=' != buffer[nameEnd])
            {
                nameEnd++;
            }
            if (decodedEquals(buffer, p, nameEnd, name))
            {
                return nameEnd == pairEnd ? "" : decode(buffer, nameEnd + 1, pairEnd);
            }
            p = pairEnd + 1;
        }
        return null;
    }

    /**
     * Whether the request is HTTP/1.1 or a later 1.x.
     *
     * @return true for HTTP/1.1.
     */
    public boolean isHttp11()
    {
        return httpMinorVersion >= 1;
    }

    /**
     * Whether the connection stays open after the response: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
     * "Connection: keep-alive".
     *
     * @return true when the connection persists.
     */
    public boolean keepAlive()
    {
        if (connectionClose)
        {
            return false;
        }
        return isHttp11() || connectionKeepAlive;
    }

    /**
     * Whether the request announces a body: Content-Length over zero or any Transfer-Encoding.
     *
     * @return true when a body follows the head.
     */
    public boolean hasBody()
    {
        return contentLength > 0 || transferEncoding;
    }

    /**
     * The announced Content-Length.
     *
     * @return the length, 0 when absent; {@link Long#MAX_VALUE} when absurdly long.
     */
    public long contentLength()
    {
        return contentLength;
    }

    /**
     * Whether a Transfer-Encoding header was present.
     *
     * @return true when the body length is not given by Content-Length.
     */
    public boolean hasTransferEncoding()
    {
        return transferEncoding;
    }

    /**
     * Whether the method equals the given ASCII token, e.g. {@code POST}.
     *
     * @param method the method name.
     * @return true when equal byte for byte.
     */
    public boolean methodEquals(final String method)
    {
        if (methodLength != method.length())
        {
            return false;
        }
        for (int i = 0; i < methodLength; i++)
        {
            if (method.charAt(i) != buffer[methodOffset + i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether Upgrade has the token "websocket" and Connection has the token "upgrade", case-insensitively.
     *
     * @return true for a WebSocket upgrade request.
     */
    public boolean isWebSocketUpgrade()
    {
        return upgradeWebSocket && connectionUpgrade;
    }

    /**
     * The Sec-WebSocket-Version value.
     *
     * @return the version, or -1 when missing or not a number.
     */
    public int webSocketVersion()
    {
        return webSocketVersion;
    }

    /**
     * Offset of the trimmed Sec-WebSocket-Key value in the parsed buffer.
     *
     * @return offset of the key.
     */
    public int keyOffset()
    {
        return keyOffset;
    }

    /**
     * Length of the trimmed Sec-WebSocket-Key value.
     *
     * @return key length, 0 when missing.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * Offset of the trimmed Origin value in the parsed buffer.
     *
     * @return offset of the origin.
     */
    public int originOffset()
    {
        return originOffset;
    }

    /**
     * Length of the trimmed Origin value.
     *
     * @return origin length, 0 when missing.
     */
    public int originLength()
    {
        return originLength;
    }

    /**
     * Offset of the trimmed value of the last X-Forwarded-For field line in the parsed buffer.
     *
     * @return offset of the value.
     */
    public int forwardedForOffset()
    {
        return forwardedForOffset;
    }

    /**
     * Length of the trimmed value of the last X-Forwarded-For field line.
     *
     * @return value length, 0 when missing.
     */
    public int forwardedForLength()
    {
        return forwardedForLength;
    }

    /**
     * Length of the trimmed Host value; HTTP/1.1 requires the field, so the caller answers 400 when it is 0.
     *
     * @return host length, 0 when missing.
     */
    public int hostLength()
    {
        return hostLength;
    }

    /**
     * The buffer of the last parse, which the offsets of this flyweight index into.
     *
     * @return the parsed buffer, or null before the first parse.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    private void reset(final byte[] buffer)
    {
        this.buffer = buffer;
        methodOffset = 0;
        methodLength = 0;
        pathOffset = 0;
        pathLength = 0;
        queryOffset = 0;
        queryLength = 0;
        httpMinorVersion = 0;
        hostCount = 0;
        hostLength = 0;
        originCount = 0;
        originOffset = 0;
        originLength = 0;
        forwardedForOffset = 0;
        forwardedForLength = 0;
        keyCount = 0;
        keyOffset = 0;
        keyLength = 0;
        versionCount = 0;
        webSocketVersion = -1;
        contentLengthCount = 0;
        contentLength = 0;
        transferEncoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionUpgrade = false;
        upgradeWebSocket = false;
        fieldNameOffset = 0;
        fieldNameLength = 0;
        fieldValueOffset = 0;
        fieldValueEnd = 0;
    }

    /**
     * Find the LF ending the line that starts at from, checking on the way that the line holds no control character
     * but HTAB and no CR other than the one right before its LF.
     */
    private static int scanLine(final byte[] buffer, final int from, final int limit)
    {
        for (int i = from; i < limit; i++)
        {
            final int b = buffer[i] & 0xFF;
            if (b < 0x20 || 0x7F == b)
            {
                if (LF == b)
                {
                    return i;
                }
                if (CR == b)
                {
                    if (i + 1 == limit)
                    {
                        return NO_LINE_FEED;
                    }
                    if (LF == buffer[i + 1])
                    {
                        return i + 1;
                    }
                    return BAD_LINE;
                }
                if (HTAB != b)
                {
                    return BAD_LINE;
                }
            }
        }
        return NO_LINE_FEED;
    }

    private static int contentEnd(final byte[] buffer, final int lineStart, final int lineFeed)
    {
        return lineFeed > lineStart && CR == buffer[lineFeed - 1] ? lineFeed - 1 : lineFeed;
    }

    private boolean parseRequestLine(final byte[] buffer, final int from, final int end)
    {
        int p = from;
        while (p < end && AsciiBytes.isTokenChar(buffer[p]))
        {
            p++;
        }
        if (p == from || p == end || !AsciiBytes.isOws(buffer[p]))
        {
            return false;
        }
        methodOffset = from;
        methodLength = p - from;
        p = skipOws(buffer, p, end);

        final int targetStart = p;
        while (p < end && buffer[p] > SP && buffer[p] < 0x7F)
        {
            p++;
        }
        if (p == targetStart || p == end || !AsciiBytes.isOws(buffer[p]))
        {
            return false;
        }
        if (!parseTarget(buffer, targetStart, p))
        {
            return false;
        }
        p = skipOws(buffer, p, end);

        if (end - p < HTTP_SLASH.length + 3)
        {
            return false;
        }
        for (int i = 0; i < HTTP_SLASH.length; i++)
        {
            if (HTTP_SLASH[i] != buffer[p + i])
            {
                return false;
            }
        }
        p += HTTP_SLASH.length;
        if ('1' != buffer[p] || '.' != buffer[p + 1] || buffer[p + 2] < '0' || buffer[p + 2] > '9')
        {
            return false;
        }
        httpMinorVersion = buffer[p + 2] - '0';
        return skipOws(buffer, p + 3, end) == end;
    }

    private boolean parseTarget(final byte[] buffer, final int from, final int end)
    {
        int p = from;
        if ('*' == buffer[p])
        {
            if (end - from != 1)
            {
                return false;
            }
            pathOffset = from;
            pathLength = 1;
            return true;
        }
        if ('/' != buffer[p])
        {
            final int schemeLength = absoluteSchemeLength(buffer, from, end);
            if (0 == schemeLength)
            {
                return false;
            }
            p += schemeLength;
            final int authorityStart = p;
            while (p < end && '/' != buffer[p] && '?' != buffer[p])
            {
                p++;
            }
            if (p == authorityStart || p == end || '/' != buffer[p])
            {
                return false;
            }
        }
        final int pathStart = p;
        while (p < end && '?' != buffer[p])
        {
            if ('#' == buffer[p])
            {
                return false;
            }
            p++;
        }
        pathOffset = pathStart;
        pathLength = p - pathStart;
        if (p < end)
        {
            queryOffset = p + 1;
            for (int i = queryOffset; i < end; i++)
            {
                if ('#' == buffer[i])
                {
                    return false;
                }
            }
            queryLength = end - queryOffset;
        }
        return true;
    }

    private static int absoluteSchemeLength(final byte[] buffer, final int from, final int end)
    {
        if (startsWithLowerCase(buffer, from, end, HTTP_SCHEME))
        {
            return HTTP_SCHEME.length;
        }
        if (startsWithLowerCase(buffer, from, end, HTTPS_SCHEME))
        {
            return HTTPS_SCHEME.length;
        }
        return 0;
    }

    private static boolean startsWithLowerCase(final byte[] buffer, final int from, final int end, final byte[] prefix)
    {
        return end - from >= prefix.length && AsciiBytes.equalsLowerCase(buffer, from, prefix.length, prefix);
    }

    private static int skipOws(final byte[] buffer, final int from, final int end)
    {
        int p = from;
        while (p < end && AsciiBytes.isOws(buffer[p]))
        {
            p++;
        }
        return p;
    }

    /**
     * Skip the empty lines a client may send before the request line (RFC 9112 section 2.2).
     *
     * @return the request line's first byte, {@link #EMPTY_LINES_CUT} when the bytes end first, or
     * {@link #EMPTY_LINES_BAD} for a CR without its LF.
     */
    private static int skipEmptyLines(final byte[] buffer, final int from, final int limit)
    {
        int p = from;
        while (true)
        {
            if (p >= limit)
            {
                return EMPTY_LINES_CUT;
            }
            if (LF == buffer[p])
            {
                p++;
            }
            else if (CR == buffer[p])
            {
                if (p + 1 >= limit)
                {
                    return EMPTY_LINES_CUT;
                }
                if (LF != buffer[p + 1])
                {
                    return EMPTY_LINES_BAD;
                }
                p += 2;
            }
            else
            {
                return p;
            }
        }
    }

    private boolean onField(final byte[] buffer)
    {
        int start = fieldValueOffset;
        int end = fieldValueEnd;
        while (start < end && AsciiBytes.isValueSpace(buffer[start]))
        {
            start++;
        }
        while (end > start && AsciiBytes.isValueSpace(buffer[end - 1]))
        {
            end--;
        }
        final int nameOffset = fieldNameOffset;
        final int nameLength = fieldNameLength;
        fieldNameLength = 0;
        return nameLength < 14 ?
            onShortField(buffer, nameOffset, nameLength, start, end) :
            onLongField(buffer, nameOffset, nameLength, start, end);
    }

    /** Host, Origin, Upgrade and Connection: the fields whose names are shorter than 14 bytes. */
    private boolean onShortField(
        final byte[] buffer, final int nameOffset, final int nameLength, final int start, final int end)
    {
        switch (nameLength)
        {
            case 4:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_HOST))
                {
                    hostLength = end - start;
                    return ++hostCount == 1;
                }
                return true;

            case 6:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_ORIGIN))
                {
                    originOffset = start;
                    originLength = end - start;
                    return ++originCount == 1;
                }
                return true;

            case 7:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_UPGRADE))
                {
                    upgradeWebSocket |= hasToken(buffer, start, end, T_WEBSOCKET);
                }
                return true;

            case 10:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_CONNECTION))
                {
                    connectionClose |= hasToken(buffer, start, end, T_CLOSE);
                    connectionKeepAlive |= hasToken(buffer, start, end, T_KEEP_ALIVE);
                    connectionUpgrade |= hasToken(buffer, start, end, T_UPGRADE);
                }
                return true;

            default:
                return true;
        }
    }

    /** Content-Length, X-Forwarded-For, Transfer-Encoding and the Sec-WebSocket fields: 14 bytes or longer. */
    private boolean onLongField(
        final byte[] buffer, final int nameOffset, final int nameLength, final int start, final int end)
    {
        switch (nameLength)
        {
            case 14:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_CONTENT_LENGTH))
                {
                    return ++contentLengthCount == 1 && parseContentLength(buffer, start, end);
                }
                return true;

            case 17:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_TRANSFER_ENCODING))
                {
                    transferEncoding = true;
                }
                else if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_SEC_WEBSOCKET_KEY))
                {
                    keyOffset = start;
                    keyLength = end - start;
                    return ++keyCount == 1;
                }
                return true;

            case 15:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_X_FORWARDED_FOR))
                {
                    // The last field line holds the entry the nearest proxy appended.
                    forwardedForOffset = start;
                    forwardedForLength = end - start;
                }
                return true;

            case 21:
                if (AsciiBytes.equalsLowerCase(buffer, nameOffset, nameLength, H_SEC_WEBSOCKET_VERSION))
                {
                    webSocketVersion = parseVersion(buffer, start, end);
                    return ++versionCount == 1;
                }
                return true;

            default:
                return true;
        }
    }

    private boolean parseContentLength(final byte[] buffer, final int start, final int end)
    {
        if (start == end)
        {
            return false;
        }
        long value = 0;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer[i];
            if (b < '0' || b > '9')
            {
                return false;
            }
            if (i - start < MAX_CONTENT_LENGTH_DIGITS)
            {
                value = value * 10 + (b - '0');
            }
        }
        contentLength = end - start > MAX_CONTENT_LENGTH_DIGITS ? Long.MAX_VALUE : value;
        return true;
    }

    private static int parseVersion(final byte[] buffer, final int start, final int end)
    {
        if (start == end || end - start > MAX_VERSION_DIGITS)
        {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer[i];
            if (b < '0' || b > '9')
            {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static boolean hasToken(final byte[] buffer, final int start, final int end, final byte[] lowerCaseToken)
    {
        int p = start;
        while (p < end)
        {
            int tokenEnd = p;
            while (tokenEnd < end && ',' != buffer[tokenEnd])
            {
                tokenEnd++;
            }
            int a = p;
            int b = tokenEnd;
            while (a < b && AsciiBytes.isValueSpace(buffer[a]))
            {
                a++;
            }
            while (b > a && AsciiBytes.isValueSpace(buffer[b - 1]))
            {
                b--;
            }
            if (AsciiBytes.equalsLowerCase(buffer, a, b - a, lowerCaseToken))
            {
                return true;
            }
            p = tokenEnd + 1;
        }
        return false;
    }

    private boolean methodIs(final byte[] method)
    {
        if (methodLength != method.length)
        {
            return false;
        }
        for (int i = 0; i < methodLength; i++)
        {
            if (method[i] != buffer[methodOffset + i])
            {
                return false;
            }
        }
        return true;
    }

    private boolean regionMatches(final String ascii)
    {
        final int length = ascii.length();
        for (int i = 0; i < length; i++)
        {
            if (ascii.charAt(i) != buffer[pathOffset + i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean decodedEquals(final byte[] buffer, final int from, final int end, final String name)
    {
        final int nameLength = name.length();
        int p = from;
        int i = 0;
        while (p < end)
        {
            if (i == nameLength)
            {
                return false;
            }
            final int decoded = PercentDecoding.decodeLenient(buffer, p, end, true);
            if (PercentDecoding.value(decoded) != name.charAt(i))
            {
                return false;
            }
            p += PercentDecoding.width(decoded);
            i++;
        }
        return i == nameLength;
    }

    private static String decode(final byte[] buffer, final int from, final int end)
    {
        final byte[] decoded = new byte[end - from];
        int length = 0;
        int p = from;
        while (p < end)
        {
            final int value = PercentDecoding.decodeLenient(buffer, p, end, true);
            decoded[length++] = (byte)value;
            p += PercentDecoding.width(value);
        }
        return new String(decoded, 0, length, StandardCharsets.UTF_8);
    }
}
