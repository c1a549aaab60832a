package dev.switchboard.engine.auth;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorsTest
{
    private static final long EXP = 600;

    private final CachedEpochClock clock = new CachedEpochClock();

    @Test
    void shouldMakeEveryoneAGuestWhenNoSecretIsConfigured()
    {
        final Authenticator authenticator =
            Authenticators.fromSettings(SwitchboardSettings.defaults(), clock, Runnable::run);

        assertInstanceOf(GuestOnlyAuthenticator.class, authenticator);
        final String validLookingToken = TestJwts.hs256("x".getBytes(StandardCharsets.UTF_8), "{\"sub\":\"bob\",\"exp\":" + EXP + "}");
        for (final String token : new String[]{ null, "", "garbage", validLookingToken })
        {
            final CompletableFuture<AuthResult> future = authenticator.authenticate(token);
            assertTrue(future.isDone(), "guest-only completes at once");
            assertTrue(future.join().isGuest(), String.valueOf(token));
        }
    }

    @Test
    void shouldVerifyJwtsWithTheUtf8BytesOfTheConfiguredSecret()
    {
        final String secret = "s\u00e9cret-\u2603-long-enough-for-an-hs256-key";
        final SwitchboardSettings settings = SwitchboardSettings.builder().jwtSecret(secret).build();
        final Authenticator authenticator = Authenticators.fromSettings(settings, clock, Runnable::run);

        assertInstanceOf(JwtAuthenticator.class, authenticator);
        final byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        assertEquals("bob", authenticator.authenticate(TestJwts.hs256(key, "{\"sub\":\"bob\",\"exp\":" + EXP + "}")).join().userId());
        assertFalse(authenticator.authenticate(
            TestJwts.hs256(secret.getBytes(StandardCharsets.ISO_8859_1), "{\"sub\":\"bob\",\"exp\":" + EXP + "}")).join().isAccepted());
        assertTrue(authenticator.authenticate(null).join().isGuest());
    }
}
