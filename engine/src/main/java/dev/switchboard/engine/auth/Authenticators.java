package dev.switchboard.engine.auth;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/** Picks the built-in authenticator that the settings ask for. */
public final class Authenticators
{
    private Authenticators()
    {
    }

    /**
     * The built-in authenticator: HS256 JWTs keyed by the UTF-8 bytes of {@code jwtSecret}, or guests only when no
     * secret is set.
     *
     * @param settings the validated settings.
     * @param clock    wall clock for {@code exp} and {@code nbf}.
     * @param executor where token checks run; never an IoAgent or engine thread.
     * @return the authenticator.
     */
    public static Authenticator fromSettings(
        final SwitchboardSettings settings, final EpochClock clock, final Executor executor)
    {
        final String secret = settings.jwtSecret();
        if (null == secret)
        {
            return new GuestOnlyAuthenticator();
        }
        return new JwtAuthenticator(secret.getBytes(StandardCharsets.UTF_8), JwtPolicy.fromSettings(settings), clock,
            executor);
    }
}
