package dev.switchboard.engine.ring;

/**
 * What an agent tells the idle strategy of its thread before the thread parks: whether work arrived after its
 * last duty cycle, and how long it may sleep before its next deadline.
 */
public interface DutyCycle
{
    /** A duty cycle with no queues and no deadlines. */
    DutyCycle NONE = new DutyCycle()
    {
        @Override
        public boolean hasPendingWork()
        {
            return false;
        }

        @Override
        public long parkTimeoutNs()
        {
            return Long.MAX_VALUE;
        }
    };

    /**
     * Whether something was published for this agent since its last duty cycle; checked after the thread has
     * announced it is parking, so a producer that published before the announcement is seen here.
     *
     * @return true when the thread must not park.
     */
    boolean hasPendingWork();

    /**
     * Time until this agent's next deadline (a tick, a timer pass), 0 when one is due now.
     *
     * @return nanoseconds, or {@link Long#MAX_VALUE} for no deadline.
     */
    long parkTimeoutNs();

    /**
     * The duty cycle of several agents on one thread: pending when any is, timeout the least of theirs.
     *
     * @param cycles the agents' duty cycles.
     * @return the combination.
     */
    static DutyCycle all(final DutyCycle... cycles)
    {
        final DutyCycle[] copy = cycles.clone();
        if (1 == copy.length)
        {
            return copy[0];
        }
        return new DutyCycle()
        {
            @Override
            public boolean hasPendingWork()
            {
                for (final DutyCycle cycle : copy)
                {
                    if (cycle.hasPendingWork())
                    {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public long parkTimeoutNs()
            {
                long least = Long.MAX_VALUE;
                for (final DutyCycle cycle : copy)
                {
                    least = Math.min(least, cycle.parkTimeoutNs());
                }
                return least;
            }
        };
    }
}
