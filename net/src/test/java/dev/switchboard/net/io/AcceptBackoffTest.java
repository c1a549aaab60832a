package dev.switchboard.net.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptBackoffTest
{
    @Test
    void shouldPauseDoubleUpToTheMaximumAndReportOneEpisode()
    {
        final AcceptBackoff backoff = new AcceptBackoff();
        assertTrue(backoff.onFailure(0), "the first failure starts an episode: log it");
        assertTrue(backoff.isPaused());
        assertFalse(backoff.shouldResume(99));
        assertTrue(backoff.shouldResume(100));
        assertFalse(backoff.shouldResume(100), "once per pause");
        assertFalse(backoff.onFailure(100), "same episode: no second log line");
        assertFalse(backoff.shouldResume(299));
        assertTrue(backoff.shouldResume(300));
        long now = 300;
        for (int i = 0; i < 10; i++)
        {
            backoff.onFailure(now);
            now += AcceptBackoff.MAX_BACKOFF_MS;
            assertTrue(backoff.shouldResume(now), "never longer than the maximum");
        }
        assertEquals(12, backoff.onSuccess(), "the failures of the episode");
        assertEquals(0, backoff.onSuccess());
        assertTrue(backoff.onFailure(now), "a new episode after a success");
    }
}
