package dev.switchboard.engine.flow;

import dev.switchboard.engine.protocol.MessageType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleSeqGuardTest
{
    private static final int ICE = MessageType.ICE_CANDIDATE.id();
    private static final int STATE = MessageType.GAME_STATE.id();

    @Test
    void shouldAcceptIncreasingSeq()
    {
        final StaleSeqGuard guard = new StaleSeqGuard();

        assertTrue(guard.acceptIfNewer(ICE, 1));
        assertTrue(guard.acceptIfNewer(ICE, 2));
        assertTrue(guard.acceptIfNewer(ICE, 10));
        assertEquals(10, guard.lastSeq(ICE));
    }

    @Test
    void shouldDropEqualAndLowerSeq()
    {
        final StaleSeqGuard guard = new StaleSeqGuard();
        assertTrue(guard.acceptIfNewer(STATE, 5));

        assertFalse(guard.acceptIfNewer(STATE, 5));
        assertFalse(guard.acceptIfNewer(STATE, 4));
        assertEquals(5, guard.lastSeq(STATE));
    }

    @Test
    void shouldTrackEachTypeSeparately()
    {
        final StaleSeqGuard guard = new StaleSeqGuard();
        assertTrue(guard.acceptIfNewer(ICE, 7));

        assertTrue(guard.acceptIfNewer(STATE, 3));
        assertFalse(guard.acceptIfNewer(ICE, 3));
    }

    @Test
    void shouldAlwaysAcceptCriticalTypes()
    {
        final StaleSeqGuard guard = new StaleSeqGuard();
        final int event = MessageType.GAME_EVENT.id();

        assertTrue(guard.acceptIfNewer(event, 5));
        assertTrue(guard.acceptIfNewer(event, 5));
        assertEquals(0, guard.lastSeq(event));
    }

    @Test
    void shouldForgetOnReset()
    {
        final StaleSeqGuard guard = new StaleSeqGuard();
        assertTrue(guard.acceptIfNewer(ICE, 9));

        guard.reset();

        assertTrue(guard.acceptIfNewer(ICE, 1));
    }
}
