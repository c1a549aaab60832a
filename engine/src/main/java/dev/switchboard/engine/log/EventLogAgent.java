package dev.switchboard.engine.log;

import dev.switchboard.engine.codes.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An agent that drains every shard's {@link EventLog} (on its own agent thread, polling every
 * {@value #POLL_INTERVAL_MS} ms when idle, since Log4j may block on its appender) and writes one JSON line per event with
 * {@code event}, {@code roomId}, {@code senderId}, {@code type} and {@code durationMs}. Unknown-type lines are
 * themselves limited (at most {@value #UNKNOWN_TYPE_LINES_PER_SECOND} a second; the rest are counted and the
 * count is logged with the next line that gets through).
 */
public final class EventLogAgent implements Agent, AutoCloseable
{
    /** Unknown-type lines allowed per second before they are only counted. */
    public static final int UNKNOWN_TYPE_LINES_PER_SECOND = 10;
    /** How long the agent's thread sleeps when a pass found no events. */
    public static final long POLL_INTERVAL_MS = 5;

    private static final Logger LOG = LogManager.getLogger("switchboard.events");
    private static final String[] NAMES = {
        "", "join", "resume", "leave", "cohost", "room_closed", "relay", "rate_limited", "unknown_type",
        "rate_limit_abuse", "room_restored", "room_restore_rejected", "game_state_refused"};

    private final List<EventLog> logs = new CopyOnWriteArrayList<>();
    private final AgentRunner runner;
    private long unknownWindowStartMs;
    private int unknownInWindow;
    private long unknownSuppressed;

    /**
     * Create the agent; call {@link #start()} to run it.
     */
    public EventLogAgent()
    {
        runner = new AgentRunner(new SleepingMillisIdleStrategy(POLL_INTERVAL_MS),
            (ex) -> LOG.error(LogLine.event("event_log_error"), ex), null, this);
    }

    /**
     * Add a shard's log to drain.
     *
     * @param log the log.
     */
    public void add(final EventLog log)
    {
        logs.add(log);
    }

    /**
     * Start draining.
     */
    public void start()
    {
        AgentRunner.startOnThread(runner, (r) ->
        {
            final Thread thread = new Thread(r, "switchboard-event-log");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * One pass over every shard's log.
     *
     * @return events written.
     */
    @Override
    public int doWork()
    {
        return drainOnce();
    }

    /**
     * Write what is left, on the agent's thread.
     */
    @Override
    public void onClose()
    {
        drainOnce();
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "switchboard-event-log"; // AgentRunner.startOnThread names the thread after the role
    }

    /**
     * Drain everything available now; returns the number of events written.
     *
     * @return events drained.
     */
    public int drainOnce()
    {
        int total = 0;
        for (final EventLog log : logs)
        {
            final OneToOneRingBuffer ring = log.ring();
            total += ring.read(this::onRecord);
        }
        return total;
    }

    private void onRecord(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        final int event = buffer.getInt(index);
        if (EventLog.UNKNOWN_TYPE == event && !admitUnknownType())
        {
            return;
        }
        final int typeId = buffer.getInt(index + 4);
        final long durationNs = buffer.getLong(index + 8);
        final long detail = buffer.getLong(index + 16);
        final int room = buffer.getInt(index + 24);
        final int sender = buffer.getInt(index + 28);
        final LogLine message = LogLine.event(event < NAMES.length ? NAMES[event] : "unknown");
        putString(message, "roomId", buffer, index + EventLog.HEADER_BYTES, room);
        putString(message, "senderId", buffer, index + EventLog.HEADER_BYTES + room, sender);
        if (0 != typeId)
        {
            message.with("type", MessageType.get(typeId).wireName());
        }
        if (durationNs >= 0)
        {
            message.with("durationMs", durationNs / 1_000_000.0);
        }
        message.with("detail", detail);
        if (EventLog.UNKNOWN_TYPE == event && unknownSuppressed > 0)
        {
            message.with("suppressedSinceLastLine", unknownSuppressed);
            unknownSuppressed = 0;
        }
        if (EventLog.RATE_LIMITED == event || EventLog.RATE_LIMIT_ABUSE == event || EventLog.UNKNOWN_TYPE == event ||
            EventLog.ROOM_RESTORE_REJECTED == event || EventLog.GAME_STATE_REFUSED == event)
        {
            LOG.warn(message);
        }
        else
        {
            LOG.info(message);
        }
    }

    private boolean admitUnknownType()
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs - unknownWindowStartMs >= 1_000)
        {
            unknownWindowStartMs = nowMs;
            unknownInWindow = 0;
        }
        if (unknownInWindow >= UNKNOWN_TYPE_LINES_PER_SECOND)
        {
            unknownSuppressed++;
            return false;
        }
        unknownInWindow++;
        return true;
    }

    private static void putString(
        final LogLine message, final String key, final DirectBuffer buffer, final int offset, final int n)
    {
        if (n > 0)
        {
            // Room ids and user ids use an alphabet that needs no escaping (protocol section 2, auth).
            final byte[] bytes = new byte[n];
            buffer.getBytes(offset, bytes);
            message.with(key, new String(bytes, StandardCharsets.US_ASCII));
        }
    }

    /**
     * Stop after a last drain.
     */
    @Override
    public void close()
    {
        runner.close();
    }
}
