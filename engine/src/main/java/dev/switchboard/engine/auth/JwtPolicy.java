package dev.switchboard.engine.auth;

import dev.switchboard.engine.settings.SwitchboardSettings;

/**
 * What a JWT must claim beyond a valid signature and {@code sub}: {@code exp} always, within a leeway for clock
 * skew; optionally a bounded lifetime, an issuer and an audience.
 * <p>
 * Times are whole seconds. With a leeway of L, a token is expired once now is at or after {@code exp + L}, and not
 * yet valid while now is before {@code nbf - L}. With a maximum lifetime M above zero, {@code exp - iat} (or
 * {@code exp - now} when the token has no {@code iat}) must not exceed M, so a token minted for ten years is
 * refused even though it has an {@code exp}.
 */
public final class JwtPolicy
{
    /** No leeway, no lifetime cap, no issuer or audience check: {@code exp} is still required. */
    public static final JwtPolicy STRICT_EXP_ONLY = new JwtPolicy(0, 0, null, null);

    private final int leewaySeconds;
    private final int maxLifetimeSeconds;
    private final String issuer;
    private final String audience;

    /**
     * Create a policy.
     *
     * @param leewaySeconds      clock skew allowed on {@code exp} and {@code nbf}, at least 0.
     * @param maxLifetimeSeconds longest lifetime a token may claim; 0 means no limit.
     * @param issuer             required {@code iss}, or null for none.
     * @param audience           required {@code aud} (a string, or one entry of an array), or null for none.
     */
    public JwtPolicy(final int leewaySeconds, final int maxLifetimeSeconds, final String issuer, final String audience)
    {
        if (leewaySeconds < 0 || maxLifetimeSeconds < 0)
        {
            throw new IllegalArgumentException("leewaySeconds and maxLifetimeSeconds must not be negative");
        }
        this.leewaySeconds = leewaySeconds;
        this.maxLifetimeSeconds = maxLifetimeSeconds;
        this.issuer = issuer;
        this.audience = audience;
    }

    /**
     * The policy the settings describe.
     *
     * @param settings validated settings.
     * @return the policy of {@code jwtLeewaySeconds}, {@code jwtMaxLifetimeSeconds}, {@code jwtIssuer} and
     * {@code jwtAudience}.
     */
    public static JwtPolicy fromSettings(final SwitchboardSettings settings)
    {
        return new JwtPolicy(settings.jwtLeewaySeconds(), settings.jwtMaxLifetimeSeconds(), settings.jwtIssuer(),
            settings.jwtAudience());
    }

    /**
     * Clock skew allowed on {@code exp} and {@code nbf}.
     *
     * @return seconds.
     */
    public int leewaySeconds()
    {
        return leewaySeconds;
    }

    /**
     * Longest lifetime a token may claim.
     *
     * @return seconds, 0 for no limit.
     */
    public int maxLifetimeSeconds()
    {
        return maxLifetimeSeconds;
    }

    /**
     * Required {@code iss}.
     *
     * @return the issuer, or null when not checked.
     */
    public String issuer()
    {
        return issuer;
    }

    /**
     * Required {@code aud}.
     *
     * @return the audience, or null when not checked.
     */
    public String audience()
    {
        return audience;
    }
}
