package dev.switchboard.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Brings the agent's sockets up to the WebSocket upgrade: opens each at its turn of the fleet's connect rate
 * (publishers to the URL, the others to the viewer URL), finishes the TCP connect, drives the TLS handshake for
 * {@code wss://}, and sends the upgrade request whose accept key the response must match. Agent thread only.
 */
final class ClientConnector
{
    private static final int MAX_CONNECTS_PER_CYCLE = 200;

    private final FleetState fleet;
    private final LoadSettings settings;
    private final FleetCounters counters;
    private final ConnectionCloser closer;
    private final FrameSender sender;
    private final ClientConnection[] connections;
    private final InetSocketAddress address;
    private final InetSocketAddress viewerAddress;
    private final String hostHeader;
    private final String viewerHostHeader;
    private final SSLContext tlsContext;
    private final long connectIntervalNs;
    private Selector selector;
    private int connectCursor;

    /**
     * Makes the connector of one agent's sockets.
     *
     * @param fleet       the settings, the connect start and the msgId high half that seeds upgrade keys.
     * @param counters    the agent's counters.
     * @param closer      closes sockets that fail to connect.
     * @param sender      writes the upgrade request.
     * @param connections the agent's sockets, connected in this order.
     */
    ClientConnector(
        final FleetState fleet,
        final FleetCounters counters,
        final ConnectionCloser closer,
        final FrameSender sender,
        final ClientConnection[] connections)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.counters = counters;
        this.closer = closer;
        this.sender = sender;
        this.connections = connections;
        this.address = new InetSocketAddress(settings.host, settings.port);
        this.viewerAddress = new InetSocketAddress(settings.host, settings.viewerPort);
        this.hostHeader = settings.host + ":" + settings.port;
        this.viewerHostHeader = settings.host + ":" + settings.viewerPort;
        this.tlsContext = settings.tls ? TlsSession.context(settings.tlsTrustFile) : null;
        this.connectIntervalNs = SendSchedule.intervalNs(settings.connectRatePerSecond);
    }

    /**
     * Sets the selector new sockets register with; the agent thread calls it once, before the first connect.
     *
     * @param selector the agent's selector.
     */
    void selector(final Selector selector)
    {
        this.selector = selector;
    }

    /**
     * Opens every socket whose turn has come since the fleet's connect start, at most
     * 200 per call.
     *
     * @param nowNs the current time.
     */
    void connectDue(final long nowNs)
    {
        final long startNs = fleet.connectStartNs();
        if (FleetState.NOT_SET == startNs)
        {
            return;
        }
        int opened = 0;
        while (connectCursor < connections.length && opened < MAX_CONNECTS_PER_CYCLE)
        {
            final ClientConnection connection = connections[connectCursor];
            if (nowNs - (startNs + connection.socketIndex * connectIntervalNs) < 0)
            {
                break;
            }
            connectCursor++;
            opened++;
            open(connection, nowNs);
        }
    }

    /**
     * Starts a non-blocking connect of the socket and registers it with the selector.
     *
     * @param connection the socket, idle.
     * @param nowNs      the current time.
     */
    void open(final ClientConnection connection, final long nowNs)
    {
        connection.attempts++;
        connection.state = ClientConnection.CONNECTING;
        connection.stateSinceNs = nowNs;
        connection.reconnectDueNs = Long.MAX_VALUE;
        try
        {
            final SocketChannel channel = SocketChannel.open();
            connection.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            if (channel.connect(connection.publisher ? address : viewerAddress))
            {
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                onConnected(connection);
            }
            else
            {
                connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            }
        }
        catch (final IOException ex)
        {
            counters.increment(FleetCounters.CONNECT_FAILURES);
            ProblemLog.print("socket " + connection.socketIndex + " cannot connect: " + ex);
            closer.close(connection, ClientConnection.CLOSED);
        }
    }

    /**
     * Finishes the TCP connect the selector reported.
     *
     * @param connection the connecting socket.
     * @throws IOException when the connect failed.
     */
    void onConnectable(final ClientConnection connection) throws IOException
    {
        if (connection.channel.finishConnect())
        {
            onConnected(connection);
        }
    }

    /**
     * Drives the TLS handshake on a selector event; the upgrade request goes out once it is done.
     *
     * @param connection the socket whose handshake is under way.
     * @throws IOException when the socket fails.
     */
    void advanceTls(final ClientConnection connection) throws IOException
    {
        final TlsSession tls = connection.tls;
        final boolean done;
        try
        {
            done = tls.handshake(connection.channel);
        }
        catch (final SSLException ex)
        {
            counters.increment(FleetCounters.CONNECT_FAILURES);
            ProblemLog.print("socket " + connection.socketIndex + " TLS handshake failed: " + ex.getMessage());
            closer.close(connection, ClientConnection.CLOSED);
            return;
        }
        connection.key.interestOps(SelectionKey.OP_READ | (tls.hasPendingOutput() ? SelectionKey.OP_WRITE : 0));
        if (done)
        {
            sendUpgrade(connection);
        }
    }

    private void onConnected(final ClientConnection connection) throws IOException
    {
        counters.increment(FleetCounters.CONNECTED);
        connection.key.interestOps(SelectionKey.OP_READ);
        connection.state = ClientConnection.HANDSHAKING;
        connection.stateSinceNs = System.nanoTime();
        if (null != tlsContext)
        {
            connection.tls = new TlsSession(tlsContext, settings.host,
                connection.publisher ? settings.port : settings.viewerPort);
            advanceTls(connection);
            return;
        }
        sendUpgrade(connection);
    }

    private void sendUpgrade(final ClientConnection connection) throws IOException
    {
        final String key = ClientHandshake.key(fleet.msgIdHigh ^ ((long)connection.socketIndex << 20) ^
            connection.attempts);
        connection.expectedAccept = ClientHandshake.expectedAccept(key);
        final byte[] request = ClientHandshake.request(
            connection.publisher ? hostHeader : viewerHostHeader, settings.path, key);
        sender.write(connection, ByteBuffer.wrap(request));
    }
}
