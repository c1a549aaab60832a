package dev.switchboard.net.metrics;

/**
 * One immutable reading of an interval recorder: percentiles of the last sampling interval plus cumulative totals.
 * <p>
 * Made by the sampler thread once per interval and read by scrapes; never made on a hot thread.
 */
public final class IntervalPercentiles
{
    /** The reading before any sample: no values at all. */
    public static final IntervalPercentiles EMPTY = new IntervalPercentiles(0, 0, 0, 0, 0, 0, 0);

    private final long totalCount;
    private final long totalSum;
    private final long intervalCount;
    private final long p50;
    private final long p99;
    private final long p999;
    private final long max;

    /**
     * Make a reading.
     *
     * @param totalCount    values recorded since start.
     * @param totalSum      sum of the values recorded since start.
     * @param intervalCount values recorded in the last interval.
     * @param p50           median of the last interval.
     * @param p99           99th percentile of the last interval.
     * @param p999          99.9th percentile of the last interval.
     * @param max           largest value of the last interval.
     */
    public IntervalPercentiles(
        final long totalCount,
        final long totalSum,
        final long intervalCount,
        final long p50,
        final long p99,
        final long p999,
        final long max)
    {
        this.totalCount = totalCount;
        this.totalSum = totalSum;
        this.intervalCount = intervalCount;
        this.p50 = p50;
        this.p99 = p99;
        this.p999 = p999;
        this.max = max;
    }

    /**
     * Values recorded since start.
     *
     * @return count.
     */
    public long totalCount()
    {
        return totalCount;
    }

    /**
     * Sum of the values recorded since start, in the recorder's unit.
     *
     * @return sum.
     */
    public long totalSum()
    {
        return totalSum;
    }

    /**
     * Values recorded in the last interval; the percentiles mean nothing when this is zero.
     *
     * @return count.
     */
    public long intervalCount()
    {
        return intervalCount;
    }

    /**
     * Median of the last interval.
     *
     * @return value in the recorder's unit.
     */
    public long p50()
    {
        return p50;
    }

    /**
     * 99th percentile of the last interval.
     *
     * @return value in the recorder's unit.
     */
    public long p99()
    {
        return p99;
    }

    /**
     * 99.9th percentile of the last interval.
     *
     * @return value in the recorder's unit.
     */
    public long p999()
    {
        return p999;
    }

    /**
     * Largest value of the last interval.
     *
     * @return value in the recorder's unit.
     */
    public long max()
    {
        return max;
    }
}
