package dev.switchboard.engine.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthResultTest
{
    @Test
    void shouldCarryUserIdForAnAcceptedUser()
    {
        final AuthResult result = AuthResult.user("u-7Qx2");

        assertTrue(result.isAccepted());
        assertFalse(result.isGuest());
        assertEquals("u-7Qx2", result.userId());
        assertNull(result.reason());
    }

    @Test
    void shouldAcceptGuestWithoutUserId()
    {
        final AuthResult result = AuthResult.guest();

        assertTrue(result.isAccepted());
        assertTrue(result.isGuest());
        assertNull(result.userId());
        assertNull(result.reason());
    }

    @Test
    void shouldCarryReasonForARejection()
    {
        final AuthResult result = AuthResult.rejected("token expired");

        assertFalse(result.isAccepted());
        assertFalse(result.isGuest());
        assertNull(result.userId());
        assertEquals("token expired", result.reason());
        assertEquals("rejected", AuthResult.rejected(null).reason());
    }

    @Test
    void shouldRefuseUserIdsOutsideTheUserIdAlphabet()
    {
        assertThrows(IllegalArgumentException.class, () -> AuthResult.user(null));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.user(""));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.user("a b"));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.user("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.user("guest-abcdefghijkl"));
    }

    @Test
    void shouldValidateUserIdAlphabetAndLength()
    {
        assertTrue(AuthResult.isValidUserId("a"));
        assertTrue(AuthResult.isValidUserId("Az09_.:@-"));
        assertTrue(AuthResult.isValidUserId("x".repeat(64)));
        assertTrue(AuthResult.isValidUserId("guest"));
        assertTrue(AuthResult.isValidUserId("guestbook"));
        assertFalse(AuthResult.isValidUserId("guest-"));
        assertFalse(AuthResult.isValidUserId("x".repeat(65)));
        assertFalse(AuthResult.isValidUserId("a/b"));
        assertFalse(AuthResult.isValidUserId("a\u00e9"));
        assertFalse(AuthResult.isValidUserId("a+b"));
    }
}
