package dev.switchboard.net.webhook;

import java.util.concurrent.atomic.AtomicLong;

/** What webhook delivery counts, for /metrics: written by the engines and the dispatcher, read by any thread. */
public final class WebhookCounters
{
    /** Events POSTed and answered with a 2xx status. */
    public final AtomicLong delivered = new AtomicLong();
    /** Attempts that failed (no answer in time, connection refused, non-2xx) and were retried later. */
    public final AtomicLong retried = new AtomicLong();
    /** Events an engine could not queue because its outbox was full. */
    public final AtomicLong droppedQueueFull = new AtomicLong();
    /** Events dropped after {@code webhookMaxAttempts} failed attempts. */
    public final AtomicLong droppedAttemptsExhausted = new AtomicLong();

    /** Create zeroed counters. */
    public WebhookCounters()
    {
    }

    /**
     * Every event dropped, for whatever reason.
     *
     * @return the sum of both drop counters.
     */
    public long dropped()
    {
        return droppedQueueFull.get() + droppedAttemptsExhausted.get();
    }
}
