package dev.switchboard.net.http;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 6455 opening handshake: validation of the upgrade request and the 101 response; one per IoAgent thread.
 * <p>
 * No subprotocol and no extension is negotiated, so the response carries neither field and frames must not set RSV
 * bits.
 */
public final class Handshake
{
    /** The WebSocket version this server speaks. */
    public static final int WEBSOCKET_VERSION = 13;

    /** Length of a valid Sec-WebSocket-Key: base64 of 16 bytes. */
    public static final int KEY_LENGTH = 24;

    /** Length of a Sec-WebSocket-Accept value: base64 of a 20-byte SHA-1 digest. */
    public static final int ACCEPT_LENGTH = 28;

    private static final byte[] GUID = AsciiBytes.ascii("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    private static final byte[] RESPONSE_PREFIX = AsciiBytes.ascii(
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: ");
    private static final byte[] RESPONSE_SUFFIX = AsciiBytes.ascii("\r\n\r\n");

    /** Exact length of the response {@link #writeAccept} writes. */
    public static final int ACCEPT_RESPONSE_LENGTH = RESPONSE_PREFIX.length + ACCEPT_LENGTH + RESPONSE_SUFFIX.length;

    private static final byte[] BASE64 = AsciiBytes.ascii(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final boolean[] IS_BASE64 = new boolean[256];
    private static final int SHA1_LENGTH = 20;

    static
    {
        for (final byte b : BASE64)
        {
            IS_BASE64[b] = true;
        }
    }

    private final MessageDigest sha1;
    private final byte[] digest = new byte[SHA1_LENGTH];

    /** Create a handshake with its own SHA-1 digest and scratch bytes. */
    public Handshake()
    {
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required by RFC 6455 and missing from this JVM", ex);
        }
    }

    /**
     * Check a parsed request head for an upgrade to WebSocket.
     *
     * @param request a head parsed successfully.
     * @param origins the origins allowed to connect.
     * @return 0 when the request may upgrade; else the status to answer: 400 (not GET, not HTTP/1.1, no Host, a body,
     * no Upgrade/Connection tokens, missing or invalid key), 426 (version not 13; answer with
     * {@code HttpResponses.status(426, ...)} which carries "Sec-WebSocket-Version: 13") or 403 (origin not allowed).
     */
    public int validate(final HttpRequestParser request, final AllowedOrigins origins)
    {
        if (!request.isGet() || !request.isHttp11() || 0 == request.hostLength() || request.hasBody() ||
            !request.isWebSocketUpgrade())
        {
            return 400;
        }
        if (WEBSOCKET_VERSION != request.webSocketVersion())
        {
            return 426;
        }
        if (!isValidKey(request.buffer(), request.keyOffset(), request.keyLength()))
        {
            return 400;
        }
        if (!origins.allows(request.buffer(), request.originOffset(), request.originLength()))
        {
            return 403;
        }
        return 0;
    }

    /**
     * Write the complete "101 Switching Protocols" response with its Sec-WebSocket-Accept value.
     *
     * @param request a head that passed {@link #validate}.
     * @param dst     destination with at least {@link #ACCEPT_RESPONSE_LENGTH} bytes free from offset.
     * @param offset  where to write.
     * @return the number of bytes written, {@link #ACCEPT_RESPONSE_LENGTH}.
     */
    public int writeAccept(final HttpRequestParser request, final byte[] dst, final int offset)
    {
        int p = offset;
        p += AsciiBytes.writeBytes(RESPONSE_PREFIX, dst, p);
        p += writeAcceptValue(request.buffer(), request.keyOffset(), request.keyLength(), dst, p);
        p += AsciiBytes.writeBytes(RESPONSE_SUFFIX, dst, p);
        return p - offset;
    }

    /**
     * Write the Sec-WebSocket-Accept value of a key: base64 of SHA-1 over the key and the RFC 6455 GUID.
     *
     * @param key       buffer holding the key.
     * @param keyOffset first byte of the key.
     * @param keyLength length of the key.
     * @param dst       destination with {@link #ACCEPT_LENGTH} bytes free from offset.
     * @param offset    where to write.
     * @return {@link #ACCEPT_LENGTH}.
     */
    public int writeAcceptValue(
        final byte[] key, final int keyOffset, final int keyLength, final byte[] dst, final int offset)
    {
        sha1.reset();
        sha1.update(key, keyOffset, keyLength);
        sha1.update(GUID, 0, GUID.length);
        try
        {
            sha1.digest(digest, 0, SHA1_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-1 digest did not fit 20 bytes", ex);
        }

        int p = offset;
        int i = 0;
        while (i + 3 <= SHA1_LENGTH)
        {
            final int bits = (digest[i] & 0xFF) << 16 | (digest[i + 1] & 0xFF) << 8 | (digest[i + 2] & 0xFF);
            dst[p++] = BASE64[bits >>> 18];
            dst[p++] = BASE64[(bits >>> 12) & 0x3F];
            dst[p++] = BASE64[(bits >>> 6) & 0x3F];
            dst[p++] = BASE64[bits & 0x3F];
            i += 3;
        }
        final int bits = (digest[i] & 0xFF) << 16 | (digest[i + 1] & 0xFF) << 8;
        dst[p++] = BASE64[bits >>> 18];
        dst[p++] = BASE64[(bits >>> 12) & 0x3F];
        dst[p++] = BASE64[(bits >>> 6) & 0x3F];
        dst[p++] = '=';
        return p - offset;
    }

    /**
     * Whether a Sec-WebSocket-Key is the base64 encoding of exactly 16 bytes: 22 base64 characters then "==".
     *
     * @param buffer bytes holding the key.
     * @param offset first byte of the key.
     * @param length length of the key.
     * @return true when valid.
     */
    public static boolean isValidKey(final byte[] buffer, final int offset, final int length)
    {
        if (KEY_LENGTH != length || '=' != buffer[offset + 22] || '=' != buffer[offset + 23])
        {
            return false;
        }
        for (int i = 0; i < 22; i++)
        {
            if (!IS_BASE64[buffer[offset + i] & 0xFF])
            {
                return false;
            }
        }
        return true;
    }
}
