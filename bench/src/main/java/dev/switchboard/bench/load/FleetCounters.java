package dev.switchboard.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by one selector thread and read by the reporter: each agent owns one instance.
 */
public final class FleetCounters
{
    /** Scheduled messages sent (game events, and game state and offers in mixed). */
    public static final int SENT = 0;

    /** Scheduled messages sent whose intended time lies in the measurement window. */
    public static final int SENT_IN_WINDOW = 1;

    /** Scheduled messages not sent because their sender was not in its room. */
    public static final int MISSED = 2;

    /** Text messages received. */
    public static final int RECEIVED = 3;

    /** Game event deliveries recorded. */
    public static final int DELIVERIES = 4;

    /** Acks received. */
    public static final int ACKS = 5;

    /** {@code error} messages received. */
    public static final int ERRORS = 6;

    /** {@code game_error rate_limited} messages received. */
    public static final int RATE_LIMITED = 7;

    /** Sockets that failed to connect, upgrade or join. */
    public static final int CONNECT_FAILURES = 8;

    /** Sockets closed by the server or the network while they should have stayed open. */
    public static final int DISCONNECTS = 9;

    /** Sockets open now. */
    public static final int CONNECTED = 10;

    /** Sockets joined to their room now. */
    public static final int JOINED = 11;

    /** Malformed frames or handshakes from the server. */
    public static final int PROTOCOL_ERRORS = 12;

    /** {@code flow_control} messages received. */
    public static final int FLOW_CONTROL = 13;

    /** Completed leave and join cycles (churn). */
    public static final int CHURN_CYCLES = 14;

    /** Deliveries for messages no longer tracked or beyond the expected recipients. */
    public static final int UNTRACKED = 15;

    /** Sockets closed because their unsent backlog grew past the limit. */
    public static final int BACKLOG_OVERFLOWS = 16;

    /** Game state, offer, answer and ICE messages received. */
    public static final int OTHER_RELAYED = 17;

    /** Game events delivered to a socket of another room than their publisher's. */
    public static final int CROSS_ROOM = 18;

    /** Game events whose msgId names another message than their payload does. */
    public static final int MISMATCHED = 19;

    /** Number of counters. */
    public static final int COUNT = 20;

    private final AtomicLongArray values = new AtomicLongArray(COUNT);

    /**
     * Adds to a counter; owner thread only.
     *
     * @param counter the counter index.
     * @param delta   the amount.
     */
    public void add(final int counter, final long delta)
    {
        values.lazySet(counter, values.get(counter) + delta);
    }

    /**
     * Adds one to a counter; owner thread only.
     *
     * @param counter the counter index.
     */
    public void increment(final int counter)
    {
        values.lazySet(counter, values.get(counter) + 1);
    }

    /**
     * Reads a counter from any thread.
     *
     * @param counter the counter index.
     * @return its value.
     */
    public long get(final int counter)
    {
        return values.get(counter);
    }

    /**
     * Sums one counter over several agents.
     *
     * @param all     the agents' counters.
     * @param counter the counter index.
     * @return the sum.
     */
    public static long sum(final FleetCounters[] all, final int counter)
    {
        long sum = 0;
        for (final FleetCounters counters : all)
        {
            sum += counters.get(counter);
        }
        return sum;
    }
}
