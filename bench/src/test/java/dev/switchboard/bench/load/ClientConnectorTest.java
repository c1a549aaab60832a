package dev.switchboard.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientConnectorTest
{
    private static final long T_NS = 2_000_000_000L;
    private static final long MS = 1_000_000L;

    private final FleetCounters counters = new FleetCounters();
    private LoopbackClients publishers;
    private LoopbackClients viewers;
    private FleetState fleet;
    private AgentRoster roster;
    private ClientConnector connector;

    @BeforeEach
    void listen() throws IOException
    {
        publishers = new LoopbackClients();
        viewers = new LoopbackClients();
    }

    @AfterEach
    void close() throws IOException
    {
        publishers.close();
        viewers.close();
    }

    @Test
    void shouldOpenEachSocketAtItsTurnOfTheConnectRate() throws IOException
    {
        build(publishers.port(), "--rooms", "1", "--room-size", "3", "--connect-rate", "1000");

        connector.connectDue(T_NS);
        assertEquals(ClientConnection.IDLE, roster.connections[0].state, "nothing before the connect start");

        fleet.startConnecting(T_NS);
        connector.connectDue(T_NS + MS - 1);
        assertNotEquals(ClientConnection.IDLE, roster.connections[0].state);
        assertEquals(ClientConnection.IDLE, roster.connections[1].state, "its turn is 1 ms after the start");

        connector.connectDue(T_NS + 2 * MS);
        assertNotEquals(ClientConnection.IDLE, roster.connections[1].state);
        assertNotEquals(ClientConnection.IDLE, roster.connections[2].state);
        for (final ClientConnection connection : roster.connections)
        {
            assertEquals(1, connection.attempts);
        }
        for (int i = 0; i < 3; i++)
        {
            publishers.accept();
        }
    }

    @Test
    void shouldSendTheUpgradeToTheUrlOfTheSocketsRole() throws IOException
    {
        final int viewerPort = viewers.port();
        build(publishers.port(), "--rooms", "1", "--room-size", "2", "--viewer-url",
            "ws://127.0.0.1:" + viewerPort + "/ws");
        fleet.startConnecting(T_NS);

        connector.connectDue(T_NS + 10 * MS);
        connected(roster.connections[0], publishers);
        connected(roster.connections[1], viewers);

        final String hostHead = LoopbackClients.readHead(publishers.accept());
        final String viewerHead = LoopbackClients.readHead(viewers.accept());
        assertTrue(hostHead.startsWith("GET /ws HTTP/1.1\r\n"), hostHead);
        assertTrue(hostHead.contains("\r\nHost: 127.0.0.1:" + publishers.port() + "\r\n"), hostHead);
        assertTrue(viewerHead.contains("\r\nHost: 127.0.0.1:" + viewerPort + "\r\n"), viewerHead);
        assertEquals(roster.connections[0].expectedAccept, ClientHandshake.expectedAccept(keyOf(hostHead)));
        assertEquals(roster.connections[1].expectedAccept, ClientHandshake.expectedAccept(keyOf(viewerHead)));
        assertNotEquals(keyOf(hostHead), keyOf(viewerHead));
        assertEquals(2, counters.get(FleetCounters.CONNECTED));
        assertEquals(ClientConnection.HANDSHAKING, roster.connections[0].state);
    }

    @Test
    void shouldReportAConnectTheServerRefuses() throws IOException
    {
        final int closedPort;
        try (ServerSocketChannel gone = ServerSocketChannel.open())
        {
            gone.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closedPort = ((InetSocketAddress)gone.getLocalAddress()).getPort();
        }
        build(closedPort, "--rooms", "1", "--room-size", "1");
        fleet.startConnecting(T_NS);
        final ClientConnection connection = roster.connections[0];

        connector.connectDue(T_NS);
        if (ClientConnection.CLOSED == connection.state)
        {
            assertEquals(1, counters.get(FleetCounters.CONNECT_FAILURES), "refused at once and counted");
        }
        else
        {
            assertEquals(ClientConnection.CONNECTING, connection.state);
            publishers.awaitReady(connection.key, SelectionKey.OP_CONNECT);
            assertThrows(IOException.class, () -> connector.onConnectable(connection), "the agent counts it broken");
        }
        assertEquals(0, counters.get(FleetCounters.CONNECTED));
    }

    private void connected(final ClientConnection connection, final LoopbackClients loopback) throws IOException
    {
        if (ClientConnection.CONNECTING == connection.state)
        {
            publishers.awaitReady(connection.key, SelectionKey.OP_CONNECT);
            connector.onConnectable(connection);
        }
        assertEquals(ClientConnection.HANDSHAKING, connection.state, "connected to " + loopback.port());
    }

    private void build(final int port, final String... args)
    {
        final String[] withUrl = new String[args.length + 2];
        withUrl[0] = "--url";
        withUrl[1] = "ws://127.0.0.1:" + port + "/ws";
        System.arraycopy(args, 0, withUrl, 2, args.length);
        fleet = new FleetState(LoadSettings.parse(withUrl), 7);
        roster = new AgentRoster(fleet, 0, 1);
        final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
        final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 1);
        connector = new ClientConnector(fleet, counters, closer, sender, roster.connections);
        connector.selector(publishers.selector);
    }

    private static String keyOf(final String head)
    {
        for (final String line : head.split("\r\n"))
        {
            if (line.startsWith("Sec-WebSocket-Key: "))
            {
                return line.substring("Sec-WebSocket-Key: ".length()).trim();
            }
        }
        throw new AssertionError("no key in " + head);
    }
}
