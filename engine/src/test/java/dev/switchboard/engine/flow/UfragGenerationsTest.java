package dev.switchboard.engine.flow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.switchboard.engine.flow.UfragGenerations.CURRENT;
import static dev.switchboard.engine.flow.UfragGenerations.NEW_GENERATION;
import static dev.switchboard.engine.flow.UfragGenerations.NO_UFRAG;
import static dev.switchboard.engine.flow.UfragGenerations.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UfragGenerationsTest
{
    private static final long TARGET = 7L;
    private static final long OTHER_TARGET = 8L;

    private final UfragGenerations generations = new UfragGenerations();

    @Test
    void shouldTreatFirstUfragAsGenerationOne()
    {
        assertEquals(NEW_GENERATION, check(TARGET, "abcd"));
        assertEquals(1, generations.newestGeneration(TARGET));
        assertEquals(CURRENT, check(TARGET, "abcd"));
    }

    @Test
    void shouldDropOldUfragAfterIceRestart()
    {
        check(TARGET, "gen1");
        assertEquals(NEW_GENERATION, check(TARGET, "gen2"));
        assertEquals(2, generations.newestGeneration(TARGET));

        assertEquals(STALE, check(TARGET, "gen1"));
        assertEquals(CURRENT, check(TARGET, "gen2"));
        assertEquals(2, generations.newestGeneration(TARGET));
    }

    @Test
    void shouldNeverTreatCandidateWithoutUfragAsStale()
    {
        check(TARGET, "gen1");
        check(TARGET, "gen2");

        assertEquals(NO_UFRAG, generations.onCandidate(TARGET, new byte[0], 0, 0));
        assertFalse(generations.isStale(TARGET, new byte[4], 2, 0));
    }

    @Test
    void shouldTrackEachTargetSeparately()
    {
        check(TARGET, "gen1");
        check(TARGET, "gen2");

        assertEquals(NEW_GENERATION, check(OTHER_TARGET, "gen1"));
        assertEquals(CURRENT, check(OTHER_TARGET, "gen1"));
        assertEquals(STALE, check(TARGET, "gen1"));
    }

    @Test
    void shouldCompareUfragBytesAtAnyOffset()
    {
        check(TARGET, "gen1");
        check(TARGET, "gen2");
        final byte[] buffer = "xxgen1yy".getBytes(StandardCharsets.US_ASCII);

        assertTrue(generations.isStale(TARGET, buffer, 2, 4));
        assertEquals(NEW_GENERATION, generations.onCandidate(TARGET, buffer, 2, 3));
    }

    @Test
    void shouldForgetUfragsPastTheHistoryAndTreatThemAsNewAgain()
    {
        check(TARGET, "g1");
        check(TARGET, "g2");
        check(TARGET, "g3");
        check(TARGET, "g4");
        assertEquals(STALE, check(TARGET, "g1"));

        check(TARGET, "g5");

        assertEquals(STALE, check(TARGET, "g2"));
        assertEquals(NEW_GENERATION, check(TARGET, "g1"));
        assertEquals(6, generations.newestGeneration(TARGET));
        assertEquals(STALE, check(TARGET, "g5"));
    }

    @Test
    void shouldTreatTooLongUfragAsNone()
    {
        final byte[] longUfrag = new byte[UfragGenerations.MAX_UFRAG_BYTES + 1];

        assertEquals(NO_UFRAG, generations.onCandidate(TARGET, longUfrag, 0, longUfrag.length));
        assertEquals(NEW_GENERATION, generations.onCandidate(TARGET, longUfrag, 0, longUfrag.length - 1));
    }

    @Test
    void shouldStartAfreshAfterForgetTargetOrReset()
    {
        check(TARGET, "gen1");
        check(TARGET, "gen2");
        check(OTHER_TARGET, "x");

        generations.forgetTarget(TARGET);
        assertEquals(1, generations.targetCount());
        assertEquals(0, generations.newestGeneration(TARGET));
        assertEquals(NEW_GENERATION, check(TARGET, "gen1"));
        assertEquals(CURRENT, check(OTHER_TARGET, "x"));

        generations.reset();
        assertEquals(0, generations.targetCount());
        assertEquals(NEW_GENERATION, check(OTHER_TARGET, "y"));
        assertEquals(1, generations.newestGeneration(OTHER_TARGET));
    }

    @Test
    void shouldReusePooledTargetsAcrossManySessions()
    {
        for (int round = 0; round < 100; round++)
        {
            for (long target = 0; target < 20; target++)
            {
                assertEquals(NEW_GENERATION, check(target, "a"));
                assertEquals(NEW_GENERATION, check(target, "b"));
                assertEquals(STALE, check(target, "a"));
            }
            generations.reset();
        }
        assertEquals(0, generations.targetCount());
    }

    private int check(final long target, final String ufrag)
    {
        final byte[] bytes = ufrag.getBytes(StandardCharsets.US_ASCII);
        return generations.onCandidate(target, bytes, 0, bytes.length);
    }
}
