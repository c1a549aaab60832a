package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The client side of the RFC 6455 opening handshake: builds the upgrade request and checks the server's answer.
 * Runs once per socket, off the steady-state path.
 */
public final class ClientHandshake
{
    /** The handshake answer is not complete yet. */
    public static final int INCOMPLETE = 0;

    /** The answer is not {@code 101 Switching Protocols}. */
    public static final int ERROR_STATUS = -1;

    /** {@code Sec-WebSocket-Accept} is missing or does not match the key. */
    public static final int ERROR_ACCEPT = -2;

    /** The answer head is larger than the client accepts. */
    public static final int ERROR_TOO_LARGE = -3;

    /** The largest response head accepted. */
    public static final int MAX_HEAD_BYTES = 8192;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private ClientHandshake()
    {
    }

    /**
     * Makes the base64 {@code Sec-WebSocket-Key} from sixteen key bytes derived from a seed.
     *
     * @param seed any number; different sockets should use different seeds.
     * @return the key text.
     */
    public static String key(final long seed)
    {
        final byte[] nonce = new byte[16];
        long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int i = 0; i < nonce.length; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            nonce[i] = (byte)x;
        }
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The {@code Sec-WebSocket-Accept} value a correct server answers to the key.
     *
     * @param key the key sent.
     * @return the expected accept value.
     */
    public static String expectedAccept(final String key)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            final byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required by every JVM", ex);
        }
    }

    /**
     * The upgrade request for the given endpoint.
     *
     * @param host the host and port for the {@code Host} header.
     * @param path the request target, such as {@code /ws}.
     * @param key  the {@code Sec-WebSocket-Key}.
     * @return the request bytes.
     */
    public static byte[] request(final String host, final String path, final String key)
    {
        final String request =
            "GET " + path + " HTTP/1.1\r\n" +
            "Host: " + host + "\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Checks the server's answer head in {@code [offset, limit)}.
     *
     * @param buffer         bytes read so far.
     * @param offset         first byte of the answer.
     * @param limit          one past the last byte read.
     * @param expectedAccept the accept value for the key sent.
     * @return the length of the head including its blank line when accepted, {@link #INCOMPLETE}, or a negative
     *         {@code ERROR_} code.
     */
    public static int parseResponse(
        final byte[] buffer, final int offset, final int limit, final String expectedAccept)
    {
        int end = -1;
        for (int i = offset; i + 3 < limit; i++)
        {
            if ('\r' == buffer[i] && '\n' == buffer[i + 1] && '\r' == buffer[i + 2] && '\n' == buffer[i + 3])
            {
                end = i + 4;
                break;
            }
        }
        if (end < 0)
        {
            return limit - offset > MAX_HEAD_BYTES ? ERROR_TOO_LARGE : INCOMPLETE;
        }
        final String head = new String(buffer, offset, end - offset, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101"))
        {
            return ERROR_STATUS;
        }
        boolean accepted = false;
        for (final String line : head.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept"))
            {
                accepted = line.substring(colon + 1).trim().equals(expectedAccept);
            }
        }
        return accepted ? end - offset : ERROR_ACCEPT;
    }
}
