package dev.switchboard.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionCloserTest
{
    private final FleetCounters counters = new FleetCounters();
    private final FleetState fleet = new FleetState(
        LoadSettings.parse(new String[]{"--rooms", "2", "--room-size", "3"}), 7);
    private final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
    private final ClientConnection connection = new ClientConnection(4, 1, false, false, false);
    private LoopbackClients loopback;

    @BeforeEach
    void openLoopback() throws IOException
    {
        loopback = new LoopbackClients();
    }

    @AfterEach
    void closeLoopback() throws IOException
    {
        loopback.close();
    }

    @Test
    void shouldTakeASocketOutOfItsRoomOnlyOnce()
    {
        joined(connection);

        closer.leaveRoom(connection);
        closer.leaveRoom(connection);

        assertEquals(0, fleet.receivers.get(1));
        assertEquals(0, counters.get(FleetCounters.JOINED));
        assertFalse(connection.inReceivers);
        assertFalse(connection.joinedCounted);
    }

    @Test
    void shouldCloseTheChannelAndForgetWhatTheSocketHadReadOrQueued() throws IOException
    {
        final SocketChannel peer = loopback.connect(connection);
        final SocketChannel channel = connection.channel;
        final SelectionKey key = connection.key;
        counters.increment(FleetCounters.CONNECTED);
        joined(connection);
        connection.leftoverLength = 10;
        connection.fragmentLength = 5;
        connection.readingStopped = true;
        connection.pending = ByteBuffer.allocate(16).put(new byte[7]);

        closer.close(connection, ClientConnection.IDLE);

        assertEquals(ClientConnection.IDLE, connection.state);
        assertFalse(channel.isOpen());
        assertFalse(key.isValid());
        assertNull(connection.channel);
        assertNull(connection.key);
        assertEquals(0, counters.get(FleetCounters.CONNECTED));
        assertEquals(0, counters.get(FleetCounters.JOINED));
        assertEquals(0, fleet.receivers.get(1));
        assertEquals(0, connection.leftoverLength);
        assertEquals(0, connection.fragmentLength);
        assertFalse(connection.readingStopped);
        assertEquals(0, connection.pending.position());
        LoopbackClients.awaitEndOfStream(peer, "the server end sees the close");
    }

    @Test
    void shouldNotCountASocketThatNeverConnectedAsDisconnected() throws IOException
    {
        loopback.connect(connection);
        connection.state = ClientConnection.CONNECTING;

        closer.close(connection, ClientConnection.CLOSED);

        assertEquals(0, counters.get(FleetCounters.CONNECTED));
        assertEquals(ClientConnection.CLOSED, connection.state);
    }

    @Test
    void shouldBringALeavingSocketBackAfterThePauseWhenItBreaks() throws IOException
    {
        loopback.connect(connection);
        connection.state = ClientConnection.LEAVING;
        final long beforeNs = System.nanoTime();

        closer.onBroken(connection, "reset");

        assertEquals(ClientConnection.IDLE, connection.state);
        assertTrue(connection.reconnectDueNs - beforeNs >= ConnectionCloser.RECONNECT_DELAY_NS);
        assertEquals(0, counters.get(FleetCounters.DISCONNECTS));
        assertEquals(0, counters.get(FleetCounters.CONNECT_FAILURES));
    }

    @Test
    void shouldCountABreakBeforeTheJoinAsAConnectFailureAndAfterItAsADisconnect() throws IOException
    {
        final ClientConnection joining = new ClientConnection(1, 0, false, false, false);
        loopback.connect(joining);
        joining.state = ClientConnection.JOINING;
        loopback.connect(connection);
        connection.state = ClientConnection.JOINED;

        closer.onBroken(joining, "reset");
        closer.onBroken(connection, "reset");
        closer.onBroken(connection, "reported twice");

        assertEquals(1, counters.get(FleetCounters.CONNECT_FAILURES));
        assertEquals(1, counters.get(FleetCounters.DISCONNECTS), "a socket already closed is not counted again");
        assertEquals(ClientConnection.CLOSED, joining.state);
        assertEquals(ClientConnection.CLOSED, connection.state);
    }

    @Test
    void shouldCloseOnlyTheSocketsStillOpenAtTheEnd() throws IOException
    {
        final ClientConnection idle = new ClientConnection(1, 0, false, false, false);
        loopback.connect(connection);
        connection.state = ClientConnection.JOINED;

        closer.closeAll(new ClientConnection[]{idle, connection});

        assertEquals(ClientConnection.IDLE, idle.state);
        assertEquals(ClientConnection.CLOSED, connection.state);
        assertNull(connection.channel);
    }

    private void joined(final ClientConnection joinedConnection)
    {
        joinedConnection.state = ClientConnection.JOINED;
        joinedConnection.inReceivers = true;
        joinedConnection.joinedCounted = true;
        fleet.receivers.incrementAndGet(joinedConnection.room);
        counters.increment(FleetCounters.JOINED);
    }
}
