package dev.switchboard.net.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-writer HdrHistogram recorder whose reader turns each interval into an {@link IntervalPercentiles}.
 * <p>
 * The writer thread calls {@link #record(long)}: wait-free, no allocation, out-of-range values clamped rather than
 * thrown. One sampler thread calls {@link #sample()}; the interval flip may spin while a record is in flight,
 * which is why the flip runs on the sampler thread and never on a scrape or hot thread.
 */
final class IntervalRecorder
{
    private final long highestTrackableValue;
    private final SingleWriterRecorder recorder;
    private final AtomicLong totalCount = new AtomicLong();
    private final AtomicLong totalSum = new AtomicLong();
    private Histogram interval;
    private volatile IntervalPercentiles latest = IntervalPercentiles.EMPTY;

    IntervalRecorder(final long highestTrackableValue)
    {
        this.highestTrackableValue = highestTrackableValue;
        this.recorder = new SingleWriterRecorder(highestTrackableValue, 3);
    }

    void record(final long value)
    {
        final long clamped = value < 0 ? 0 : Math.min(value, highestTrackableValue);
        recorder.recordValue(clamped);
        totalSum.lazySet(totalSum.get() + clamped);
        totalCount.lazySet(totalCount.get() + 1);
    }

    IntervalPercentiles sample()
    {
        final long count = totalCount.get();
        final long sum = totalSum.get();
        interval = recorder.getIntervalHistogram(interval);
        final Histogram histogram = interval;
        final IntervalPercentiles reading = new IntervalPercentiles(
            count,
            sum,
            histogram.getTotalCount(),
            histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(99.0),
            histogram.getValueAtPercentile(99.9),
            histogram.getMaxValue());
        latest = reading;
        return reading;
    }

    IntervalPercentiles latest()
    {
        return latest;
    }
}
