package dev.switchboard.net.cluster;

import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Everything a {@link ClusterAgent} is built from, set with fluent setters and checked once by {@link #conclude()},
 * which also converts the settings the agent needs into the units it works in.
 * <p>
 * Used by one thread while it is built; the agent reads it only after {@link #conclude()}.
 */
public final class ClusterContext
{
    /** Fewest virtual connection slots, whatever {@code maxConnections} says. */
    static final int MIN_VIRTUAL_CAPACITY = 16;
    /** Bytes of a relayed record beyond the largest payload: kind, connection id, auth user id and framing. */
    static final int RECORD_OVERHEAD_BYTES = 256;

    private SwitchboardSettings settings;
    private String nodeId;
    private EpochClock clock;
    private RedisLink link;
    private InboundPublisher inbound;
    private OutboundRing ownRing;
    private int ownAgentIndex = -1;
    private OutboundRing[] ioRings;
    private RelayQueue relayQueue;
    private ClusterHooksQueue hooks;
    private RoomDirectory directory;
    private ManyToOneConcurrentArrayQueue<byte[]>[] evictions;
    private ManyToOneConcurrentArrayQueue<RouteDecision>[] routes;
    private ManyToOneConcurrentArrayQueue<byte[]> inbox;
    private ManyToOneConcurrentArrayQueue<byte[]> undeliverable;
    private ClusterCounters counters;
    private Runnable waker;

    private boolean concluded;
    private int leaseTtlMs;
    private long renewIntervalMs;
    private long redisTimeoutMs;
    private long snapshotTtlMs;
    private int virtualCapacity;
    private int maxPayloadBytes;
    private int recordCapacityBytes;

    /**
     * Check that every part is set and consistent, and derive the agent's durations once.
     *
     * @return this.
     * @throws IllegalStateException    when called twice.
     * @throws IllegalArgumentException when a part is missing or the parts do not fit together.
     */
    public ClusterContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("ClusterContext already concluded");
        }
        require(settings, "settings");
        require(nodeId, "nodeId");
        require(clock, "clock");
        require(link, "link");
        require(inbound, "inbound");
        require(ownRing, "ownRing");
        require(ioRings, "ioRings");
        require(relayQueue, "relayQueue");
        require(hooks, "hooks");
        require(directory, "directory");
        require(evictions, "evictions");
        require(routes, "routes");
        require(inbox, "inbox");
        require(undeliverable, "undeliverable");
        require(counters, "counters");
        require(waker, "waker");
        ioRings = ioRings.clone();
        evictions = evictions.clone();
        routes = routes.clone();
        final byte[] id = ClusterKeys.ascii(nodeId);
        if (!RelayBatchDecoder.isNodeId(id, 0, id.length))
        {
            throw new IllegalArgumentException("nodeId is not a valid node id: " + nodeId);
        }
        if (evictions.length != ioRings.length || routes.length != ioRings.length)
        {
            throw new IllegalArgumentException("one eviction and one route queue per IoAgent ring: ioRings=" +
                ioRings.length + " evictions=" + evictions.length + " routes=" + routes.length);
        }
        if (ownAgentIndex < ioRings.length || ownAgentIndex > 0xFF)
        {
            throw new IllegalArgumentException(
                "ownAgentIndex must follow the IoAgents' indexes and fit a connection id, got " + ownAgentIndex);
        }
        if (settings.leaseTtlMillis() <= 0)
        {
            throw new IllegalArgumentException("leaseTtlMillis must be positive, got " + settings.leaseTtlMillis());
        }
        leaseTtlMs = settings.leaseTtlMillis();
        renewIntervalMs = Math.max(1, leaseTtlMs / 3);
        redisTimeoutMs = settings.redisTimeoutMillis();
        snapshotTtlMs = snapshotTtlMs(settings);
        virtualCapacity = virtualCapacity(settings);
        maxPayloadBytes = settings.maxPayloadBytes();
        recordCapacityBytes = maxPayloadBytes + RECORD_OVERHEAD_BYTES;
        concluded = true;
        return this;
    }

    /**
     * Slots of the virtual connection table a node with these settings gets.
     *
     * @param settings the node's settings.
     * @return slots: at least {@code maxConnections}, within a connection id's slot bits.
     */
    public static int virtualCapacity(final SwitchboardSettings settings)
    {
        return Math.min(ConnectionIds.MAX_SLOTS, Math.max(MIN_VIRTUAL_CAPACITY, settings.maxConnections()));
    }

    /**
     * How long a snapshot outlives its last write: every session in it may still resume, and the room may wait for
     * its host, after the owner died.
     *
     * @param settings settings.
     * @return milliseconds.
     */
    public static long snapshotTtlMs(final SwitchboardSettings settings)
    {
        return (settings.resumeWindowSeconds() + (long)settings.hostlessRoomSeconds()) * 1000L +
            2L * settings.leaseTtlMillis();
    }

    private static void require(final Object value, final String name)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(name + " must be set");
        }
    }

    private void checkConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("ClusterContext not concluded");
        }
    }

    /**
     * Whether {@link #conclude()} has run.
     *
     * @return true once concluded.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * Lease lifetime, after {@link #conclude()}.
     *
     * @return milliseconds.
     */
    public int leaseTtlMs()
    {
        checkConcluded();
        return leaseTtlMs;
    }

    /**
     * Time between two renewals of every owned lease (a third of the lease lifetime), after {@link #conclude()}.
     *
     * @return milliseconds.
     */
    public long renewIntervalMs()
    {
        checkConcluded();
        return renewIntervalMs;
    }

    /**
     * Longest wait for one Redis command, after {@link #conclude()}.
     *
     * @return milliseconds.
     */
    public long redisTimeoutMs()
    {
        checkConcluded();
        return redisTimeoutMs;
    }

    /**
     * How long a snapshot outlives its last write, after {@link #conclude()}.
     *
     * @return milliseconds.
     */
    public long snapshotTtlMs()
    {
        checkConcluded();
        return snapshotTtlMs;
    }

    /**
     * Slots for sockets of other nodes served here, after {@link #conclude()}.
     *
     * @return number of virtual connections at most.
     */
    public int virtualCapacity()
    {
        checkConcluded();
        return virtualCapacity;
    }

    /**
     * Largest client message, after {@link #conclude()}.
     *
     * @return bytes.
     */
    public int maxPayloadBytes()
    {
        checkConcluded();
        return maxPayloadBytes;
    }

    /**
     * Size of the buffer one relayed record is copied into, after {@link #conclude()}.
     *
     * @return bytes.
     */
    public int recordCapacityBytes()
    {
        checkConcluded();
        return recordCapacityBytes;
    }

    /**
     * Validated settings.
     *
     * @param settings settings.
     * @return this.
     */
    public ClusterContext settings(final SwitchboardSettings settings)
    {
        this.settings = settings;
        return this;
    }

    /**
     * Validated settings.
     *
     * @return settings.
     */
    public SwitchboardSettings settings()
    {
        return settings;
    }

    /**
     * This node's id.
     *
     * @param nodeId id, the ASCII letters, digits, '-', '_' and '.' a node id allows.
     * @return this.
     */
    public ClusterContext nodeId(final String nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * This node's id.
     *
     * @return id.
     */
    public String nodeId()
    {
        return nodeId;
    }

    /**
     * Wall clock the agent reads once per duty cycle.
     *
     * @param clock clock; tests pass a fake one.
     * @return this.
     */
    public ClusterContext clock(final EpochClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * Wall clock the agent reads once per duty cycle.
     *
     * @return clock.
     */
    public EpochClock clock()
    {
        return clock;
    }

    /**
     * The Redis connections.
     *
     * @param link link.
     * @return this.
     */
    public ClusterContext link(final RedisLink link)
    {
        this.link = link;
        return this;
    }

    /**
     * The Redis connections.
     *
     * @return link.
     */
    public RedisLink link()
    {
        return link;
    }

    /**
     * Door into the engine shards.
     *
     * @param inbound publisher.
     * @return this.
     */
    public ClusterContext inbound(final InboundPublisher inbound)
    {
        this.inbound = inbound;
        return this;
    }

    /**
     * Door into the engine shards.
     *
     * @return publisher.
     */
    public InboundPublisher inbound()
    {
        return inbound;
    }

    /**
     * The outbound ring the shards fill for virtual connections.
     *
     * @param ownRing ring.
     * @return this.
     */
    public ClusterContext ownRing(final OutboundRing ownRing)
    {
        this.ownRing = ownRing;
        return this;
    }

    /**
     * The outbound ring the shards fill for virtual connections.
     *
     * @return ring.
     */
    public OutboundRing ownRing()
    {
        return ownRing;
    }

    /**
     * Agent index in virtual connection ids: the number of IoAgents.
     *
     * @param ownAgentIndex index.
     * @return this.
     */
    public ClusterContext ownAgentIndex(final int ownAgentIndex)
    {
        this.ownAgentIndex = ownAgentIndex;
        return this;
    }

    /**
     * Agent index in virtual connection ids.
     *
     * @return index.
     */
    public int ownAgentIndex()
    {
        return ownAgentIndex;
    }

    /**
     * The IoAgents' outbound rings, to deliver frames and closes to relayed sockets.
     *
     * @param ioRings rings, index = IoAgent index; copied by {@link #conclude()}.
     * @return this.
     */
    public ClusterContext ioRings(final OutboundRing[] ioRings)
    {
        this.ioRings = ioRings;
        return this;
    }

    /**
     * The IoAgents' outbound rings.
     *
     * @return rings, index = IoAgent index.
     */
    public OutboundRing[] ioRings()
    {
        return ioRings;
    }

    /**
     * Records of relayed sockets from the IoAgents.
     *
     * @param relayQueue queue.
     * @return this.
     */
    public ClusterContext relayQueue(final RelayQueue relayQueue)
    {
        this.relayQueue = relayQueue;
        return this;
    }

    /**
     * Records of relayed sockets from the IoAgents.
     *
     * @return queue.
     */
    public RelayQueue relayQueue()
    {
        return relayQueue;
    }

    /**
     * Notices from the engine shards.
     *
     * @param hooks queue.
     * @return this.
     */
    public ClusterContext hooks(final ClusterHooksQueue hooks)
    {
        this.hooks = hooks;
        return this;
    }

    /**
     * Notices from the engine shards.
     *
     * @return queue.
     */
    public ClusterHooksQueue hooks()
    {
        return hooks;
    }

    /**
     * The owned-room view the IoAgents read.
     *
     * @param directory directory.
     * @return this.
     */
    public ClusterContext directory(final RoomDirectory directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * The owned-room view the IoAgents read.
     *
     * @return directory.
     */
    public RoomDirectory directory()
    {
        return directory;
    }

    /**
     * One queue per IoAgent of rooms whose local sockets must close with 4012.
     *
     * @param evictions queues, index = IoAgent index; copied by {@link #conclude()}.
     * @return this.
     */
    public ClusterContext evictions(final ManyToOneConcurrentArrayQueue<byte[]>[] evictions)
    {
        this.evictions = evictions;
        return this;
    }

    /**
     * One queue per IoAgent of rooms whose local sockets must close with 4012.
     *
     * @return queues, index = IoAgent index.
     */
    public ManyToOneConcurrentArrayQueue<byte[]>[] evictions()
    {
        return evictions;
    }

    /**
     * One queue per IoAgent of route decisions for the sockets it paused.
     *
     * @param routes queues, index = IoAgent index; copied by {@link #conclude()}.
     * @return this.
     */
    public ClusterContext routes(final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes)
    {
        this.routes = routes;
        return this;
    }

    /**
     * One queue per IoAgent of route decisions for the sockets it paused.
     *
     * @return queues, index = IoAgent index.
     */
    public ManyToOneConcurrentArrayQueue<RouteDecision>[] routes()
    {
        return routes;
    }

    /**
     * Messages received on this node's relay channel.
     *
     * @param inbox queue.
     * @return this.
     */
    public ClusterContext inbox(final ManyToOneConcurrentArrayQueue<byte[]> inbox)
    {
        this.inbox = inbox;
        return this;
    }

    /**
     * Messages received on this node's relay channel.
     *
     * @return queue.
     */
    public ManyToOneConcurrentArrayQueue<byte[]> inbox()
    {
        return inbox;
    }

    /**
     * Messages that did not fit the inbox: their sockets are closed with 4012.
     *
     * @param undeliverable queue.
     * @return this.
     */
    public ClusterContext undeliverable(final ManyToOneConcurrentArrayQueue<byte[]> undeliverable)
    {
        this.undeliverable = undeliverable;
        return this;
    }

    /**
     * Messages that did not fit the inbox.
     *
     * @return queue.
     */
    public ManyToOneConcurrentArrayQueue<byte[]> undeliverable()
    {
        return undeliverable;
    }

    /**
     * What the agent counts.
     *
     * @param counters counters.
     * @return this.
     */
    public ClusterContext counters(final ClusterCounters counters)
    {
        this.counters = counters;
        return this;
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
     * Wakes the agent (used for Lettuce completions); any thread.
     *
     * @param waker waker.
     * @return this.
     */
    public ClusterContext waker(final Runnable waker)
    {
        this.waker = waker;
        return this;
    }

    /**
     * Wakes the agent.
     *
     * @return waker.
     */
    public Runnable waker()
    {
        return waker;
    }
}
