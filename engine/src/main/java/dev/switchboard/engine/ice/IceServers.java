package dev.switchboard.engine.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.protocol.JsonWriter;

/**
 * The {@code iceServers} list that {@code joined} and {@code resume_ok} carry, in the shape of WebRTC's
 * {@code RTCIceServer[]}: one entry with every STUN URL, and one with every TURN URL. With a {@code turnSecret}
 * the TURN entry gets time-limited credentials in the TURN REST API form that coturn's {@code use-auth-secret}
 * accepts: {@code username = "<expiry>:<userId>"} where expiry is epoch seconds {@code turnTtlSeconds} from now,
 * and {@code credential = base64(HMAC-SHA1(turnSecret, username))}.
 * <p>
 * One instance per engine thread: it reuses its MAC and scratch arrays, so writing the list allocates nothing of
 * its own. URLs were checked by the settings to need no JSON escaping.
 */
public final class IceServers
{
    private static final byte[] FIELD = ascii(",\"iceServers\":[");
    private static final byte[] USERNAME = ascii(",\"username\":\"");
    private static final byte[] CREDENTIAL = ascii("\",\"credential\":\"");
    private static final String HMAC_SHA1 = "HmacSHA1";

    private final byte[] stunEntry;
    private final byte[] turnEntryOpen;
    private final Mac mac;
    private final long ttlSeconds;
    private final byte[] username = new byte[20 + 1 + 64];
    private final byte[] digest = new byte[20];
    private final byte[] credential = new byte[28];
    private final Base64.Encoder base64 = Base64.getEncoder();

    private IceServers(final List<String> stun, final List<String> turn, final String secret, final long ttlSeconds)
    {
        stunEntry = stun.isEmpty() ? null : ascii("{\"urls\":" + array(stun) + "}");
        turnEntryOpen = turn.isEmpty() ? null : ascii("{\"urls\":" + array(turn));
        this.ttlSeconds = ttlSeconds;
        if (null == secret || turn.isEmpty())
        {
            mac = null;
            return;
        }
        try
        {
            mac = Mac.getInstance(HMAC_SHA1);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA1 unavailable", ex);
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
            if (null != mac)
            {
                final int usernameLength = username(nowMs / 1000 + ttlSeconds, userId, userIdLength);
                mac.update(username, 0, usernameLength);
                try
                {
                    mac.doFinal(digest, 0);
                }
                catch (final javax.crypto.ShortBufferException ex)
                {
                    throw new IllegalStateException(ex);
                }
                final int credentialLength = base64.encode(digest, credential);
                writer.raw(USERNAME).raw(username, 0, usernameLength).raw(CREDENTIAL)
                    .raw(credential, 0, credentialLength).raw((byte)'"');
            }
            writer.raw((byte)'}');
        }
        writer.raw((byte)']');
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
