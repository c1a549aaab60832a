package dev.switchboard.engine.flow;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import static dev.switchboard.engine.flow.RateLimiter.ABUSE;
import static dev.switchboard.engine.flow.RateLimiter.ALLOW;
import static dev.switchboard.engine.flow.RateLimiter.LIMITED;
import static dev.switchboard.engine.flow.RateLimiter.LIMITED_REPLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest
{
    private static final long T0 = 1_764_160_000_000L;

    @Test
    void shouldAllowExactly100Of500IceCandidatesWithOneReplyPerLimitedLabel()
    {
        final RateLimiter limiter = new RateLimiter(SwitchboardSettings.defaults());
        limiter.reset(T0);

        int allowed = 0;
        int iceLimited = 0;
        int iceReplies = 0;
        int overallLimited = 0;
        int overallReplies = 0;
        for (int i = 0; i < 500; i++)
        {
            final int decision = limiter.onMessage(MessageType.ICE_CANDIDATE, T0);
            if (ALLOW == decision)
            {
                allowed++;
                continue;
            }
            assertNotEquals(ABUSE, decision);
            assertSame(MessageType.ICE_CANDIDATE, limiter.limitedType());
            if (limiter.limitedByOverall())
            {
                overallLimited++;
                overallReplies += LIMITED_REPLY == decision ? 1 : 0;
                assertEquals("any", limiter.limitedLabel());
            }
            else
            {
                iceLimited++;
                iceReplies += LIMITED_REPLY == decision ? 1 : 0;
                assertEquals("ice_candidate", limiter.limitedLabel());
            }
        }

        assertEquals(100, allowed);
        assertEquals(300, iceLimited, "the overall burst of 400 lets 400 reach the ice bucket");
        assertEquals(100, overallLimited);
        assertEquals(1, iceReplies);
        assertEquals(1, overallReplies);
    }

    @Test
    void shouldGiveAtMostOneIceReplyPerSecond()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1_000_000, 1_000_000);
        limiter.reset(T0);

        assertEquals(1, countReplies(limiter, MessageType.ICE_CANDIDATE, T0, 500));
        assertEquals(0, countReplies(limiter, MessageType.ICE_CANDIDATE, T0 + 500, 500));
        assertEquals(0, countReplies(limiter, MessageType.ICE_CANDIDATE, T0 + 999, 500));
        assertEquals(1, countReplies(limiter, MessageType.ICE_CANDIDATE, T0 + 1000, 500));
        assertEquals(0, countReplies(limiter, MessageType.ICE_CANDIDATE, T0 + 1500, 500));
        assertEquals(1, countReplies(limiter, MessageType.ICE_CANDIDATE, T0 + 2000, 500));
    }

    @Test
    void shouldRefillIceAtExactlyItsRate()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1_000_000, 1_000_000);
        limiter.reset(T0);
        countAllowed(limiter, MessageType.ICE_CANDIDATE, T0, 100);

        assertNotEquals(ALLOW, limiter.onMessage(MessageType.ICE_CANDIDATE, T0 + 19));
        assertEquals(ALLOW, limiter.onMessage(MessageType.ICE_CANDIDATE, T0 + 20));
        assertEquals(50, countAllowed(limiter, MessageType.ICE_CANDIDATE, T0 + 1020, 500));
    }

    @Test
    void shouldReplyToEveryLimitedGameEventFromTheEleventhInASecond()
    {
        final RateLimiter limiter = new RateLimiter(SwitchboardSettings.defaults());
        limiter.reset(T0);

        for (int i = 0; i < 10; i++)
        {
            assertEquals(ALLOW, limiter.onMessage(MessageType.GAME_EVENT, T0 + i * 10));
        }
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0 + 150));
        assertSame(MessageType.GAME_EVENT, limiter.limitedType());
        assertFalse(limiter.limitedByOverall());
        assertEquals("game_event", limiter.limitedLabel());
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0 + 160));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0 + 170));
        assertEquals(ALLOW, limiter.onMessage(MessageType.GAME_EVENT, T0 + 200));
    }

    @Test
    void shouldLimitGameStateWithOneReplyPerSecond()
    {
        final RateLimiter limiter = new RateLimiter(SwitchboardSettings.defaults());
        limiter.reset(T0);

        assertEquals(120, countAllowed(limiter, MessageType.GAME_STATE, T0, 120));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_STATE, T0));
        assertEquals("game_state", limiter.limitedLabel());
        assertEquals(LIMITED, limiter.onMessage(MessageType.GAME_STATE, T0 + 1));
    }

    @Test
    void shouldCountPingsAndInvalidMessagesAgainstTheOverallLimit()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 3);
        limiter.reset(T0);

        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0));
        assertEquals(ALLOW, limiter.onMessage(MessageType.UNKNOWN, T0));
        assertEquals(ALLOW, limiter.onMessage(null, T0));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.JOIN, T0));
        assertTrue(limiter.limitedByOverall());
        assertSame(MessageType.JOIN, limiter.limitedType());
        assertEquals("any", limiter.limitedLabel());
        assertEquals(LIMITED, limiter.onMessage(MessageType.PING, T0));
    }

    @Test
    void shouldNotConsumeTypeBucketWhenOverallBucketRejects()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 1, 1, 60, 120, 1000, 1);
        limiter.reset(T0);

        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0));
        assertTrue(limiter.limitedByOverall());
        assertEquals("any", limiter.limitedLabel());

        assertEquals(ALLOW, limiter.onMessage(MessageType.GAME_EVENT, T0 + 1));
    }

    @Test
    void shouldReplyToEveryGameEventRejectedByTheOverallBucket()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 1);
        limiter.reset(T0);
        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0));

        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.PING, T0));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.GAME_EVENT, T0));
        assertEquals(LIMITED, limiter.onMessage(MessageType.PING, T0));
    }

    @Test
    void shouldGiveAtMostOneOverallReplyPerSecond()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 1);
        limiter.reset(T0);

        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.PING, T0));
        assertEquals(LIMITED, limiter.onMessage(MessageType.PING, T0));
        assertEquals(LIMITED, limiter.onMessage(MessageType.PING, T0 + 999));
        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0 + 1000));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.PING, T0 + 1000));
    }

    @Test
    void shouldReportAbuseAtTheTenthConsecutiveSecondOverTheLimit()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 1);
        limiter.reset(T0);

        for (int second = 0; second < 9; second++)
        {
            assertNotEquals(ABUSE, firstRejection(limiter, T0 + second * 1000L), "second " + second);
            assertEquals(second + 1, limiter.abuseStreakSeconds());
        }
        assertEquals(ABUSE, firstRejection(limiter, T0 + 9000));
        assertEquals(10, limiter.abuseStreakSeconds());
        assertNotEquals(ABUSE, limiter.onMessage(MessageType.PING, T0 + 9001));
    }

    @Test
    void shouldNotReportAbuseWhenOneSecondInBetweenWasClean()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 1);
        limiter.reset(T0);

        for (int second = 0; second < 5; second++)
        {
            assertNotEquals(ABUSE, firstRejection(limiter, T0 + second * 1000L));
        }
        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0 + 5000));
        for (int second = 6; second < 15; second++)
        {
            assertNotEquals(ABUSE, firstRejection(limiter, T0 + second * 1000L), "second " + second);
        }
        assertEquals(9, limiter.abuseStreakSeconds());
        assertEquals(ABUSE, firstRejection(limiter, T0 + 15_000));
    }

    @Test
    void shouldCountAbuseSecondsAsWholeWindowsFromTheFirstRejection()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1000, 1);
        limiter.reset(T0);
        final long start = T0 + 500;

        assertEquals(LIMITED_REPLY, firstRejection(limiter, start));
        assertEquals(1, limiter.abuseStreakSeconds());
        assertNotEquals(ABUSE, firstRejection(limiter, start + 999));
        assertEquals(1, limiter.abuseStreakSeconds(), "still inside the first window");
        for (int window = 1; window < 9; window++)
        {
            assertNotEquals(ABUSE, firstRejection(limiter, start + window * 1000L + 999));
            assertEquals(window + 1, limiter.abuseStreakSeconds());
        }
        assertNotEquals(ABUSE, firstRejection(limiter, start + 8999));
        assertEquals(ABUSE, firstRejection(limiter, start + 9000));
    }

    @Test
    void shouldForgetStreaksAndRepliesOnReset()
    {
        final RateLimiter limiter = new RateLimiter(50, 100, 5, 10, 60, 120, 1, 1);
        limiter.reset(T0);
        for (int second = 0; second < 9; second++)
        {
            firstRejection(limiter, T0 + second * 1000L);
        }

        limiter.reset(T0 + 9000);

        assertEquals(0, limiter.abuseStreakSeconds());
        assertEquals(ALLOW, limiter.onMessage(MessageType.PING, T0 + 9000));
        assertEquals(LIMITED_REPLY, limiter.onMessage(MessageType.PING, T0 + 9000));
        assertEquals(1, limiter.abuseStreakSeconds());
    }

    private static int countAllowed(
        final RateLimiter limiter, final MessageType type, final long nowMs, final int messages)
    {
        int allowed = 0;
        for (int i = 0; i < messages; i++)
        {
            if (ALLOW == limiter.onMessage(type, nowMs))
            {
                allowed++;
            }
        }
        return allowed;
    }

    private static int countReplies(
        final RateLimiter limiter, final MessageType type, final long nowMs, final int messages)
    {
        int replies = 0;
        for (int i = 0; i < messages; i++)
        {
            if (LIMITED_REPLY == limiter.onMessage(type, nowMs))
            {
                replies++;
            }
        }
        return replies;
    }

    private static int firstRejection(final RateLimiter limiter, final long nowMs)
    {
        int decision;
        do
        {
            decision = limiter.onMessage(MessageType.PING, nowMs);
        }
        while (ALLOW == decision);
        return decision;
    }
}
