package dev.switchboard.engine.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The built-in authenticator: verifies a compact HS256 JWS and maps its {@code sub} claim to the userId.
 * <p>
 * No token (null or empty) is a guest, as the protocol lets clients connect without one. Otherwise the token must
 * be three base64url parts without padding; the header's {@code alg} must be exactly {@code HS256} ({@code none}
 * and every other algorithm are refused) and the header must not carry {@code crit}; the signature is
 * HMAC-SHA256 over {@code header.payload}, compared in constant time in its canonical base64url form; the payload
 * is a JSON object without duplicate keys whose {@code sub} is a string in our userId alphabet: 1 to 64 chars of
 * {@code [A-Za-z0-9_.:@-]}, not starting with the reserved {@code guest-} prefix (see
 * {@link AuthResult#isValidUserId(CharSequence)}). {@code exp} is required and, like {@code nbf} and {@code iat}
 * when present, a NumericDate (seconds, fractions allowed); the {@link JwtPolicy} decides the leeway, the longest
 * lifetime and the required {@code iss} and {@code aud}; now is the injected clock's milliseconds divided by
 * 1000. The grant claims {@code rooms}, {@code roles} and {@code cohost} become the result's {@link Grants}; a grant
 * claim of the wrong shape (not an array of valid patterns, an unknown role, a non-boolean cohost) rejects the
 * token rather than granting more than its issuer meant. Any failure is a rejection with a short reason; this class never
 * throws from {@link #authenticate(String)} and never completes its future exceptionally.
 * <p>
 * Checks run on the injected executor, never on the caller's thread, and each check uses its own {@link Mac}.
 */
public final class JwtAuthenticator implements Authenticator
{
    /** Longest token examined; the HTTP request head is at most 8 KiB anyway. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final String HMAC_ALGORITHM = "HmacSHA256";
    private static final int ROLE_HOST_BIT = 1;
    private static final int ROLE_VIEWER_BIT = 2;
    private static final int SIGNATURE_CHARS = 43;
    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final SecretKeySpec key;
    private final JwtPolicy policy;
    private final EpochClock clock;
    private final Executor executor;

    /**
     * Create an authenticator for one secret with {@link JwtPolicy#STRICT_EXP_ONLY}.
     *
     * @param hmacSecret the HS256 key bytes, copied; must not be empty.
     * @param clock      wall clock in epoch milliseconds, read per check for {@code exp} and {@code nbf}.
     * @param executor   where checks run; never an IoAgent or engine thread.
     * @throws IllegalArgumentException when the secret is empty.
     */
    public JwtAuthenticator(final byte[] hmacSecret, final EpochClock clock, final Executor executor)
    {
        this(hmacSecret, JwtPolicy.STRICT_EXP_ONLY, clock, executor);
    }

    /**
     * Create an authenticator for one secret and policy.
     *
     * @param hmacSecret the HS256 key bytes, copied; must not be empty.
     * @param policy     what the claims must say beyond {@code sub}.
     * @param clock      wall clock in epoch milliseconds, read per check for {@code exp} and {@code nbf}.
     * @param executor   where checks run; never an IoAgent or engine thread.
     * @throws IllegalArgumentException when the secret is empty.
     */
    public JwtAuthenticator(
        final byte[] hmacSecret, final JwtPolicy policy, final EpochClock clock, final Executor executor)
    {
        this.policy = Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(hmacSecret, "hmacSecret");
        if (0 == hmacSecret.length)
        {
            throw new IllegalArgumentException("hmacSecret must not be empty");
        }
        this.key = new SecretKeySpec(hmacSecret.clone(), HMAC_ALGORITHM);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Verify a token on the executor; no token completes at once as a guest.
     *
     * @param tokenOrNull the compact JWS, or null or empty for a guest.
     * @return a future completed with the user, the guest, or a rejection; also a rejection when the executor
     * refuses the work.
     */
    @Override
    public CompletableFuture<AuthResult> authenticate(final String tokenOrNull)
    {
        if (null == tokenOrNull || tokenOrNull.isEmpty())
        {
            return CompletableFuture.completedFuture(AuthResult.guest());
        }
        try
        {
            return CompletableFuture.supplyAsync(() -> verify(tokenOrNull), executor);
        }
        catch (final RejectedExecutionException ex)
        {
            return CompletableFuture.completedFuture(AuthResult.rejected("authenticator busy"));
        }
    }

    private AuthResult verify(final String token)
    {
        try
        {
            return verifyOrReject(token);
        }
        catch (final RuntimeException ex)
        {
            return AuthResult.rejected("malformed token");
        }
    }

    private AuthResult verifyOrReject(final String token)
    {
        final int length = token.length();
        if (length > MAX_TOKEN_LENGTH)
        {
            return AuthResult.rejected("token too long");
        }

        int firstDot = -1;
        int secondDot = -1;
        for (int i = 0; i < length; i++)
        {
            final char c = token.charAt(i);
            if ('.' == c)
            {
                if (-1 == firstDot)
                {
                    firstDot = i;
                }
                else if (-1 == secondDot)
                {
                    secondDot = i;
                }
                else
                {
                    return AuthResult.rejected("malformed token");
                }
            }
            else if (!isBase64UrlChar(c))
            {
                return AuthResult.rejected("malformed token");
            }
        }
        if (-1 == secondDot || 0 == firstDot || secondDot == firstDot + 1 || secondDot == length - 1)
        {
            return AuthResult.rejected("malformed token");
        }

        final byte[] headerJson;
        final byte[] payloadJson;
        try
        {
            final Base64.Decoder decoder = Base64.getUrlDecoder();
            headerJson = decoder.decode(token.substring(0, firstDot));
            payloadJson = decoder.decode(token.substring(firstDot + 1, secondDot));
        }
        catch (final IllegalArgumentException ex)
        {
            return AuthResult.rejected("malformed token");
        }

        final String headerProblem = checkHeader(headerJson);
        if (null != headerProblem)
        {
            return AuthResult.rejected(headerProblem);
        }

        if (!signatureMatches(token, secondDot))
        {
            return AuthResult.rejected("bad signature");
        }

        return checkClaims(payloadJson, clock.time() / 1000.0);
    }

    private boolean signatureMatches(final String token, final int secondDot)
    {
        if (token.length() - secondDot - 1 != SIGNATURE_CHARS)
        {
            return false;
        }
        final byte[] expected;
        try
        {
            final Mac mac = Mac.getInstance(HMAC_ALGORITHM);
            mac.init(key);
            final byte[] digest = mac.doFinal(token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII));
            expected = Base64.getUrlEncoder().withoutPadding().encode(digest);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
        final byte[] actual = token.substring(secondDot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private static String checkHeader(final byte[] headerJson)
    {
        try (JsonParser parser = JSON.createParser(headerJson))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return "malformed header";
            }
            String alg = null;
            JsonToken token;
            while (JsonToken.FIELD_NAME == (token = parser.nextToken()))
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("alg".equals(name))
                {
                    if (JsonToken.VALUE_STRING != value)
                    {
                        return "unsupported alg";
                    }
                    alg = parser.getText();
                }
                else if ("crit".equals(name))
                {
                    return "unsupported crit header";
                }
                else
                {
                    parser.skipChildren();
                }
            }
            if (JsonToken.END_OBJECT != token || null != parser.nextToken())
            {
                return "malformed header";
            }
            if (null == alg)
            {
                return "missing alg";
            }
            return "HS256".equals(alg) ? null : "unsupported alg";
        }
        catch (final IOException ex)
        {
            return "malformed header";
        }
    }

    private AuthResult checkClaims(final byte[] payloadJson, final double nowSeconds)
    {
        final Claims claims = new Claims();
        try (JsonParser parser = JSON.createParser(payloadJson))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return AuthResult.rejected("malformed payload");
            }
            JsonToken token;
            while (JsonToken.FIELD_NAME == (token = parser.nextToken()))
            {
                final String name = parser.currentName();
                final String rejection = claims.read(parser, name, parser.nextToken(), policy.audience());
                if (null != rejection)
                {
                    return AuthResult.rejected(rejection);
                }
            }
            if (JsonToken.END_OBJECT != token || null != parser.nextToken())
            {
                return AuthResult.rejected("malformed payload");
            }
        }
        catch (final IOException ex)
        {
            return AuthResult.rejected("malformed payload");
        }
        return judge(claims, nowSeconds);
    }

    private AuthResult judge(final Claims claims, final double nowSeconds)
    {
        if (null == claims.sub)
        {
            return AuthResult.rejected("missing sub");
        }
        if (!AuthResult.isValidUserId(claims.sub))
        {
            return AuthResult.rejected("invalid sub");
        }
        if (!claims.hasExp)
        {
            return AuthResult.rejected("missing exp");
        }
        final int leeway = policy.leewaySeconds();
        if (!(claims.exp + leeway > nowSeconds))
        {
            return AuthResult.rejected("token expired");
        }
        if (claims.hasNbf && !(claims.nbf - leeway <= nowSeconds))
        {
            return AuthResult.rejected("token not yet valid");
        }
        final int maxLifetime = policy.maxLifetimeSeconds();
        if (maxLifetime > 0 && claims.exp - (claims.hasIat ? claims.iat : nowSeconds) > maxLifetime)
        {
            return AuthResult.rejected("lifetime too long");
        }
        if (null != policy.issuer() && !policy.issuer().equals(claims.iss))
        {
            return AuthResult.rejected(null == claims.iss ? "missing iss" : "wrong issuer");
        }
        if (null != policy.audience() && !claims.audienceMatched)
        {
            return AuthResult.rejected(claims.hasAud ? "wrong audience" : "missing aud");
        }
        return AuthResult.user(claims.sub, Grants.of(claims.rooms, claims.host, claims.viewer, claims.cohost));
    }

    /** The claims of one token as read, before the policy is applied; a fresh one per token (not the hot path). */
    private static final class Claims
    {
        private String sub;
        private boolean hasExp;
        private double exp;
        private boolean hasNbf;
        private double nbf;
        private boolean hasIat;
        private double iat;
        private String iss;
        private boolean audienceMatched;
        private boolean hasAud;
        private List<String> rooms;
        private boolean host = true;
        private boolean viewer = true;
        private boolean cohost = true;

        /** Read the claim whose value token is current; returns why the token is rejected, or null. */
        private String read(final JsonParser parser, final String name, final JsonToken value, final String audience)
            throws IOException
        {
            switch (name)
            {
                case "sub":
                    sub = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                    return null == sub ? "sub is not a string" : null;
                case "exp":
                    hasExp = isNumber(value);
                    exp = hasExp ? parser.getDoubleValue() : 0;
                    return hasExp ? null : "exp is not a number";
                case "nbf":
                    hasNbf = isNumber(value);
                    nbf = hasNbf ? parser.getDoubleValue() : 0;
                    return hasNbf ? null : "nbf is not a number";
                case "iat":
                    hasIat = isNumber(value);
                    iat = hasIat ? parser.getDoubleValue() : 0;
                    return hasIat ? null : "iat is not a number";
                case "iss":
                    iss = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                    return null == iss ? "iss is not a string" : null;
                case "aud":
                    hasAud = true;
                    audienceMatched = readAudience(parser, value, audience);
                    return null;
                case "rooms":
                    rooms = readRooms(parser, value);
                    return null == rooms ? "invalid rooms" : null;
                case "roles":
                    return readRolesClaim(parser, value);
                case "cohost":
                    cohost = JsonToken.VALUE_TRUE == value;
                    return cohost || JsonToken.VALUE_FALSE == value ? null : "invalid cohost";
                default:
                    parser.skipChildren();
                    return null;
            }
        }

        private String readRolesClaim(final JsonParser parser, final JsonToken value) throws IOException
        {
            final int roles = readRoles(parser, value);
            if (roles < 0)
            {
                return "invalid roles";
            }
            host = 0 != (roles & ROLE_HOST_BIT);
            viewer = 0 != (roles & ROLE_VIEWER_BIT);
            return null;
        }
    }

    /** The {@code rooms} claim: an array of at most {@link Grants#MAX_PATTERNS} valid patterns, else null. */
    private static List<String> readRooms(final JsonParser parser, final JsonToken value) throws IOException
    {
        if (JsonToken.START_ARRAY != value)
        {
            parser.skipChildren();
            return null;
        }
        final List<String> rooms = new ArrayList<>();
        boolean valid = true;
        JsonToken entry;
        while (JsonToken.END_ARRAY != (entry = parser.nextToken()))
        {
            if (JsonToken.VALUE_STRING == entry && Grants.isValidPattern(parser.getText()) &&
                rooms.size() < Grants.MAX_PATTERNS)
            {
                rooms.add(parser.getText());
            }
            else
            {
                parser.skipChildren();
                valid = false;
            }
        }
        return valid ? rooms : null;
    }

    /** The {@code roles} claim: an array of "host" and "viewer", as role bits, else -1. */
    private static int readRoles(final JsonParser parser, final JsonToken value) throws IOException
    {
        if (JsonToken.START_ARRAY != value)
        {
            parser.skipChildren();
            return -1;
        }
        int roles = 0;
        boolean valid = true;
        JsonToken entry;
        while (JsonToken.END_ARRAY != (entry = parser.nextToken()))
        {
            final String role = JsonToken.VALUE_STRING == entry ? parser.getText() : null;
            if ("host".equals(role))
            {
                roles |= ROLE_HOST_BIT;
            }
            else if ("viewer".equals(role))
            {
                roles |= ROLE_VIEWER_BIT;
            }
            else
            {
                parser.skipChildren();
                valid = false;
            }
        }
        return valid ? roles : -1;
    }

    /**
     * Read an {@code aud} value (a string or an array of strings) and tell whether it names the wanted audience.
     */
    private static boolean readAudience(final JsonParser parser, final JsonToken value, final String wanted)
        throws IOException
    {
        if (JsonToken.VALUE_STRING == value)
        {
            return null != wanted && wanted.equals(parser.getText());
        }
        if (JsonToken.START_ARRAY != value)
        {
            parser.skipChildren();
            return false;
        }
        boolean matched = false;
        JsonToken entry;
        while (JsonToken.END_ARRAY != (entry = parser.nextToken()))
        {
            if (JsonToken.VALUE_STRING == entry)
            {
                matched |= null != wanted && wanted.equals(parser.getText());
            }
            else
            {
                parser.skipChildren();
            }
        }
        return matched;
    }

    private static boolean isNumber(final JsonToken token)
    {
        return JsonToken.VALUE_NUMBER_INT == token || JsonToken.VALUE_NUMBER_FLOAT == token;
    }

    private static boolean isBase64UrlChar(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || '-' == c || '_' == c;
    }
}
