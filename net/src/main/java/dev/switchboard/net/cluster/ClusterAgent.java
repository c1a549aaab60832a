package dev.switchboard.net.cluster;

import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.settings.SwitchboardSettings;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The one thread of a node that talks to Redis: it owns the room leases, the node heartbeat, the snapshots,
 * the routing of relayed sockets to their room's owner, and the virtual connections of sockets relayed here
 * from other nodes.
 * <p>
 * The agent is the conductor of its duty cycle; the work is done by classes of one concern each: the
 * {@link SocketRelay} (sockets of this node relayed to their room's owner), the {@link OwnerResolver} (who owns a
 * room), the {@link NodeBatchPublisher} and {@link NodeBatchAdapter} (relay batches out and in), the
 * {@link VirtualConnectionTable} (sockets of other nodes served here), the {@link LeaseKeeper} (owned rooms and
 * their leases) and the {@link HandoverCoordinator} (drain). It is built from a concluded {@link ClusterContext}.
 * <p>
 * It talks to the IoAgents and engine shards only through bounded lock-free queues and rings (the relay queue,
 * the hooks queue, the inbound rings, its own outbound ring and the IoAgents' outbound rings), and to Redis
 * only through Lettuce's asynchronous API, polling the futures it holds on its own thread; nothing it does
 * waits on Redis.
 */
public final class ClusterAgent implements Agent
{
    private static final Logger LOG = LogManager.getLogger(ClusterAgent.class);
    private static final int RECORDS_PER_CYCLE = 256;
    private static final int DROP_LOG_HOOKS = RelayDrop.values().length + 2;
    /** A node's batch is published before the cycle ends once it holds this many bytes. */
    static final int BATCH_CAP_BYTES = NodeBatchPublisher.BATCH_CAP_BYTES;

    private final String nodeId;
    private final EpochClock clock;
    private final RedisLink link;
    private final SnapshotStore snapshots;
    private final NodeHeartbeats heartbeats;
    private final OutboundRing ownRing;
    private final RelayQueue relayQueue;
    private final ClusterHooksQueue hooks;
    private final ClusterSigner signer;
    private final ClusterCounters counters;
    private final Runnable waker;
    private final MessageHandler hooksHandler = this::onHook;
    private final AtomicInteger pendingSaves = new AtomicInteger();

    private final ShardProxy shards;
    private final IoAgentProxy io;
    private final VirtualConnectionTable virtuals;
    private final LeaseKeeper leaseKeeper;
    private final NodeBatchPublisher publisher;
    private final OwnerResolver resolver;
    private final SocketRelay relay;
    private final NodeBatchAdapter adapter;
    private final HandoverCoordinator handover;

    private long hooksDroppedLogged;
    private long nowMs;
    private RedisFuture<List<Object>> beatFuture;
    private boolean wasUp;

    /**
     * Wire the agent; it starts working when its runner starts.
     *
     * @param ctx the parts and settings; concluded here unless already concluded.
     */
    public ClusterAgent(final ClusterContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        this.nodeId = ctx.nodeId();
        this.clock = ctx.clock();
        this.link = ctx.link();
        this.ownRing = ctx.ownRing();
        this.relayQueue = ctx.relayQueue();
        this.hooks = ctx.hooks();
        this.counters = ctx.counters();
        this.waker = ctx.waker();
        final SwitchboardSettings settings = ctx.settings();
        final RoomLeases leases = new RoomLeases(nodeId, ctx.leaseTtlMs());
        this.snapshots = new SnapshotStore(nodeId, ctx.snapshotTtlMs());
        this.heartbeats = new NodeHeartbeats(nodeId, ctx.leaseTtlMs());
        this.signer = new ClusterSigner(settings.clusterSecret());
        final BiConsumer<Object, Throwable> wakeOnComplete = (result, error) -> waker.run();

        this.shards = new ShardProxy(ctx.inbound(), this::pollOwnRing);
        this.io = new IoAgentProxy(ctx.ioRings(), ctx.evictions(), ctx.routes());
        this.virtuals = new VirtualConnectionTable(ctx.ownAgentIndex(), ctx.virtualCapacity());
        this.leaseKeeper = new LeaseKeeper(nodeId, ctx.leaseTtlMs(), ctx.renewIntervalMs(), leases, ctx.directory(),
            counters, this::evictRoom);
        this.publisher = new NodeBatchPublisher(ClusterKeys.ascii(nodeId), link, clock, signer, counters,
            wakeOnComplete, this::onUndelivered);
        this.resolver = new OwnerResolver(link, leases, leaseKeeper, this::evictRoom, shards, signer, counters,
            wakeOnComplete, this::onResolved);
        this.relay = new SocketRelay(ctx, leases, resolver, shards, io, publisher);
        this.adapter = new NodeBatchAdapter(ctx, signer, virtuals, shards, io, publisher, relay);
        this.handover = new HandoverCoordinator(nodeId, ctx.redisTimeoutMs(), shards.shardCount(),
            new HandoverSteps(), waker);
    }

    /**
     * How long a snapshot outlives its last write: every session in it may still resume, and the room may
     * wait for its host, after the owner died.
     *
     * @param settings settings.
     * @return milliseconds.
     */
    public static long snapshotTtlMillis(final SwitchboardSettings settings)
    {
        return ClusterContext.snapshotTtlMs(settings);
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "switchboard-cluster";
    }

    /** {@inheritDoc} */
    @Override
    public void onStart()
    {
        adapter.onStart(new FramePool(8192, Thread.currentThread()));
        nowMs = clock.time();
        leaseKeeper.start(nowMs);
    }

    /**
     * Whether work is waiting (checked by the idle strategy before it parks).
     *
     * @return true when a queue or ring has something.
     */
    public boolean hasPendingWork()
    {
        return relayQueue.hasPending() || hooks.hasPending() || adapter.hasPending() || ownRing.hasPending() ||
            handover.isRequested();
    }

    /** {@inheritDoc} */
    @Override
    public int doWork()
    {
        nowMs = clock.time();
        int work = 0;
        final boolean up = link.poll();
        counters.redisUp = up;
        if (up != wasUp)
        {
            wasUp = up;
            LOG.info(LogLine.event("redis_link").with("nodeId", nodeId).with("redis", up ? "up" : "down"));
        }
        work += hooks.drain(hooksHandler, RECORDS_PER_CYCLE);
        work += resolver.poll(nowMs);
        work += relayQueue.drain(relay, RECORDS_PER_CYCLE);
        work += adapter.drain(nowMs, RECORDS_PER_CYCLE);
        if (ownRing.poll(adapter))
        {
            work++;
        }
        work += publisher.poll();
        if (leaseKeeper.isRenewDue(nowMs))
        {
            onTimer();
            work++;
        }
        pollTimerFutures();
        work += handover.doWork(nowMs);
        publisher.publishAll();
        link.flush();
        io.wakeDirty();
        counters.ownedRooms = leaseKeeper.ownedCount();
        return work;
    }

    /** {@inheritDoc} */
    @Override
    public void onClose()
    {
        // The link is closed by the node after the runner stops.
    }

    /**
     * Ask for a handover: snapshot every room, then release every lease. Any thread.
     */
    public void requestHandover()
    {
        handover.request();
    }

    /**
     * Whether the handover has finished (leases released, or its time bound passed).
     *
     * @return true when done.
     */
    public boolean isHandoverDone()
    {
        return handover.isDone();
    }

    /**
     * Number of sockets of other nodes served here now.
     *
     * @return count.
     */
    public int virtualConnections()
    {
        return virtuals.size();
    }

    private void onHook(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (ClusterHooksQueue.HANDOVER_COMPLETE == kind)
        {
            handover.onShardHandedOver();
            return;
        }
        final int roomLength = buffer.getByte(index) & 0xFF;
        final byte[] room = new byte[roomLength];
        buffer.getBytes(index + 1, room);
        final String roomKey = new String(room, StandardCharsets.US_ASCII);
        switch (kind)
        {
            case ClusterHooksQueue.OPENED:
                leaseKeeper.opened(roomKey);
                resolver.resolveOpened(room, roomKey);
                break;
            case ClusterHooksQueue.CLOSED:
                leaseKeeper.closeRoom(commands(), room, roomKey);
                break;
            case ClusterHooksQueue.SNAPSHOT:
                if (leaseKeeper.owns(roomKey))
                {
                    final RedisAsyncCommands<byte[], byte[]> redis = commands();
                    if (null != redis)
                    {
                        final byte[] snapshot = new byte[length - 1 - roomLength];
                        buffer.getBytes(index + 1 + roomLength, snapshot);
                        saveSnapshot(redis, room, snapshot);
                    }
                }
                break;
            default:
                break;
        }
    }

    private void saveSnapshot(final RedisAsyncCommands<byte[], byte[]> redis, final byte[] room, final byte[] snapshot)
    {
        pendingSaves.incrementAndGet();
        final byte[] signed = signer.signSnapshot(ClusterKeys.snapshot(room, room.length), snapshot);
        snapshots.save(redis, room, room.length, signed).whenComplete((stored, error) ->
        {
            pendingSaves.decrementAndGet();
            if (null != error)
            {
                counters.redisErrors.incrementAndGet();
            }
            else if (Long.valueOf(1L).equals(stored))
            {
                counters.snapshotsSaved.incrementAndGet();
            }
            waker.run();
        });
    }

    private void onTimer()
    {
        final long hooksDropped = hooks.dropped();
        if (hooksDropped > hooksDroppedLogged && counters.dropLog.due(DROP_LOG_HOOKS, nowMs))
        {
            LOG.warn(LogLine.event("cluster_hooks_dropped").with("dropped", hooksDropped - hooksDroppedLogged)
                .with("droppedTotal", hooksDropped));
            hooksDroppedLogged = hooksDropped;
        }
        final RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (null == redis)
        {
            return;
        }
        leaseKeeper.releaseClaimsNeverOpened(redis, nowMs);
        if (null == beatFuture && !handover.isDone())
        {
            beatFuture = heartbeats.beat(redis);
        }
        leaseKeeper.renew(redis);
        relay.checkOwners(redis);
    }

    private void pollTimerFutures()
    {
        if (null != beatFuture && beatFuture.isDone())
        {
            try
            {
                final List<Object> live = beatFuture.get();
                final List<String> nodes = new ArrayList<>(live.size());
                for (final Object node : live)
                {
                    if (SocketRelay.isNodeId((byte[])node))
                    {
                        nodes.add(SocketRelay.ascii((byte[])node));
                    }
                }
                counters.liveNodes = List.copyOf(nodes);
                adapter.onLiveNodes(nodes);
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            beatFuture = null;
        }
        leaseKeeper.pollRenewal();
        relay.pollOwnerCheck();
    }

    /**
     * A room this node served belongs to another node: forget it, close its sockets here with 4012 and tell the
     * nodes whose sockets are served here through it to do the same.
     */
    private void evictRoom(final byte[] room, final String roomKey)
    {
        leaseKeeper.remove(room, roomKey);
        io.evict(room);
        adapter.onRoomEvicted(room);
    }

    private void onResolved(
        final byte[] room, final List<RelayedSocket> waiting, final String owner, final boolean failed)
    {
        relay.onResolved(room, waiting, owner, failed);
    }

    private void onUndelivered(final long socketId)
    {
        relay.onUndelivered(socketId);
    }

    private void pollOwnRing()
    {
        ownRing.poll(adapter);
    }

    private RedisAsyncCommands<byte[], byte[]> commands()
    {
        return link.isUp() ? link.commands() : null;
    }

    /** The handover's steps over this agent's parts. */
    private final class HandoverSteps implements HandoverCoordinator.Steps
    {
        @Override
        public int ownedRooms()
        {
            return leaseKeeper.ownedCount();
        }

        @Override
        public void requestSnapshots()
        {
            shards.publishHandover();
        }

        @Override
        public boolean snapshotsSaved()
        {
            return 0 == pendingSaves.get();
        }

        @Override
        public int releaseLeases()
        {
            return leaseKeeper.releaseAll(commands(), (result, error) -> waker.run());
        }

        @Override
        public boolean leasesReleased()
        {
            return leaseKeeper.releasesDone();
        }

        @Override
        public int leave()
        {
            final RedisAsyncCommands<byte[], byte[]> redis = commands();
            if (null != redis)
            {
                heartbeats.leave(redis);
            }
            return leaseKeeper.releaseCount();
        }
    }
}
