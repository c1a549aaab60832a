package dev.switchboard.engine.auth;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtAuthenticatorTest
{
    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final long NOW_SECONDS = 1_764_160_000L;
    private static final long EXP = NOW_SECONDS + 600;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicInteger executed = new AtomicInteger();
    private JwtAuthenticator authenticator;

    @BeforeEach
    void setUp()
    {
        clock.update(NOW_SECONDS * 1000L + 500L);
        authenticator = new JwtAuthenticator(SECRET, clock, (r) ->
        {
            executed.incrementAndGet();
            r.run();
        });
    }

    private AuthResult authenticate(final String token)
    {
        final CompletableFuture<AuthResult> future = authenticator.authenticate(token);
        assertTrue(future.isDone(), "a direct executor completes the future before authenticate returns");
        return future.join();
    }

    private void assertRejected(final String token, final String reason)
    {
        final AuthResult result = authenticate(token);
        assertFalse(result.isAccepted(), result.toString());
        assertFalse(result.isGuest());
        assertNull(result.userId());
        assertEquals(reason, result.reason());
    }

    @Test
    void shouldAcceptValidTokenAndUseSubAsUserId()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"u-7Qx2\",\"exp\":" + (NOW_SECONDS + 60) + "}");

        final AuthResult result = authenticate(token);

        assertTrue(result.isAccepted());
        assertFalse(result.isGuest());
        assertEquals("u-7Qx2", result.userId());
        assertNull(result.reason());
        assertEquals(1, executed.get(), "the check ran on the injected executor");
    }

    @Test
    void shouldAcceptTokenWithoutNbf()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"alice@example.com\",\"exp\":" + EXP + "}");
        assertEquals("alice@example.com", authenticate(token).userId());
    }

    @Test
    void shouldAcceptEverySubCharacterOfTheUserIdAlphabet()
    {
        final String sub = "AZaz09_.:@-";
        assertEquals(sub, authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"" + sub + "\",\"exp\":" + EXP + "}")).userId());
    }

    @Test
    void shouldSkipUnknownClaimsOfAnyShape()
    {
        final String payload = "{\"iss\":\"x\",\"perms\":[\"a\",{\"b\":[1,2]}],\"meta\":{\"sub\":\"nested\"}," +
            "\"sub\":\"bob\",\"iat\":" + NOW_SECONDS + ",\"flag\":true,\"nothing\":null,\"exp\":" + EXP + "}";
        assertEquals("bob", authenticate(TestJwts.hs256(SECRET, payload)).userId());
    }

    @Test
    void shouldTreatNullTokenAsGuestWithoutUsingTheExecutor()
    {
        final AuthResult result = authenticate(null);

        assertTrue(result.isAccepted());
        assertTrue(result.isGuest());
        assertNull(result.userId());
        assertEquals(0, executed.get());
    }

    @Test
    void shouldTreatEmptyTokenAsGuest()
    {
        assertSame(AuthResult.guest(), authenticate(""));
    }

    @Test
    void shouldRejectExpiredToken()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + (NOW_SECONDS - 1) + "}"), "token expired");
    }

    @Test
    void shouldRejectTokenWhoseExpIsNowBecauseExpMustBeInTheFuture()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + NOW_SECONDS + "}"), "token expired");
    }

    @Test
    void shouldExpireTokenWhenTheInjectedClockPassesExp()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + (NOW_SECONDS + 10) + "}");
        assertTrue(authenticate(token).isAccepted());

        clock.update((NOW_SECONDS + 10) * 1000L);

        assertRejected(token, "token expired");
    }

    @Test
    void shouldCompareFractionalExpAtMillisecondPrecision()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + NOW_SECONDS + ".5}"), "token expired");
        assertEquals("bob", authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + NOW_SECONDS + ".75}"))
            .userId());
    }

    @Test
    void shouldRejectTokenWithNbfInTheFuture()
    {
        assertRejected(
            TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"nbf\":" + (NOW_SECONDS + 1) + "}"), "token not yet valid");
    }

    @Test
    void shouldAcceptTokenWhoseNbfIsNow()
    {
        assertTrue(authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"nbf\":" + NOW_SECONDS + "}")).isAccepted());
    }

    @Test
    void shouldRejectExpOrNbfThatIsNotANumber()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":\"9999999999\"}"), "exp is not a number");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"nbf\":null,\"exp\":" + EXP + "}"), "nbf is not a number");
    }

    @Test
    void shouldRejectTokenSignedWithAnotherSecret()
    {
        final byte[] other = "another secret".getBytes(StandardCharsets.UTF_8);
        assertRejected(TestJwts.hs256(other, "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "bad signature");
    }

    @Test
    void shouldRejectTokenWhosePayloadWasChangedAfterSigning()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        final String[] parts = token.split("\\.");
        final String forged = parts[0] + "." + TestJwts.b64("{\"sub\":\"admin\",\"exp\":" + EXP + "}") + "." + parts[2];

        assertRejected(forged, "bad signature");
    }

    @Test
    void shouldRejectNonCanonicalSignatureEncoding()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        final String padded = token + "=";
        assertRejected(padded, "malformed token");

        final String truncated = token.substring(0, token.length() - 1);
        assertRejected(truncated, "bad signature");

        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        final int lastValue = alphabet.indexOf(token.charAt(token.length() - 1));
        assertEquals(0, lastValue & 3, "a canonical 43-char signature leaves the last two bits zero");
        final String tweaked = token.substring(0, token.length() - 1) + alphabet.charAt(lastValue | 1);
        assertRejected(tweaked, "bad signature");
    }

    @Test
    void shouldRejectAlgNone()
    {
        final String token = TestJwts.b64("{\"alg\":\"none\"}") + "." + TestJwts.b64("{\"sub\":\"bob\",\"exp\":" + EXP + "}") + ".";
        assertRejected(token, "malformed token");

        final String signedNone = TestJwts.signed(SECRET, "{\"alg\":\"none\"}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        assertRejected(signedNone, "unsupported alg");
    }

    @Test
    void shouldRejectAlgHs512EvenWhenSignedWithTheSecret()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"),
            "unsupported alg");
    }

    @Test
    void shouldRejectAlgThatDiffersOnlyInCase()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":\"hs256\"}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "unsupported alg");
    }

    @Test
    void shouldRejectHeaderWithoutAlgOrWithNonStringAlg()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"typ\":\"JWT\"}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "missing alg");
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":[\"HS256\"]}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "unsupported alg");
    }

    @Test
    void shouldRejectHeaderWithCritBecauseNoExtensionIsUnderstood()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
            "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "unsupported crit header");
    }

    @Test
    void shouldRejectDuplicateAlgOrSub()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":\"HS256\",\"alg\":\"none\"}", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"),
            "malformed header");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"sub\":\"admin\",\"exp\":" + EXP + "}"), "malformed payload");
    }

    @Test
    void shouldRejectMalformedBase64()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        final int firstDot = token.indexOf('.');
        assertRejected("e*" + token.substring(2), "malformed token");
        assertRejected(token.substring(0, firstDot) + "=" + token.substring(firstDot), "malformed token");
        assertRejected("A" + token.substring(firstDot), "malformed token");

        assertRejected("+" + token.substring(1), "malformed token");
        assertRejected(token.substring(0, firstDot - 1) + "/" + token.substring(firstDot), "malformed token");
    }

    @Test
    void shouldRejectTokenWithTwoPartsOrFourParts()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        assertRejected(token.substring(0, token.lastIndexOf('.')), "malformed token");
        assertRejected(token + ".AAAA", "malformed token");
        assertRejected("abc", "malformed token");
        assertRejected("..", "malformed token");
    }

    @Test
    void shouldRejectTokenWithEmptyParts()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        final String[] parts = token.split("\\.");
        assertRejected("." + parts[1] + "." + parts[2], "malformed token");
        assertRejected(parts[0] + ".." + parts[2], "malformed token");
    }

    @Test
    void shouldRejectBadJsonInHeaderOrPayload()
    {
        assertRejected(TestJwts.signed(SECRET, "{\"alg\":\"HS256\"", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "malformed header");
        assertRejected(TestJwts.signed(SECRET, "[\"HS256\"]", "{\"sub\":\"bob\",\"exp\":" + EXP + "}"), "malformed header");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\""), "malformed payload");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":bob,\"exp\":" + EXP + "}"), "malformed payload");
        assertRejected(TestJwts.hs256(SECRET, "\"bob\""), "malformed payload");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\"}{}"), "malformed payload");
        assertRejected(TestJwts.hs256(SECRET, "not json"), "malformed payload");
    }

    @Test
    void shouldRejectTokenWithoutSub()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"exp\":" + (NOW_SECONDS + 60) + "}"), "missing sub");
    }

    @Test
    void shouldRejectSubThatIsNotAString()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":42,\"exp\":" + EXP + "}"), "sub is not a string");
    }

    @Test
    void shouldRejectSubWithCharactersOutsideTheUserIdAlphabet()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob smith\",\"exp\":" + EXP + "}"), "invalid sub");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob/../admin\",\"exp\":" + EXP + "}"), "invalid sub");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"b\\u00f6b\",\"exp\":" + EXP + "}"), "invalid sub");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"\",\"exp\":" + EXP + "}"), "invalid sub");
    }

    @Test
    void shouldRejectSubLongerThan64Characters()
    {
        final String sixtyFour = "a".repeat(64);
        assertEquals(sixtyFour, authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"" + sixtyFour + "\",\"exp\":" + EXP + "}")).userId());
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"" + sixtyFour + "a\",\"exp\":" + EXP + "}"), "invalid sub");
    }

    @Test
    void shouldRejectSubInTheReservedGuestNamespace()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"guest-AbCdEfGhIjKl\",\"exp\":" + EXP + "}"), "invalid sub");
    }

    @Test
    void shouldRejectOverlongTokenWithoutParsingIt()
    {
        final String payload = "{\"sub\":\"bob\",\"x\":\"" + "y".repeat(JwtAuthenticator.MAX_TOKEN_LENGTH) + "\"}";
        assertRejected(TestJwts.hs256(SECRET, payload), "token too long");
    }

    @Test
    void shouldRejectNonAsciiTokenText()
    {
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        assertRejected(token.substring(0, 3) + "\u00e9" + token.substring(4), "malformed token");
    }

    @Test
    void shouldCompleteWithRejectionWhenTheExecutorRefusesWork()
    {
        final JwtAuthenticator refusing = new JwtAuthenticator(SECRET, clock, (r) ->
        {
            throw new RejectedExecutionException("full");
        });

        final AuthResult result = refusing.authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}")).join();

        assertFalse(result.isAccepted());
        assertEquals("authenticator busy", result.reason());
    }

    @Test
    void shouldVerifyOnTheExecutorThreadNotTheCallerThread() throws Exception
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try
        {
            final AtomicReference<Thread> ranOn = new AtomicReference<>();
            final JwtAuthenticator threaded = new JwtAuthenticator(SECRET, clock, (r) -> executor.execute(() ->
            {
                ranOn.set(Thread.currentThread());
                r.run();
            }));

            final AuthResult result = threaded.authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"carol\",\"exp\":" + EXP + "}"))
                .get(10, TimeUnit.SECONDS);

            assertEquals("carol", result.userId());
            assertNotNull(ranOn.get());
            assertNotEquals(Thread.currentThread(), ranOn.get());
        }
        finally
        {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCopyTheSecretSoLaterChangesToTheArrayDoNotMatter()
    {
        final byte[] secret = SECRET.clone();
        final JwtAuthenticator copying = new JwtAuthenticator(secret, clock, Runnable::run);
        secret[0] ^= 1;

        assertEquals("bob", copying.authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}")).join().userId());
    }

    private AuthResult withPolicy(final JwtPolicy policy, final String payload)
    {
        return new JwtAuthenticator(SECRET, policy, clock, Runnable::run)
            .authenticate(TestJwts.hs256(SECRET, payload)).join();
    }

    @Test
    void shouldRejectTokenWithoutExp()
    {
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\"}"), "missing exp");
        assertRejected(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"nbf\":" + NOW_SECONDS + "}"), "missing exp");
    }

    @Test
    void shouldAllowTheLeewayAfterExpAndBeforeNbfAndNoMore()
    {
        final JwtPolicy policy = new JwtPolicy(30, 0, null, null);
        final String expiredTwentySecondsAgo = "{\"sub\":\"bob\",\"exp\":" + (NOW_SECONDS - 20) + "}";
        final String notBeforeInTwentySeconds = "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"nbf\":" +
            (NOW_SECONDS + 20) + "}";
        assertTrue(withPolicy(policy, expiredTwentySecondsAgo).isAccepted(), "within the 30 s leeway");
        assertTrue(withPolicy(policy, notBeforeInTwentySeconds).isAccepted(), "within the 30 s leeway");

        clock.update((NOW_SECONDS + 10) * 1000L);
        assertEquals("token expired", withPolicy(policy, expiredTwentySecondsAgo).reason(),
            "exp + leeway is now: expired");
        clock.update((NOW_SECONDS - 11) * 1000L);
        assertEquals("token not yet valid", withPolicy(policy, notBeforeInTwentySeconds).reason(),
            "nbf - leeway is 1 s ahead");
    }

    @Test
    void shouldDefaultTheLeewayTo30SecondsFromTheSettings()
    {
        final JwtPolicy policy = JwtPolicy.fromSettings(SwitchboardSettings.defaults());
        assertEquals(30, policy.leewaySeconds());
        assertEquals(0, policy.maxLifetimeSeconds());
        assertNull(policy.issuer());
        assertNull(policy.audience());
    }

    @Test
    void shouldRejectALifetimeOverTheMaximumFromIatOrFromNow()
    {
        final JwtPolicy policy = new JwtPolicy(0, 3600, null, null);
        assertTrue(withPolicy(policy, "{\"sub\":\"bob\",\"exp\":" + (NOW_SECONDS + 3600) + "}").isAccepted());
        assertEquals("lifetime too long",
            withPolicy(policy, "{\"sub\":\"bob\",\"exp\":" + (NOW_SECONDS + 10L * 365 * 86400) + "}").reason(),
            "a ten-year token is refused although it has an exp");
        assertTrue(withPolicy(policy, "{\"sub\":\"bob\",\"iat\":" + (NOW_SECONDS - 100) + ",\"exp\":" +
            (NOW_SECONDS + 3500) + "}").isAccepted(), "exp - iat is exactly the maximum");
        assertEquals("lifetime too long", withPolicy(policy, "{\"sub\":\"bob\",\"iat\":" + (NOW_SECONDS - 100) +
            ",\"exp\":" + (NOW_SECONDS + 3501) + "}").reason());
        assertEquals("iat is not a number",
            withPolicy(policy, "{\"sub\":\"bob\",\"iat\":\"x\",\"exp\":" + EXP + "}").reason());
    }

    @Test
    void shouldCheckIssuerAndAudienceOnlyWhenConfigured()
    {
        final JwtPolicy policy = new JwtPolicy(0, 0, "https://auth.example", "switchboard");
        final String good = "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"iss\":\"https://auth.example\",\"aud\":";
        assertTrue(withPolicy(policy, good + "\"switchboard\"}").isAccepted());
        assertTrue(withPolicy(policy, good + "[\"other\",\"switchboard\"]}").isAccepted());
        assertEquals("wrong audience", withPolicy(policy, good + "[\"other\"]}").reason());
        assertEquals("wrong audience", withPolicy(policy, good + "\"Switchboard\"}").reason());
        assertEquals("missing aud", withPolicy(policy,
            "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"iss\":\"https://auth.example\"}").reason());
        assertEquals("wrong issuer", withPolicy(policy,
            "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"iss\":\"https://evil.example\",\"aud\":\"switchboard\"}")
            .reason());
        assertEquals("missing iss", withPolicy(policy,
            "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"aud\":\"switchboard\"}").reason());
        assertTrue(withPolicy(JwtPolicy.STRICT_EXP_ONLY,
            "{\"sub\":\"bob\",\"exp\":" + EXP + ",\"iss\":\"anyone\",\"aud\":42}").isAccepted(),
            "without a configured issuer or audience neither claim is checked");
    }

    @Test
    void shouldCarryRoomsRolesAndCohostClaimsAsGrants()
    {
        final AuthResult result = authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP +
            ",\"rooms\":[\"quiz-*\",\"lobby\"],\"roles\":[\"viewer\"],\"cohost\":false}"));
        assertTrue(result.isAccepted(), result.toString());
        final Grants grants = result.grants();
        assertEquals(Grants.ROOMS_LIMITED | Grants.DENY_HOST | Grants.DENY_COHOST, grants.flags());
        assertTrue(grants.allowsRoom("quiz-3"));
        assertFalse(grants.allowsRoom("chess"));

        final AuthResult plain = authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP + "}"));
        assertSame(Grants.UNRESTRICTED, plain.grants(), "no grant claims: today's behaviour");
        final AuthResult both = authenticate(TestJwts.hs256(SECRET, "{\"sub\":\"bob\",\"exp\":" + EXP +
            ",\"roles\":[\"host\",\"viewer\"],\"cohost\":true}"));
        assertSame(Grants.UNRESTRICTED, both.grants());
    }

    @Test
    void shouldRejectGrantClaimsOfTheWrongShapeRatherThanGrantMore()
    {
        final String base = "{\"sub\":\"bob\",\"exp\":" + EXP + ",";
        assertRejected(TestJwts.hs256(SECRET, base + "\"rooms\":\"quiz-*\"}"), "invalid rooms");
        assertRejected(TestJwts.hs256(SECRET, base + "\"rooms\":[\"a b\"]}"), "invalid rooms");
        assertRejected(TestJwts.hs256(SECRET, base + "\"rooms\":[1]}"), "invalid rooms");
        assertRejected(TestJwts.hs256(SECRET, base + "\"roles\":[\"admin\"]}"), "invalid roles");
        assertRejected(TestJwts.hs256(SECRET, base + "\"roles\":\"host\"}"), "invalid roles");
        assertRejected(TestJwts.hs256(SECRET, base + "\"cohost\":\"yes\"}"), "invalid cohost");
        final StringBuilder many = new StringBuilder(base).append("\"rooms\":[");
        for (int i = 0; i <= Grants.MAX_PATTERNS; i++)
        {
            many.append(i > 0 ? "," : "").append("\"r").append(i).append('"');
        }
        assertRejected(TestJwts.hs256(SECRET, many.append("]}").toString()), "invalid rooms");
    }

    @Test
    void shouldRefuseAnEmptySecret()
    {
        assertThrows(IllegalArgumentException.class, () -> new JwtAuthenticator(new byte[0], clock, Runnable::run));
    }
}
