package dev.switchboard.net.io;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IoCountersTest
{
    private final IoCounters counters = new IoCounters();

    @Test
    void shouldPublishTheLongestLoopOfAnIntervalOnceTheSamplerEndsIt()
    {
        counters.recordLoop(3_000);
        counters.recordLoop(9_000);
        counters.recordLoop(0);
        assertEquals(0, counters.intervalMaxLoopWorkNs(), "nothing is published while the interval runs");

        counters.beginInterval();
        assertEquals(0, counters.intervalMaxLoopWorkNs(), "the agent publishes, not the sampler");
        counters.recordLoop(0);

        assertEquals(9_000, counters.intervalMaxLoopWorkNs());
    }

    @Test
    void shouldStartEachIntervalFromZeroSoAnOldSpikeDoesNotStick()
    {
        counters.recordLoop(50_000_000);
        counters.beginInterval();
        counters.recordLoop(2_000);
        counters.beginInterval();
        counters.recordLoop(0);
        assertEquals(2_000, counters.intervalMaxLoopWorkNs());

        counters.beginInterval();
        counters.recordLoop(0);
        assertEquals(0, counters.intervalMaxLoopWorkNs(), "an interval of idle loops reports zero");
    }

    @Test
    void shouldReportTheLongestLoopSinceTheLastOneWhenTheAgentSleptThroughIntervals()
    {
        counters.recordLoop(7_000);
        counters.beginInterval();
        counters.beginInterval();
        counters.beginInterval();
        counters.recordLoop(1_000);

        assertEquals(7_000, counters.intervalMaxLoopWorkNs());
    }

    @Test
    void shouldCountWithOrderedStoresFromTheSingleWriter()
    {
        final AtomicLong counter = new AtomicLong(41);

        assertEquals(42, IoCounters.increment(counter));
        IoCounters.add(counter, 8);

        assertEquals(50, counter.get());
    }
}
