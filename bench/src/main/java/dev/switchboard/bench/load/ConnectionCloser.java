package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Ends sockets: takes a socket out of its room's receiver count and the joined gauge, closes its channel and resets
 * what it had read, and decides whether a broken socket counts as a failure or comes back after a leave; agent
 * thread only.
 */
final class ConnectionCloser
{
    /** Pause between a churn viewer's closed socket and its next connect. */
    static final long RECONNECT_DELAY_NS = 50_000_000L;

    private final FleetState fleet;
    private final FleetCounters counters;

    /**
     * Closes the sockets of one agent.
     *
     * @param fleet    holds the per-room receiver counts.
     * @param counters the agent's counters.
     */
    ConnectionCloser(final FleetState fleet, final FleetCounters counters)
    {
        this.fleet = fleet;
        this.counters = counters;
    }

    /**
     * Stops counting the socket as a receiver of its room and as joined, once.
     *
     * @param connection the socket leaving its room.
     */
    void leaveRoom(final ClientConnection connection)
    {
        if (connection.inReceivers)
        {
            fleet.receivers.decrementAndGet(connection.room);
            connection.inReceivers = false;
        }
        if (connection.joinedCounted)
        {
            counters.add(FleetCounters.JOINED, -1);
            connection.joinedCounted = false;
        }
    }

    /**
     * Closes the socket's channel, if any, and moves it to {@code nextState} with nothing left to read or send.
     *
     * @param connection the socket.
     * @param nextState  {@link ClientConnection#IDLE} to connect again later, {@link ClientConnection#CLOSED} for good.
     */
    void close(final ClientConnection connection, final int nextState)
    {
        leaveRoom(connection);
        final SocketChannel channel = connection.channel;
        if (null != channel)
        {
            if (ClientConnection.CONNECTING != connection.state)
            {
                counters.add(FleetCounters.CONNECTED, -1);
            }
            if (null != connection.key)
            {
                connection.key.cancel();
            }
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // The socket is being dropped; a failing close changes nothing for the run.
            }
        }
        connection.channel = null;
        connection.key = null;
        connection.tls = null;
        connection.state = nextState;
        connection.readingStopped = false;
        connection.leftoverLength = 0;
        connection.fragmentLength = 0;
        if (null != connection.pending)
        {
            connection.pending.clear();
        }
    }

    /**
     * Handles a socket the network or the server broke: a leaving socket reconnects after a pause, any other is
     * counted as a connect failure or a disconnect and closed for good.
     *
     * @param connection the socket.
     * @param reason     what broke it, for the problem line.
     */
    void onBroken(final ClientConnection connection, final String reason)
    {
        if (null == connection.channel)
        {
            return;
        }
        if (ClientConnection.LEAVING == connection.state)
        {
            close(connection, ClientConnection.IDLE);
            connection.reconnectDueNs = System.nanoTime() + RECONNECT_DELAY_NS;
            return;
        }
        if (ClientConnection.CONNECTING == connection.state || ClientConnection.HANDSHAKING == connection.state ||
            ClientConnection.JOINING == connection.state)
        {
            counters.increment(FleetCounters.CONNECT_FAILURES);
        }
        else if (null != connection.channel)
        {
            counters.increment(FleetCounters.DISCONNECTS);
        }
        ProblemLog.print("socket " + connection.socketIndex + " broken: " + reason);
        close(connection, ClientConnection.CLOSED);
    }

    /**
     * Closes every socket that is still open, at the end of the run.
     *
     * @param connections the agent's sockets.
     */
    void closeAll(final ClientConnection[] connections)
    {
        for (final ClientConnection connection : connections)
        {
            if (null != connection.channel)
            {
                close(connection, ClientConnection.CLOSED);
            }
        }
    }
}
