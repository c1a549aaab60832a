package dev.switchboard.engine.auth;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrantsTest
{
    @Test
    void shouldMatchExactIdsAndPrefixPatterns()
    {
        final Grants grants = Grants.of(List.of("quiz-*", "lobby", "a"), true, true, true);
        assertTrue(grants.allowsRoom("quiz-1"));
        assertTrue(grants.allowsRoom("quiz-"));
        assertTrue(grants.allowsRoom("lobby"));
        assertTrue(grants.allowsRoom("a"));
        assertFalse(grants.allowsRoom("quiz"));
        assertFalse(grants.allowsRoom("lobby1"));
        assertFalse(grants.allowsRoom("ab"));
        assertFalse(grants.allowsRoom("chess"));
        assertEquals(Grants.ROOMS_LIMITED, grants.flags());
    }

    @Test
    void shouldTreatALoneStarAsAnyRoomAndAnEmptyListAsNone()
    {
        assertTrue(Grants.of(List.of("*"), true, true, true).allowsRoom("anything"));
        assertFalse(Grants.of(Collections.emptyList(), true, true, true).allowsRoom("anything"));
    }

    @Test
    void shouldBeUnrestrictedWithoutClaims()
    {
        assertSame(Grants.UNRESTRICTED, Grants.of(null, true, true, true));
        assertEquals(0, Grants.UNRESTRICTED.flags());
        assertTrue(Grants.UNRESTRICTED.allowsRoom("x"));
        assertEquals(Grants.DENY_HOST | Grants.DENY_COHOST, Grants.of(null, false, true, false).flags());
    }

    @Test
    void shouldRefuseBadPatternsAndTooMany()
    {
        assertFalse(Grants.isValidPattern("a*b"));
        assertFalse(Grants.isValidPattern("**"));
        assertFalse(Grants.isValidPattern(""));
        assertFalse(Grants.isValidPattern("room id"));
        assertFalse(Grants.isValidPattern("x".repeat(65)));
        assertTrue(Grants.isValidPattern("x".repeat(63) + "*"));
        assertThrows(IllegalArgumentException.class, () -> Grants.of(List.of("a b"), true, true, true));
        assertThrows(IllegalArgumentException.class,
            () -> Grants.of(Collections.nCopies(Grants.MAX_PATTERNS + 1, "r"), true, true, true));
    }

    @Test
    void shouldFitTheLargestClaimInMaxPackedBytes()
    {
        final Grants largest = Grants.of(Collections.nCopies(Grants.MAX_PATTERNS, "x".repeat(64)), true, true, true);
        assertEquals(Grants.MAX_PACKED_BYTES, largest.packedRoomsLength());
        assertEquals(Grants.MAX_PACKED_BYTES, largest.copyPackedRooms(new byte[Grants.MAX_PACKED_BYTES]));
    }
}
