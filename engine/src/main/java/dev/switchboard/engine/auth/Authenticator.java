package dev.switchboard.engine.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Maps the {@code authToken} of a WebSocket upgrade to a userId, a guest, or a rejection (protocol section 8).
 * <p>
 * An implementation may be slow (a signature check, a remote lookup), so its work never runs on an IoAgent or
 * engine thread: it completes the returned future from its own executor, and the caller reacts to the completion.
 * An implementation with nothing slow to do (no token, guests only) may return an already completed future.
 * Implementations never throw and never complete the future exceptionally; every failure is a
 * {@link AuthResult#rejected(String)}.
 */
public interface Authenticator
{
    /**
     * Start authenticating one token.
     *
     * @param tokenOrNull the {@code authToken} query value, or null when the client sent none.
     * @return a future completed with the result, possibly already completed.
     */
    CompletableFuture<AuthResult> authenticate(String tokenOrNull);
}
