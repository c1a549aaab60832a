package dev.switchboard.net.cluster;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One log line per kind of trouble per episode: a kind may log again only {@link #INTERVAL_MS} ms after its last
 * line, so a storm of dropped batches costs one line every ten seconds, never one per batch. Thread-safe (the
 * Redis listener thread and the cluster agent share it) and allocation-free.
 */
public final class LogEpisodes
{
    /** Least time between two lines of one kind. */
    public static final long INTERVAL_MS = 10_000;

    private final AtomicLongArray lastLoggedMs;

    /**
     * Episodes for kinds 0 to {@code kinds - 1}.
     *
     * @param kinds number of kinds.
     */
    public LogEpisodes(final int kinds)
    {
        lastLoggedMs = new AtomicLongArray(kinds);
        for (int i = 0; i < kinds; i++)
        {
            lastLoggedMs.set(i, Long.MIN_VALUE / 2);
        }
    }

    /**
     * Whether a line of the kind is due at {@code nowMs}; when it is, the caller logs and the episode restarts.
     *
     * @param kind  the kind.
     * @param nowMs the caller's clock.
     * @return true for exactly one caller per interval.
     */
    public boolean due(final int kind, final long nowMs)
    {
        final long last = lastLoggedMs.get(kind);
        return nowMs - last >= INTERVAL_MS && lastLoggedMs.compareAndSet(kind, last, nowMs);
    }
}
