package dev.switchboard.engine.flow;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest
{
    private static final long T0 = 1_764_160_000_000L;

    @Test
    void shouldAllowExactlyTheBurstAtOnce()
    {
        final TokenBucket bucket = new TokenBucket(50, 100);
        bucket.reset(T0);

        for (int i = 0; i < 100; i++)
        {
            assertTrue(bucket.tryAcquire(T0), "token " + i);
        }
        assertFalse(bucket.tryAcquire(T0));
    }

    @Test
    void shouldRefillOneTokenAtExactlyTheRateInterval()
    {
        final TokenBucket bucket = new TokenBucket(50, 100);
        bucket.reset(T0);
        drain(bucket, T0);

        assertFalse(bucket.tryAcquire(T0 + 19));
        assertTrue(bucket.tryAcquire(T0 + 20));
        assertFalse(bucket.tryAcquire(T0 + 20));
        assertFalse(bucket.tryAcquire(T0 + 39));
        assertTrue(bucket.tryAcquire(T0 + 40));
    }

    @Test
    void shouldEarnExactlyTheRateOverOneSecondWithoutDrift()
    {
        final TokenBucket bucket = new TokenBucket(7, 100);
        bucket.reset(T0);
        drain(bucket, T0);

        int granted = 0;
        for (long t = T0 + 1; t <= T0 + 10_000; t++)
        {
            while (bucket.tryAcquire(t))
            {
                granted++;
            }
        }
        assertEquals(70, granted);
    }

    @Test
    void shouldAccumulateFractionsAcrossManySmallSteps()
    {
        final TokenBucket bucket = new TokenBucket(3, 10);
        bucket.reset(T0);
        drain(bucket, T0);

        assertFalse(bucket.tryAcquire(T0 + 333));
        assertTrue(bucket.tryAcquire(T0 + 334));
        assertEquals(0, bucket.availableTokens(T0 + 666));
        assertEquals(1, bucket.availableTokens(T0 + 667));
    }

    @Test
    void shouldNotExceedBurstAfterLongIdleGap()
    {
        final TokenBucket bucket = new TokenBucket(1_000_000, 1_000_000);
        bucket.reset(0);
        drain(bucket, 0);

        assertEquals(1_000_000, bucket.availableTokens(Long.MAX_VALUE / 2));
        assertEquals(1_000_000, bucket.availableTokens(Long.MAX_VALUE));
    }

    @Test
    void shouldNeitherRefillNorGoNegativeWhenClockGoesBackwards()
    {
        final TokenBucket bucket = new TokenBucket(50, 100);
        bucket.reset(T0);
        drain(bucket, T0);

        assertFalse(bucket.tryAcquire(T0 - 5_000));
        assertEquals(0, bucket.availableTokens(T0 - 5_000));
        assertFalse(bucket.tryAcquire(T0 + 19));
        assertTrue(bucket.tryAcquire(T0 + 20));
    }

    @Test
    void shouldRefillFullyOnReset()
    {
        final TokenBucket bucket = new TokenBucket(5, 10);
        bucket.reset(T0);
        drain(bucket, T0);

        bucket.reset(T0 + 1);
        assertEquals(10, bucket.availableTokens(T0 + 1));
    }

    @Test
    void shouldRejectNonPositiveRateOrBurst()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0));
    }

    private static void drain(final TokenBucket bucket, final long nowMs)
    {
        while (bucket.tryAcquire(nowMs))
        {
            assertTrue(bucket.availableTokens(nowMs) >= 0);
        }
    }

    @Test
    void shouldTakeSeveralTokensAtOnceOrNoneAndAskAFullBucketForMoreThanTheBurst()
    {
        final TokenBucket bucket = new TokenBucket(100, 250);
        bucket.reset(0);
        assertTrue(bucket.tryAcquire(0, 100));
        assertTrue(bucket.tryAcquire(0, 100));
        assertFalse(bucket.tryAcquire(0, 100), "50 left");
        assertEquals(50, bucket.availableTokens(0), "a refused request takes nothing");
        assertTrue(bucket.tryAcquire(500, 100), "half a second earns 50");
        assertEquals(0, bucket.availableTokens(500));
        assertFalse(bucket.tryAcquire(2_000, 1_000), "more than the burst asks for a full bucket: 150 < 250");
        assertTrue(bucket.tryAcquire(3_000, 1_000), "a full bucket pays for it");
        assertEquals(0, bucket.availableTokens(3_000));
        assertTrue(bucket.tryAcquire(3_010, 0), "under one token asks for one");
        assertFalse(bucket.tryAcquire(3_010, 1));
    }
}
