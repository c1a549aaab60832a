package dev.switchboard.net.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LatencyRecordersTest
{
    @Test
    void shouldReadEmptyBeforeTheFirstSample()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        recorders.recordLoopLatencyNs(5_000);

        assertSame(IntervalPercentiles.EMPTY, recorders.loopLatency());
        assertSame(IntervalPercentiles.EMPTY, recorders.batchLatency());
    }

    @Test
    void shouldReportPercentilesOfTheLastIntervalAndCumulativeTotals()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        for (int i = 1; i <= 1_000; i++)
        {
            recorders.recordLoopLatencyNs(i);
        }
        recorders.sample();

        final IntervalPercentiles first = recorders.loopLatency();
        assertEquals(1_000, first.intervalCount());
        assertEquals(500, first.p50());
        assertEquals(990, first.p99());
        assertEquals(999, first.p999());
        assertEquals(1_000, first.max());
        assertEquals(1_000, first.totalCount());
        assertEquals(500_500, first.totalSum());

        recorders.recordLoopLatencyNs(7);
        recorders.sample();

        final IntervalPercentiles second = recorders.loopLatency();
        assertEquals(1, second.intervalCount());
        assertEquals(7, second.p50());
        assertEquals(7, second.max());
        assertEquals(1_001, second.totalCount());
        assertEquals(500_507, second.totalSum());
    }

    @Test
    void shouldKeepLoopAndBatchLatenciesApart()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        recorders.recordBatchLatencyNs(2_000);
        recorders.sample();

        assertEquals(0, recorders.loopLatency().intervalCount());
        assertEquals(1, recorders.batchLatency().intervalCount());
        assertEquals(2_000, recorders.batchLatency().p99());
    }

    @Test
    void shouldClampOutOfRangeLatenciesInsteadOfThrowing()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        recorders.recordLoopLatencyNs(-1);
        recorders.recordLoopLatencyNs(Long.MAX_VALUE);
        recorders.sample();

        final IntervalPercentiles reading = recorders.loopLatency();
        assertEquals(2, reading.intervalCount());
        assertEquals(0, reading.p50());
        final long highestNs = LatencyRecorders.HIGHEST_TRACKABLE_NS;
        assertEquals(highestNs, reading.max(), highestNs / 1000);
        assertEquals(highestNs, reading.totalSum());
    }
}
