package dev.switchboard.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency measure: any thread records into an HdrHistogram {@link Recorder}; the reporter thread takes the
 * interval histograms and adds those of the measurement window to a cumulative histogram.
 */
public final class LatencyChannel
{
    /** The largest latency recorded; larger values are clamped to it (60 s). */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    /** Significant decimal digits kept by the histograms. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    private final Recorder recorder = new Recorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram cumulative = new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private Histogram interval;

    /**
     * Makes a channel with the name used in the summary and the {@code .hgrm} file.
     *
     * @param name the channel's name, such as {@code firstRecipient}.
     */
    public LatencyChannel(final String name)
    {
        this.name = name;
    }

    /**
     * The channel's name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Records one latency; safe from any thread, wait-free and allocation-free.
     *
     * @param latencyNs the latency in nanoseconds; negative values count as zero.
     */
    public void record(final long latencyNs)
    {
        recorder.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0L, latencyNs)));
    }

    /**
     * Takes what was recorded since the last call; adds it to the cumulative histogram when {@code keep}.
     * Reporter thread only.
     *
     * @param keep true inside the measurement window, false during warmup.
     * @return the interval histogram, valid until the next call.
     */
    public Histogram sample(final boolean keep)
    {
        interval = recorder.getIntervalHistogram(interval);
        if (keep)
        {
            cumulative.add(interval);
        }
        return interval;
    }

    /**
     * The latencies of the measurement window so far. Reporter thread only.
     *
     * @return the cumulative histogram.
     */
    public Histogram cumulative()
    {
        return cumulative;
    }
}
