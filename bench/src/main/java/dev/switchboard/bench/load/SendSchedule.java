package dev.switchboard.bench.load;

/**
 * Open-loop send times: the k-th message of a publisher is due at a fixed instant computed from the start time,
 * whatever happened to the messages before it.
 */
public final class SendSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SendSchedule()
    {
    }

    /**
     * The interval between two messages of one publisher sending at the given rate.
     *
     * @param ratePerSecond messages per second, greater than zero.
     * @return the interval in nanoseconds, at least one.
     */
    public static long intervalNs(final double ratePerSecond)
    {
        if (!(ratePerSecond > 0.0))
        {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        return Math.max(1L, Math.round(NANOS_PER_SECOND / ratePerSecond));
    }

    /**
     * The offset of one publisher inside the interval, so that publishers are spread evenly instead of firing
     * together.
     *
     * @param publisherIndex  index of the publisher, from zero.
     * @param publisherCount  number of publishers sharing the schedule.
     * @param intervalNs      the interval of each publisher.
     * @return the offset in nanoseconds, in {@code [0, intervalNs)}.
     */
    public static long offsetNs(final int publisherIndex, final int publisherCount, final long intervalNs)
    {
        if (publisherCount <= 0)
        {
            return 0L;
        }
        return (long)((double)(publisherIndex % publisherCount) * intervalNs / publisherCount);
    }

    /**
     * When the message with the given index is due.
     *
     * @param startNs    the common start time.
     * @param offsetNs   the publisher's offset.
     * @param intervalNs the publisher's interval.
     * @param index      index of the message, from zero.
     * @return the intended send time in nanoseconds.
     */
    public static long intendedNs(final long startNs, final long offsetNs, final long intervalNs, final long index)
    {
        return startNs + offsetNs + index * intervalNs;
    }

    /**
     * How many messages are due by the given time, counting from index zero.
     *
     * @param startNs    the common start time.
     * @param offsetNs   the publisher's offset.
     * @param intervalNs the publisher's interval.
     * @param nowNs      the current time.
     * @return the number of messages whose intended time is at or before {@code nowNs}.
     */
    public static long dueCount(final long startNs, final long offsetNs, final long intervalNs, final long nowNs)
    {
        final long sinceFirstNs = nowNs - startNs - offsetNs;
        if (sinceFirstNs < 0)
        {
            return 0L;
        }
        return sinceFirstNs / intervalNs + 1;
    }

    /**
     * How many messages a schedule plans inside a window, counting those intended in {@code [fromNs, toNs)}.
     *
     * @param startNs    the common start time.
     * @param offsetNs   the publisher's offset.
     * @param intervalNs the publisher's interval.
     * @param fromNs     the window's start, inclusive.
     * @param toNs       the window's end, exclusive.
     * @return the number of messages intended inside the window.
     */
    public static long plannedInWindow(
        final long startNs, final long offsetNs, final long intervalNs, final long fromNs, final long toNs)
    {
        return dueCount(startNs, offsetNs, intervalNs, toNs - 1) - dueCount(startNs, offsetNs, intervalNs, fromNs - 1);
    }
}
