package dev.switchboard.engine.auth;

import java.util.concurrent.CompletableFuture;

/**
 * The authenticator when no JWT secret is configured: every token is ignored and everyone is a guest.
 * <p>
 * It does no work, so it completes at once on the calling thread.
 */
public final class GuestOnlyAuthenticator implements Authenticator
{
    /** Create the authenticator; it holds no state. */
    public GuestOnlyAuthenticator()
    {
    }

    /**
     * Accept the connection as a guest whatever the token.
     *
     * @param tokenOrNull ignored.
     * @return an already completed future holding {@link AuthResult#guest()}.
     */
    @Override
    public CompletableFuture<AuthResult> authenticate(final String tokenOrNull)
    {
        return CompletableFuture.completedFuture(AuthResult.guest());
    }
}
