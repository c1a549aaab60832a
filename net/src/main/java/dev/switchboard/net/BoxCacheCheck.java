package dev.switchboard.net;

import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Whether the JVM's {@code Integer} cache covers the server's file descriptors.
 * <p>
 * The JDK's epoll selector looks each ready key up by its file descriptor boxed as an {@code Integer}
 * ({@code EPollSelectorImpl.processEvents}), so every ready socket whose descriptor is above the cache's upper bound
 * (127 unless {@code -XX:AutoBoxCacheMax} raises it) allocates 16 bytes on the IoAgent thread per wake-up. With
 * thousands of sockets that is nearly all of them: the one steady-state allocation left on the hot path. The
 * launcher sets {@code -XX:AutoBoxCacheMax=65536}; the server warns at start when the cache is smaller than the
 * descriptors it may need.
 */
public final class BoxCacheCheck
{
    /** Descriptors a server needs besides its sockets: listeners, the selector's epoll and event fds, logs, jars. */
    static final int RESERVED_DESCRIPTORS = 256;

    private static final Logger LOG = LogManager.getLogger(BoxCacheCheck.class);

    private BoxCacheCheck()
    {
    }

    /**
     * Log a warning, once at start, when the Integer cache is smaller than the descriptors the server may use.
     *
     * @param maxConnections the {@code maxConnections} setting.
     * @return whether the cache covers them.
     */
    public static boolean warnIfTooSmall(final int maxConnections)
    {
        final int needed = descriptorsNeeded(maxConnections);
        final int cacheHigh = integerCacheHigh(needed);
        if (cacheHigh >= needed)
        {
            return true;
        }
        LOG.warn(LogLine.event("integer_cache_small").with("integerCacheHigh", cacheHigh)
            .with("descriptorsNeeded", needed)
            .with("effect", "the selector allocates 16 bytes per ready socket above the cache")
            .with("action", "start the JVM with -XX:AutoBoxCacheMax=" + needed + " or more (bin/switchboard does)"));
        return false;
    }

    /**
     * The highest value {@code Integer.valueOf} returns from its cache in this JVM, found by probing.
     *
     * @param limit the highest value worth probing.
     * @return the cache's upper bound, or {@code limit} when the cache reaches at least that far.
     */
    public static int integerCacheHigh(final int limit)
    {
        // Integer.valueOf returns the same instance for every value up to the cache's (configurable) upper bound.
        int low = 127;
        int high = limit;
        if (isCached(high))
        {
            return high;
        }
        while (high - low > 1)
        {
            final int mid = (low + high) >>> 1;
            if (isCached(mid))
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The descriptors a server with this many connections may use, sockets and its own.
     *
     * @param maxConnections the {@code maxConnections} setting.
     * @return descriptors the Integer cache should cover.
     */
    public static int descriptorsNeeded(final int maxConnections)
    {
        return maxConnections + RESERVED_DESCRIPTORS;
    }

    private static boolean isCached(final int value)
    {
        return Integer.valueOf(value) == Integer.valueOf(value);
    }
}
