package dev.switchboard.net.io;

import com.lmax.disruptor.EventPoller;
import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.ring.DutyCycle;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.admin.AdminApi;
import dev.switchboard.net.cluster.RelayQueue;
import dev.switchboard.net.cluster.RoomDirectory;
import dev.switchboard.net.cluster.RouteDecision;
import dev.switchboard.net.http.HttpRequestParser;
import dev.switchboard.net.http.StaticFiles;
import dev.switchboard.net.http.StatusPages;
import dev.switchboard.net.ws.CloseCodes;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A selector thread that owns a set of sockets end to end: accept, HTTP/1.1, the WebSocket handshake and
 * codec, envelope decoding into the engine's inbound ring, and the outbound drain from its own outbound ring
 * to the sockets with one write per connection per loop turn under bufferedAmount watermarks.
 * <p>
 * The agent owns the selector, the loop, the accepts and the reads; it hands each concern to a part of its
 * own: {@link HttpAdapter} (HTTP and the upgrade), {@link WebSocketInbound} (frames into the engine's ring,
 * behind the one {@link PublishGuard}), {@link OutboundDrain} (the outbound ring to the sockets),
 * {@link RelayRouter} (multi-node routing, {@link NoRelayRouter} on one node), {@link ConnectionTimers} and
 * {@link ConnectionCloser}.
 * <p>
 * Everything here runs on the agent's thread except {@link #wake()} and the auth completion callback, which
 * only touch thread-safe queues.
 */
public final class IoAgent implements Agent, DutyCycle
{
    private static final Logger LOG = LogManager.getLogger(IoAgent.class);

    private static final long TIMER_INTERVAL_MS = ConnectionTimers.TIMER_INTERVAL_MS;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int HEAD_BUFFER_BYTES = HttpRequestParser.MAX_HEAD_BYTES;

    private final int index;
    private final SwitchboardSettings settings;
    private final EpochClock clock;
    private final Selector selector;
    private final ServerSocketChannel serverChannel;
    private final OutboundRing outbound;
    private final ConnectionTable table;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final HeadBufferPool headPool = new HeadBufferPool(HEAD_BUFFER_BYTES, 256);
    private final ManyToOneConcurrentArrayQueue<HttpAdapter.AuthCompletion> authCompletions;
    private final Consumer<SelectionKey> keyHandler = this::onSelectedKey;
    private final Consumer<SelectionKey> parkedKeyHandler = this::onKeyAfterPark;
    private final AdminApi.AnswerSender adminAnswerSender = this::sendAdminAnswer;
    private final EventPoller.Handler<OutboundSlot> outboundHandler;
    private final Runnable drainWhileInboundFull = this::drainOutboundOnly;
    private final IoCounters counters = new IoCounters();
    private final AcceptBackoff acceptBackoff = new AcceptBackoff();
    private final IoLoop loop = new AgentLoop();
    private final AddressAdmission admission;
    private final PublishGuard publishGuard;
    private final WebSocketInbound webSocketInbound;
    private final OutboundDrain drain;
    private final ConnectionCloser closer;
    private final HttpAdapter http;
    private final ConnectionTimers timers;
    private RelayRouter relay = NoRelayRouter.INSTANCE;
    private SelectionKey acceptKey;
    private SelectionKey adminAcceptKey;

    private FramePool framePool;
    private ServerSocketChannel adminChannel;
    private AdminApi adminApi;
    private ManyToOneConcurrentArrayQueue<byte[]> evictions;
    private ManyToOneConcurrentArrayQueue<RouteDecision> routes;
    private long nowMs;
    private long nextTimerMs;
    private volatile WakeableIdleStrategy idle;
    private volatile Thread runningOn;
    private volatile boolean accepting = true;
    private volatile long drainRequestedMillis;
    private volatile int drainSpreadMillis;

    /**
     * Create an agent; run it on an agent runner (its {@link #onStart()} registers the listeners).
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
     * @param addressLimits  the node's per-address limits, shared by its IoAgents ({@link AddressLimits#forNode}).
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
        final BufferedBytesRecorder bufferedBytes,
        final AddressLimits addressLimits) throws IOException
    {
        this.index = index;
        this.settings = settings;
        this.clock = clock;
        this.serverChannel = serverChannel;
        this.outbound = outbound;
        final int capacity = tableCapacity(settings);
        this.table = new ConnectionTable(index, capacity, settings);
        this.authCompletions = new ManyToOneConcurrentArrayQueue<>(Math.max(1024, capacity));
        this.admission = new AddressAdmission(addressLimits, settings, counters, loop);
        this.publishGuard = new PublishGuard(inbound, drainWhileInboundFull);
        this.webSocketInbound = new WebSocketInbound(loop, settings, counters, inbound, publishGuard, admission);
        this.drain = new OutboundDrain(loop, settings, table, counters, outbound);
        this.outboundHandler = drain.handler();
        this.closer = new ConnectionCloser(loop, table, counters, headPool, admission);
        this.http = new HttpAdapter(loop, settings, table, counters, headPool, statusPages, staticFiles,
            authenticator, authCompletions, admission);
        this.timers = new ConnectionTimers(index, loop, settings, table, counters, bufferedBytes, drain, closer);
        webSocketInbound.wire(closer, drain);
        drain.wire(publishGuard, closer, webSocketInbound, http);
        closer.wire(webSocketInbound, drain);
        http.wire(drain, closer, webSocketInbound);
        this.selector = Selector.open();
        outbound.waker(this::wake);
    }

    /**
     * Slots of each IoAgent's connection table with these settings: its share of {@code maxConnections}.
     *
     * @param settings the server's settings.
     * @return slots.
     */
    public static int tableCapacity(final SwitchboardSettings settings)
    {
        return Math.max(1, settings.maxConnections() / settings.ioThreads() + 1);
    }

    /**
     * Multi-node mode, before the agent starts: route each socket's first join or resume by the rooms this node
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
        this.evictions = evictQueue;
        this.routes = routeQueue;
        this.relay = new ClusterRelayRouter(
            directory, relay, evictQueue, routeQueue, table, publishGuard, closer);
        webSocketInbound.relayRouter(this.relay);
    }

    /**
     * Serve the operator port too, before the agent starts: its sockets get the admin API's routes instead of the
     * public ones and are never upgraded.
     *
     * @param channel the operator port's listening socket.
     * @param api     the router of its requests.
     */
    public void serveAdmin(final ServerSocketChannel channel, final AdminApi api)
    {
        this.adminChannel = channel;
        this.adminApi = api;
        http.adminApi(api);
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
            publishGuard.enter();
            try
            {
                drainOutboundOnly();
            }
            finally
            {
                publishGuard.exit();
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
            IoCounters.increment(counters.errors);
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
            adminApi.drainAnswers(adminAnswerSender);
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
        counters.recordLoop(work > 0 ? System.nanoTime() - startNs : 0);
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
        final int before = drain.pendingCount();
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
            IoCounters.increment(counters.errors);
            LOG.error(LogLine.event("io_loop_error").with("ioAgent", index), ex);
        }
    }

    private void onKeyAfterPark(final SelectionKey key)
    {
        // The thread is awake now: what this key publishes to the shards on this thread must not signal it.
        final WakeableIdleStrategy strategy = idle;
        if (null != strategy)
        {
            strategy.awake();
        }
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
                drain.flush(connection);
            }
            if (key.isValid() && key.isReadable() && ConnectionState.FREE != connection.state)
            {
                read(connection);
            }
        }
        catch (final CancelledKeyException ignore)
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
                IoCounters.increment(counters.refused);
                ConnectionCloser.closeQuietly(channel);
                continue;
            }
            if (!admin && !admission.admit(connection, channel))
            {
                table.free(connection);
                ConnectionCloser.closeQuietly(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                connection.channel = channel;
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connection.state = ConnectionState.HTTP;
                connection.admin = admin;
                connection.acceptedMs = nowMs;
                connection.lastReadMs = nowMs;
                counters.connected.lazySet(table.inUse());
                IoCounters.increment(counters.accepted);
            }
            catch (final IOException ex)
            {
                admission.release(connection);
                ConnectionCloser.closeQuietly(channel);
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
        IoCounters.increment(counters.acceptErrors);
        // Both listeners share the process's descriptors: when one cannot accept, neither can.
        setAcceptInterest(0);
        if (acceptBackoff.onFailure(nowMs))
        {
            IoCounters.increment(counters.acceptPauses);
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

    private void acceptAdmin()
    {
        acceptFrom(adminChannel, true, 16);
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

    private void read(final Connection connection)
    {
        for (int reads = 0; reads < 4 && connection.key.isValid() && 0 == connection.readPauses; reads++)
        {
            final ByteBuffer buffer = readBuffer;
            buffer.clear();
            if (ConnectionState.HTTP == connection.state)
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
                closer.abort(connection, CloseCodes.ABNORMAL);
                return;
            }
            if (n < 0)
            {
                closer.abort(connection, CloseCodes.ABNORMAL);
                return;
            }
            if (0 == n)
            {
                return;
            }
            IoCounters.add(counters.bytesIn, n);
            connection.lastReadMs = nowMs;
            if (connection.isLingering())
            {
                continue;
            }
            switch (connection.state)
            {
                case HTTP:
                    http.onHttpBytes(connection, buffer.array(), 0, n);
                    break;
                case OPEN:
                case CLOSING:
                    webSocketInbound.decodeFrames(connection, buffer.array(), 0, n);
                    if (webSocketInbound.pauseIfRoutePending(connection))
                    {
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

    // ---------------------------------------------------------------- the parts' entry points, called by the loop

    private void drainAuthCompletions()
    {
        http.drainAuthCompletions();
    }

    private void sendAdminAnswer(final long connectionId, final byte[] response)
    {
        http.sendAdminAnswer(connectionId, response);
    }

    private void drainEvictions()
    {
        relay.drainEvictions();
    }

    private void drainRoutes()
    {
        relay.drainRoutes();
    }

    private void drainOutboundOnly()
    {
        outbound.poll(outboundHandler);
    }

    private void processDeferred()
    {
        drain.processDeferred();
    }

    private void flushDirty()
    {
        drain.flushDirty();
    }

    private void runTimers()
    {
        timers.drainStep();
        resumeAcceptingAfterBackoff();
        admission.sweep();
        timers.checkConnections();
    }

    private void abort(final Connection connection, final int code)
    {
        closer.abort(connection, code);
    }

    private void shutdown()
    {
        final int highWater = table.highWater();
        for (int slot = 0; slot < highWater; slot++)
        {
            final Connection connection = table.at(slot);
            if (null != connection && ConnectionState.FREE != connection.state)
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

    /**
     * The loop's state as its parts see it: read on the agent's thread, except {@link #wake()}.
     */
    private final class AgentLoop implements IoLoop
    {
        /** {@inheritDoc} */
        @Override
        public long nowMs()
        {
            return nowMs;
        }

        /** {@inheritDoc} */
        @Override
        public FramePool framePool()
        {
            return framePool;
        }

        /** {@inheritDoc} */
        @Override
        public long drainRequestedMs()
        {
            return drainRequestedMillis;
        }

        /** {@inheritDoc} */
        @Override
        public int drainSpreadMs()
        {
            return drainSpreadMillis;
        }

        /** {@inheritDoc} */
        @Override
        public void wake()
        {
            IoAgent.this.wake();
        }
    }
}
