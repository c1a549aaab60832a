package dev.switchboard.net;

import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.RingOutboundPublisher;
import dev.switchboard.engine.ring.AgentThread;
import dev.switchboard.engine.ring.DutyCycle;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.webhook.WebhookEvents;
import dev.switchboard.net.admin.AdminApi;
import dev.switchboard.net.cluster.ClusterNode;
import dev.switchboard.net.http.StaticFiles;
import dev.switchboard.net.http.StatusPages;
import dev.switchboard.net.io.AddressLimits;
import dev.switchboard.net.io.BufferedBytesRecorder;
import dev.switchboard.net.io.IoAgent;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.log.LogMetrics;
import dev.switchboard.net.metrics.LatencyRecorders;
import dev.switchboard.net.metrics.LatencyRecordingConsumer;
import dev.switchboard.net.metrics.MetricsExporter;
import dev.switchboard.net.webhook.WebhookCounters;
import dev.switchboard.net.webhook.WebhookDispatcher;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The running server: the listening socket, the IoAgents, the engine shards and the rings between them, each
 * an Agrona agent placed on threads by {@code threadingMode}: {@code shared} runs the IoAgent and every shard
 * in one {@link CompositeAgent} on one thread that parks in {@code select}; {@code dedicated} gives each its
 * own thread. Built from one settings object; tests start it on port 0 and read {@link #port()}.
 */
public final class ServerRuntime implements AutoCloseable
{
    /** Multi-node start: how many Redis timeouts the node waits for its first Redis connection before serving. */
    public static final int REDIS_START_WAIT_TIMEOUTS = 5;
    /**
     * Multi-node start: the least wait for the first Redis connection, since a cold JVM spends seconds loading and
     * compiling the Redis client before its first connect, which has nothing to do with Redis's own latency.
     */
    public static final long REDIS_START_WAIT_FLOOR_MS = 10_000;

    private static final Logger LOG = LogManager.getLogger(ServerRuntime.class);

    /** Makes the consumer that applies one shard's slots (the room engine in production). */
    @FunctionalInterface
    public interface ShardConsumers
    {
        /**
         * Make one shard's consumer.
         *
         * @param shardIndex the shard.
         * @param thread     the shard's thread, owner of its pools.
         * @param publisher  where the shard's decisions go.
         * @return the consumer.
         */
        SlotConsumer create(int shardIndex, Thread thread, OutboundPublisher publisher);

        /**
         * Make one shard's consumer in multi-node mode, reporting its rooms to the cluster layer; factories that
         * run no room engine ignore the hooks.
         *
         * @param shardIndex   the shard.
         * @param thread       the shard's thread, owner of its pools.
         * @param publisher    where the shard's decisions go.
         * @param clusterHooks the cluster layer.
         * @return the consumer.
         */
        default SlotConsumer create(
            final int shardIndex,
            final Thread thread,
            final OutboundPublisher publisher,
            final ClusterHooks clusterHooks)
        {
            return create(shardIndex, thread, publisher);
        }
    }

    private static final AtomicBoolean JVM_METRICS_TAKEN =
        new AtomicBoolean();

    private final SwitchboardSettings settings;
    private final ServerSocketChannel serverChannel;
    private final ServerSocketChannel adminChannel;
    private final EngineShard[] shards;
    private final OutboundRing[] outboundRings;
    private final IoAgent[] agents;
    private final AgentThread[] engineThreads;
    private final AgentThread[] ioAgentThreads;
    private final WakeableIdleStrategy[] idles;
    private final String[] idleNames;
    private final long startedMs;
    private final EpochClock clock;
    private final LatencyRecorders[] latencyRecorders;
    private final EngineHost[] engineHosts;
    private final BufferedBytesRecorder bufferedBytes;
    private final MetricsExporter exporter;
    private final ClusterNode cluster;
    private final WebhookCounters webhookCounters = new WebhookCounters();
    private final WebhookDispatcher webhooks;
    private volatile boolean draining;

    /**
     * Build every part; nothing runs until {@link #start()}.
     *
     * @param settings      validated settings.
     * @param clock         wall clock.
     * @param consumers     makes each shard's consumer.
     * @param authenticator maps authTokens to users, off the IO threads.
     * @param statusPages   bodies of /healthz and /metrics, or null for the server's own.
     * @throws IOException if the port cannot be bound.
     */
    public ServerRuntime(
        final SwitchboardSettings settings,
        final EpochClock clock,
        final ShardConsumers consumers,
        final Authenticator authenticator,
        final StatusPages statusPages) throws IOException
    {
        this.settings = settings;
        this.clock = clock;
        this.startedMs = clock.time();
        final int ioThreads = settings.ioThreads();
        final int engineThreads = settings.engineThreads();
        final boolean shared = "shared".equals(settings.threadingMode());
        ioAgentThreads = ioAgentThreads(settings, shared);
        this.engineThreads = shared ? new AgentThread[0] : engineAgentThreads(settings);

        // Multi-node: the cluster agent is one more producer of every IoAgent's ring (frames relayed back from
        // the rooms' owners), and owns one more ring, after the IoAgents', for the sockets relayed here.
        cluster = settings.isClustered() ? new ClusterNode(settings, clock, ioThreads) : null;
        outboundRings = new OutboundRing[ioThreads];
        for (int i = 0; i < ioThreads; i++)
        {
            outboundRings[i] = new OutboundRing(settings.ringSize() * 4, engineThreads > 1 || null != cluster);
        }
        final WebhookEvents[] outboxes = webhookOutboxes(settings, webhookCounters);
        shards = new EngineShard[engineThreads];
        latencyRecorders = new LatencyRecorders[engineThreads];
        final EngineHost[] hosts = new EngineHost[engineThreads];
        for (int i = 0; i < engineThreads; i++)
        {
            latencyRecorders[i] = new LatencyRecorders();
            shards[i] = newShard(i, consumers, outboxes, hosts,
                (shared ? ioAgentThreads[i % ioThreads] : this.engineThreads[i]).thread());
        }
        engineHosts = presentHosts(hosts);
        final EngineCounters[] engineCounters = new EngineCounters[engineHosts.length];
        for (int i = 0; i < engineHosts.length; i++)
        {
            engineCounters[i] = engineHosts[i].counters();
        }
        bufferedBytes = new BufferedBytesRecorder(ioThreads);
        final InboundPublisher inbound = new InboundPublisher(shards);
        if (null != cluster)
        {
            cluster.attach(inbound, outboundRings);
        }
        serverChannel = openListener(settings);
        exporter = newExporter(engineCounters, null != outboxes);
        final StatusPages pages = null != statusPages ? statusPages : new SwitchboardStatusPages(this, exporter);
        webhooks = null != outboxes ? new WebhookDispatcher(settings, outboxes, webhookCounters, clock) : null;
        adminChannel = settings.adminPort() >= 0 ? OperatorPort.open(settings) : null;
        agents = newAgents(inbound, authenticator, pages);
        idles = shared ? new WakeableIdleStrategy[ioThreads] : new WakeableIdleStrategy[ioThreads + engineThreads];
        idleNames = new String[idles.length];
        placeAgents(shared);
        registerWakeups();
        LogMetrics.register(exporter.registry());
    }

    /** Shared mode: a thread per IoAgent, which also runs its shards; pinned to the IO CPUs, else the engine's. */
    private static AgentThread[] ioAgentThreads(final SwitchboardSettings settings, final boolean shared)
    {
        final AgentThread[] threads = new AgentThread[settings.ioThreads()];
        for (int i = 0; i < threads.length; i++)
        {
            final int cpu = !shared || null != settings.ioCpus() ? SwitchboardSettings.cpuFor(settings.ioCpus(), i) :
                SwitchboardSettings.cpuFor(settings.engineCpus(), i);
            threads[i] = new AgentThread((shared ? "switchboard-shared-" : "switchboard-io-") + i, cpu);
        }
        return threads;
    }

    /** Dedicated mode: a thread per engine shard. */
    private static AgentThread[] engineAgentThreads(final SwitchboardSettings settings)
    {
        final AgentThread[] threads = new AgentThread[settings.engineThreads()];
        for (int i = 0; i < threads.length; i++)
        {
            threads[i] = new AgentThread("switchboard-engine-" + i, SwitchboardSettings.cpuFor(settings.engineCpus(), i));
        }
        return threads;
    }

    /** The rings every shard publishes to: the IoAgents', then, on a cluster, the cluster agent's own. */
    private OutboundRing[] publisherRings()
    {
        if (null == cluster)
        {
            return outboundRings;
        }
        final OutboundRing[] rings = Arrays.copyOf(outboundRings, outboundRings.length + 1);
        rings[outboundRings.length] = cluster.ownRing();
        return rings;
    }

    private EngineShard newShard(
        final int index,
        final ShardConsumers consumers,
        final WebhookEvents[] outboxes,
        final EngineHost[] hosts,
        final Thread thread)
    {
        final OutboundPublisher publisher = new RingOutboundPublisher(publisherRings());
        final ClusterHooks clusterHooks = null != cluster ? cluster.hooks() : ClusterHooks.NONE;
        final LatencyRecorders recorders = latencyRecorders[index];
        // Ticks are deadlines in the shard's own duty cycle, so the ring's producers are the IoAgents and the
        // cluster agent only: single-producer with one IoAgent on a single node.
        return new EngineShard(index, settings.ringSize(), settings.ioThreads() > 1 || null != cluster,
            SystemNanoClock.INSTANCE, settings.tickMillis() * 1_000_000L, thread,
            (shardIndex, shardThread) ->
            {
                final SlotConsumer consumer = null != cluster ?
                    consumers.create(shardIndex, shardThread, publisher, clusterHooks) :
                    consumers.create(shardIndex, shardThread, publisher);
                if (consumer instanceof EngineHost)
                {
                    hosts[shardIndex] = (EngineHost)consumer;
                    if (null != outboxes)
                    {
                        hosts[shardIndex].engine().webhookEvents(outboxes[shardIndex]);
                    }
                }
                return new FencingConsumer(
                    new LatencyRecordingConsumer(consumer, recorders, SystemNanoClock.INSTANCE), publisher);
            });
    }

    private static EngineHost[] presentHosts(final EngineHost[] hosts)
    {
        int count = 0;
        for (final EngineHost host : hosts)
        {
            count += null != host ? 1 : 0;
        }
        final EngineHost[] present = new EngineHost[count];
        for (int i = 0, j = 0; i < hosts.length; i++)
        {
            if (null != hosts[i])
            {
                present[j++] = hosts[i];
            }
        }
        return present;
    }

    private static ServerSocketChannel openListener(final SwitchboardSettings settings) throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
        channel.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 4096);
        channel.configureBlocking(false);
        return channel;
    }

    private MetricsExporter newExporter(final EngineCounters[] engineCounters, final boolean webhooksOn)
    {
        return MetricsExporter.builder()
            .ioCounters(this::ioCounters)
            .engineCounters(() -> engineCounters)
            .shards(this::shards)
            .latencyRecorders(() -> latencyRecorders)
            .bufferedBytes(bufferedBytes)
            .buildInfo(BuildInfo.version(), BuildInfo.javaVersion())
            .overallRateLimited(() ->
            {
                long total = 0;
                for (final EngineCounters counters : engineCounters)
                {
                    total += counters.rateLimitedOverall();
                }
                return total;
            })
            .renderEverySample(true)
            .draining(() -> draining)
            .cluster(null != cluster ? cluster.counters() : null)
            .webhooks(webhooksOn ? webhookCounters : null)
            // The JVM collectors hook JMX listeners that live as long as the JVM: register them for the first
            // runtime only (one per process in production; tests start many).
            .jvmMetrics(JVM_METRICS_TAKEN.compareAndSet(false, true))
            .build();
    }

    private IoAgent[] newAgents(
        final InboundPublisher inbound, final Authenticator authenticator, final StatusPages pages) throws IOException
    {
        final StaticFiles staticFiles = StaticFiles.load("harness");
        final IoAgent[] ioAgents = new IoAgent[settings.ioThreads()];
        final AddressLimits addressLimits = AddressLimits.forNode(settings);
        for (int i = 0; i < ioAgents.length; i++)
        {
            ioAgents[i] = new IoAgent(i, settings, clock, serverChannel, inbound, outboundRings[i], authenticator,
                pages, staticFiles, bufferedBytes, addressLimits);
            if (0 == i && null != adminChannel)
            {
                ioAgents[i].serveAdmin(adminChannel, new AdminApi(settings.adminToken(), pages,
                    () -> OperatorPort.roomList(engineHosts), inbound, settings.maxPayloadBytes()));
            }
            if (null != cluster)
            {
                ioAgents[i].joinCluster(cluster.directory(), cluster.relayQueue(), cluster.evictions(i),
                    cluster.routes(i));
            }
        }
        return ioAgents;
    }

    private void registerWakeups()
    {
        CounterWithCallback.builder()
            .name("wakeups_total")
            .help("Signals a producer sent to a parked agent thread (selector wakeup or unpark), by thread.")
            .labelNames("target")
            .callback((callback) ->
            {
                for (int i = 0; i < idles.length; i++)
                {
                    callback.call(idles[i].wakeups(), idleNames[i]);
                }
                if (null != cluster)
                {
                    callback.call(cluster.wakeups(), "cluster");
                }
            })
            .register(exporter.registry());
    }

    /**
     * Give every IoAgent and shard its idle strategy (the one producers wake): in shared mode each IoAgent's
     * thread runs the shards i with i mod ioThreads equal to its index and parks in that IoAgent's
     * {@code select}; in dedicated mode each has its own thread.
     */
    private void placeAgents(final boolean shared)
    {
        final String waitStrategy = settings.waitStrategy();
        for (int i = 0; i < agents.length; i++)
        {
            final EngineShard[] own = shared ? shardsOf(i) : new EngineShard[0];
            final DutyCycle[] cycles = new DutyCycle[1 + own.length];
            cycles[0] = agents[i];
            System.arraycopy(own, 0, cycles, 1, own.length);
            idles[i] = new WakeableIdleStrategy(waitStrategy, DutyCycle.all(cycles), agents[i].selectorParker());
            idleNames[i] = (shared ? "shared-" : "io-") + i;
            agents[i].idleStrategy(idles[i]);
            for (final EngineShard shard : own)
            {
                shard.idleStrategy(idles[i]);
            }
        }
        if (shared)
        {
            return;
        }
        for (int i = 0; i < shards.length; i++)
        {
            final WakeableIdleStrategy idle = WakeableIdleStrategy.threadParking(waitStrategy, shards[i]);
            idles[agents.length + i] = idle;
            idleNames[agents.length + i] = "engine-" + i;
            shards[i].idleStrategy(idle);
        }
    }

    /** Shared mode: the shards that run on IoAgent {@code ioIndex}'s thread. */
    private EngineShard[] shardsOf(final int ioIndex)
    {
        final int count = (shards.length - ioIndex + agents.length - 1) / agents.length;
        final EngineShard[] own = new EngineShard[Math.max(0, count)];
        for (int i = ioIndex, j = 0; i < shards.length; i += agents.length)
        {
            own[j++] = shards[i];
        }
        return own;
    }

    /**
     * Start the agent threads: engine shards first, then (after the cluster's Redis link) the IoAgents.
     */
    public void start()
    {
        LOG.info(LogLine.event("threading").with("threadingMode", settings.threadingMode())
            .with("waitStrategy", settings.waitStrategy()).with("ioThreads", settings.ioThreads())
            .with("engineThreads", settings.engineThreads())
            .with("agentThreads", engineThreads.length + ioAgentThreads.length));
        for (int i = 0; i < engineThreads.length; i++)
        {
            engineThreads[i].start(idles[agents.length + i], shards[i]::onError, shards[i]);
        }
        if (null != cluster)
        {
            cluster.start();
            awaitRedis(Math.max(REDIS_START_WAIT_FLOOR_MS, REDIS_START_WAIT_TIMEOUTS * (long)settings.redisTimeoutMillis()));
        }
        exporter.start();
        if (null != webhooks)
        {
            webhooks.start();
        }
        final boolean shared = 0 == engineThreads.length;
        for (int i = 0; i < agents.length; i++)
        {
            final EngineShard[] own = shared ? shardsOf(i) : new EngineShard[0];
            if (0 == own.length)
            {
                ioAgentThreads[i].start(idles[i], ServerRuntime::onAgentError, agents[i]);
                continue;
            }
            final Agent[] all = new Agent[2 + own.length];
            all[0] = agents[i];
            System.arraycopy(own, 0, all, 1, own.length);
            all[all.length - 1] = new FlushAfterEngines(agents[i]);
            ioAgentThreads[i].start(idles[i], ServerRuntime::onAgentError, new CompositeAgent(all));
        }
    }

    private static void onAgentError(final Throwable ex)
    {
        LOG.error(LogLine.event("agent_error"), ex);
    }

    /**
     * Shared mode: after the engines, write what they sent, so a reply leaves in the duty cycle that read its
     * request, before the thread parks.
     */
    private static final class FlushAfterEngines implements Agent
    {
        private final IoAgent agent;

        FlushAfterEngines(final IoAgent agent)
        {
            this.agent = agent;
        }

        @Override
        public int doWork()
        {
            return agent.flushOutbound();
        }

        @Override
        public String roleName()
        {
            return "io-flush";
        }
    }

    /**
     * Multi-node: hold the IoAgents back until the cluster agent's Redis link is up, so that the first sockets
     * (a load balancer or clients that reconnect when a node restarts) are not answered {@code
     * cluster_unavailable} only because the node has not connected yet. Bounded: when Redis stays unreachable
     * the node serves anyway, as it would after losing Redis, and says so in the log.
     */
    private void awaitRedis(final long timeoutMs)
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutMs * 1_000_000L;
        while (!cluster.counters().redisUp && System.nanoTime() - deadlineNs < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        final long waitedMs = (System.nanoTime() - startNs) / 1_000_000L;
        if (cluster.counters().redisUp)
        {
            LOG.info(LogLine.event("redis_ready").with("waitedMs", waitedMs));
        }
        else
        {
            LOG.warn(LogLine.event("redis_unreachable_at_start").with("waitedMs", waitedMs).with("action", "serving; " +
                "joins and resumes for rooms not owned here answer cluster_unavailable until Redis is reachable"));
        }
    }

    /**
     * The hosted room engines (empty when the shards run something else, as in front-end tests).
     *
     * @return one per shard that runs an engine.
     */
    public EngineHost[] engineHosts()
    {
        return engineHosts.clone();
    }

    /**
     * Multi-node mode: the cluster node.
     *
     * @return the node, or null on a single node.
     */
    public ClusterNode cluster()
    {
        return cluster;
    }

    /**
     * Multi-node mode: hand every owned room over to the cluster (snapshots, then lease release) before the
     * sockets are drained; does nothing on a single node. Called by the drain thread.
     *
     * @param timeoutMs longest wait.
     * @return true when the handover finished in time (always true on a single node).
     */
    public boolean handOverRooms(final long timeoutMs)
    {
        return null == cluster || cluster.handOver(timeoutMs);
    }

    /**
     * The Prometheus exporter behind /metrics.
     *
     * @return the exporter.
     */
    public MetricsExporter metrics()
    {
        return exporter;
    }

    /**
     * The bound port (useful when configured as 0).
     *
     * @return the local port.
     */
    public int port()
    {
        try
        {
            return ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * Webhook delivery counts (all zero while webhooks are off).
     *
     * @return the counters.
     */
    public WebhookCounters webhookCounters()
    {
        return webhookCounters;
    }

    private static WebhookEvents[] webhookOutboxes(final SwitchboardSettings settings, final WebhookCounters counters)
    {
        if (null == settings.webhookUrl())
        {
            return null;
        }
        if (null == settings.webhookSecret())
        {
            throw new IllegalArgumentException("webhookUrl needs webhookSecret: every webhook body is signed");
        }
        final WebhookEvents[] outboxes = new WebhookEvents[settings.engineThreads()];
        for (int i = 0; i < outboxes.length; i++)
        {
            outboxes[i] = new WebhookEvents(settings.webhookQueueSize(), counters.droppedQueueFull);
        }
        return outboxes;
    }

    /**
     * The bound operator port.
     *
     * @return the local port, or -1 when the operator port is off.
     */
    public int adminPort()
    {
        return null == adminChannel ? -1 : OperatorPort.localPort(adminChannel);
    }

    /**
     * The settings this server runs with.
     *
     * @return settings.
     */
    public SwitchboardSettings settings()
    {
        return settings;
    }

    /**
     * Seconds since start.
     *
     * @return uptime.
     */
    public long uptimeSeconds()
    {
        return (clock.time() - startedMs) / 1000;
    }

    /**
     * Open sockets over all IoAgents.
     *
     * @return count.
     */
    public long connectedSockets()
    {
        long total = 0;
        for (final IoAgent agent : agents)
        {
            total += agent.counters().connected.get();
        }
        return total;
    }

    /**
     * The IoAgents' counters.
     *
     * @return one per agent.
     */
    public IoCounters[] ioCounters()
    {
        final IoCounters[] counters = new IoCounters[agents.length];
        for (int i = 0; i < agents.length; i++)
        {
            counters[i] = agents[i].counters();
        }
        return counters;
    }

    /**
     * The engine shards.
     *
     * @return the shards.
     */
    public EngineShard[] shards()
    {
        return shards.clone();
    }

    /**
     * The IoAgents.
     *
     * @return the agents.
     */
    public IoAgent[] agents()
    {
        return agents.clone();
    }

    /**
     * Start a graceful drain: /healthz answers 503 "draining", no new sockets are accepted, and open sockets are
     * closed in batches over {@code drainSeconds} with {@code 4000 server_draining retry_after_ms=N}.
     */
    public void beginDrain()
    {
        draining = true;
        for (final IoAgent agent : agents)
        {
            agent.beginDrain(settings.drainSeconds() * 1000L, settings.drainSpreadMillis());
        }
    }

    /**
     * Whether a drain has begun.
     *
     * @return true while draining.
     */
    public boolean isDraining()
    {
        return draining;
    }

    /**
     * Stop accepting, close every socket and stop every thread.
     */
    @Override
    public void close()
    {
        for (final IoAgent agent : agents)
        {
            agent.stopAccepting();
        }
        try
        {
            serverChannel.close();
            if (null != adminChannel)
            {
                adminChannel.close();
            }
        }
        catch (final IOException ignore)
        {
            // shutting down anyway
        }
        // The IoAgents close their sockets on their own threads (in shared mode the composite then lets the
        // shards apply the closes); dedicated engine threads stop last, after applying what is in their rings.
        for (final AgentThread thread : ioAgentThreads)
        {
            thread.close();
        }
        if (null != webhooks)
        {
            webhooks.close();
        }
        if (null != cluster)
        {
            cluster.close();
        }
        exporter.close();
        for (final AgentThread thread : engineThreads)
        {
            thread.close();
        }
    }

    /**
     * Signals sent to parked agent threads, summed over the node's threads (reported as {@code wakeups_total}).
     *
     * @return count.
     */
    public long wakeups()
    {
        long total = 0;
        for (final WakeableIdleStrategy idle : idles)
        {
            total += idle.wakeups();
        }
        return total;
    }
}
