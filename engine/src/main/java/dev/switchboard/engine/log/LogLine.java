package dev.switchboard.engine.log;

import org.apache.logging.log4j.message.MapMessage;

import java.util.Set;

/**
 * One structured log line: an {@code event} name plus typed fields, written by the JSON layout as top-level
 * fields of the line's JSON object (never as JSON text inside a string). Write every log line this way:
 * <pre>{@code
 * LOG.info(LogLine.event("started").with("port", port).with("ioThreads", ioThreads));
 * LOG.error(LogLine.event("io_loop_error").with("agent", index), ex);
 * }</pre>
 * Values keep their JSON type (numbers and booleans stay numbers and booleans, strings are escaped by the layout).
 * The keys the layout itself writes ({@link #RESERVED_KEYS}) are refused. A line is not changed after it is
 * handed to a logger (loggers are asynchronous and format it later on their own thread).
 */
public final class LogLine extends MapMessage<LogLine, Object>
{
    /** Keys the JSON layout writes on every line, refused as field names. */
    public static final Set<String> RESERVED_KEYS = Set.of("ts", "level", "logger", "thread", "message", "error");

    private static final long serialVersionUID = 1L;

    private LogLine(final String event)
    {
        super(8);
        with("event", event);
    }

    /**
     * Start a line for the given event name ({@code snake_case}, stable: dashboards and alerts match on it).
     *
     * @param event the event name.
     * @return the line, to add fields to with {@code with(key, value)}.
     */
    public static LogLine event(final String event)
    {
        if (null == event || event.isEmpty())
        {
            throw new IllegalArgumentException("a log line needs an event name");
        }
        return new LogLine(event);
    }

    /**
     * This line's event name.
     *
     * @return the event name.
     */
    public String eventName()
    {
        return getIndexedReadOnlyStringMap().getValue("event");
    }

    @Override
    protected String toKey(final String candidateKey)
    {
        if (RESERVED_KEYS.contains(candidateKey))
        {
            throw new IllegalArgumentException("log field '" + candidateKey + "' is written by the layout itself");
        }
        return candidateKey;
    }
}
