package dev.switchboard.bench.load;

import dev.switchboard.engine.protocol.Uuids;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One selector thread of the client fleet: connects its share of the sockets, upgrades and joins them, sends the
 * scheduled messages of its publishers without waiting for replies, and records every delivery it reads.
 */
public final class ClientAgent implements Runnable, ServerFrameDecoder.FrameHandler
{
    /** Largest server frame accepted: the server's hard frame limit. */
    public static final int MAX_FRAME_BYTES = 1 << 20;

    /** Largest unsent backlog per socket before the socket is dropped. */
    public static final int MAX_PENDING_BYTES = 16 << 20;

    private static final long CONNECT_TIMEOUT_NS = 15_000_000_000L;
    private static final long LEAVE_TIMEOUT_NS = 10_000_000_000L;
    private static final long RECONNECT_DELAY_NS = 50_000_000L;
    private static final long SLOW_TICK_NS = 20_000_000L;
    private static final long PRECISE_WAIT_NS = 1_000_000L;
    private static final long PARK_NS = 100_000L;
    private static final int MAX_SENDS_PER_CYCLE = 20_000;
    private static final int MAX_CONNECTS_PER_CYCLE = 200;
    private static final int MAX_PRINTED_PROBLEMS = 20;
    private static final AtomicInteger PRINTED_PROBLEMS = new AtomicInteger();

    private static final byte[] Q_TYPE = JsonScan.quotedName("type");
    private static final byte[] Q_T = JsonScan.quotedName("t");
    private static final byte[] Q_N = JsonScan.quotedName("n");
    private static final byte[] Q_FOR = JsonScan.quotedName("for");
    private static final byte[] Q_USER_ID = JsonScan.quotedName("userId");
    private static final byte[] Q_HOST_ID = JsonScan.quotedName("hostId");
    private static final byte[] Q_SENDER_ID = JsonScan.quotedName("senderId");
    private static final byte[] Q_MSG_ID = JsonScan.quotedName("msgId");
    private static final byte[] Q_PUB = JsonScan.quotedName("pub");
    private static final byte[] V_GAME_EVENT = JsonScan.quotedValue("game_event");
    private static final byte[] V_ACK = JsonScan.quotedValue("ack");
    private static final byte[] V_JOINED = JsonScan.quotedValue("joined");
    private static final byte[] V_ERROR = JsonScan.quotedValue("error");
    private static final byte[] V_GAME_ERROR = JsonScan.quotedValue("game_error");
    private static final byte[] V_GAME_STATE = JsonScan.quotedValue("game_state");
    private static final byte[] V_OFFER = JsonScan.quotedValue("webrtc_offer");
    private static final byte[] V_ANSWER = JsonScan.quotedValue("webrtc_answer");
    private static final byte[] V_ICE = JsonScan.quotedValue("ice_candidate");
    private static final byte[] V_FLOW_CONTROL = JsonScan.quotedValue("flow_control");
    private static final byte[] SDP_TIME = "lg t=".getBytes(StandardCharsets.US_ASCII);

    private final FleetState fleet;
    private final LoadSettings settings;
    private final FleetCounters counters;
    private final ClientConnection[] connections;
    private final int[] publishers;
    private final int[] hosts;
    private final int[] viewers;
    private final InetSocketAddress address;
    private final InetSocketAddress viewerAddress;
    private final String hostHeader;
    private final String viewerHostHeader;
    private final Consumer<SelectionKey> keyHandler = this::onSelected;
    private final ClientMessageWriter writer = new ClientMessageWriter(64 * 1024 + 1024);
    private final byte[] frameOut = new byte[64 * 1024 + 1024 + ClientFrameEncoder.MAX_HEADER_BYTES];
    private final ByteBuffer outBuffer = ByteBuffer.wrap(frameOut);
    private final byte[] readArray = new byte[2 * MAX_FRAME_BYTES + 64];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(readArray);
    private final byte[] controlScratch = new byte[125];
    private final long publishIntervalNs;
    private final long stateIntervalNs;
    private final long offerIntervalNs;
    private final long connectIntervalNs;
    private final long sessionNs;

    private Selector selector;
    private int maskState;
    private int connectCursor;
    private long nextSlowTickNs;
    private boolean trafficStarted;
    private RoundRobinSchedule publishSchedule;
    private RoundRobinSchedule stateSchedule;
    private RoundRobinSchedule offerSchedule;
    private ClientConnection current;
    private long receiveNs;
    private final SSLContext tlsContext;

    /**
     * Makes the agent owning the sockets whose global index modulo {@code agentCount} is {@code agentIndex}.
     *
     * @param fleet      shared run state.
     * @param counters   this agent's counters.
     * @param agentIndex this agent's index.
     * @param agentCount number of agents.
     */
    public ClientAgent(final FleetState fleet, final FleetCounters counters, final int agentIndex, final int agentCount)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.counters = counters;
        this.address = new InetSocketAddress(settings.host, settings.port);
        this.viewerAddress = new InetSocketAddress(settings.host, settings.viewerPort);
        this.hostHeader = settings.host + ":" + settings.port;
        this.viewerHostHeader = settings.host + ":" + settings.viewerPort;
        this.tlsContext = settings.tls ? TlsSession.context(settings.tlsTrustFile) : null;
        this.maskState = 0x9E3779B9 ^ (agentIndex + 1) * 0x85EBCA6B;
        final List<ClientConnection> mine = new ArrayList<>();
        for (int i = agentIndex; i < settings.totalSockets(); i += agentCount)
        {
            mine.add(new ClientConnection(
                i, fleet.roomOf(i), 0 == fleet.memberOf(i), fleet.isPublisher(i), fleet.isSlow(i)));
        }
        connections = mine.toArray(new ClientConnection[0]);
        int publisherCount = 0;
        int hostCount = 0;
        for (final ClientConnection connection : connections)
        {
            publisherCount += connection.publisher ? 1 : 0;
            hostCount += connection.host ? 1 : 0;
        }
        publishers = new int[publisherCount];
        hosts = new int[hostCount];
        viewers = new int[connections.length - hostCount];
        int p = 0;
        int h = 0;
        int v = 0;
        for (int i = 0; i < connections.length; i++)
        {
            if (connections[i].publisher)
            {
                publishers[p++] = i;
            }
            if (connections[i].host)
            {
                hosts[h++] = i;
            }
            else
            {
                viewers[v++] = i;
            }
        }
        publishIntervalNs = SendSchedule.intervalNs(settings.ratePerPublisher());
        stateIntervalNs = SendSchedule.intervalNs(settings.stateHz);
        offerIntervalNs = SendSchedule.intervalNs(1.0 / settings.offerIntervalSeconds);
        connectIntervalNs = SendSchedule.intervalNs(settings.connectRatePerSecond);
        sessionNs = (long)(settings.sessionSeconds * 1e9);
    }

    /**
     * Runs the duty cycle until the fleet stops, then closes every socket.
     */
    @Override
    public void run()
    {
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            problem("cannot open a selector: " + ex);
            return;
        }
        try
        {
            while (!fleet.stopping())
            {
                doWork(System.nanoTime());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            problem("agent failed: " + ex);
        }
        finally
        {
            closeAll();
        }
    }

    private void doWork(final long nowNs) throws IOException
    {
        connectDue(nowNs);
        if (!trafficStarted && FleetState.NOT_SET != fleet.trafficStartNs())
        {
            beginTraffic(fleet.trafficStartNs());
        }
        if (trafficStarted)
        {
            sendDue(nowNs);
        }
        if (nowNs - nextSlowTickNs >= 0)
        {
            nextSlowTickNs = nowNs + SLOW_TICK_NS;
            slowTick(nowNs);
        }
        final long nextDueNs = nextDueNs();
        final long waitNs = nextDueNs - System.nanoTime();
        if (waitNs <= 0)
        {
            selector.selectNow(keyHandler);
        }
        else if (waitNs < PRECISE_WAIT_NS)
        {
            if (0 == selector.selectNow(keyHandler))
            {
                LockSupport.parkNanos(Math.min(waitNs, PARK_NS));
            }
        }
        else
        {
            selector.select(keyHandler, 1);
        }
    }

    private long nextDueNs()
    {
        if (!trafficStarted)
        {
            return Long.MAX_VALUE;
        }
        long dueNs = Long.MAX_VALUE;
        if (null != publishSchedule)
        {
            dueNs = publishSchedule.intendedNs();
        }
        if (null != stateSchedule)
        {
            dueNs = Math.min(dueNs, stateSchedule.intendedNs());
        }
        if (null != offerSchedule)
        {
            dueNs = Math.min(dueNs, offerSchedule.intendedNs());
        }
        return dueNs - fleet.sendStopNs() >= 0 ? Long.MAX_VALUE : dueNs;
    }

    private void connectDue(final long nowNs)
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

    private void beginTraffic(final long startNs)
    {
        trafficStarted = true;
        if (publishers.length > 0)
        {
            publishSchedule = new RoundRobinSchedule(publishers.length, publishIntervalNs, startNs);
        }
        if (Scenario.MIXED == settings.scenario)
        {
            if (hosts.length > 0)
            {
                stateSchedule = new RoundRobinSchedule(hosts.length, stateIntervalNs, startNs);
            }
            if (viewers.length > 0)
            {
                offerSchedule = new RoundRobinSchedule(viewers.length, offerIntervalNs, startNs);
            }
        }
        if (Scenario.CHURN == settings.scenario)
        {
            for (int i = 0; i < viewers.length; i++)
            {
                final ClientConnection connection = connections[viewers[i]];
                if (!connection.publisher)
                {
                    connection.leaveDueNs = startNs + SendSchedule.offsetNs(i, viewers.length, sessionNs);
                }
            }
        }
    }

    private void sendDue(final long nowNs)
    {
        final long stopNs = fleet.sendStopNs();
        final long measureNs = fleet.measureStartNs();
        int sends = 0;
        final RoundRobinSchedule pubs = publishSchedule;
        while (null != pubs && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = pubs.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[publishers[pubs.member()]];
            if (ClientConnection.JOINED == connection.state)
            {
                sendGameEvent(connection, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            pubs.advance();
            sends++;
        }
        final RoundRobinSchedule states = stateSchedule;
        while (null != states && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = states.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[hosts[states.member()]];
            if (ClientConnection.JOINED == connection.state)
            {
                sendGameState(connection, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            states.advance();
            sends++;
        }
        final RoundRobinSchedule offers = offerSchedule;
        while (null != offers && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = offers.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[viewers[offers.member()]];
            if (ClientConnection.JOINED == connection.state && null != connection.peerId)
            {
                sendSdp(connection, false, connection.peerId, 0, connection.peerId.length, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            offers.advance();
            sends++;
        }
    }

    private void countSent(final long intendedNs, final long measureNs)
    {
        fleet.sendLag.record(System.nanoTime() - intendedNs);
        counters.increment(FleetCounters.SENT);
        if (intendedNs - measureNs >= 0)
        {
            counters.increment(FleetCounters.SENT_IN_WINDOW);
        }
    }

    private void slowTick(final long nowNs)
    {
        final boolean churn = Scenario.CHURN == settings.scenario && trafficStarted;
        for (final ClientConnection connection : connections)
        {
            final int state = connection.state;
            if ((ClientConnection.CONNECTING == state || ClientConnection.HANDSHAKING == state ||
                ClientConnection.JOINING == state) && nowNs - connection.stateSinceNs > CONNECT_TIMEOUT_NS)
            {
                counters.increment(FleetCounters.CONNECT_FAILURES);
                problem("socket " + connection.socketIndex + " timed out in state " + state + " after reading " +
                    connection.bytesRead + " bytes, " + connection.messagesRead + " messages");
                close(connection, ClientConnection.CLOSED);
            }
            else if (ClientConnection.LEAVING == state && nowNs - connection.stateSinceNs > LEAVE_TIMEOUT_NS)
            {
                counters.increment(FleetCounters.DISCONNECTS);
                problem("socket " + connection.socketIndex + " was not closed after leave");
                close(connection, ClientConnection.IDLE);
                connection.reconnectDueNs = nowNs + RECONNECT_DELAY_NS;
            }
            else if (churn && !connection.publisher)
            {
                if (ClientConnection.JOINED == state && nowNs - connection.leaveDueNs >= 0 &&
                    nowNs - fleet.sendStopNs() < 0 && fleet.claimCycle())
                {
                    sendLeave(connection, nowNs);
                }
                else if (ClientConnection.IDLE == state && connection.attempts > 0 &&
                    nowNs - connection.reconnectDueNs >= 0 && nowNs - fleet.sendStopNs() < 0)
                {
                    open(connection, nowNs);
                }
            }
            if (connection.slow && trafficStarted && !connection.readingStopped && null != connection.key &&
                connection.key.isValid() && ClientConnection.JOINED == state)
            {
                connection.readingStopped = true;
                connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_READ);
            }
        }
    }

    private void open(final ClientConnection connection, final long nowNs)
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
            problem("socket " + connection.socketIndex + " cannot connect: " + ex);
            close(connection, ClientConnection.CLOSED);
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

    /** Drive the TLS handshake on a selector event; the upgrade request goes out once it is done. */
    private void advanceTls(final ClientConnection connection) throws IOException
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
            problem("socket " + connection.socketIndex + " TLS handshake failed: " + ex.getMessage());
            close(connection, ClientConnection.CLOSED);
            return;
        }
        connection.key.interestOps(SelectionKey.OP_READ | (tls.hasPendingOutput() ? SelectionKey.OP_WRITE : 0));
        if (done)
        {
            sendUpgrade(connection);
        }
    }

    private void sendUpgrade(final ClientConnection connection) throws IOException
    {
        final String key = ClientHandshake.key(fleet.msgIdHigh ^ ((long)connection.socketIndex << 20) ^
            connection.attempts);
        connection.expectedAccept = ClientHandshake.expectedAccept(key);
        final byte[] request = ClientHandshake.request(
            connection.publisher ? hostHeader : viewerHostHeader, settings.path, key);
        write(connection, ByteBuffer.wrap(request));
    }

    private void onSelected(final SelectionKey key)
    {
        final ClientConnection connection = (ClientConnection)key.attachment();
        try
        {
            if (!key.isValid())
            {
                return;
            }
            final int ready = key.readyOps();
            if (0 != (ready & SelectionKey.OP_CONNECT))
            {
                if (connection.channel.finishConnect())
                {
                    onConnected(connection);
                }
                return;
            }
            if (null != connection.tls && !connection.tls.handshakeDone())
            {
                advanceTls(connection);
                return;
            }
            if (0 != (ready & SelectionKey.OP_WRITE))
            {
                flushPending(connection);
            }
            if (0 != (ready & SelectionKey.OP_READ) && key.isValid())
            {
                onReadable(connection);
            }
        }
        catch (final IOException ex)
        {
            onBroken(connection, ex.toString());
        }
    }

    private void onReadable(final ClientConnection connection) throws IOException
    {
        readBuffer.clear();
        if (connection.leftoverLength > 0)
        {
            readBuffer.put(connection.leftover, 0, connection.leftoverLength);
            connection.leftoverLength = 0;
        }
        final int read = null == connection.tls ?
            connection.channel.read(readBuffer) : connection.tls.read(connection.channel, readBuffer);
        receiveNs = System.nanoTime();
        connection.bytesRead += Math.max(0, read);
        if (read < 0)
        {
            onBroken(connection, "end of stream");
            return;
        }
        final int limit = readBuffer.position();
        int offset = 0;
        if (ClientConnection.HANDSHAKING == connection.state)
        {
            final int head = ClientHandshake.parseResponse(readArray, 0, limit, connection.expectedAccept);
            if (ClientHandshake.INCOMPLETE == head)
            {
                keepLeftover(connection, 0, limit);
                return;
            }
            if (head < 0)
            {
                counters.increment(FleetCounters.CONNECT_FAILURES);
                problem("socket " + connection.socketIndex + " upgrade refused: " +
                    new String(readArray, 0, Math.min(limit, 200), StandardCharsets.ISO_8859_1).trim());
                close(connection, ClientConnection.CLOSED);
                return;
            }
            offset = head;
            sendJoin(connection, receiveNs);
        }
        current = connection;
        final int consumed = ServerFrameDecoder.decode(readArray, offset, limit, MAX_FRAME_BYTES, this);
        current = null;
        if (consumed < 0)
        {
            counters.increment(FleetCounters.PROTOCOL_ERRORS);
            problem("socket " + connection.socketIndex + " got a bad frame, error " + consumed);
            close(connection, ClientConnection.CLOSED);
            return;
        }
        if (null != connection.channel)
        {
            keepLeftover(connection, offset + consumed, limit);
        }
    }

    private void keepLeftover(final ClientConnection connection, final int from, final int limit)
    {
        final int length = limit - from;
        if (length <= 0)
        {
            return;
        }
        if (null == connection.leftover || connection.leftover.length < length)
        {
            connection.leftover = new byte[Math.max(1024, Integer.highestOneBit(length) << 1)];
        }
        System.arraycopy(readArray, from, connection.leftover, 0, length);
        connection.leftoverLength = length;
    }

    /**
     * Handles one decoded server frame for the socket being read.
     *
     * @param opcode        the frame opcode.
     * @param fin           whether this is the final fragment of a message.
     * @param buffer        the array holding the payload.
     * @param payloadOffset first payload byte.
     * @param payloadLength number of payload bytes.
     */
    @Override
    public void onFrame(
        final int opcode, final boolean fin, final byte[] buffer, final int payloadOffset, final int payloadLength)
    {
        final ClientConnection connection = current;
        if (null == connection || null == connection.channel)
        {
            return;
        }
        switch (opcode)
        {
            case ClientFrameEncoder.OPCODE_TEXT:
                if (fin)
                {
                    onText(connection, buffer, payloadOffset, payloadOffset + payloadLength);
                }
                else
                {
                    connection.fragmentLength = 0;
                    appendFragment(connection, buffer, payloadOffset, payloadLength);
                }
                break;
            case ClientFrameEncoder.OPCODE_CONTINUATION:
                appendFragment(connection, buffer, payloadOffset, payloadLength);
                if (fin)
                {
                    onText(connection, connection.fragment, 0, connection.fragmentLength);
                    connection.fragmentLength = 0;
                }
                break;
            case ClientFrameEncoder.OPCODE_PING:
                System.arraycopy(buffer, payloadOffset, controlScratch, 0, payloadLength);
                sendFrame(connection, ClientFrameEncoder.OPCODE_PONG, controlScratch, payloadLength);
                break;
            case ClientFrameEncoder.OPCODE_CLOSE:
                final int code = payloadLength >= 2 ?
                    ((buffer[payloadOffset] & 0xFF) << 8) | (buffer[payloadOffset + 1] & 0xFF) : 1005;
                onServerClose(connection, code, buffer, payloadOffset, payloadLength);
                break;
            default:
                break;
        }
    }

    private static void appendFragment(
        final ClientConnection connection, final byte[] buffer, final int offset, final int length)
    {
        final int needed = connection.fragmentLength + length;
        if (null == connection.fragment || connection.fragment.length < needed)
        {
            final byte[] grown = new byte[Math.max(4096, Integer.highestOneBit(needed) << 1)];
            if (null != connection.fragment)
            {
                System.arraycopy(connection.fragment, 0, grown, 0, connection.fragmentLength);
            }
            connection.fragment = grown;
        }
        System.arraycopy(buffer, offset, connection.fragment, connection.fragmentLength, length);
        connection.fragmentLength = needed;
    }

    private void onText(final ClientConnection connection, final byte[] buffer, final int offset, final int limit)
    {
        counters.increment(FleetCounters.RECEIVED);
        connection.messagesRead++;
        final int typeAt = JsonScan.valueIndex(buffer, offset, limit, Q_TYPE);
        if (typeAt < 0)
        {
            return;
        }
        if (JsonScan.matches(buffer, typeAt, limit, V_GAME_EVENT))
        {
            onGameEvent(connection, buffer, offset, limit);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ACK))
        {
            onAck(buffer, offset, limit);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_GAME_STATE))
        {
            counters.increment(FleetCounters.OTHER_RELAYED);
            final long sentNs = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_T), limit,
                Long.MIN_VALUE);
            if (Long.MIN_VALUE != sentNs && !connection.slow)
            {
                fleet.state.record(receiveNs - sentNs);
            }
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_JOINED))
        {
            onJoined(connection, buffer, offset, limit);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_GAME_ERROR))
        {
            counters.increment(FleetCounters.RATE_LIMITED);
            if (counters.get(FleetCounters.RATE_LIMITED) == 1)
            {
                problem("first game_error: " + new String(buffer, offset, limit - offset, StandardCharsets.UTF_8));
            }
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ERROR))
        {
            onError(connection, buffer, offset, limit);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_OFFER) || JsonScan.matches(buffer, typeAt, limit, V_ANSWER))
        {
            onSdp(connection, buffer, offset, limit, JsonScan.matches(buffer, typeAt, limit, V_OFFER));
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ICE))
        {
            counters.increment(FleetCounters.OTHER_RELAYED);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_FLOW_CONTROL))
        {
            counters.increment(FleetCounters.FLOW_CONTROL);
        }
    }

    private void onGameEvent(final ClientConnection connection, final byte[] buffer, final int offset, final int limit)
    {
        if (null == connection.peerId && !connection.host)
        {
            connection.peerId = stringValue(buffer, offset, limit, Q_SENDER_ID);
        }
        if (connection.slow)
        {
            return;
        }
        final long sentNs = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_T), limit,
            Long.MIN_VALUE);
        final long n = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_N), limit, -1);
        if (Long.MIN_VALUE == sentNs || n < 0)
        {
            counters.increment(FleetCounters.UNTRACKED);
            return;
        }
        checkIntegrity(connection, buffer, offset, limit, n);
        final long latencyNs = receiveNs - sentNs;
        counters.increment(FleetCounters.DELIVERIES);
        fleet.all.record(latencyNs);
        final int outcome = fleet.tracker.onDelivery(n);
        if (0 != (outcome & MessageTracker.FIRST))
        {
            fleet.firstRecipient.record(latencyNs);
        }
        if (0 != (outcome & MessageTracker.LAST))
        {
            fleet.lastRecipient.record(latencyNs);
        }
        if (MessageTracker.UNTRACKED == outcome || MessageTracker.EXTRA == outcome)
        {
            counters.increment(FleetCounters.UNTRACKED);
            problem("socket " + connection.socketIndex + " got game event " + n + " beyond its expected recipients (" +
                (MessageTracker.EXTRA == outcome ? "extra" : "untracked") + ")");
        }
    }

    private void checkIntegrity(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final long n)
    {
        final long publisher = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_PUB), limit, -1);
        if (publisher >= 0 && fleet.roomOf((int)publisher) != connection.room)
        {
            counters.increment(FleetCounters.CROSS_ROOM);
            problem("socket " + connection.socketIndex + " of room " + connection.room + " got game event " + n +
                " of publisher " + publisher + " from room " + fleet.roomOf((int)publisher));
        }
        final int msgIdAt = JsonScan.valueIndex(buffer, offset, limit, Q_MSG_ID);
        if (msgIdAt >= 0 && limit - msgIdAt >= Uuids.CANONICAL_LENGTH + 2 &&
            Uuids.isCanonical(buffer, msgIdAt + 1, Uuids.CANONICAL_LENGTH) &&
            Uuids.parseHigh(buffer, msgIdAt + 1) == fleet.msgIdHigh)
        {
            final long msgIdNumber = Uuids.parseLow(buffer, msgIdAt + 1) & FleetState.NUMBER_MASK;
            if (msgIdNumber != n)
            {
                counters.increment(FleetCounters.MISMATCHED);
                problem("socket " + connection.socketIndex + " got game event with msgId number " + msgIdNumber +
                    " but payload number " + n + ": " +
                    new String(buffer, offset, Math.min(limit - offset, 400), StandardCharsets.UTF_8));
            }
        }
    }

    private void onAck(final byte[] buffer, final int offset, final int limit)
    {
        counters.increment(FleetCounters.ACKS);
        final int forAt = JsonScan.valueIndex(buffer, offset, limit, Q_FOR);
        if (forAt < 0 || limit - forAt < Uuids.CANONICAL_LENGTH + 2 ||
            !Uuids.isCanonical(buffer, forAt + 1, Uuids.CANONICAL_LENGTH) ||
            Uuids.parseHigh(buffer, forAt + 1) != fleet.msgIdHigh)
        {
            return;
        }
        final long n = Uuids.parseLow(buffer, forAt + 1) & FleetState.NUMBER_MASK;
        final int kind = fleet.tracker.kind(n);
        if (MessageTracker.KIND_GAME_EVENT == kind || MessageTracker.KIND_SDP == kind)
        {
            fleet.ack.record(receiveNs - fleet.tracker.intendedNs(n));
        }
    }

    private void onJoined(final ClientConnection connection, final byte[] buffer, final int offset, final int limit)
    {
        if (ClientConnection.JOINING != connection.state)
        {
            return;
        }
        connection.state = ClientConnection.JOINED;
        connection.stateSinceNs = receiveNs;
        connection.userId = stringValue(buffer, offset, limit, Q_USER_ID);
        if (!connection.host)
        {
            final byte[] hostId = stringValue(buffer, offset, limit, Q_HOST_ID);
            if (null != hostId)
            {
                connection.peerId = hostId;
            }
        }
        if (!connection.slow)
        {
            fleet.receivers.incrementAndGet(connection.room);
            connection.inReceivers = true;
        }
        connection.joinedCounted = true;
        counters.increment(FleetCounters.JOINED);
        if (Scenario.CHURN == settings.scenario && trafficStarted && !connection.publisher)
        {
            connection.leaveDueNs = receiveNs + sessionNs;
            if (connection.attempts > 1)
            {
                counters.increment(FleetCounters.CHURN_CYCLES);
            }
        }
    }

    private void onError(final ClientConnection connection, final byte[] buffer, final int offset, final int limit)
    {
        counters.increment(FleetCounters.ERRORS);
        problem("socket " + connection.socketIndex + " error: " +
            new String(buffer, offset, Math.min(limit - offset, 300), StandardCharsets.UTF_8));
        if (ClientConnection.JOINING == connection.state)
        {
            counters.increment(FleetCounters.CONNECT_FAILURES);
            close(connection, ClientConnection.CLOSED);
        }
    }

    private void onSdp(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final boolean offer)
    {
        counters.increment(FleetCounters.OTHER_RELAYED);
        int at = -1;
        for (int i = offset; i <= limit - SDP_TIME.length; i++)
        {
            if (JsonScan.matches(buffer, i, limit, SDP_TIME))
            {
                at = i + SDP_TIME.length;
                break;
            }
        }
        final long sentNs = JsonScan.parseLong(buffer, at, limit, Long.MIN_VALUE);
        if (Long.MIN_VALUE != sentNs)
        {
            fleet.directed.record(receiveNs - sentNs);
        }
        if (offer && ClientConnection.JOINED == connection.state)
        {
            final int senderAt = JsonScan.valueIndex(buffer, offset, limit, Q_SENDER_ID);
            final int senderEnd = JsonScan.stringEnd(buffer, senderAt, limit);
            if (senderEnd > senderAt)
            {
                sendSdp(connection, true, buffer, senderAt + 1, senderEnd - senderAt - 1, receiveNs);
            }
        }
    }

    private void onServerClose(
        final ClientConnection connection, final int code, final byte[] buffer, final int offset, final int length)
    {
        final int echoed = Math.min(length, 2);
        System.arraycopy(buffer, offset, controlScratch, 0, echoed);
        sendFrame(connection, ClientFrameEncoder.OPCODE_CLOSE, controlScratch, echoed);
        if (ClientConnection.LEAVING == connection.state && 1000 == code)
        {
            close(connection, ClientConnection.IDLE);
            connection.reconnectDueNs = receiveNs + RECONNECT_DELAY_NS;
            return;
        }
        counters.increment(FleetCounters.DISCONNECTS);
        problem("socket " + connection.socketIndex + " closed by the server with " + code + " " +
            new String(buffer, offset + echoed, length - echoed, StandardCharsets.UTF_8));
        close(connection, ClientConnection.CLOSED);
    }

    private void onBroken(final ClientConnection connection, final String reason)
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
        problem("socket " + connection.socketIndex + " broken: " + reason);
        close(connection, ClientConnection.CLOSED);
    }

    private void sendJoin(final ClientConnection connection, final long nowNs)
    {
        final long n = fleet.tracker.register(MessageTracker.KIND_JOIN, 0, nowNs);
        final int length = writer.join(
            fleet.roomIds[connection.room], connection.host, fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq);
        connection.state = ClientConnection.JOINING;
        connection.stateSinceNs = nowNs;
        sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    private void sendLeave(final ClientConnection connection, final long nowNs)
    {
        leaveRoomCounts(connection);
        final long n = fleet.tracker.register(MessageTracker.KIND_LEAVE, 0, nowNs);
        final int length = writer.leave(
            fleet.roomIds[connection.room], fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq);
        connection.state = ClientConnection.LEAVING;
        connection.stateSinceNs = nowNs;
        sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    private void sendGameEvent(final ClientConnection connection, final long intendedNs)
    {
        final int expected = Math.max(0, fleet.receivers.get(connection.room) - (connection.inReceivers ? 1 : 0));
        final long n = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, expected, intendedNs);
        final int length = writer.gameEvent(
            fleet.roomIds[connection.room],
            fleet.msgIdHigh,
            FleetState.msgIdLow(n),
            ++connection.seq,
            intendedNs,
            connection.socketIndex,
            n,
            settings.payloadBytes);
        sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    private void sendGameState(final ClientConnection connection, final long intendedNs)
    {
        final long n = fleet.tracker.register(MessageTracker.KIND_NON_CRITICAL, 0, intendedNs);
        final int length = writer.gameState(
            fleet.roomIds[connection.room],
            fleet.msgIdHigh,
            FleetState.msgIdLow(n),
            ++connection.seq,
            ++connection.stateVersion,
            intendedNs);
        sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    private void sendSdp(
        final ClientConnection connection,
        final boolean answer,
        final byte[] to,
        final int toOffset,
        final int toLength,
        final long intendedNs)
    {
        final byte[] roomId = fleet.roomIds[connection.room];
        final long n = fleet.tracker.register(MessageTracker.KIND_SDP, 1, intendedNs);
        final int length = writer.sdp(
            answer, roomId, fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq, to, toOffset, toLength,
            intendedNs);
        sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
        for (int i = 0; i < settings.iceBurst && null != connection.channel; i++)
        {
            final long iceN = fleet.tracker.register(MessageTracker.KIND_NON_CRITICAL, 0, intendedNs);
            final int iceLength = writer.ice(
                roomId, fleet.msgIdHigh, FleetState.msgIdLow(iceN), ++connection.seq, to, toOffset, toLength,
                50_000 + i);
            sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), iceLength);
        }
    }

    private void sendFrame(final ClientConnection connection, final int opcode, final byte[] payload, final int length)
    {
        if (null == connection.channel)
        {
            return;
        }
        maskState = ClientFrameEncoder.nextMaskKey(maskState);
        final int frameLength = ClientFrameEncoder.encode(opcode, payload, 0, length, maskState, frameOut, 0);
        outBuffer.clear();
        outBuffer.limit(frameLength);
        try
        {
            write(connection, outBuffer);
        }
        catch (final IOException ex)
        {
            onBroken(connection, ex.toString());
        }
    }

    private void write(final ClientConnection connection, final ByteBuffer data) throws IOException
    {
        if (null != connection.tls)
        {
            // TLS encrypts everything at once; what the socket does not take waits, encrypted, in the session.
            connection.tls.write(connection.channel, data);
            if (connection.tls.pendingOutputBytes() > MAX_PENDING_BYTES)
            {
                counters.increment(FleetCounters.BACKLOG_OVERFLOWS);
                problem("socket " + connection.socketIndex + " send backlog over " + MAX_PENDING_BYTES + " bytes");
                close(connection, ClientConnection.CLOSED);
            }
            else if (connection.tls.hasPendingOutput())
            {
                connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
            }
            return;
        }
        if (!connection.hasPending())
        {
            connection.channel.write(data);
            if (!data.hasRemaining())
            {
                return;
            }
        }
        final int needed = (null == connection.pending ? 0 : connection.pending.position()) + data.remaining();
        if (needed > MAX_PENDING_BYTES)
        {
            counters.increment(FleetCounters.BACKLOG_OVERFLOWS);
            problem("socket " + connection.socketIndex + " send backlog over " + MAX_PENDING_BYTES + " bytes");
            close(connection, ClientConnection.CLOSED);
            return;
        }
        if (null == connection.pending || connection.pending.capacity() < needed)
        {
            final ByteBuffer grown = ByteBuffer.allocate(Math.max(4096, Integer.highestOneBit(needed) << 1));
            if (null != connection.pending)
            {
                connection.pending.flip();
                grown.put(connection.pending);
            }
            connection.pending = grown;
        }
        connection.pending.put(data);
        connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
    }

    private void flushPending(final ClientConnection connection) throws IOException
    {
        if (null != connection.tls)
        {
            connection.tls.flush(connection.channel);
        }
        final ByteBuffer pending = connection.pending;
        if (null != pending)
        {
            pending.flip();
            connection.channel.write(pending);
            pending.compact();
        }
        if (!connection.hasPending() && null != connection.key && connection.key.isValid())
        {
            connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private void leaveRoomCounts(final ClientConnection connection)
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

    private void close(final ClientConnection connection, final int nextState)
    {
        leaveRoomCounts(connection);
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

    private void closeAll()
    {
        for (final ClientConnection connection : connections)
        {
            if (null != connection.channel)
            {
                close(connection, ClientConnection.CLOSED);
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Closing at exit; nothing left to do.
        }
    }

    private static byte[] stringValue(final byte[] buffer, final int offset, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(buffer, offset, limit, quotedName);
        final int end = JsonScan.stringEnd(buffer, at, limit);
        if (end < 0)
        {
            return null;
        }
        final byte[] value = new byte[end - at - 1];
        System.arraycopy(buffer, at + 1, value, 0, value.length);
        return value;
    }

    static void problem(final String text)
    {
        final int printed = PRINTED_PROBLEMS.incrementAndGet();
        if (printed <= MAX_PRINTED_PROBLEMS)
        {
            System.err.println("loadgen: " + text);
        }
        else if (printed == MAX_PRINTED_PROBLEMS + 1)
        {
            System.err.println("loadgen: further problems are counted but not printed");
        }
    }
}
