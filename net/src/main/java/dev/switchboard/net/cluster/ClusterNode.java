package dev.switchboard.net.cluster;

import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.ring.DutyCycle;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Multi-node mode of one server: the cluster agent, its Redis link, and the queues and rings that connect it
 * to the IoAgents and engine shards. Built by the server runtime only when {@code redisUrl} is set.
 */
public final class ClusterNode implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);
    private static final long PARK_NS = 5_000_000L;
    private static final int RELAY_QUEUE_BYTES = 4 * 1024 * 1024;
    private static final int HOOKS_QUEUE_BYTES = 16 * 1024 * 1024;
    private static final int INBOX_CAPACITY = 64 * 1024;
    private static final int UNDELIVERABLE_CAPACITY = 4 * 1024;

    private final SwitchboardSettings settings;
    private final String nodeId;
    private final EpochClock clock;
    private final ClusterCounters counters = new ClusterCounters();
    private final AtomicLong inboxDrops = new AtomicLong();
    private final RoomDirectory directory = new RoomDirectory();
    private final RelayQueue relayQueue;
    private final ClusterHooksQueue hooks;
    private final ManyToOneConcurrentArrayQueue<byte[]> inbox = new ManyToOneConcurrentArrayQueue<>(INBOX_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<byte[]> undeliverable =
        new ManyToOneConcurrentArrayQueue<>(UNDELIVERABLE_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<byte[]>[] evictions;
    private final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes;
    private final OutboundRing ownRing;
    private final int ownAgentIndex;
    private final RedisLink link;
    private ClusterAgent agent;
    private AgentRunner runner;
    private WakeableIdleStrategy idle;

    /**
     * Prepare the node; {@link #attach} and {@link #start} follow once the rings exist.
     *
     * @param settings  settings with {@code redisUrl} set.
     * @param clock     wall clock.
     * @param ioThreads number of IoAgents (the agent's index in virtual connection ids).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ClusterNode(final SwitchboardSettings settings, final EpochClock clock, final int ioThreads)
    {
        this.settings = settings;
        this.clock = clock;
        this.nodeId = null != settings.nodeId() ? settings.nodeId() : generatedNodeId();
        this.relayQueue = new RelayQueue(RELAY_QUEUE_BYTES, this::wake);
        this.hooks = new ClusterHooksQueue(HOOKS_QUEUE_BYTES, settings.snapshotIntervalMillis(), this::wake);
        this.counters.hooksDropped = hooks::dropped;
        this.ownAgentIndex = ioThreads;
        this.ownRing = new OutboundRing(settings.ringSize() * 4, settings.engineThreads() > 1);
        this.ownRing.waker(this::wake);
        this.evictions = new ManyToOneConcurrentArrayQueue[ioThreads];
        this.routes = new ManyToOneConcurrentArrayQueue[ioThreads];
        for (int i = 0; i < ioThreads; i++)
        {
            evictions[i] = new ManyToOneConcurrentArrayQueue<>(1024);
            routes[i] = new ManyToOneConcurrentArrayQueue<>(Math.max(1024, settings.maxConnections() / ioThreads + 1));
        }
        this.link = new RedisLink(settings.redisUrl(), settings.redisTimeoutMillis(), ClusterKeys.channel(nodeId),
            (channel, message) ->
            {
                if (!inbox.offer(message) && !undeliverable.offer(message))
                {
                    inboxDrops.incrementAndGet();
                    final long total = counters.onBatchDropped(RelayDrop.INBOX_FULL);
                    if (counters.dropLog.due(RelayDrop.INBOX_FULL.ordinal(), clock.time()))
                    {
                        LOG.warn(LogLine.event("cluster_batch_dropped").with("reason", "inbox_full")
                            .with("bytes", message.length).with("droppedTotal", total));
                    }
                }
                wake();
            }, true);
    }

    private static String generatedNodeId()
    {
        final SecureRandom random = new SecureRandom();
        final StringBuilder sb = new StringBuilder("node-");
        final String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 10; i++)
        {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /**
     * Build the agent once the shards and the IoAgents' rings exist.
     *
     * @param inbound door into the engine shards.
     * @param ioRings the IoAgents' outbound rings.
     */
    public void attach(final InboundPublisher inbound, final OutboundRing[] ioRings)
    {
        agent = new ClusterAgent(new ClusterContext().settings(settings).nodeId(nodeId).clock(clock).link(link)
            .inbound(inbound).ownRing(ownRing).ownAgentIndex(ownAgentIndex).ioRings(ioRings).relayQueue(relayQueue)
            .hooks(hooks).directory(directory).evictions(evictions).routes(routes).inbox(inbox)
            .undeliverable(undeliverable).counters(counters).waker(this::wake).conclude());
        runner = new AgentRunner(
            idle = WakeableIdleStrategy.threadParking("blocking", new AgentDutyCycle()),
            ex -> LOG.error(LogLine.event("cluster_agent_error"), ex), null, agent);
    }

    /**
     * Start the agent thread and log the cluster settings.
     */
    public void start()
    {
        LOG.info(LogLine.event("cluster").with("nodeId", nodeId).with("leaseTtlMillis", settings.leaseTtlMillis())
            .with("snapshotIntervalMillis", settings.snapshotIntervalMillis())
            .with("redisTimeoutMillis", settings.redisTimeoutMillis()));
        AgentRunner.startOnThread(runner);
    }

    /**
     * Wake the agent; cheap when it is awake. Any thread.
     */
    public void wake()
    {
        final WakeableIdleStrategy strategy = idle;
        if (null != strategy)
        {
            strategy.wake();
        }
    }

    /**
     * Signals sent to the parked cluster agent thread.
     *
     * @return count, 0 before {@link #attach}.
     */
    public long wakeups()
    {
        return null == idle ? 0 : idle.wakeups();
    }

    /**
     * This node's id.
     *
     * @return the id.
     */
    public String nodeId()
    {
        return nodeId;
    }

    /**
     * The hooks the engine shards report to.
     *
     * @return the hooks.
     */
    public ClusterHooks hooks()
    {
        return hooks;
    }

    /**
     * The ring the shards fill for virtual connections (index {@link #ownAgentIndex()} of their publishers).
     *
     * @return the ring.
     */
    public OutboundRing ownRing()
    {
        return ownRing;
    }

    /**
     * Agent index of virtual connections: one past the last IoAgent.
     *
     * @return the index.
     */
    public int ownAgentIndex()
    {
        return ownAgentIndex;
    }

    /**
     * The owned-room view the IoAgents route by.
     *
     * @return the directory.
     */
    public RoomDirectory directory()
    {
        return directory;
    }

    /**
     * Where IoAgents put the records of relayed sockets.
     *
     * @return the queue.
     */
    public RelayQueue relayQueue()
    {
        return relayQueue;
    }

    /**
     * Rooms whose sockets an IoAgent must close with 4012.
     *
     * @param ioAgent the IoAgent's index.
     * @return its queue.
     */
    public ManyToOneConcurrentArrayQueue<byte[]> evictions(final int ioAgent)
    {
        return evictions[ioAgent];
    }

    /**
     * Route decisions for the sockets an IoAgent paused on their first join or resume.
     *
     * @param ioAgent the IoAgent's index.
     * @return its queue.
     */
    public ManyToOneConcurrentArrayQueue<RouteDecision> routes(final int ioAgent)
    {
        return routes[ioAgent];
    }

    /**
     * What the agent counts.
     *
     * @return counters.
     */
    public ClusterCounters counters()
    {
        return counters;
    }

    /**
     * Live node ids from the last heartbeat.
     *
     * @return node ids.
     */
    public List<String> liveNodes()
    {
        return counters.liveNodes;
    }

    /**
     * Hand every owned room over (drain): snapshot them, release their leases; waits at most the given time.
     * Called by the drain thread, never by an IoAgent or engine thread.
     *
     * @param timeoutMs longest wait.
     * @return true when the handover finished in time.
     */
    public boolean handOver(final long timeoutMs)
    {
        if (null == agent)
        {
            return true;
        }
        agent.requestHandover();
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!agent.isHandoverDone() && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(5_000_000L);
        }
        return agent.isHandoverDone();
    }

    /**
     * Stop the agent and close the Redis link.
     */
    @Override
    public void close()
    {
        if (null != runner)
        {
            runner.close();
        }
        link.close();
    }

    /** The agent parks until work is queued for it, or for at most {@code PARK_NS} (it polls Redis replies). */
    private final class AgentDutyCycle implements DutyCycle
    {
        @Override
        public boolean hasPendingWork()
        {
            return agent.hasPendingWork();
        }

        @Override
        public long parkTimeoutNs()
        {
            return PARK_NS;
        }
    }
}
