package dev.switchboard.net.webhook;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: {@code X-Switchboard-Signature: sha256=<hex of HMAC-SHA256(webhookSecret, body)>}, the
 * same construction GitHub uses, so a receiver recomputes it over the raw body and compares in constant time.
 */
public final class WebhookSigner
{
    /** Name of the signature header. */
    public static final String SIGNATURE_HEADER = "X-Switchboard-Signature";
    /** Name of the header carrying the event's unique id (also in the body). */
    public static final String EVENT_ID_HEADER = "X-Switchboard-Event-Id";

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;

    /**
     * Create a signer; one per thread.
     *
     * @param secret the UTF-8 bytes of {@code webhookSecret}.
     */
    public WebhookSigner(final byte[] secret)
    {
        try
        {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    /**
     * The header value for a body.
     *
     * @param body the exact bytes POSTed.
     * @return {@code sha256=} and the lowercase hex digest.
     */
    public String sign(final byte[] body)
    {
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
