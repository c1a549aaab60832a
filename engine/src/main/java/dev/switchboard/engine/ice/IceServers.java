package dev.switchboard.engine.ice;

import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.settings.SwitchboardSettings;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code iceServers} list that {@code joined} and {@code resume_ok} carry, in the shape of WebRTC's
 * {@code RTCIceServer[]}: one entry with every STUN URL, and one with every TURN URL. With a {@code turnSecret}
 * the TURN entry gets time-limited credentials in the TURN REST API form that coturn's {@code use-auth-secret}
 * accepts: {@code username = "<expiry>:<userId>"} where expiry is epoch seconds {@code turnTtlSeconds} from now,
 * and {@code credential = base64(HMAC-SHA1(turnSecret, username))}.
 * <p>
 * One instance per engine thread. The HMAC is computed over a reused SHA-1 {@link MessageDigest} with the key's
 * inner and outer pads prepared once (RFC 2104), because {@code Mac.doFinal} allocates its result on every call;
 * writing the list allocates nothing. URLs were checked by the settings to need no JSON escaping.
 */
public final class IceServers
{
    private static final byte[] FIELD = ascii(",\"iceServers\":[");
    private static final byte[] USERNAME = ascii(",\"username\":\"");
    private static final byte[] CREDENTIAL = ascii("\",\"credential\":\"");
    private static final int SHA1_BLOCK_BYTES = 64;
    private static final int SHA1_BYTES = 20;

    private final byte[] stunEntry;
    private final byte[] turnEntryOpen;
    private final MessageDigest sha1;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] inner = new byte[SHA1_BYTES];
    private final long ttlSeconds;
    private final byte[] username = new byte[20 + 1 + 64];
    private final byte[] digest = new byte[SHA1_BYTES];
    private final byte[] credential = new byte[28];
    private final Base64.Encoder base64 = Base64.getEncoder();

    private IceServers(final List<String> stun, final List<String> turn, final String secret, final long ttlSeconds)
    {
        stunEntry = stun.isEmpty() ? null : ascii("{\"urls\":" + array(stun) + "}");
        turnEntryOpen = turn.isEmpty() ? null : ascii("{\"urls\":" + array(turn));
        this.ttlSeconds = ttlSeconds;
        if (null == secret || turn.isEmpty())
        {
            sha1 = null;
            innerPad = null;
            outerPad = null;
            return;
        }
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 unavailable", ex);
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length > SHA1_BLOCK_BYTES)
        {
            key = sha1.digest(key);
        }
        innerPad = new byte[SHA1_BLOCK_BYTES];
        outerPad = new byte[SHA1_BLOCK_BYTES];
        for (int i = 0; i < SHA1_BLOCK_BYTES; i++)
        {
            final byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte)(k ^ 0x36);
            outerPad[i] = (byte)(k ^ 0x5c);
        }
    }

    /**
     * The list the settings describe, for one engine thread.
     *
     * @param settings validated settings.
     * @return the list, or null when {@code iceServers} is not set.
     */
    public static IceServers fromSettings(final SwitchboardSettings settings)
    {
        final String urls = settings.iceServers();
        if (null == urls)
        {
            return null;
        }
        final List<String> stun = new ArrayList<>();
        final List<String> turn = new ArrayList<>();
        for (final String url : urls.split(","))
        {
            final String u = url.trim();
            (u.startsWith("turn") ? turn : stun).add(u);
        }
        return new IceServers(stun, turn, settings.turnSecret(), settings.turnTtlSeconds());
    }

    /**
     * Write {@code ,"iceServers":[...]} for one user.
     *
     * @param writer       the frame being written.
     * @param userId       the user's id bytes.
     * @param userIdLength the user id length.
     * @param nowMs        server time, epoch ms.
     */
    public void write(final JsonWriter writer, final byte[] userId, final int userIdLength, final long nowMs)
    {
        writer.raw(FIELD);
        if (null != stunEntry)
        {
            writer.raw(stunEntry);
        }
        if (null != turnEntryOpen)
        {
            if (null != stunEntry)
            {
                writer.raw((byte)',');
            }
            writer.raw(turnEntryOpen);
            if (null != sha1)
            {
                final int usernameLength = username(nowMs / 1000 + ttlSeconds, userId, userIdLength);
                hmacSha1(username, usernameLength);
                final int credentialLength = base64.encode(digest, credential);
                writer.raw(USERNAME).raw(username, 0, usernameLength).raw(CREDENTIAL)
                    .raw(credential, 0, credentialLength).raw((byte)'"');
            }
            writer.raw((byte)'}');
        }
        writer.raw((byte)']');
    }

    /** HMAC-SHA1 of {@code message} under the key into {@link #digest}: SHA1(outer pad, SHA1(inner pad, message)). */
    private void hmacSha1(final byte[] message, final int length)
    {
        try
        {
            sha1.update(innerPad);
            sha1.update(message, 0, length);
            sha1.digest(inner, 0, SHA1_BYTES);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(digest, 0, SHA1_BYTES);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Fill {@link #username} with {@code <expirySeconds>:<userId>} and return its length. */
    private int username(final long expirySeconds, final byte[] userId, final int userIdLength)
    {
        int digits = 1;
        for (long v = expirySeconds; v >= 10; v /= 10)
        {
            digits++;
        }
        long v = expirySeconds;
        for (int i = digits - 1; i >= 0; i--)
        {
            username[i] = (byte)('0' + v % 10);
            v /= 10;
        }
        username[digits] = ':';
        System.arraycopy(userId, 0, username, digits + 1, userIdLength);
        return digits + 1 + userIdLength;
    }

    private static String array(final List<String> urls)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < urls.size(); i++)
        {
            sb.append(0 == i ? "\"" : ",\"").append(urls.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
