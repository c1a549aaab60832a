package dev.switchboard.net.io;

import com.lmax.disruptor.EventPoller;
import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.auth.AuthResult;
import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.flow.WatermarkPolicy;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.protocol.ErrorCode;
import dev.switchboard.engine.protocol.MessageType;
import dev.switchboard.engine.ring.DutyCycle;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.net.StatusPages;
import dev.switchboard.net.admin.AdminApi;
import dev.switchboard.net.cluster.RelayQueue;
import dev.switchboard.net.cluster.RelayRecords;
import dev.switchboard.net.cluster.RoomDirectory;
import dev.switchboard.net.cluster.RouteDecision;
import dev.switchboard.net.http.AllowedOrigins;
import dev.switchboard.net.http.Handshake;
import dev.switchboard.net.http.HttpRequestParser;
import dev.switchboard.net.http.HttpResponses;
import dev.switchboard.net.http.StaticFiles;
import dev.switchboard.net.metrics.BufferedBytesRecorder;
import dev.switchboard.net.ws.AssemblyBufferPool;
import dev.switchboard.net.ws.CloseCodes;
import dev.switchboard.net.ws.FrameDecoder;
import dev.switchboard.net.ws.FrameEncoder;
import dev.switchboard.net.ws.FrameHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A selector thread that owns a set of sockets end to end: accept, HTTP/1.1, the WebSocket handshake and
 * codec, envelope decoding into the engine's inbound ring, and the outbound drain from its own outbound ring
 * to the sockets with one write per connection per loop turn under bufferedAmount watermarks.
 * <p>
 * Everything here runs on the agent's thread except {@link #wake()} and the auth completion callback, which
 * only touch thread-safe queues.
 */
public final class IoAgent implements Agent, DutyCycle, FrameHandler
{
    private static final Logger LOG = LogManager.getLogger(IoAgent.class);

    /** How long a closing connection waits for the peer's close frame before the TCP close. */
    static final long CLOSE_TIMEOUT_MS = 2_000;
    private static final long TIMER_INTERVAL_MS = 100;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private static final int HEAD_BUFFER_BYTES = HttpRequestParser.MAX_HEAD_BYTES;
    private static final int MAX_PONG_FRAME_BYTES = 2 + 125;
    private static final long ADDRESS_SWEEP_INTERVAL_MS = 1_000;
    private static final String CONTENT_TYPE_JSON = "application/json";
    private static final String CONTENT_TYPE_METRICS = "text/plain; version=0.0.4; charset=utf-8";

    private final int index;
    private final SwitchboardSettings settings;
    private final EpochClock clock;
    private final Selector selector;
    private final ServerSocketChannel serverChannel;
    private final InboundPublisher inbound;
    private final OutboundRing outbound;
    private final Authenticator authenticator;
    private final boolean authenticatorIgnoresTokens;
    private final StatusPages statusPages;
    private final StaticFiles staticFiles;
    private final AllowedOrigins allowedOrigins;
    private final ConnectionTable table;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final HttpRequestParser request = new HttpRequestParser();
    private final Handshake handshake = new Handshake();
    private final EnvelopeDecoder envelopeDecoder;
    private final InboundSlot scratch = new InboundSlot();
    private final InboundSlot eventScratch = new InboundSlot();
    private final AssemblyBufferPool assemblyPool;
    private final HeadBufferPool headPool = new HeadBufferPool(HEAD_BUFFER_BYTES, 256);
    private final ManyToOneConcurrentArrayQueue<AuthCompletion> authCompletions;
    private final Consumer<SelectionKey> keyHandler = this::onSelectedKey;
    private final Consumer<SelectionKey> parkedKeyHandler = this::onKeyAfterPark;
    private final EventPoller.Handler<OutboundSlot> outboundHandler = this::onOutbound;
    private final Runnable drainWhileInboundFull = this::drainOutboundOnly;
    private final int[] dirtySlots;
    private final byte[] controlScratch = new byte[256];
    private final IoCounters counters = new IoCounters();
    private final BufferedBytesRecorder bufferedBytes;
    private final AddressLimits addressLimits;
    private final long[] trustedProxies;
    private final long[] addressScratch = new long[2];
    private final AcceptBackoff acceptBackoff = new AcceptBackoff();
    private SelectionKey acceptKey;
    private SelectionKey adminAcceptKey;
    private long nextAddressSweepMs;

    private FramePool framePool;
    private ServerSocketChannel adminChannel;
    private AdminApi adminApi;
    private RoomDirectory roomDirectory;
    private RelayQueue relayQueue;
    private ManyToOneConcurrentArrayQueue<byte[]> evictions;
    private ManyToOneConcurrentArrayQueue<RouteDecision> routes;
    private int publishDepth;
    private long[] deferredCloseIds = new long[16];
    private int[] deferredCloseCodes = new int[16];
    private String[] deferredCloseReasons = new String[16];
    private int deferredCloseCount;
    private int[] recheckSlots = new int[16];
    private int recheckCount;
    private int dirtyCount;
    private Connection current;
    private long nowMs;
    private long nextTimerMs;
    private volatile WakeableIdleStrategy idle;
    private volatile Thread runningOn;
    private volatile boolean accepting = true;
    private volatile long drainRequestedMillis;
    private volatile int drainSpreadMillis;
    private long drainStartMs;
    private int drainInitialCount;
    private int drainClosedCount;
    private int drainCursor;

    /**
     * Create an agent; call {@link #start()} to run it.
     *
     * @param index          the agent's number, encoded in its connection ids.
     * @param settings       server settings.
     * @param clock          wall clock in epoch ms (injected for tests).
     * @param serverChannel  the listening socket, shared by all agents.
     * @param inbound        door into the engine shards.
     * @param outbound       this agent's outbound ring.
     * @param authenticator  maps authTokens to user ids, off this thread.
     * @param statusPages    bodies of /healthz and /metrics.
     * @param staticFiles    the harness files.
     * @param bufferedBytes  where live sockets' bufferedAmount is recorded each timer pass, for the p95 gauge.
     * @throws IOException if the selector cannot be opened.
     */
    public IoAgent(
        final int index,
        final SwitchboardSettings settings,
        final EpochClock clock,
        final ServerSocketChannel serverChannel,
        final InboundPublisher inbound,
        final OutboundRing outbound,
        final Authenticator authenticator,
        final StatusPages statusPages,
        final StaticFiles staticFiles,
        final BufferedBytesRecorder bufferedBytes) throws IOException
    {
        this.bufferedBytes = bufferedBytes;
        this.index = index;
        this.settings = settings;
        this.clock = clock;
        this.serverChannel = serverChannel;
        this.inbound = inbound;
        this.outbound = outbound;
        this.authenticator = authenticator;
        this.authenticatorIgnoresTokens = null == settings.jwtSecret();
        this.statusPages = statusPages;
        this.staticFiles = staticFiles;
        this.allowedOrigins = AllowedOrigins.parse(settings.allowedOrigins());
        final int capacity = Math.max(1, settings.maxConnections() / settings.ioThreads() + 1);
        this.table = new ConnectionTable(index, capacity, settings);
        this.dirtySlots = new int[capacity];
        this.envelopeDecoder = new EnvelopeDecoder(settings.maxPayloadBytes());
        this.assemblyPool = new AssemblyBufferPool(settings.maxPayloadBytes(), 32);
        this.addressLimits = new AddressLimits(capacity, settings.maxConnectionsPerAddress(),
            settings.upgradesPerAddressPerSecond(), settings.joinsPerAddressPerSecond(), AddressLimits.randomSeed());
        this.trustedProxies = IpAddresses.parseList(settings.trustedProxies());
        this.authCompletions = new ManyToOneConcurrentArrayQueue<>(Math.max(1024, capacity));
        this.selector = Selector.open();
        outbound.waker(this::wake);
    }

    /**
     * Multi-node mode, before {@link #start()}: route each socket's first join or resume by the rooms this node
     * owns; a socket whose room this node did not own is relayed, all its messages and its close going in order
     * to the cluster agent, and its reads pause until the agent's route decision comes back (a room this node
     * claimed is then served from the local shard directly). Rooms named in the evictions queue have their
     * sockets closed with 4012.
     *
     * @param directory  the rooms this node owns.
     * @param relay      where relayed sockets' records go.
     * @param evictQueue rooms whose sockets must reconnect elsewhere.
     * @param routeQueue the agent's route decisions for this agent's paused sockets.
     */
    public void joinCluster(
        final RoomDirectory directory,
        final RelayQueue relay,
        final ManyToOneConcurrentArrayQueue<byte[]> evictQueue,
        final ManyToOneConcurrentArrayQueue<RouteDecision> routeQueue)
    {
        this.roomDirectory = directory;
        this.relayQueue = relay;
        this.evictions = evictQueue;
        this.routes = routeQueue;
    }

    /**
     * Serve the operator port too, before {@link #start()}: its sockets get the admin API's routes instead of the
     * public ones and are never upgraded.
     *
     * @param channel the operator port's listening socket.
     * @param api     the router of its requests.
     */
    public void serveAdmin(final ServerSocketChannel channel, final AdminApi api)
    {
        this.adminChannel = channel;
        this.adminApi = api;
        api.waker(this::wake);
    }

    /**
     * Say which idle strategy the agent's thread parks in, so producers can wake it; before the thread starts.
     *
     * @param strategy the idle strategy of the thread that runs this agent.
     */
    public void idleStrategy(final WakeableIdleStrategy strategy)
    {
        this.idle = strategy;
    }

    /**
     * How the thread that runs this agent parks: in {@code selector.select(timeout)}, handling the keys that
     * wake it, so the thread sleeps until a socket, a producer's signal or the next deadline.
     *
     * @return the parker for the thread's {@link WakeableIdleStrategy}.
     */
    public WakeableIdleStrategy.Parker selectorParker()
    {
        return new WakeableIdleStrategy.Parker()
        {
            @Override
            public void park(final long timeoutNs)
            {
                selectBlocking(Math.max(1, (timeoutNs + 999_999L) / 1_000_000L));
            }

            @Override
            public void unpark()
            {
                selector.wakeup();
            }
        };
    }

    /**
     * Counters this agent writes and others read.
     *
     * @return the counters.
     */
    public IoCounters counters()
    {
        return counters;
    }

    /**
     * Called by an engine after publishing to this agent's outbound ring (and by the other producers of its
     * queues): from another thread it signals this agent's thread only if that thread is parked; on the agent's
     * own thread (shared mode) it drains the outbound ring right away, queueing frames only, so an engine with a
     * full ring can go on and the frames are written before the thread parks.
     */
    public void wake()
    {
        if (Thread.currentThread() == runningOn)
        {
            publishDepth++;
            try
            {
                drainOutboundOnly();
            }
            finally
            {
                publishDepth--;
            }
            return;
        }
        final WakeableIdleStrategy strategy = idle;
        if (null != strategy)
        {
            strategy.wake();
        }
        else
        {
            selector.wakeup();
        }
    }

    /**
     * Stop accepting new sockets (graceful drain); existing ones keep being served.
     */
    public void stopAccepting()
    {
        accepting = false;
        selector.wakeup();
    }

    /**
     * Graceful drain: refuse new upgrades (503; plain HTTP such as /healthz is still served) and close every
     * open WebSocket, in batches spread over the given time, with
     * {@code 4000 server_draining retry_after_ms=N} where N is drawn uniformly from 0 to {@code spreadMillis},
     * so that clients come back spread out.
     *
     * @param drainMillis  time over which to close the sockets.
     * @param spreadMillis upper bound of the retry delay told to each client.
     */
    public void beginDrain(final long drainMillis, final int spreadMillis)
    {
        drainSpreadMillis = spreadMillis;
        drainRequestedMillis = Math.max(1, drainMillis);
        selector.wakeup();
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "io-" + index;
    }

    /**
     * Register the listeners and take the frame pool for the thread that runs the agent.
     */
    @Override
    public void onStart()
    {
        runningOn = Thread.currentThread();
        framePool = new FramePool(4096, Thread.currentThread());
        try
        {
            acceptKey = serverChannel.register(selector, SelectionKey.OP_ACCEPT, null);
            if (null != adminChannel)
            {
                adminAcceptKey = adminChannel.register(selector, SelectionKey.OP_ACCEPT, adminApi);
            }
        }
        catch (final ClosedChannelException ex)
        {
            LOG.error(LogLine.event("io_register_failed").with("ioAgent", index), ex);
            throw new AgentTerminationException(ex);
        }
        nowMs = clock.time();
        nextTimerMs = nowMs + TIMER_INTERVAL_MS;
    }

    /**
     * Close every socket and the selector, on the agent's thread.
     */
    @Override
    public void onClose()
    {
        shutdown();
    }

    /**
     * One duty cycle, never blocking: queues from other threads, the outbound ring, the timers when due, and
     * the sockets that are ready now; the thread's idle strategy parks in {@link #selectorParker()} when this and
     * the thread's other agents found nothing to do. Errors are counted and logged and the loop goes on.
     *
     * @return units of work done (slots, keys, completions, timer passes).
     */
    @Override
    public int doWork()
    {
        try
        {
            return doWorkUnguarded();
        }
        catch (final Throwable ex)
        {
            counters.errors.incrementAndGet();
            LOG.error(LogLine.event("io_loop_error").with("ioAgent", index), ex);
            return 1;
        }
    }

    private int doWorkUnguarded() throws IOException
    {
        final long startNs = System.nanoTime();
        nowMs = clock.time();
        int work = 0;
        if (!authCompletions.isEmpty())
        {
            drainAuthCompletions();
            work++;
        }
        if (null != adminApi && adminApi.hasAnswers())
        {
            adminApi.drainAnswers(this::sendAdminAnswer);
            work++;
        }
        work += outbound.poll(outboundHandler) ? 1 : 0;
        if (null != evictions && (!evictions.isEmpty() || !routes.isEmpty()))
        {
            drainEvictions();
            drainRoutes();
            work++;
        }
        work += flushOutbound();
        if (nowMs >= nextTimerMs)
        {
            nextTimerMs = nowMs + TIMER_INTERVAL_MS;
            runTimers();
            flushDirty();
            work++;
        }
        work += selector.selectNow(keyHandler);
        work += flushOutbound();
        counters.loops.lazySet(counters.loops.get() + 1);
        if (work > 0)
        {
            counters.recordLoopWorkNs(System.nanoTime() - startNs);
        }
        return work;
    }

    /**
     * Close what was deferred and write every connection with queued frames; the shared thread runs this again
     * after its engines, so a reply is written in the duty cycle that read its request.
     *
     * @return connections written or closed.
     */
    public int flushOutbound()
    {
        final int before = dirtyCount + deferredCloseCount + recheckCount;
        processDeferred();
        flushDirty();
        return before;
    }

    private void selectBlocking(final long timeoutMs)
    {
        try
        {
            // Keys are handled inside select, each stamped with the time it woke the thread (a park can outlast a
            // jump of the clock); the timeout bounds the wait.
            final int keys = selector.select(parkedKeyHandler, timeoutMs);
            if (keys > 0)
            {
                nowMs = clock.time();
                flushOutbound();
            }
        }
        catch (final IOException ex)
        {
            counters.errors.incrementAndGet();
            LOG.error(LogLine.event("io_loop_error").with("ioAgent", index), ex);
        }
    }

    private void onKeyAfterPark(final SelectionKey key)
    {
        nowMs = clock.time();
        onSelectedKey(key);
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasPendingWork()
    {
        return outbound.hasPending() || !authCompletions.isEmpty() || (null != adminApi && adminApi.hasAnswers()) ||
            (null != evictions && (!evictions.isEmpty() || !routes.isEmpty()));
    }

    /** {@inheritDoc} */
    @Override
    public long parkTimeoutNs()
    {
        return Math.max(0, nextTimerMs - clock.time()) * 1_000_000L;
    }

    // ---------------------------------------------------------------- selection

    private void onSelectedKey(final SelectionKey key)
    {
        try
        {
            if (!key.isValid())
            {
                return;
            }
            final Object attachment = key.attachment();
            if (null == attachment)
            {
                if (key.isAcceptable())
                {
                    acceptAll();
                }
                return;
            }
            if (attachment == adminApi)
            {
                acceptAdmin();
                return;
            }
            final Connection connection = (Connection)attachment;
            if (key.isWritable())
            {
                flush(connection);
            }
            if (key.isValid() && key.isReadable() && Connection.FREE != connection.state)
            {
                read(connection);
            }
        }
        catch (final java.nio.channels.CancelledKeyException ignore)
        {
            // the connection was closed earlier in this turn
        }
    }

    private void acceptAll()
    {
        if (!accepting)
        {
            return;
        }
        acceptFrom(serverChannel, false, 64);
    }

    /**
     * Accept up to {@code max} pending connections of one listener: public sockets pass the per-address limits,
     * operator-port sockets are marked admin and served by the admin API only.
     */
    private void acceptFrom(final ServerSocketChannel listener, final boolean admin, final int max)
    {
        for (int i = 0; i < max; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final IOException ex)
            {
                onAcceptFailed(ex);
                return;
            }
            if (null == channel)
            {
                return;
            }
            onAcceptSucceeded();
            final Connection connection = table.allocate();
            if (null == connection)
            {
                counters.refused.incrementAndGet();
                closeQuietly(channel);
                continue;
            }
            if (!admin && !admitAddress(connection, channel))
            {
                table.free(connection);
                closeQuietly(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                connection.channel = channel;
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connection.state = Connection.HTTP;
                connection.admin = admin;
                connection.acceptedMs = nowMs;
                connection.lastReadMs = nowMs;
                counters.connected.lazySet(table.inUse());
                counters.accepted.incrementAndGet();
            }
            catch (final IOException ex)
            {
                releaseAddress(connection);
                closeQuietly(channel);
                table.free(connection);
            }
        }
    }

    /**
     * Accept failed (EMFILE, ENFILE...): the pending connection stays in the backlog and the listener stays ready,
     * so disarm OP_ACCEPT for a back-off instead of spinning; open sockets keep being served meanwhile.
     */
    private void onAcceptFailed(final IOException ex)
    {
        counters.acceptErrors.incrementAndGet();
        // Both listeners share the process's descriptors: when one cannot accept, neither can.
        setAcceptInterest(0);
        if (acceptBackoff.onFailure(nowMs))
        {
            counters.acceptPauses.incrementAndGet();
            LOG.warn(LogLine.event("accept_paused").with("agent", index).with("cause", String.valueOf(ex.getMessage()))
                .with("openSockets", table.inUse()));
        }
    }

    private void onAcceptSucceeded()
    {
        final long failures = acceptBackoff.onSuccess();
        if (failures > 0)
        {
            LOG.warn(LogLine.event("accept_resumed").with("agent", index).with("failedAccepts", failures));
        }
    }

    private void resumeAcceptingAfterBackoff()
    {
        if (acceptBackoff.shouldResume(nowMs))
        {
            setAcceptInterest(SelectionKey.OP_ACCEPT);
        }
    }

    private void setAcceptInterest(final int ops)
    {
        if (null != acceptKey && acceptKey.isValid())
        {
            acceptKey.interestOps(ops);
        }
        if (null != adminAcceptKey && adminAcceptKey.isValid())
        {
            adminAcceptKey.interestOps(ops);
        }
    }

    /**
     * Count a new socket under its remote address, refusing it past {@code maxConnectionsPerAddress}; a trusted
     * proxy's sockets are counted later, under the client that its X-Forwarded-For names.
     */
    private boolean admitAddress(final Connection connection, final SocketChannel channel)
    {
        final long[] key = addressScratch;
        try
        {
            if (!IpAddresses.toKey(channel.getRemoteAddress(), key))
            {
                return true;
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        connection.addressHi = key[0];
        connection.addressLo = key[1];
        if (isTrustedProxy(key[0], key[1]))
        {
            connection.viaTrustedProxy = true;
            return true;
        }
        if (!addressLimits.tryConnect(key[0], key[1], nowMs))
        {
            onAddressLimit(counters.addressConnectionRefusals, "connections", connection);
            return false;
        }
        connection.addressCounted = true;
        return true;
    }

    private void releaseAddress(final Connection connection)
    {
        if (connection.addressCounted)
        {
            connection.addressCounted = false;
            addressLimits.disconnect(connection.addressHi, connection.addressLo, nowMs);
        }
    }

    private boolean isTrustedProxy(final long hi, final long lo)
    {
        final long[] proxies = trustedProxies;
        for (int i = 0; i < proxies.length; i += 2)
        {
            if (proxies[i] == hi && proxies[i + 1] == lo)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Behind a trusted proxy: take the client from X-Forwarded-For, the rightmost entry that is not itself a
     * trusted proxy, and count the socket under it; without a usable header the proxy's own address stands.
     *
     * @return false when the client is over {@code maxConnectionsPerAddress}.
     */
    private boolean admitForwardedClient(final Connection connection)
    {
        final byte[] text = request.buffer();
        final int start = request.forwardedForOffset();
        int end = start + request.forwardedForLength();
        final long[] key = addressScratch;
        while (end > start)
        {
            int comma = end - 1;
            while (comma >= start && ',' != text[comma])
            {
                comma--;
            }
            if (!IpAddresses.parse(text, comma + 1, end - comma - 1, key))
            {
                break;
            }
            connection.addressHi = key[0];
            connection.addressLo = key[1];
            if (!isTrustedProxy(key[0], key[1]))
            {
                break;
            }
            end = comma;
        }
        connection.viaTrustedProxy = false;
        if (!addressLimits.tryConnect(connection.addressHi, connection.addressLo, nowMs))
        {
            onAddressLimit(counters.addressConnectionRefusals, "connections", connection);
            return false;
        }
        connection.addressCounted = true;
        return true;
    }

    private void onAddressLimit(
        final java.util.concurrent.atomic.AtomicLong counter, final String limit, final Connection connection)
    {
        final long count = counter.incrementAndGet();
        // One line per limit per 1,024 refusals: a flood from one address must not become a log flood.
        if (1 == (count & 1023))
        {
            LOG.warn(LogLine.event("address_limit").with("limit", limit)
                .with("address", addressText(connection.addressHi, connection.addressLo)).with("refusals", count));
        }
    }

    /**
     * A log line for the first of a kind of refusal and then one per 1,024 (each an episode of one socket), so
     * that a flood from many sockets cannot become a log flood.
     */
    private void logSampled(final long count, final String event, final Connection connection)
    {
        if (1 == (count & 1023))
        {
            LOG.warn(LogLine.event(event).with("connectionId", connection.id)
                .with("address", addressText(connection.addressHi, connection.addressLo)).with("total", count));
        }
    }

    private static String addressText(final long hi, final long lo)
    {
        if (0 == hi && 0x0000_FFFF_0000_0000L == (lo & 0xFFFF_FFFF_0000_0000L))
        {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        return Long.toHexString(hi) + ":" + Long.toHexString(lo);
    }

    private void read(final Connection connection)
    {
        for (int reads = 0; reads < 4 && connection.key.isValid() && 0 == connection.readPauses; reads++)
        {
            final ByteBuffer buffer = readBuffer;
            buffer.clear();
            if (Connection.HTTP == connection.state)
            {
                // Never read more than the head buffer can take: pipelined requests wait in the kernel instead.
                final int room = HEAD_BUFFER_BYTES - connection.headLength;
                if (room <= 0)
                {
                    return;
                }
                buffer.limit(Math.min(room, buffer.capacity()));
            }
            final int n;
            try
            {
                n = connection.channel.read(buffer);
            }
            catch (final IOException ex)
            {
                abort(connection, CloseCodes.ABNORMAL);
                return;
            }
            if (n < 0)
            {
                abort(connection, CloseCodes.ABNORMAL);
                return;
            }
            if (0 == n)
            {
                return;
            }
            counters.bytesIn.lazySet(counters.bytesIn.get() + n);
            connection.lastReadMs = nowMs;
            if (connection.lingering)
            {
                continue;
            }
            switch (connection.state)
            {
                case Connection.HTTP:
                    onHttpBytes(connection, buffer.array(), 0, n);
                    break;
                case Connection.OPEN:
                case Connection.CLOSING:
                    decodeFrames(connection, buffer.array(), 0, n);
                    if (connection.pausePending)
                    {
                        pauseForRoute(connection);
                        return;
                    }
                    break;
                default:
                    break;
            }
            if (n < buffer.limit())
            {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void onHttpBytes(final Connection connection, final byte[] src, final int offset, final int length)
    {
        if (null == connection.headBuffer)
        {
            connection.headBuffer = headPool.acquire();
            connection.headLength = 0;
        }
        // read() never reads more than the head buffer has room for
        System.arraycopy(src, offset, connection.headBuffer, connection.headLength, length);
        if (0 == connection.headLength && length > 0)
        {
            connection.requestInProgress = true;
            connection.requestStartMs = nowMs;
        }
        connection.headLength += length;
        parseHttpRequests(connection);
    }

    /**
     * Serve the complete requests in the head buffer, one at a time, until it holds none or
     * {@code maxPipelinedRequests} responses wait to be written; then reading pauses until {@link #flush} has
     * written enough of them, so a client that pipelines without reading costs at most that many responses.
     */
    private void parseHttpRequests(final Connection connection)
    {
        final byte[] head = connection.headBuffer;
        while (Connection.HTTP == connection.state && connection.headLength > 0)
        {
            if (connection.queueCount >= settings.maxPipelinedRequests())
            {
                if (0 == (connection.readPauses & Connection.PAUSE_PIPELINE))
                {
                    logSampled(counters.pipelinePauses.incrementAndGet(), "pipeline_paused", connection);
                    pauseReading(connection, Connection.PAUSE_PIPELINE);
                }
                return;
            }
            final int result = request.parse(head, 0, connection.headLength);
            if (HttpRequestParser.INCOMPLETE == result)
            {
                if (connection.headLength >= head.length)
                {
                    respondAndClose(connection, 431);
                }
                return;
            }
            if (HttpRequestParser.TOO_LARGE == result)
            {
                respondAndClose(connection, 431);
                return;
            }
            if (HttpRequestParser.BAD_REQUEST == result)
            {
                respondAndClose(connection, 400);
                return;
            }
            final int headLength = result;
            if (connection.admin)
            {
                serveAdmin(connection, head, headLength);
                return;
            }
            if (request.pathEquals("/ws"))
            {
                upgrade(connection, headLength, null, 0, 0);
                return;
            }
            serveHttp(connection);
            if (Connection.HTTP != connection.state)
            {
                return;
            }
            // keep-alive: shift any pipelined bytes to the front; the next request's timer starts now
            final int rest = connection.headLength - headLength;
            System.arraycopy(head, headLength, head, 0, rest);
            connection.headLength = rest;
            connection.requestInProgress = rest > 0;
            connection.requestStartMs = nowMs;
            connection.acceptedMs = nowMs;
        }
        if (Connection.HTTP == connection.state && 0 == connection.headLength && null != connection.headBuffer)
        {
            headPool.release(connection.headBuffer);
            connection.headBuffer = null;
        }
    }

    private void serveHttp(final Connection connection)
    {
        final boolean keepAlive = request.keepAlive() && !request.hasBody();
        if (request.hasBody() || (request.isHttp11() && 0 == request.hostLength()))
        {
            respondAndClose(connection, 400);
            return;
        }
        if (!request.isGet() && !request.isHead())
        {
            respond(connection, HttpResponses.status(405, keepAlive), keepAlive);
            return;
        }
        if (request.pathEquals("/healthz"))
        {
            // With the operator port on (served by agent 0 only), every agent's public /healthz hides room ids.
            final byte[] body = settings.adminPort() >= 0 ? statusPages.publicHealthz() : statusPages.healthz();
            respondDynamic(connection, statusPages.draining() ? 503 : 200, CONTENT_TYPE_JSON, body, keepAlive);
        }
        else if (request.pathEquals("/metrics"))
        {
            respondDynamic(connection, 200, CONTENT_TYPE_METRICS, statusPages.metrics(), keepAlive);
        }
        else
        {
            final byte[] file = settings.publicHarness() &&
                (request.pathEquals("/harness") || request.pathStartsWith("/harness/")) ?
                staticFiles.response(request, keepAlive) : null;
            respond(connection, null != file ? file : HttpResponses.status(404, keepAlive, request.isHead()),
                keepAlive);
        }
    }

    // ---------------------------------------------------------------- operator port

    private void acceptAdmin()
    {
        acceptFrom(adminChannel, true, 16);
    }

    private void serveAdmin(final Connection connection, final byte[] head, final int headLength)
    {
        switch (adminApi.onRequest(connection.id, request, head, headLength, connection.headLength))
        {
            case AdminApi.INCOMPLETE:
                return;
            case AdminApi.PUBLISH:
                // One request per connection: stop reading until the engine's answer closes it.
                connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_READ);
                connection.headLength = 0;
                publishToEngine(adminApi.shard(), adminApi.slot());
                return;
            default:
                connection.headLength = 0;
                respond(connection, adminApi.response(), false);
        }
    }

    private void sendAdminAnswer(final long connectionId, final byte[] response)
    {
        final Connection connection = table.get(connectionId);
        if (null != connection && connection.admin && Connection.HTTP == connection.state)
        {
            respond(connection, response, false);
        }
    }

    private void respondDynamic(
        final Connection connection,
        final int status,
        final String contentType,
        final byte[] body,
        final boolean keepAlive)
    {
        final int bodyLength = request.isHead() ? 0 : body.length;
        final Frame frame = framePool.acquire(512 + bodyLength, MessageType.UNKNOWN, false);
        final byte[] dst = frame.buffer();
        final int headLength = HttpResponses.writeHead(dst, 0, status, contentType, body.length, keepAlive);
        frame.ensurePayloadCapacity(headLength + bodyLength);
        System.arraycopy(body, 0, frame.buffer(), headLength, bodyLength);
        frame.sealRaw(0, headLength + bodyLength);
        enqueueOwned(connection, frame);
        if (!keepAlive)
        {
            connection.state = Connection.CLOSING;
            connection.closeAfterFlush = true;
        }
    }

    private void respond(final Connection connection, final byte[] response, final boolean keepAlive)
    {
        final Frame frame = framePool.acquire(response.length, MessageType.UNKNOWN, false);
        frame.ensurePayloadCapacity(response.length);
        System.arraycopy(response, 0, frame.buffer(), 0, response.length);
        frame.sealRaw(0, response.length);
        enqueueOwned(connection, frame);
        if (!keepAlive)
        {
            connection.state = Connection.CLOSING;
            connection.closeAfterFlush = true;
        }
    }

    private void respondAndClose(final Connection connection, final int status)
    {
        respond(connection, HttpResponses.status(status, false), false);
    }

    private void upgrade(
        final Connection connection,
        final int headLength,
        final byte[] overflow,
        final int overflowOffset,
        final int overflowLength)
    {
        final int status = 0 != drainRequestedMillis ? 503 : handshake.validate(request, allowedOrigins);
        if (0 != status)
        {
            respondAndClose(connection, status);
            return;
        }
        if (connection.viaTrustedProxy && !admitForwardedClient(connection))
        {
            respondAndClose(connection, 429);
            return;
        }
        if (!addressLimits.tryUpgrade(connection.addressHi, connection.addressLo, nowMs))
        {
            onAddressLimit(counters.addressUpgradeRefusals, "upgrades", connection);
            respondAndClose(connection, 429);
            return;
        }
        final Frame frame = framePool.acquire(256, MessageType.UNKNOWN, false);
        final int length = handshake.writeAccept(request, frame.buffer(), 0);
        frame.sealRaw(0, length);
        enqueueOwned(connection, frame);
        counters.upgrades.incrementAndGet();

        connection.decoder = new FrameDecoder(settings.maxPayloadBytes(), settings.hardFrameLimitBytes(),
            settings.maxFragmentsPerMessage(), assemblyPool);
        connection.frameBudget.reset(nowMs);
        connection.requestInProgress = false;
        connection.lastReadMs = nowMs;
        connection.lastPingMs = nowMs;

        // Bytes after the head are WebSocket frames the client sent right away: keep them at the front.
        final byte[] head = connection.headBuffer;
        final int rest = connection.headLength - headLength;
        System.arraycopy(head, headLength, head, 0, rest);
        connection.headLength = rest;

        final String token = authenticatorIgnoresTokens ? null : request.queryParameter("authToken");
        if (settings.requireAuth() && (null == token || token.isEmpty()))
        {
            counters.unauthorized.incrementAndGet();
            connection.state = Connection.OPEN;
            closeWith(connection, CloseCodes.UNAUTHORIZED, "unauthorized");
            return;
        }
        if (null == token)
        {
            openAfterAuth(connection, overflow, overflowOffset, overflowLength);
            return;
        }
        connection.state = Connection.AUTH_PENDING;
        if (overflowLength > 0)
        {
            // More than a head buffer arrived before authentication finished: too eager, refuse.
            closeWith(connection, CloseCodes.POLICY_VIOLATION, "data before authentication");
            return;
        }
        pauseReading(connection, Connection.PAUSE_AUTH);
        final long connectionId = connection.id;
        authenticator.authenticate(token).whenComplete((result, error) ->
        {
            final AuthResult outcome = null != error ? AuthResult.rejected("authenticator failed") : result;
            while (!authCompletions.offer(new AuthCompletion(connectionId, outcome)))
            {
                Thread.onSpinWait();
            }
            wake();
        });
    }

    private void drainAuthCompletions()
    {
        AuthCompletion completion;
        while (null != (completion = authCompletions.poll()))
        {
            final Connection connection = table.get(completion.connectionId);
            if (null == connection || Connection.AUTH_PENDING != connection.state)
            {
                continue;
            }
            final AuthResult result = completion.result;
            if (!result.isAccepted() || (result.isGuest() && settings.requireAuth()))
            {
                counters.unauthorized.incrementAndGet();
                closeWith(connection, CloseCodes.UNAUTHORIZED, "unauthorized");
                continue;
            }
            if (!result.isGuest())
            {
                final byte[] userId = result.userId().getBytes(StandardCharsets.US_ASCII);
                final int length = Math.min(userId.length, connection.authUserId.length);
                System.arraycopy(userId, 0, connection.authUserId, 0, length);
                connection.authUserIdLength = length;
                connection.grants = result.grants();
            }
            resumeReading(connection, Connection.PAUSE_AUTH);
            openAfterAuth(connection, null, 0, 0);
        }
    }

    private void openAfterAuth(
        final Connection connection,
        final byte[] overflow,
        final int overflowOffset,
        final int overflowLength)
    {
        connection.state = Connection.OPEN;
        final byte[] head = connection.headBuffer;
        final int pending = connection.headLength;
        connection.headBuffer = null;
        connection.headLength = 0;
        if (pending > 0)
        {
            decodeFrames(connection, head, 0, pending);
        }
        headPool.release(head);
        if (overflowLength > 0 && Connection.FREE != connection.state)
        {
            decodeFrames(connection, overflow, overflowOffset, overflowLength);
        }
        if (connection.pausePending)
        {
            pauseForRoute(connection);
        }
    }

    // ---------------------------------------------------------------- WebSocket inbound

    private void decodeFrames(final Connection connection, final byte[] src, final int offset, final int length)
    {
        final FrameDecoder decoder = connection.decoder;
        if (null == decoder || decoder.isCorrupt() || decoder.isClosed())
        {
            return;
        }
        current = connection;
        final long framesBefore = decoder.controlAndFragmentFrames();
        try
        {
            decoder.decode(src, offset, length, this);
        }
        finally
        {
            current = null;
        }
        if (Connection.FREE == connection.state)
        {
            return;
        }
        trackMessageDeadline(connection, decoder);
        chargeFrames(connection, decoder.controlAndFragmentFrames() - framesBefore);
    }

    /**
     * The message deadline runs from the read that brought the first byte of a frame or fragmented message to
     * the read that ends it; control frames between fragments do not stop it.
     */
    private void trackMessageDeadline(final Connection connection, final FrameDecoder decoder)
    {
        if (decoder.isMessageInProgress())
        {
            if (!connection.messageInProgress)
            {
                connection.messageInProgress = true;
                connection.messageStartMs = nowMs;
            }
        }
        else
        {
            connection.messageInProgress = false;
        }
    }

    /**
     * Control frames and fragments are held to the overall message rate: past it, stop reading the socket until
     * the budget is repaid (checked by the timer), so the excess waits in the peer's socket buffer.
     */
    private void chargeFrames(final Connection connection, final long frames)
    {
        if (frames > 0 && connection.frameBudget.charge(frames, nowMs) &&
            0 == (connection.readPauses & Connection.PAUSE_FRAME_RATE))
        {
            logSampled(counters.frameRatePauses.incrementAndGet(), "frame_rate_paused", connection);
            pauseReading(connection, Connection.PAUSE_FRAME_RATE);
        }
    }

    private void pauseReading(final Connection connection, final int reason)
    {
        final boolean wasReading = 0 == connection.readPauses;
        connection.readPauses |= reason;
        final SelectionKey key = connection.key;
        if (wasReading && null != key && key.isValid())
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    private void resumeReading(final Connection connection, final int reason)
    {
        if (0 == (connection.readPauses & reason))
        {
            return;
        }
        connection.readPauses &= ~reason;
        final SelectionKey key = connection.key;
        if (0 == connection.readPauses && null != key && key.isValid())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onText(final byte[] buffer, final int offset, final int length)
    {
        final Connection connection = current;
        if (Connection.OPEN != connection.state)
        {
            return;
        }
        counters.messagesIn.lazySet(counters.messagesIn.get() + 1);
        final InboundSlot slot = scratch;
        envelopeDecoder.decode(buffer, offset, length, slot);
        slot.connectionId = connection.id;
        final int type = slot.typeId;
        if (type == MessageType.JOIN.id() || type == MessageType.RESUME.id())
        {
            System.arraycopy(connection.authUserId, 0, slot.authUserId, 0, connection.authUserIdLength);
            slot.authUserIdLength = connection.authUserIdLength;
            final Grants grants = connection.grants;
            slot.grantFlags = grants.flags();
            if (slot.grantRooms.length < grants.packedRoomsLength())
            {
                slot.grantRooms = new byte[Grants.MAX_PACKED_BYTES];
            }
            slot.grantRoomsLength = grants.copyPackedRooms(slot.grantRooms);
            if (ErrorCode.NONE.ordinal() == slot.errorCode &&
                !addressLimits.tryJoin(connection.addressHi, connection.addressLo, nowMs))
            {
                // answered rate_limited by the engine, like any edge error, with the join's msgId as for
                slot.errorCode = ErrorCode.RATE_LIMITED.ordinal();
                onAddressLimit(counters.addressJoinRefusals, "joins", connection);
            }
        }
        if (null != relayQueue && routeToCluster(connection, slot, buffer, offset, length))
        {
            return;
        }
        final int shard;
        if (slot.roomIdLength > 0)
        {
            shard = inbound.shardFor(slot.roomId, slot.roomIdLength);
            if (connection.shard < 0 || type == MessageType.JOIN.id() || type == MessageType.RESUME.id())
            {
                connection.shard = shard;
            }
        }
        else
        {
            shard = Math.max(0, connection.shard);
        }
        publish(connection, shard, slot);
    }

    /**
     * Multi-node routing: remember the room of each join or resume (for evictions), decide on the first one
     * whether the socket is served here or relayed, and relay the text of a relayed socket.
     *
     * @return true when the message went to the cluster agent.
     */
    private boolean routeToCluster(
        final Connection connection, final InboundSlot slot, final byte[] buffer, final int offset, final int length)
    {
        final int type = slot.typeId;
        if ((type == MessageType.JOIN.id() || type == MessageType.RESUME.id()) && slot.roomIdLength > 0)
        {
            System.arraycopy(slot.roomId, 0, connection.roomId, 0, slot.roomIdLength);
            connection.roomIdLength = slot.roomIdLength;
            if (!connection.routeDecided)
            {
                connection.routeDecided = true;
                connection.relayed = !roomDirectory.isOwned(slot.roomId, slot.roomIdLength);
                connection.routePending = connection.relayed;
                connection.pausePending = connection.relayed;
            }
        }
        if (!connection.relayed)
        {
            return false;
        }
        if (Grants.UNRESTRICTED != connection.grants)
        {
            // Relay records carry the user id but not the grants: refuse rather than relay a token unrestricted.
            if (!connection.closeSent)
            {
                counters.unauthorized.incrementAndGet();
                closeWith(connection, CloseCodes.UNAUTHORIZED, "grants_not_relayed");
            }
            return true;
        }
        connection.publishedAny = true;
        publishDepth++;
        try
        {
            while (!relayQueue.offerText(connection.id, connection.authUserId, connection.authUserIdLength,
                buffer, offset, length))
            {
                drainOutboundOnly();
                Thread.onSpinWait();
            }
        }
        finally
        {
            publishDepth--;
        }
        return true;
    }

    /**
     * Everything read so far is decoded and relayed: mark the end of it for the cluster agent and stop reading
     * until the route decision comes back, so no message can overtake the ones the agent still holds.
     */
    private void pauseForRoute(final Connection connection)
    {
        connection.pausePending = false;
        if (Connection.OPEN != connection.state || null == connection.key || !connection.key.isValid())
        {
            return;
        }
        pauseReading(connection, Connection.PAUSE_ROUTE);
        relayControl(RelayRecords.PAUSED, connection.id, 0, 0);
    }

    private void drainRoutes()
    {
        RouteDecision decision;
        while (null != (decision = routes.poll()))
        {
            final Connection connection = table.get(decision.connectionId);
            if (null == connection || !connection.routePending)
            {
                continue;
            }
            connection.routePending = false;
            if (Connection.OPEN == connection.state && decision.shard >= 0 && !connection.closedPublished)
            {
                connection.relayed = false;
                connection.shard = decision.shard;
                relayControl(RelayRecords.DIRECT, connection.id, 0, 0);
            }
            resumeReading(connection, Connection.PAUSE_ROUTE);
        }
    }

    /**
     * Relay a control record of a relayed socket (its close, a drop-mode change, a too-large notice, a route
     * marker), waiting while the relay ring is full and draining outbound work meanwhile, as for the engine ring.
     */
    private void relayControl(final byte recordKind, final long connectionId, final int code, final long dropped)
    {
        publishDepth++;
        try
        {
            while (!offerControl(recordKind, connectionId, code, dropped))
            {
                drainOutboundOnly();
                Thread.onSpinWait();
            }
        }
        finally
        {
            publishDepth--;
        }
    }

    private boolean offerControl(final byte recordKind, final long connectionId, final int code, final long dropped)
    {
        switch (recordKind)
        {
            case RelayRecords.CLOSED:
                return relayQueue.offerClosed(connectionId, code);
            case RelayRecords.FLOW:
                return relayQueue.offerFlow(connectionId, (byte)code, dropped);
            case RelayRecords.TOO_LARGE:
                return relayQueue.offerTooLarge(connectionId);
            case RelayRecords.PAUSED:
                return relayQueue.offerPaused(connectionId);
            default:
                return relayQueue.offerDirect(connectionId);
        }
    }

    private void drainEvictions()
    {
        byte[] room;
        while (null != (room = evictions.poll()))
        {
            final int highWater = table.highWater();
            for (int slot = 0; slot < highWater; slot++)
            {
                final Connection connection = table.at(slot);
                if (null != connection && Connection.OPEN == connection.state &&
                    java.util.Arrays.equals(connection.roomId, 0, connection.roomIdLength, room, 0, room.length))
                {
                    closeWith(connection, CloseCodes.ROOM_MOVED, "room_moved");
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onMessageTooLarge()
    {
        final Connection connection = current;
        if (Connection.OPEN != connection.state)
        {
            return;
        }
        if (connection.relayed)
        {
            connection.publishedAny = true;
            relayControl(RelayRecords.TOO_LARGE, connection.id, 0, 0);
            return;
        }
        final InboundSlot slot = scratch;
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.connectionId = connection.id;
        slot.errorCode = ErrorCode.PAYLOAD_TOO_LARGE.ordinal();
        publish(connection, Math.max(0, connection.shard), slot);
    }

    /** {@inheritDoc} */
    @Override
    public void onPing(final byte[] buffer, final int offset, final int length)
    {
        final Connection connection = current;
        if (connection.closeSent)
        {
            return;
        }
        final Frame pending = connection.pendingPong;
        if (null != pending && (pending != connection.peek(0) || 0 == connection.headWrittenBytes))
        {
            // Only the newest pending pong is kept: rewrite the queued one in place (its buffer holds any pong).
            final int n = FrameEncoder.encodePong(pending.buffer(), 0, buffer, offset, length);
            connection.bufferedBytes += n - pending.length();
            pending.sealRaw(0, n);
            counters.pongsCoalesced.lazySet(counters.pongsCoalesced.get() + 1);
            return;
        }
        final Frame frame = framePool.acquire(MAX_PONG_FRAME_BYTES, MessageType.UNKNOWN, false);
        final int n = FrameEncoder.encodePong(frame.buffer(), 0, buffer, offset, length);
        frame.sealRaw(0, n);
        connection.pendingPong = frame;
        enqueueOwned(connection, frame);
    }

    /** {@inheritDoc} */
    @Override
    public void onPong(final byte[] buffer, final int offset, final int length)
    {
        // Any frame counts as liveness; lastReadMs was updated on read.
    }

    /** {@inheritDoc} */
    @Override
    public void onClose(final int code, final byte[] buffer, final int reasonOffset, final int reasonLength)
    {
        final Connection connection = current;
        connection.closeReceived = true;
        if (connection.closeSent)
        {
            // The peer answered our close: the handshake is complete.
            connection.closeAfterFlush = true;
            markDirty(connection);
            return;
        }
        // Echo the peer's code (none when it sent none) once the engine has answered every earlier message.
        closeBehindEngine(connection, code);
    }

    /** {@inheritDoc} */
    @Override
    public void onProtocolError(final int closeCode)
    {
        final Connection connection = current;
        counters.protocolErrors.incrementAndGet();
        if (connection.closeSent)
        {
            connection.closeAfterFlush = true;
            markDirty(connection);
            return;
        }
        closeBehindEngine(connection, closeCode);
    }

    /**
     * Close after the engine has answered every message this connection sent before the close: the engine
     * applies a connection's events in order, so its answer to the CONNECTION_CLOSED event (an outbound close,
     * the fence) comes after its replies to earlier messages. Without anything in flight, close at once.
     */
    private void closeBehindEngine(final Connection connection, final int code)
    {
        connection.state = Connection.CLOSING;
        connection.pendingCloseCode = code;
        connection.closeDeadlineMs = nowMs + CLOSE_TIMEOUT_MS;
        if (connection.publishedAny && !connection.closedPublished)
        {
            connection.awaitingFence = true;
            publishClosed(connection, code);
        }
        else
        {
            sendCloseFrame(connection, code, null);
            connection.closeAfterFlush = true;
        }
    }

    private void publish(final Connection connection, final int shard, final InboundSlot slot)
    {
        connection.publishedAny = true;
        publishToEngine(shard, slot);
    }

    /**
     * Publish into a shard's ring. While the ring is full the agent keeps draining its outbound ring (so an
     * engine waiting on that ring can finish the batch that frees inbound slots), but only queues frames then:
     * closes and watermark transitions, which publish events of their own or free connections, are deferred
     * to {@link #processDeferred()} so nothing mutates the slot or the connection being decoded.
     */
    private void publishToEngine(final int shard, final InboundSlot slot)
    {
        publishDepth++;
        try
        {
            inbound.publish(shard, slot, drainWhileInboundFull);
        }
        finally
        {
            publishDepth--;
        }
    }

    private void deferClose(final long connectionId, final int code, final String reason)
    {
        if (deferredCloseCount == deferredCloseIds.length)
        {
            final int n = deferredCloseCount * 2;
            deferredCloseIds = java.util.Arrays.copyOf(deferredCloseIds, n);
            deferredCloseCodes = java.util.Arrays.copyOf(deferredCloseCodes, n);
            deferredCloseReasons = java.util.Arrays.copyOf(deferredCloseReasons, n);
        }
        deferredCloseIds[deferredCloseCount] = connectionId;
        deferredCloseCodes[deferredCloseCount] = code;
        deferredCloseReasons[deferredCloseCount] = reason;
        deferredCloseCount++;
    }

    private void deferWatermarkCheck(final Connection connection)
    {
        if (!connection.watermarkCheckPending)
        {
            connection.watermarkCheckPending = true;
            if (recheckCount == recheckSlots.length)
            {
                recheckSlots = java.util.Arrays.copyOf(recheckSlots, recheckCount * 2);
            }
            recheckSlots[recheckCount++] = connection.slot;
        }
    }

    private void processDeferred()
    {
        while (deferredCloseCount > 0 || recheckCount > 0)
        {
            for (int i = 0; i < recheckCount; i++)
            {
                final Connection connection = table.at(recheckSlots[i]);
                if (connection.watermarkCheckPending)
                {
                    connection.watermarkCheckPending = false;
                    if (Connection.FREE != connection.state)
                    {
                        checkWatermarks(connection);
                    }
                }
            }
            recheckCount = 0;
            final int closes = deferredCloseCount;
            deferredCloseCount = 0;
            for (int i = 0; i < closes; i++)
            {
                final Connection connection = table.get(deferredCloseIds[i]);
                final String reason = deferredCloseReasons[i];
                deferredCloseReasons[i] = null;
                if (null != connection)
                {
                    closeWith(connection, deferredCloseCodes[i], reason);
                }
            }
        }
    }

    private void publishClosed(final Connection connection, final int code)
    {
        if (connection.closedPublished || !connection.publishedAny)
        {
            connection.closedPublished = true;
            return;
        }
        connection.closedPublished = true;
        if (connection.relayed)
        {
            relayControl(RelayRecords.CLOSED, connection.id, code, 0);
            return;
        }
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = SlotKind.CONNECTION_CLOSED;
        slot.connectionId = connection.id;
        slot.closeCode = code;
        publishToEngine(Math.max(0, connection.shard), slot);
    }

    private void publishFlow(final Connection connection, final byte kind, final long dropped)
    {
        if (!connection.publishedAny || connection.closedPublished)
        {
            return;
        }
        if (connection.relayed)
        {
            relayControl(RelayRecords.FLOW, connection.id, kind, dropped);
            return;
        }
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = kind;
        slot.connectionId = connection.id;
        slot.dropped = dropped;
        publishToEngine(Math.max(0, connection.shard), slot);
    }

    // ---------------------------------------------------------------- outbound

    private void drainOutboundOnly()
    {
        outbound.poll(outboundHandler);
    }

    private boolean onOutbound(final OutboundSlot slot, final long sequence, final boolean endOfBatch)
    {
        final Frame frame = slot.frame;
        slot.frame = null;
        final Connection connection = table.get(slot.connectionId);
        if (OutboundSlot.SEND == slot.kind)
        {
            if (null == connection || connection.closeSent ||
                (Connection.OPEN != connection.state && !connection.awaitingFence))
            {
                frame.release();
                return true;
            }
            enqueueFromEngine(connection, frame);
        }
        else if (OutboundSlot.CLOSE == slot.kind && null != connection)
        {
            if (connection.awaitingFence)
            {
                connection.awaitingFence = false;
                if (!connection.closeSent)
                {
                    sendCloseFrame(connection, connection.pendingCloseCode, null);
                }
                connection.closeAfterFlush = true;
                markDirty(connection);
            }
            else if (publishDepth > 0)
            {
                deferClose(connection.id, slot.closeCode, slot.reason);
            }
            else
            {
                closeWith(connection, slot.closeCode, slot.reason);
            }
        }
        return true;
    }

    private void enqueueFromEngine(final Connection connection, final Frame frame)
    {
        final WatermarkPolicy watermark = connection.watermark;
        if (watermark.shouldDrop(frame.isDroppable()))
        {
            watermark.onDropped();
            counters.droppedBackpressure.lazySet(counters.droppedBackpressure.get() + 1);
            counters.countDrop(frame.type());
            frame.release();
            return;
        }
        // Engine frames alone do not pause reading: the peer's messages would then arrive in a burst on resume and
        // trip its rate limits; drop mode and 4008 bound this backlog. Frames the agent makes in answer to the
        // peer (pongs, HTTP responses) pause it once the socket is over the high watermark (enqueueOwned).
        connection.enqueue(frame);
        markDirty(connection);
        if (publishDepth > 0)
        {
            deferWatermarkCheck(connection);
        }
        else
        {
            checkWatermarks(connection);
        }
    }

    /**
     * Queue a frame the agent made itself (pong, ping, close, handshake or HTTP response) under the same budget
     * as engine frames: above the high watermark reading pauses, past {@code slowConsumerBytes} the socket closes.
     */
    private void enqueueOwned(final Connection connection, final Frame frame)
    {
        connection.enqueue(frame);
        markDirty(connection);
        if (connection.bufferedBytes > settings.highWatermarkBytes())
        {
            onOverHighWatermark(connection);
        }
    }

    private void onOverHighWatermark(final Connection connection)
    {
        pauseReading(connection, Connection.PAUSE_OUTBOUND);
        if (connection.bufferedBytes <= settings.slowConsumerBytes() || connection.closeSent)
        {
            return;
        }
        if (Connection.HTTP == connection.state)
        {
            // Can't free the connection under the request parser: close it from processDeferred.
            deferClose(connection.id, CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
        else if (null != connection.decoder)
        {
            if (publishDepth > 0)
            {
                deferWatermarkCheck(connection);
            }
            else
            {
                checkWatermarks(connection);
            }
        }
    }

    private void markDirty(final Connection connection)
    {
        if (!connection.dirty)
        {
            connection.dirty = true;
            dirtySlots[dirtyCount++] = connection.slot;
        }
    }

    private void checkWatermarks(final Connection connection)
    {
        final long buffered = connection.bufferedBytes;
        switch (connection.watermark.onBufferedChanged(buffered))
        {
            case WatermarkPolicy.SLOW_CONSUMER:
                counters.slowConsumers.incrementAndGet();
                LOG.warn(LogLine.event("slow_consumer").with("connectionId", connection.id)
                    .with("bufferedBytes", buffered));
                // Drop the backlog, keep the socket until the close deadline: a reader that resumes in time reads
                // the close frame (4008) after the rest of a partly written frame, and can resume its session.
                connection.discardBacklog();
                resumeReading(connection, Connection.PAUSE_OUTBOUND);
                closeWith(connection, CloseCodes.SLOW_CONSUMER, "slow_consumer");
                break;
            case WatermarkPolicy.ENTER_DROP_MODE:
                counters.dropEpisodes.incrementAndGet();
                LOG.info(LogLine.event("drop_non_critical").with("connectionId", connection.id)
                    .with("bufferedBytes", buffered));
                publishFlow(connection, SlotKind.FLOW_DROP, 0);
                break;
            case WatermarkPolicy.LEAVE_DROP_MODE:
                final long dropped = connection.watermark.droppedInEpisode();
                LOG.info(LogLine.event("flow_normal").with("connectionId", connection.id).with("dropped", dropped));
                publishFlow(connection, SlotKind.FLOW_NORMAL, dropped);
                break;
            default:
                break;
        }
    }

    private void flushDirty()
    {
        final int count = dirtyCount;
        dirtyCount = 0;
        for (int i = 0; i < count; i++)
        {
            final Connection connection = table.at(dirtySlots[i]);
            connection.dirty = false;
            if (Connection.FREE != connection.state)
            {
                flush(connection);
            }
        }
    }

    private void flush(final Connection connection)
    {
        if (Connection.FREE == connection.state || null == connection.channel)
        {
            return;
        }
        if (connection.queueCount > 0)
        {
            final ByteBuffer buffer = writeBuffer;
            buffer.clear();
            int skip = connection.headWrittenBytes;
            for (int i = 0; i < connection.queueCount && buffer.hasRemaining(); i++)
            {
                final Frame frame = connection.peek(i);
                final int available = frame.length() - skip;
                final int take = Math.min(available, buffer.remaining());
                buffer.put(frame.buffer(), frame.offset() + skip, take);
                skip = 0;
            }
            buffer.flip();
            int written;
            try
            {
                written = connection.channel.write(buffer);
            }
            catch (final IOException ex)
            {
                abort(connection, CloseCodes.ABNORMAL);
                return;
            }
            counters.bytesOut.lazySet(counters.bytesOut.get() + written);
            connection.bufferedBytes -= written;
            if (written > 0)
            {
                connection.lastWriteMs = nowMs;
            }
            while (written > 0)
            {
                final Frame head = connection.peek(0);
                final int remaining = head.length() - connection.headWrittenBytes;
                if (written >= remaining)
                {
                    written -= remaining;
                    connection.headWrittenBytes = 0;
                    connection.popHead();
                }
                else
                {
                    connection.headWrittenBytes += written;
                    written = 0;
                }
            }
        }

        final SelectionKey key = connection.key;
        if (connection.queueCount > 0)
        {
            if (key.isValid() && 0 == (key.interestOps() & SelectionKey.OP_WRITE))
            {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }
        else
        {
            if (key.isValid() && 0 != (key.interestOps() & SelectionKey.OP_WRITE))
            {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            }
            if (connection.closeAfterFlush && !connection.lingering)
            {
                lingerThenClose(connection);
                return;
            }
        }
        if (connection.watermark.isDropMode())
        {
            checkWatermarks(connection);
        }
        if (0 != connection.readPauses)
        {
            resumeAfterFlush(connection);
        }
    }

    private void resumeAfterFlush(final Connection connection)
    {
        if (connection.bufferedBytes < settings.lowWatermarkBytes())
        {
            resumeReading(connection, Connection.PAUSE_OUTBOUND);
        }
        if (0 != (connection.readPauses & Connection.PAUSE_PIPELINE) &&
            connection.queueCount < settings.maxPipelinedRequests() && Connection.HTTP == connection.state)
        {
            resumeReading(connection, Connection.PAUSE_PIPELINE);
            connection.requestStartMs = nowMs;
            // responses queued here mark the connection dirty; the loop's next flushDirty writes them
            parseHttpRequests(connection);
        }
    }

    // ---------------------------------------------------------------- closing

    private void closeWith(final Connection connection, final int code, final String reason)
    {
        if (Connection.FREE == connection.state)
        {
            return;
        }
        if (Connection.HTTP == connection.state || null == connection.decoder)
        {
            abort(connection, code);
            return;
        }
        publishClosed(connection, code);
        if (!connection.closeSent)
        {
            sendCloseFrame(connection, code, reason);
        }
        connection.state = Connection.CLOSING;
        // read the peer's answering close frame whatever paused reading before
        resumeReading(connection, Connection.PAUSE_FRAME_RATE | Connection.PAUSE_OUTBOUND);
        if (connection.closeReceived)
        {
            connection.closeAfterFlush = true;
        }
    }

    private void sendCloseFrame(final Connection connection, final int code, final String reason)
    {
        connection.closeSent = true;
        connection.closeDeadlineMs = nowMs + CLOSE_TIMEOUT_MS;
        final byte[] reasonBytes = controlScratch;
        int reasonLength = 0;
        if (null != reason)
        {
            reasonLength = Math.min(reason.length(), 123);
            for (int i = 0; i < reasonLength; i++)
            {
                reasonBytes[i] = (byte)reason.charAt(i);
            }
        }
        final Frame frame = framePool.acquire(130, MessageType.UNKNOWN, false);
        final int n = FrameEncoder.encodeClose(frame.buffer(), 0, code, reasonBytes, 0, reasonLength);
        frame.sealRaw(0, n);
        enqueueOwned(connection, frame);
    }

    /**
     * Everything is written: send FIN and read (discarding) until the peer closes or the deadline passes,
     * so that unread bytes in our receive buffer never turn the close into a reset that loses our last frames.
     */
    private void lingerThenClose(final Connection connection)
    {
        connection.lingering = true;
        connection.state = Connection.CLOSING;
        connection.closeDeadlineMs = nowMs + CLOSE_TIMEOUT_MS;
        try
        {
            connection.channel.shutdownOutput();
        }
        catch (final IOException ex)
        {
            abort(connection, CloseCodes.NORMAL);
        }
    }

    private void abort(final Connection connection, final int code)
    {
        if (Connection.FREE == connection.state)
        {
            return;
        }
        if (Connection.OPEN == connection.state || Connection.CLOSING == connection.state ||
            Connection.AUTH_PENDING == connection.state)
        {
            publishClosed(connection, code);
        }
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        closeQuietly(connection.channel);
        if (null != connection.decoder)
        {
            connection.decoder.release();
        }
        if (null != connection.headBuffer)
        {
            headPool.release(connection.headBuffer);
        }
        releaseAddress(connection);
        table.free(connection);
        counters.connected.lazySet(table.inUse());
        counters.closed.incrementAndGet();
    }

    private static void closeQuietly(final SocketChannel channel)
    {
        if (null == channel)
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing more to do for a socket that is going away
        }
    }

    // ---------------------------------------------------------------- timers

    private void drainStep()
    {
        final long drainMillis = drainRequestedMillis;
        if (0 == drainMillis)
        {
            return;
        }
        if (0 == drainStartMs)
        {
            drainStartMs = nowMs;
            drainInitialCount = table.inUse();
        }
        // Close in batches: by 80% of the drain time every socket has been told, leaving time for handshakes.
        final double fraction = Math.min(1.0, (nowMs - drainStartMs + TIMER_INTERVAL_MS) / (drainMillis * 0.8));
        final int target = (int)Math.ceil(drainInitialCount * fraction);
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        final int highWater = table.highWater();
        while (drainClosedCount < target && drainCursor < highWater)
        {
            final Connection connection = table.at(drainCursor++);
            if (null == connection)
            {
                continue;
            }
            if (Connection.OPEN == connection.state || Connection.AUTH_PENDING == connection.state)
            {
                closeWith(connection, CloseCodes.SERVER_DRAINING,
                    "server_draining retry_after_ms=" + random.nextInt(drainSpreadMillis + 1));
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

    private void runTimers()
    {
        drainStep();
        resumeAcceptingAfterBackoff();
        if (nowMs >= nextAddressSweepMs)
        {
            nextAddressSweepMs = nowMs + ADDRESS_SWEEP_INTERVAL_MS;
            addressLimits.sweep(nowMs);
        }
        final long idleMs = settings.idleTimeoutSeconds() * 1000L;
        final long pingMs = settings.pingIntervalSeconds() * 1000L;
        final long headMs = settings.httpHeadTimeoutSeconds() * 1000L;
        final long messageDeadlineMs = settings.messageDeadlineSeconds() * 1000L;
        Frame ping = null;
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
                case Connection.HTTP:
                case Connection.AUTH_PENDING:
                    // a request's head runs from its first byte; an idle keep-alive socket from its last response
                    if (nowMs - (connection.requestInProgress ? connection.requestStartMs : connection.acceptedMs) >=
                        headMs)
                    {
                        counters.headTimeouts.incrementAndGet();
                        abort(connection, CloseCodes.ABNORMAL);
                    }
                    break;
                case Connection.OPEN:
                    bufferedBytes.record(index, connection.bufferedBytes);
                    if (0 != (connection.readPauses & Connection.PAUSE_FRAME_RATE) &&
                        !connection.frameBudget.isInDebt(nowMs))
                    {
                        resumeReading(connection, Connection.PAUSE_FRAME_RATE);
                    }
                    if (connection.messageInProgress && nowMs - connection.messageStartMs >= messageDeadlineMs)
                    {
                        logSampled(counters.messageDeadlines.incrementAndGet(), "message_deadline", connection);
                        closeWith(connection, CloseCodes.POLICY_VIOLATION, "message_deadline");
                    }
                    else if (nowMs - lastSignOfLifeMs(connection) >= idleMs)
                    {
                        counters.idleTimeouts.incrementAndGet();
                        closeWith(connection, CloseCodes.IDLE_TIMEOUT, "idle_timeout");
                    }
                    else if (nowMs - connection.lastPingMs >= pingMs)
                    {
                        if (null == ping)
                        {
                            ping = framePool.acquire(16, MessageType.UNKNOWN, false);
                            ping.sealRaw(0, FrameEncoder.encodePing(ping.buffer(), 0, controlScratch, 0, 0));
                        }
                        connection.lastPingMs = nowMs;
                        ping.retain();
                        enqueueOwned(connection, ping);
                    }
                    break;
                case Connection.CLOSING:
                    if ((connection.closeSent || connection.lingering || connection.awaitingFence) &&
                        nowMs >= connection.closeDeadlineMs)
                    {
                        abort(connection, CloseCodes.ABNORMAL);
                    }
                    else if (!connection.closeSent && nowMs - connection.lastReadMs >= headMs)
                    {
                        // an HTTP response that the peer never reads
                        abort(connection, CloseCodes.ABNORMAL);
                    }
                    break;
                default:
                    break;
            }
        }
        if (null != ping)
        {
            ping.release();
        }
    }

    /**
     * The last read, or, while reading is paused by this agent (backpressure, frame budget), the last write that
     * made progress: a peer must not time out for bytes this agent chose not to read.
     */
    private static long lastSignOfLifeMs(final Connection connection)
    {
        return 0 == (connection.readPauses & (Connection.PAUSE_OUTBOUND | Connection.PAUSE_FRAME_RATE)) ?
            connection.lastReadMs : Math.max(connection.lastReadMs, connection.lastWriteMs);
    }

    private void shutdown()
    {
        final int highWater = table.highWater();
        for (int slot = 0; slot < highWater; slot++)
        {
            final Connection connection = table.at(slot);
            if (null != connection && Connection.FREE != connection.state)
            {
                abort(connection, CloseCodes.GOING_AWAY);
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    private static final class AuthCompletion
    {
        final long connectionId;
        final AuthResult result;

        AuthCompletion(final long connectionId, final AuthResult result)
        {
            this.connectionId = connectionId;
            this.result = result;
        }
    }
}
