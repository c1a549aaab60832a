package dev.switchboard.net.io;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.ws.CloseCodes;
import dev.switchboard.net.ws.FrameEncoder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent's slow timer pass over its connections: HTTP head and keep-alive timeouts, the WebSocket message
 * deadline, idle timeouts and pings, close deadlines, the frame budget's repayment, and the graceful drain's
 * batches; IoAgent thread only.
 */
final class ConnectionTimers
{
    /** Time between two timer passes. */
    static final long TIMER_INTERVAL_MS = 100;
    private static final Logger LOG = LogManager.getLogger(ConnectionTimers.class);
    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final String DRAINING_REASON = "server_draining retry_after_ms=";
    private static final int PING_FRAME_BYTES = 16;

    private final int agentIndex;
    private final IoLoop loop;
    private final ConnectionTable table;
    private final IoCounters counters;
    private final BufferedBytesRecorder bufferedBytes;
    private final OutboundDrain drain;
    private final ConnectionCloser closer;
    private final long idleMs;
    private final long pingMs;
    private final long headMs;
    private final long messageDeadlineMs;
    private long drainStartMs;
    private int drainInitialCount;
    private int drainClosedCount;
    private int drainCursor;
    private Frame ping;

    /**
     * Timers of one agent's connections.
     *
     * @param agentIndex    the agent's number, for the buffered-bytes recorder.
     * @param loop          the agent's clock, frame pool and drain state.
     * @param settings      the timeouts.
     * @param table         the agent's connections.
     * @param counters      the agent's counters.
     * @param bufferedBytes where open sockets' bufferedAmount is recorded each pass.
     * @param drain         queues pings.
     * @param closer        closes timed-out connections.
     */
    ConnectionTimers(
        final int agentIndex,
        final IoLoop loop,
        final SwitchboardSettings settings,
        final ConnectionTable table,
        final IoCounters counters,
        final BufferedBytesRecorder bufferedBytes,
        final OutboundDrain drain,
        final ConnectionCloser closer)
    {
        this.agentIndex = agentIndex;
        this.loop = loop;
        this.table = table;
        this.counters = counters;
        this.bufferedBytes = bufferedBytes;
        this.drain = drain;
        this.closer = closer;
        this.idleMs = settings.idleTimeoutSeconds() * 1000L;
        this.pingMs = settings.pingIntervalSeconds() * 1000L;
        this.headMs = settings.httpHeadTimeoutSeconds() * 1000L;
        this.messageDeadlineMs = settings.messageDeadlineSeconds() * 1000L;
    }

    /**
     * Graceful drain: close the next batch of open sockets with
     * {@code 4000 server_draining retry_after_ms=N}, so that by 80% of the drain time every socket has been told.
     */
    void drainStep()
    {
        final long drainMs = loop.drainRequestedMs();
        if (0 == drainMs)
        {
            return;
        }
        final long nowMs = loop.nowMs();
        if (0 == drainStartMs)
        {
            drainStartMs = nowMs;
            drainInitialCount = table.inUse();
        }
        final double fraction = Math.min(1.0, (nowMs - drainStartMs + TIMER_INTERVAL_MS) / (drainMs * 0.8));
        final int target = (int)Math.ceil(drainInitialCount * fraction);
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final int spreadMs = loop.drainSpreadMs();
        final int highWater = table.highWater();
        while (drainClosedCount < target && drainCursor < highWater)
        {
            final Connection connection = table.at(drainCursor++);
            if (null == connection)
            {
                continue;
            }
            if (ConnectionState.OPEN == connection.state || ConnectionState.AUTH_PENDING == connection.state)
            {
                closer.closeWith(connection, CloseCodes.SERVER_DRAINING, DRAINING_REASON,
                    random.nextInt(spreadMs + 1));
                drainClosedCount++;
            }
        }
        if (drainCursor >= highWater)
        {
            // Sockets accepted before the listener was cancelled, or skipped while closing: start over.
            drainCursor = 0;
            drainClosedCount = Math.max(drainClosedCount, target);
        }
    }

    /**
     * Check every connection's timers once.
     */
    void checkConnections()
    {
        final int highWater = table.highWater();
        for (int slot = 0; slot < highWater; slot++)
        {
            final Connection connection = table.at(slot);
            if (null == connection)
            {
                continue;
            }
            switch (connection.state)
            {
                case HTTP:
                case AUTH_PENDING:
                    checkHead(connection);
                    break;
                case OPEN:
                    checkOpen(connection);
                    break;
                case CLOSING:
                    checkClosing(connection);
                    break;
                default:
                    break;
            }
        }
        if (null != ping)
        {
            ping.release();
            ping = null;
        }
    }

    /** A request's head runs from its first byte; an idle keep-alive socket from its last response. */
    private void checkHead(final Connection connection)
    {
        final long sinceMs = connection.requestInProgress ? connection.requestStartMs : connection.acceptedMs;
        if (loop.nowMs() - sinceMs >= headMs)
        {
            IoCounters.increment(counters.headTimeouts);
            closer.abort(connection, CloseCodes.ABNORMAL);
        }
    }

    private void checkOpen(final Connection connection)
    {
        final long nowMs = loop.nowMs();
        bufferedBytes.record(agentIndex, connection.bufferedBytes);
        if (connection.isPaused(Connection.PAUSE_FRAME_RATE) && !connection.frameBudget.isInDebt(nowMs))
        {
            connection.resumeReading(Connection.PAUSE_FRAME_RATE);
        }
        if (connection.messageInProgress && nowMs - connection.messageStartMs >= messageDeadlineMs)
        {
            ConnectionLog.logSampled(LOG, IoCounters.increment(counters.messageDeadlines), "message_deadline",
                connection);
            closer.closeWith(connection, CloseCodes.POLICY_VIOLATION, "message_deadline");
        }
        else if (nowMs - lastSignOfLifeMs(connection) >= idleMs)
        {
            IoCounters.increment(counters.idleTimeouts);
            closer.closeWith(connection, CloseCodes.IDLE_TIMEOUT, "idle_timeout");
        }
        else if (nowMs - connection.lastPingMs >= pingMs)
        {
            connection.lastPingMs = nowMs;
            final Frame frame = sharedPing();
            frame.retain();
            drain.enqueueOwned(connection, frame);
        }
    }

    /** One ping frame per pass, shared by every connection due one. */
    private Frame sharedPing()
    {
        if (null == ping)
        {
            ping = loop.framePool().acquire(PING_FRAME_BYTES, MessageType.UNKNOWN, false);
            ping.sealRaw(0, FrameEncoder.encodePing(ping.buffer(), 0, NO_PAYLOAD, 0, 0));
        }
        return ping;
    }

    private void checkClosing(final Connection connection)
    {
        final long nowMs = loop.nowMs();
        if ((connection.closeSent() || connection.isLingering() || connection.isAwaitingFence()) &&
            nowMs >= connection.closeDeadlineMs)
        {
            closer.abort(connection, CloseCodes.ABNORMAL);
        }
        else if (!connection.closeSent() && nowMs - connection.lastReadMs >= headMs)
        {
            // an HTTP response that the peer never reads
            closer.abort(connection, CloseCodes.ABNORMAL);
        }
    }

    /**
     * The last read, or, while reading is paused by this agent (backpressure, frame budget), the last write that
     * made progress: a peer must not time out for bytes this agent chose not to read.
     */
    static long lastSignOfLifeMs(final Connection connection)
    {
        return 0 == (connection.readPauses & (Connection.PAUSE_OUTBOUND | Connection.PAUSE_FRAME_RATE)) ?
            connection.lastReadMs : Math.max(connection.lastReadMs, connection.lastWriteMs);
    }
}
