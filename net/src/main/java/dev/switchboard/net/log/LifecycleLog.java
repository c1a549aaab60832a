package dev.switchboard.net.log;

import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

import java.util.concurrent.TimeUnit;

/**
 * Lines about the process's life (settings, started, draining, drained, a fatal error on exit) that are never
 * discarded: when the asynchronous log queue is full, {@link LifecycleQueueFullPolicy} discards per-message lines
 * but makes a lifecycle line wait for room. Only for threads that may wait (main, drain, signal), never for an
 * IoAgent or engine thread.
 */
public final class LifecycleLog
{
    /**
     * How long {@link #flushAndStop()} waits for a backlog beyond Log4j's own ten seconds, e.g. behind a stalled log
     * collector, before giving up on the lines still queued.
     */
    public static final long FLUSH_TIMEOUT_MS = 20_000;

    private static final ThreadLocal<Boolean> WRITING = new ThreadLocal<>();

    private LifecycleLog()
    {
    }

    /**
     * Log a lifecycle line at INFO, waiting for room when the queue is full.
     *
     * @param logger the logger.
     * @param line   the line.
     */
    public static void info(final Logger logger, final LogLine line)
    {
        log(logger, Level.INFO, line, null);
    }

    /**
     * Log a lifecycle line at WARN, waiting for room when the queue is full.
     *
     * @param logger the logger.
     * @param line   the line.
     */
    public static void warn(final Logger logger, final LogLine line)
    {
        log(logger, Level.WARN, line, null);
    }

    /**
     * Log a lifecycle error, with its cause when not null, waiting for room when the queue is full.
     *
     * @param logger the logger.
     * @param line   the line.
     * @param cause  the exception, or null.
     */
    public static void error(final Logger logger, final LogLine line, final Throwable cause)
    {
        log(logger, Level.ERROR, line, cause);
    }

    /**
     * Whether the calling thread is logging a lifecycle line now (read by the queue-full policy).
     *
     * @return true inside {@link #info}, {@link #warn} or {@link #error}.
     */
    static boolean isWriting()
    {
        return Boolean.TRUE == WRITING.get();
    }

    /**
     * Write out every queued line and stop logging, waiting up to Log4j's ten seconds plus {@link #FLUSH_TIMEOUT_MS}
     * for a backlog ({@code LogManager.shutdown()} gives up after the ten seconds and drops the rest); call once,
     * just before the process exits.
     */
    public static void flushAndStop()
    {
        final Object context = LogManager.getContext(false);
        if (context instanceof LoggerContext)
        {
            Configurator.shutdown((LoggerContext)context, FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        else
        {
            LogManager.shutdown();
        }
    }

    private static void log(final Logger logger, final Level level, final LogLine line, final Throwable cause)
    {
        asLifecycleLine(() -> logger.log(level, line, cause));
    }

    /**
     * Run a log call as a lifecycle line: {@link #isWriting()} holds on this thread while it runs.
     *
     * @param logCall the call.
     */
    static void asLifecycleLine(final Runnable logCall)
    {
        WRITING.set(Boolean.TRUE);
        try
        {
            logCall.run();
        }
        finally
        {
            WRITING.set(Boolean.FALSE);
        }
    }
}
