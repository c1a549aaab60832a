package dev.switchboard.bench.load;

import java.nio.channels.SelectionKey;

/**
 * The agent's slow pass over its sockets: drops a socket stuck in connect, upgrade or join, reconnects one whose
 * leave was never closed, sends the churn viewers' leaves and rejoins when due, and stops reading on the slow
 * consumers once traffic has begun. Time comes in as an argument; agent thread only.
 */
final class ConnectionTimers
{
    /** Longest a socket may take from connect to joined. */
    static final long CONNECT_TIMEOUT_NS = 15_000_000_000L;

    /** Longest the server may take to close a socket after its leave. */
    static final long LEAVE_TIMEOUT_NS = 10_000_000_000L;

    private final FleetState fleet;
    private final LoadSettings settings;
    private final FleetCounters counters;
    private final ConnectionCloser closer;
    private final ClientConnector connector;
    private final ClientMessagePublisher publisher;
    private final PublishScheduler scheduler;
    private final ClientConnection[] connections;

    /**
     * Makes the timers of one agent's sockets.
     *
     * @param fleet       the send stop and the churn cycle budget.
     * @param counters    the agent's counters.
     * @param closer      drops timed-out sockets.
     * @param connector   reconnects churn viewers.
     * @param publisher   sends churn leaves.
     * @param scheduler   says whether traffic has begun.
     * @param connections the agent's sockets.
     */
    ConnectionTimers(
        final FleetState fleet,
        final FleetCounters counters,
        final ConnectionCloser closer,
        final ClientConnector connector,
        final ClientMessagePublisher publisher,
        final PublishScheduler scheduler,
        final ClientConnection[] connections)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.counters = counters;
        this.closer = closer;
        this.connector = connector;
        this.publisher = publisher;
        this.scheduler = scheduler;
        this.connections = connections;
    }

    /**
     * Runs one pass over every socket.
     *
     * @param nowNs the current time.
     */
    void onSlowTick(final long nowNs)
    {
        final boolean trafficStarted = scheduler.trafficStarted();
        final boolean churn = Scenario.CHURN == settings.scenario && trafficStarted;
        for (final ClientConnection connection : connections)
        {
            final int state = connection.state;
            if ((ClientConnection.CONNECTING == state || ClientConnection.HANDSHAKING == state ||
                ClientConnection.JOINING == state) && nowNs - connection.stateSinceNs > CONNECT_TIMEOUT_NS)
            {
                counters.increment(FleetCounters.CONNECT_FAILURES);
                ProblemLog.print("socket " + connection.socketIndex + " timed out in state " + state +
                    " after reading " + connection.bytesRead + " bytes, " + connection.messagesRead + " messages");
                closer.close(connection, ClientConnection.CLOSED);
            }
            else if (ClientConnection.LEAVING == state && nowNs - connection.stateSinceNs > LEAVE_TIMEOUT_NS)
            {
                counters.increment(FleetCounters.DISCONNECTS);
                ProblemLog.print("socket " + connection.socketIndex + " was not closed after leave");
                closer.close(connection, ClientConnection.IDLE);
                connection.reconnectDueNs = nowNs + ConnectionCloser.RECONNECT_DELAY_NS;
            }
            else if (churn && !connection.publisher)
            {
                churn(connection, state, nowNs);
            }
            if (connection.slow && trafficStarted && !connection.readingStopped && null != connection.key &&
                connection.key.isValid() && ClientConnection.JOINED == state)
            {
                connection.readingStopped = true;
                connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_READ);
            }
        }
    }

    private void churn(final ClientConnection connection, final int state, final long nowNs)
    {
        if (ClientConnection.JOINED == state && nowNs - connection.leaveDueNs >= 0 &&
            nowNs - fleet.sendStopNs() < 0 && fleet.claimCycle())
        {
            publisher.sendLeave(connection, nowNs);
        }
        else if (ClientConnection.IDLE == state && connection.attempts > 0 &&
            nowNs - connection.reconnectDueNs >= 0 && nowNs - fleet.sendStopNs() < 0)
        {
            connector.open(connection, nowNs);
        }
    }
}
