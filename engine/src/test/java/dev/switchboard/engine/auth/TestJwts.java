package dev.switchboard.engine.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints compact JWS tokens for tests, signed with HS256 or left unsigned on purpose. */
public final class TestJwts
{
    /** The standard HS256 header. */
    public static final String HS256_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private TestJwts()
    {
    }

    /**
     * A token with the HS256 header and the given claims, signed with the secret.
     *
     * @param secret      HMAC key bytes.
     * @param payloadJson the claims object as JSON text.
     * @return the compact JWS.
     */
    public static String hs256(final byte[] secret, final String payloadJson)
    {
        return signed(secret, HS256_HEADER, payloadJson);
    }

    /**
     * A live token for a user: HS256, {@code sub} and an {@code exp} an hour from now, plus any extra claims.
     *
     * @param secret      HMAC key text (UTF-8).
     * @param sub         the user id.
     * @param extraClaims more claims as JSON members ({@code "rooms":["a"]}), or empty.
     * @return the compact JWS.
     */
    public static String forUser(final String secret, final String sub, final String extraClaims)
    {
        final long exp = System.currentTimeMillis() / 1000 + 3600;
        return hs256(secret.getBytes(StandardCharsets.UTF_8),
            "{\"sub\":\"" + sub + "\",\"exp\":" + exp + (extraClaims.isEmpty() ? "" : "," + extraClaims) + "}");
    }

    /**
     * A token with any header and payload text, signed with HMAC-SHA256 over {@code header.payload}.
     *
     * @param secret      HMAC key bytes.
     * @param headerJson  the header as JSON text.
     * @param payloadJson the claims as JSON text.
     * @return the compact JWS.
     */
    public static String signed(final byte[] secret, final String headerJson, final String payloadJson)
    {
        final String signingInput = b64(headerJson) + "." + b64(payloadJson);
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(secret, signingInput));
    }

    /**
     * Base64url without padding of the UTF-8 bytes of the text.
     *
     * @param text the text.
     * @return the encoding.
     */
    public static String b64(final String text)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * HMAC-SHA256 of the ASCII text.
     *
     * @param secret key bytes.
     * @param text   the signing input.
     * @return the 32-byte MAC.
     */
    public static byte[] hmac(final byte[] secret, final String text)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
