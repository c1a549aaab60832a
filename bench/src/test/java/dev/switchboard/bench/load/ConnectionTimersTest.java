package dev.switchboard.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTimersTest
{
    private static final long T_NS = 3_000_000_000L;
    private static final long SECOND_NS = 1_000_000_000L;

    private final FleetCounters counters = new FleetCounters();
    private LoopbackClients loopback;
    private FleetState fleet;
    private AgentRoster roster;
    private PublishScheduler scheduler;
    private ConnectionTimers timers;

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
    void shouldDropASocketThatIsNotJoinedWithinTheConnectTimeout() throws IOException
    {
        build("--rooms", "1", "--room-size", "4");
        final int[] states = {ClientConnection.CONNECTING, ClientConnection.HANDSHAKING, ClientConnection.JOINING};
        for (int i = 0; i < states.length; i++)
        {
            roster.connections[i].state = states[i];
            roster.connections[i].stateSinceNs = T_NS;
        }
        final SocketChannel peer = loopback.connect(roster.connections[2]);
        final SocketChannel joining = roster.connections[2].channel;

        timers.onSlowTick(T_NS + ConnectionTimers.CONNECT_TIMEOUT_NS);
        assertEquals(0, counters.get(FleetCounters.CONNECT_FAILURES), "not yet past the timeout");

        timers.onSlowTick(T_NS + ConnectionTimers.CONNECT_TIMEOUT_NS + 1);
        assertEquals(3, counters.get(FleetCounters.CONNECT_FAILURES));
        for (int i = 0; i < states.length; i++)
        {
            assertEquals(ClientConnection.CLOSED, roster.connections[i].state);
        }
        assertFalse(joining.isOpen());
        LoopbackClients.awaitEndOfStream(peer, "the server end sees the close");
        assertEquals(ClientConnection.IDLE, roster.connections[3].state, "an idle socket has no timeout");
    }

    @Test
    void shouldReconnectALeavingSocketTheServerNeverClosedAfterThePause()
    {
        build("--scenario", "churn", "--rooms", "1", "--room-size", "2");
        final ClientConnection viewer = roster.connections[1];
        viewer.state = ClientConnection.LEAVING;
        viewer.stateSinceNs = T_NS;

        timers.onSlowTick(T_NS + ConnectionTimers.LEAVE_TIMEOUT_NS);
        assertEquals(ClientConnection.LEAVING, viewer.state);

        final long nowNs = T_NS + ConnectionTimers.LEAVE_TIMEOUT_NS + 1;
        timers.onSlowTick(nowNs);
        assertEquals(1, counters.get(FleetCounters.DISCONNECTS));
        assertEquals(ClientConnection.IDLE, viewer.state);
        assertEquals(nowNs + ConnectionCloser.RECONNECT_DELAY_NS, viewer.reconnectDueNs);
    }

    @Test
    void shouldLeaveWhenDueAndConnectAgainWhenTheReconnectIsDueInChurn() throws IOException
    {
        build("--scenario", "churn", "--rooms", "1", "--room-size", "2");
        fleet.startTraffic(T_NS, T_NS, T_NS + 100 * SECOND_NS);
        scheduler.beginTraffic(T_NS);
        final ClientConnection host = roster.connections[0];
        final ClientConnection viewer = roster.connections[1];
        host.state = ClientConnection.JOINED;
        viewer.state = ClientConnection.JOINED;

        timers.onSlowTick(T_NS);
        assertEquals(ClientConnection.LEAVING, viewer.state, "the only viewer's first leave is due at the start");
        assertEquals(ClientConnection.JOINED, host.state, "the publishing host never leaves");
        assertEquals(1, fleet.cyclesClaimed());

        viewer.state = ClientConnection.IDLE;
        viewer.attempts = 1;
        viewer.reconnectDueNs = T_NS + SECOND_NS;
        timers.onSlowTick(T_NS + SECOND_NS - 1);
        assertEquals(ClientConnection.IDLE, viewer.state);

        timers.onSlowTick(T_NS + SECOND_NS);
        assertNotEquals(ClientConnection.IDLE, viewer.state);
        assertEquals(2, viewer.attempts);
        assertNotNull(loopback.accept(), "the viewer connects to the server again");
    }

    @Test
    void shouldNeitherLeaveNorReconnectAtOrAfterTheSendStop()
    {
        build("--scenario", "churn", "--rooms", "1", "--room-size", "3");
        fleet.startTraffic(T_NS, T_NS, T_NS + SECOND_NS);
        scheduler.beginTraffic(T_NS);
        final ClientConnection joined = roster.connections[1];
        joined.state = ClientConnection.JOINED;
        final ClientConnection idle = roster.connections[2];
        idle.attempts = 1;
        idle.reconnectDueNs = T_NS;

        timers.onSlowTick(T_NS + SECOND_NS);

        assertEquals(ClientConnection.JOINED, joined.state);
        assertEquals(ClientConnection.IDLE, idle.state);
        assertEquals(0, fleet.cyclesClaimed());
    }

    @Test
    void shouldStopReadingOnASlowConsumerOnceTrafficHasBegun() throws IOException
    {
        build("--scenario", "slow-consumers", "--rooms", "1", "--room-size", "3", "--slow-share", "0.5");
        final ClientConnection slow = roster.connections[2];
        assertTrue(slow.slow);
        loopback.connect(slow);
        slow.state = ClientConnection.JOINED;

        timers.onSlowTick(T_NS);
        assertEquals(SelectionKey.OP_READ, slow.key.interestOps(), "reads on until traffic begins");

        scheduler.beginTraffic(T_NS);
        timers.onSlowTick(T_NS);
        assertEquals(0, slow.key.interestOps() & SelectionKey.OP_READ);
        assertTrue(slow.readingStopped);
    }

    private void build(final String... args)
    {
        final String[] withUrl = new String[args.length + 2];
        withUrl[0] = "--url";
        try
        {
            withUrl[1] = "ws://127.0.0.1:" + loopback.port() + "/ws";
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        System.arraycopy(args, 0, withUrl, 2, args.length);
        fleet = new FleetState(LoadSettings.parse(withUrl), 7);
        roster = new AgentRoster(fleet, 0, 1);
        final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
        final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 1);
        final ClientMessagePublisher publisher = new ClientMessagePublisher(fleet, closer, sender);
        final ClientConnector connector = new ClientConnector(fleet, counters, closer, sender, roster.connections);
        connector.selector(loopback.selector);
        scheduler = new PublishScheduler(fleet, counters, roster, publisher);
        timers = new ConnectionTimers(fleet, counters, closer, connector, publisher, scheduler, roster.connections);
    }
}
