package dev.switchboard.engine.auth;

import java.util.Objects;

/**
 * The outcome of one {@link Authenticator#authenticate(String)}: an authenticated user, a guest, or a rejection.
 * <p>
 * A userId is 1 to 64 characters of {@code [A-Za-z0-9_.:@-]} and must not start with {@code guest-}, the
 * prefix the server reserves for the ids it makes for guests; {@link #user(String)} refuses anything else so
 * that no authenticator can hand the engine an id outside that alphabet.
 */
public final class AuthResult
{
    /** Longest userId accepted. */
    public static final int MAX_USER_ID_LENGTH = 64;

    /** Prefix of server-made guest ids, reserved: no authenticated userId may start with it. */
    public static final String GUEST_PREFIX = "guest-";

    private static final AuthResult GUEST = new AuthResult(Kind.GUEST, null, null, Grants.UNRESTRICTED);

    private enum Kind
    {
        USER, GUEST, REJECTED
    }

    private final Kind kind;
    private final String userId;
    private final String reason;
    private final Grants grants;

    private AuthResult(final Kind kind, final String userId, final String reason, final Grants grants)
    {
        this.kind = kind;
        this.userId = userId;
        this.reason = reason;
        this.grants = grants;
    }

    /**
     * An authenticated user.
     *
     * @param userId the userId; must pass {@link #isValidUserId(CharSequence)}.
     * @return the accepted result.
     * @throws IllegalArgumentException when the userId is outside the userId alphabet or reserved.
     */
    public static AuthResult user(final String userId)
    {
        return user(userId, Grants.UNRESTRICTED);
    }

    /**
     * An authenticated user whose token limits its rooms or roles.
     *
     * @param userId the userId; must pass {@link #isValidUserId(CharSequence)}.
     * @param grants what the token allows.
     * @return the accepted result.
     * @throws IllegalArgumentException when the userId is outside the userId alphabet or reserved.
     */
    public static AuthResult user(final String userId, final Grants grants)
    {
        if (!isValidUserId(userId))
        {
            throw new IllegalArgumentException(
                "userId must be 1 to 64 chars of [A-Za-z0-9_.:@-] not starting with guest-, got " + userId);
        }
        return new AuthResult(Kind.USER, userId, null, Objects.requireNonNull(grants, "grants"));
    }

    /**
     * An accepted connection without identity; the server makes a guest id for it.
     *
     * @return the shared guest result.
     */
    public static AuthResult guest()
    {
        return GUEST;
    }

    /**
     * A refused token; the server closes the socket with 4401 unauthorized.
     *
     * @param reason a short reason for the log, never shown the token itself.
     * @return the rejected result.
     */
    public static AuthResult rejected(final String reason)
    {
        return new AuthResult(Kind.REJECTED, null, null == reason ? "rejected" : reason, Grants.UNRESTRICTED);
    }

    /**
     * Whether the text is a userId an authenticator may return: 1 to 64 chars of {@code [A-Za-z0-9_.:@-]} and not
     * starting with {@link #GUEST_PREFIX}.
     *
     * @param userId the candidate, may be null.
     * @return true when valid.
     */
    public static boolean isValidUserId(final CharSequence userId)
    {
        if (null == userId)
        {
            return false;
        }
        final int length = userId.length();
        if (length < 1 || length > MAX_USER_ID_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isUserIdChar(userId.charAt(i)))
            {
                return false;
            }
        }
        return !startsWithGuestPrefix(userId);
    }

    /**
     * Whether the connection may proceed, as a user or as a guest.
     *
     * @return true unless rejected.
     */
    public boolean isAccepted()
    {
        return Kind.REJECTED != kind;
    }

    /**
     * Whether the connection proceeds as a guest.
     *
     * @return true for {@link #guest()}.
     */
    public boolean isGuest()
    {
        return Kind.GUEST == kind;
    }

    /**
     * The authenticated userId.
     *
     * @return the userId, or null for a guest or a rejection.
     */
    public String userId()
    {
        return userId;
    }

    /**
     * What the token allows; {@link Grants#UNRESTRICTED} for a guest or a token without grant claims.
     *
     * @return the grants.
     */
    public Grants grants()
    {
        return grants;
    }

    /**
     * Why the token was refused.
     *
     * @return the reason, or null when accepted.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * A short description for logs and test messages.
     *
     * @return the kind and its detail.
     */
    @Override
    public String toString()
    {
        switch (kind)
        {
            case USER:
                return "AuthResult{user=" + userId + "}";
            case GUEST:
                return "AuthResult{guest}";
            default:
                return "AuthResult{rejected=" + reason + "}";
        }
    }

    private static boolean isUserIdChar(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            '_' == c || '.' == c || ':' == c || '@' == c || '-' == c;
    }

    private static boolean startsWithGuestPrefix(final CharSequence userId)
    {
        final int prefixLength = GUEST_PREFIX.length();
        if (userId.length() < prefixLength)
        {
            return false;
        }
        for (int i = 0; i < prefixLength; i++)
        {
            if (GUEST_PREFIX.charAt(i) != userId.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
