package dev.switchboard.bench.load;

/**
 * The open-loop schedule of a group of members that each send at the same rate, spread evenly over the interval:
 * member {@code c} sends its {@code k}-th message at {@code start + offset(c) + k * interval}, which makes the
 * global order of intended times a plain round robin over the members, so the next due message is found in O(1).
 */
public final class RoundRobinSchedule
{
    private final int size;
    private final long intervalNs;
    private final long startNs;
    private int cursor;
    private long round;

    /**
     * Makes a schedule for {@code size} members.
     *
     * @param size       members in the group, at least one.
     * @param intervalNs each member's interval.
     * @param startNs    the common start time.
     */
    public RoundRobinSchedule(final int size, final long intervalNs, final long startNs)
    {
        this.size = size;
        this.intervalNs = intervalNs;
        this.startNs = startNs;
    }

    /**
     * The member whose message is due next.
     *
     * @return the member index.
     */
    public int member()
    {
        return cursor;
    }

    /**
     * The index of the next due message among the member's own messages.
     *
     * @return the message index, from zero.
     */
    public long messageIndex()
    {
        return round;
    }

    /**
     * The intended send time of the next due message.
     *
     * @return nanoseconds.
     */
    public long intendedNs()
    {
        return SendSchedule.intendedNs(startNs, SendSchedule.offsetNs(cursor, size, intervalNs), intervalNs, round);
    }

    /**
     * Moves to the message after the current one.
     */
    public void advance()
    {
        if (++cursor == size)
        {
            cursor = 0;
            round++;
        }
    }
}
