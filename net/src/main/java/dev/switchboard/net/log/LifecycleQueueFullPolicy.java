package dev.switchboard.net.log;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.DefaultAsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a log call does when Log4j's asynchronous queue is full (named by {@code log4j2.asyncQueueFullPolicy} in
 * {@code log4j2.component.properties}): a lifecycle line ({@link LifecycleLog}, written by the main, signal and
 * drain threads only) waits for room and is never discarded; every other line, whatever its level, is discarded
 * and counted, so that an IoAgent or engine thread never waits on a stalled log collector. A WARN line that waited
 * would let any client that can provoke one (an address over its connection limit, a slow consumer) stop every
 * room of the node until the collector reads again.
 */
public final class LifecycleQueueFullPolicy extends DefaultAsyncQueueFullPolicy
{
    private static final AtomicLong DISCARDED_LINES = new AtomicLong();
    private static final AtomicLong DELAYED_LIFECYCLE_LINES = new AtomicLong();

    /**
     * Made by Log4j when its asynchronous loggers start.
     */
    public LifecycleQueueFullPolicy()
    {
        // counters are per process (static): Log4j makes one policy per logger context
    }

    @Override
    public EventRoute getRoute(final long backgroundThreadId, final Level level)
    {
        final EventRoute route = super.getRoute(backgroundThreadId, level);
        if (EventRoute.ENQUEUE != route)
        {
            return route; // the logging thread itself writes in place rather than wait on its own queue
        }
        if (LifecycleLog.isWriting())
        {
            DELAYED_LIFECYCLE_LINES.incrementAndGet();
            return EventRoute.ENQUEUE;
        }
        DISCARDED_LINES.incrementAndGet();
        return EventRoute.DISCARD;
    }

    /**
     * Lines discarded because the queue was full, since the process started.
     *
     * @return count.
     */
    public static long discardedLines()
    {
        return DISCARDED_LINES.get();
    }

    /**
     * Lifecycle lines that found the queue full and waited for room instead of being discarded.
     *
     * @return count.
     */
    public static long delayedLifecycleLines()
    {
        return DELAYED_LIFECYCLE_LINES.get();
    }
}
