package dev.switchboard.engine.room;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest
{
    private static final long SKIP = 1_000;

    private final Room room = RoomStates.room("room-1", 4, 4);
    private final Session session = new Session(4, 4);

    @Test
    void shouldApplyOnlyNewerIceSeqs()
    {
        assertTrue(session.advanceIceSeq(3));
        assertFalse(session.advanceIceSeq(3), "a repeated seq is stale");
        assertFalse(session.advanceIceSeq(2), "an older seq is stale");
        assertTrue(session.advanceIceSeq(9));
        assertEquals(9, session.lastIceSeq());
    }

    @Test
    void shouldLogOneRateLimitEpisodePerInterval()
    {
        assertTrue(session.rateLimitLogDue(0, 10_000), "the first episode is logged");
        assertFalse(session.rateLimitLogDue(9_999, 10_000));
        assertTrue(session.rateLimitLogDue(10_000, 10_000));
        assertFalse(session.rateLimitLogDue(10_001, 10_000), "the interval counts from the last logged one");
    }

    @Test
    void shouldContinueRightAfterTheClientWhenNothingWasNumberedSinceTheRestore()
    {
        session.restore(room, Session.ROLE_VIEWER, Session.ROLE_VIEWER, null, 40, 0, 0, 0, SKIP, 0);
        assertEquals(42, session.resumeRestoredDseq(42, SKIP), "replay from what the client holds");
        assertFalse(session.restored());
        assertEquals(43, session.nextDseq(), "numbering goes on from the client's lastDseq");
    }

    @Test
    void shouldSkipTheGapWhenSomethingWasNumberedSinceTheRestore()
    {
        session.restore(room, Session.ROLE_VIEWER, Session.ROLE_VIEWER, null, 40, 0, 0, 0, SKIP, 0);
        final long dseq = session.nextDseq();
        assertEquals(1_041, dseq);
        session.directed().addAck(dseq, 1, 0, 7, 8, 60);
        assertEquals(1_040, session.resumeRestoredDseq(40, SKIP), "the client holds all the snapshot had");
        assertEquals(30, session.resumeRestoredDseq(30, SKIP), "a client behind the snapshot replays from its own");
        assertEquals(1_042, session.nextDseq());
    }

    @Test
    void shouldStartBroadcastReplayAtTheRoomsRseqWhenEntering()
    {
        RoomStates.lastRseq(room, 17);
        session.enter(room, Session.ROLE_VIEWER, 4);
        assertEquals(17, session.joinRseq());
        assertEquals(4, session.grantFlags());
        session.replayBroadcastsFrom(10);
        assertEquals(17, session.joinRseq(), "never earlier than the join");
        session.replayBroadcastsFrom(30);
        assertEquals(30, session.joinRseq());
    }
}
