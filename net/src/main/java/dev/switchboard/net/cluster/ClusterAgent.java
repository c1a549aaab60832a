package dev.switchboard.net.cluster;

import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.protocol.ErrorCode;
import dev.switchboard.engine.protocol.MessageType;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.net.ws.CloseCodes;
import com.lmax.disruptor.EventPoller;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The one thread of a node that talks to Redis: it owns the room leases, the node heartbeat, the snapshots,
 * the routing of relayed sockets to their room's owner, and the virtual connections of sockets relayed here
 * from other nodes.
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
    /** A node's batch is published before the cycle ends once it holds this many bytes. */
    static final int BATCH_CAP_BYTES = 64 * 1024;
    private static final byte NONE = 0;
    private static final byte RESOLVING = 1;
    private static final byte LOCAL = 2;
    private static final byte REMOTE = 3;

    /** A socket of this node that sent a join or resume for a room this node did not own at the time. */
    private static final class Relayed
    {
        final long connectionId;
        byte state = NONE;
        int shard = -1;
        String owner;
        byte[] room;
        boolean closing;
        boolean paused;
        boolean decided;
        ArrayDeque<byte[]> pending;

        Relayed(final long connectionId)
        {
            this.connectionId = connectionId;
        }
    }

    /** An owner lookup or claim in flight. */
    private static final class Resolve
    {
        final byte[] room;
        final String roomKey;
        final boolean fromOpen;
        final ArrayList<Relayed> waiting = new ArrayList<>(2);
        RedisFuture<List<Object>> future;

        Resolve(final byte[] room, final String roomKey, final boolean fromOpen)
        {
            this.room = room;
            this.roomKey = roomKey;
            this.fromOpen = fromOpen;
        }
    }

    /**
     * A batch publish in flight (pooled); a failed one (or one nobody received) closes the sockets whose
     * messages it carried with 4012.
     */
    private static final class PendingPublish
    {
        RedisFuture<Long> future;
        long[] socketIds = new long[16];
        int socketCount;

        void addSocket(final long socketId)
        {
            if (socketCount == socketIds.length)
            {
                socketIds = Arrays.copyOf(socketIds, socketCount * 2);
            }
            socketIds[socketCount++] = socketId;
        }
    }

    /** The records bound for one node during the current duty cycle. */
    private static final class NodeBatch
    {
        final byte[] channel;
        final RelayBatchEncoder encoder;
        PendingPublish publish;
        boolean listed;

        NodeBatch(final byte[] channel, final RelayBatchEncoder encoder)
        {
            this.channel = channel;
            this.encoder = encoder;
        }
    }

    private final SwitchboardSettings settings;
    private final String nodeId;
    private final byte[] nodeIdBytes;
    private final EpochClock clock;
    private final RedisLink link;
    private final RoomLeases leases;
    private final SnapshotStore snapshots;
    private final NodeHeartbeats heartbeats;
    private final InboundPublisher inbound;
    private final OutboundRing ownRing;
    private final int ownAgentIndex;
    private final OutboundRing[] ioRings;
    private final boolean[] ioDirty;
    private final RelayQueue relayQueue;
    private final ClusterHooksQueue hooks;
    private final RoomDirectory directory;
    private final ManyToOneConcurrentArrayQueue<byte[]>[] evictions;
    private final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes;
    private final ManyToOneConcurrentArrayQueue<byte[]> inbox;
    private final ManyToOneConcurrentArrayQueue<byte[]> undeliverable;
    private final ClusterSigner signer;
    private final byte[] ownChannel;
    private long hooksDroppedLogged;
    private final ClusterCounters counters;
    private final Runnable waker;
    private final long renewIntervalMs;

    private final EnvelopeDecoder decoder;
    private final InboundSlot scratch = new InboundSlot();
    private final InboundSlot eventScratch = new InboundSlot();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] record;
    private final MessageHandler relayHandler = this::onRelayRecord;
    private final MessageHandler hooksHandler = this::onHook;
    private final EventPoller.Handler<OutboundSlot> outboundHandler = this::onOutbound;
    private final Runnable drainOwnRing = this::pollOwnRing;
    private final BiConsumer<Object, Throwable> wakeOnComplete;

    private final Long2ObjectHashMap<Relayed> relayed = new Long2ObjectHashMap<>();
    private final ArrayList<Resolve> resolves = new ArrayList<>();
    private final Map<String, Resolve> resolvingByRoom = new HashMap<>();
    private final Map<String, byte[]> owned = new HashMap<>();
    private final ArrayDeque<PendingPublish> publishes = new ArrayDeque<>();
    private final ArrayDeque<PendingPublish> freePublishes = new ArrayDeque<>();
    private final Map<String, NodeBatch> batches = new HashMap<>();
    private final ArrayList<NodeBatch> listedBatches = new ArrayList<>();
    private final RelayBatchDecoder batchDecoder = new RelayBatchDecoder();
    private final Map<String, byte[]> channels = new HashMap<>();
    private final AtomicInteger pendingSaves = new AtomicInteger();

    private final Map<String, Long2LongHashMap> virtualByOrigin = new HashMap<>();
    private final Map<String, Integer> missedBeats = new HashMap<>();
    private final Map<String, Long> claimedNotOpened = new HashMap<>();
    private final String[] vNode;
    private final long[] vOrigin;
    private final int[] vGeneration;
    private final int[] vShard;
    private final byte[][] vRoom;
    private final boolean[] vInUse;
    private final boolean[] vPublished;
    private final boolean[] vClosing;
    private final int[] vFree;
    private int vFreeCount;

    private FramePool framePool;
    private long nowMs;
    private long nextRenewMs;
    private RedisFuture<List<Object>> beatFuture;
    private RedisFuture<List<Object>> renewFuture;
    private String[] renewRooms;
    private RedisFuture<List<KeyValue<byte[], byte[]>>> checkFuture;
    private final ArrayList<Relayed> checked = new ArrayList<>();
    private boolean wasUp;

    private volatile int handoverState;
    private final AtomicInteger handoversCompleted = new AtomicInteger();
    private long handoverDeadlineMs;
    private final ArrayList<RedisFuture<Long>> releases = new ArrayList<>();
    private boolean handedOver;

    /**
     * Wire the agent; it starts working when its runner starts.
     *
     * @param settings      validated settings.
     * @param nodeId        this node's id.
     * @param clock         wall clock.
     * @param link          the Redis connections.
     * @param inbound       door into the engine shards.
     * @param ownRing       the outbound ring the shards fill for virtual connections.
     * @param ownAgentIndex the agent index in virtual connection ids (the number of IoAgents).
     * @param ioRings       the IoAgents' outbound rings, to deliver frames and closes to relayed sockets.
     * @param relayQueue    records of relayed sockets from the IoAgents.
     * @param hooks         notices from the engine shards.
     * @param directory     the owned-room view the IoAgents read.
     * @param evictions     one queue per IoAgent of rooms whose local sockets must close with 4012.
     * @param routes        one queue per IoAgent of route decisions for the sockets it paused.
     * @param inbox         messages received on this node's relay channel.
     * @param undeliverable messages that did not fit the inbox: their sockets are closed with 4012.
     * @param counters      what the agent counts.
     * @param waker         wakes this agent (used for Lettuce completions).
     */
    public ClusterAgent(
        final SwitchboardSettings settings,
        final String nodeId,
        final EpochClock clock,
        final RedisLink link,
        final InboundPublisher inbound,
        final OutboundRing ownRing,
        final int ownAgentIndex,
        final OutboundRing[] ioRings,
        final RelayQueue relayQueue,
        final ClusterHooksQueue hooks,
        final RoomDirectory directory,
        final ManyToOneConcurrentArrayQueue<byte[]>[] evictions,
        final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes,
        final ManyToOneConcurrentArrayQueue<byte[]> inbox,
        final ManyToOneConcurrentArrayQueue<byte[]> undeliverable,
        final ClusterCounters counters,
        final Runnable waker)
    {
        this.settings = settings;
        this.nodeId = nodeId;
        this.nodeIdBytes = ClusterKeys.ascii(nodeId);
        this.clock = clock;
        this.link = link;
        this.leases = new RoomLeases(nodeId, settings.leaseTtlMillis());
        this.snapshots = new SnapshotStore(nodeId, snapshotTtlMillis(settings));
        this.heartbeats = new NodeHeartbeats(nodeId, settings.leaseTtlMillis());
        this.inbound = inbound;
        this.ownRing = ownRing;
        this.ownAgentIndex = ownAgentIndex;
        this.ioRings = ioRings.clone();
        this.ioDirty = new boolean[ioRings.length];
        this.relayQueue = relayQueue;
        this.hooks = hooks;
        this.directory = directory;
        this.evictions = evictions.clone();
        this.routes = routes.clone();
        this.inbox = inbox;
        this.undeliverable = undeliverable;
        this.signer = new ClusterSigner(settings.clusterSecret());
        this.ownChannel = ClusterKeys.channel(nodeId);
        this.counters = counters;
        this.waker = waker;
        this.renewIntervalMs = Math.max(1, settings.leaseTtlMillis() / 3);
        this.decoder = new EnvelopeDecoder(settings.maxPayloadBytes());
        this.record = new byte[settings.maxPayloadBytes() + 256];
        this.wakeOnComplete = (result, error) -> waker.run();
        final int capacity = Math.max(16, settings.maxConnections());
        vNode = new String[capacity];
        vOrigin = new long[capacity];
        vGeneration = new int[capacity];
        vShard = new int[capacity];
        vRoom = new byte[capacity][];
        vInUse = new boolean[capacity];
        vPublished = new boolean[capacity];
        vClosing = new boolean[capacity];
        vFree = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            vFree[i] = capacity - 1 - i;
        }
        vFreeCount = capacity;
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
        return (settings.resumeWindowSeconds() + (long)settings.hostlessRoomSeconds()) * 1000L +
            2L * settings.leaseTtlMillis();
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
        framePool = new FramePool(8192, Thread.currentThread());
        nowMs = clock.time();
        nextRenewMs = nowMs;
    }

    /**
     * Whether work is waiting (checked by the idle strategy before it parks).
     *
     * @return true when a queue or ring has something.
     */
    public boolean hasPendingWork()
    {
        return relayQueue.hasPending() || hooks.hasPending() || !inbox.isEmpty() || !undeliverable.isEmpty() ||
            ownRing.hasPending() || 1 == handoverState;
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
        work += pollResolves();
        work += relayQueue.drain(relayHandler, RECORDS_PER_CYCLE);
        work += drainInbox();
        if (ownRing.poll(outboundHandler))
        {
            work++;
        }
        work += pollPublishes();
        if (nowMs >= nextRenewMs)
        {
            nextRenewMs = nowMs + renewIntervalMs;
            onTimer();
            work++;
        }
        pollTimerFutures();
        work += handoverStep();
        publishBatches();
        link.flush();
        wakeDirtyAgents();
        counters.ownedRooms = owned.size();
        return work;
    }

    /** {@inheritDoc} */
    @Override
    public void onClose()
    {
        // The link is closed by the node after the runner stops.
    }

    // ---------------------------------------------------------------- handover (drain)

    /**
     * Ask for a handover: snapshot every room, then release every lease. Any thread.
     */
    public void requestHandover()
    {
        if (0 == handoverState)
        {
            handoverState = 1;
            waker.run();
        }
    }

    /**
     * Whether the handover has finished (leases released, or its time bound passed).
     *
     * @return true when done.
     */
    public boolean isHandoverDone()
    {
        return 4 == handoverState;
    }

    private int handoverStep()
    {
        switch (handoverState)
        {
            case 1:
                handoverDeadlineMs = nowMs + 2L * settings.redisTimeoutMillis() + 1_000L;
                final InboundSlot slot = eventScratch;
                for (int shard = 0; shard < inbound.shardCount(); shard++)
                {
                    slot.fillHandover();
                    inbound.publish(shard, slot, drainOwnRing);
                }
                LOG.info(LogLine.event("handover_started").with("nodeId", nodeId).with("ownedRooms", owned.size()));
                handoverState = 2;
                return 1;
            case 2:
                final boolean snapshotsDone =
                    handoversCompleted.get() >= inbound.shardCount() && 0 == pendingSaves.get();
                if (snapshotsDone || nowMs >= handoverDeadlineMs)
                {
                    handedOver = true;
                    final RedisAsyncCommands<byte[], byte[]> redis = commands();
                    for (final byte[] room : owned.values())
                    {
                        if (null != redis)
                        {
                            final RedisFuture<Long> release =
                                leases.release(redis, ClusterKeys.lease(room, room.length));
                            release.whenComplete(wakeOnComplete);
                            releases.add(release);
                        }
                    }
                    LOG.info(LogLine.event("handover_releasing").with("nodeId", nodeId).with("rooms", owned.size())
                        .with("snapshotsDone", snapshotsDone));
                    owned.clear();
                    directory.clear();
                    handoverDeadlineMs = nowMs + settings.redisTimeoutMillis() + 100L;
                    handoverState = 3;
                    return 1;
                }
                return 0;
            case 3:
                boolean done = true;
                for (final RedisFuture<Long> release : releases)
                {
                    done &= release.isDone();
                }
                if (done || nowMs >= handoverDeadlineMs)
                {
                    final RedisAsyncCommands<byte[], byte[]> redis = commands();
                    if (null != redis)
                    {
                        heartbeats.leave(redis);
                    }
                    LOG.info(LogLine.event("handover_done").with("nodeId", nodeId).with("released", releases.size()));
                    handoverState = 4;
                    return 1;
                }
                return 0;
            default:
                return 0;
        }
    }

    // ---------------------------------------------------------------- engine notices

    private void onHook(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (ClusterHooksQueue.HANDOVER_COMPLETE == kind)
        {
            handoversCompleted.incrementAndGet();
            return;
        }
        final int roomLength = buffer.getByte(index) & 0xFF;
        final byte[] room = new byte[roomLength];
        buffer.getBytes(index + 1, room);
        final String roomKey = new String(room, StandardCharsets.US_ASCII);
        switch (kind)
        {
            case ClusterHooksQueue.OPENED:
                claimedNotOpened.remove(roomKey);
                if (!handedOver && !owned.containsKey(roomKey) && !resolvingByRoom.containsKey(roomKey))
                {
                    startResolve(room, roomKey, true);
                }
                break;
            case ClusterHooksQueue.CLOSED:
                if (null != owned.remove(roomKey))
                {
                    directory.remove(room);
                    final RedisAsyncCommands<byte[], byte[]> redis = commands();
                    if (null != redis)
                    {
                        countErrors(leases.closeRoom(redis, room, room.length));
                    }
                }
                break;
            case ClusterHooksQueue.SNAPSHOT:
                if (owned.containsKey(roomKey))
                {
                    final RedisAsyncCommands<byte[], byte[]> redis = commands();
                    if (null != redis)
                    {
                        final byte[] snapshot = new byte[length - 1 - roomLength];
                        buffer.getBytes(index + 1 + roomLength, snapshot);
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
                }
                break;
            default:
                break;
        }
    }

    // ---------------------------------------------------------------- sockets of this node (relay side)

    private void onRelayRecord(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (record.length < length + 1)
        {
            record = new byte[length + 1];
        }
        record[0] = (byte)kind;
        buffer.getBytes(index, record, 1, length);
        onRecord(record, length + 1);
    }

    private void onRecord(final byte[] rec, final int length)
    {
        final long connectionId = getLong(rec, RelayRecords.CONNECTION_ID_OFFSET);
        Relayed r = relayed.get(connectionId);
        if (RelayRecords.PAUSED == rec[0] || RelayRecords.DIRECT == rec[0])
        {
            if (null != r)
            {
                if (RelayRecords.PAUSED == rec[0])
                {
                    r.paused = true;
                    decideRoute(r);
                }
                else
                {
                    relayed.remove(connectionId);
                }
            }
            return;
        }
        if (null == r)
        {
            if (RelayRecords.CLOSED == rec[0])
            {
                fenceClose(connectionId, getInt(rec, RelayRecords.BODY_OFFSET));
                return;
            }
            r = new Relayed(connectionId);
            relayed.put(connectionId, r);
        }
        if (RESOLVING == r.state)
        {
            r.pending.add(Arrays.copyOf(rec, length));
            return;
        }
        dispatch(r, rec, length);
    }

    private void dispatch(final Relayed r, final byte[] rec, final int length)
    {
        switch (rec[0])
        {
            case RelayRecords.TEXT:
                dispatchText(r, rec, length);
                break;
            case RelayRecords.CLOSED:
                relayed.remove(r.connectionId);
                if (REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else if (r.shard >= 0)
                {
                    publishEvent(r.shard, SlotKind.CONNECTION_CLOSED, r.connectionId,
                        getInt(rec, RelayRecords.BODY_OFFSET), 0);
                }
                else
                {
                    fenceClose(r.connectionId, getInt(rec, RelayRecords.BODY_OFFSET));
                }
                break;
            case RelayRecords.FLOW:
                if (REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else if (r.shard >= 0)
                {
                    publishEvent(r.shard, rec[RelayRecords.BODY_OFFSET], r.connectionId, 0,
                        getLong(rec, RelayRecords.BODY_OFFSET + 1));
                }
                break;
            case RelayRecords.TOO_LARGE:
                if (REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else
                {
                    publishTooLarge(Math.max(0, r.shard), r.connectionId);
                }
                break;
            default:
                break;
        }
    }

    private void dispatchText(final Relayed r, final byte[] rec, final int length)
    {
        final int authLength = rec[RelayRecords.BODY_OFFSET] & 0xFF;
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + authLength;
        final InboundSlot slot = scratch;
        decoder.decode(rec, textOffset, length - textOffset, slot);
        final boolean bindsRoom = isJoinOrResume(slot.typeId) && slot.roomIdLength > 0;
        if (bindsRoom)
        {
            if (directory.isOwned(slot.roomId, slot.roomIdLength))
            {
                if (REMOTE == r.state)
                {
                    closeSocket(r);
                    return;
                }
                r.state = LOCAL;
                r.room = Arrays.copyOf(slot.roomId, slot.roomIdLength);
            }
            else if (REMOTE == r.state && sameRoom(r.room, slot.roomId, slot.roomIdLength))
            {
                forward(r, rec, length);
                return;
            }
            else if (NONE == r.state)
            {
                r.state = RESOLVING;
                if (null == r.pending)
                {
                    r.pending = new ArrayDeque<>(4);
                }
                r.pending.add(Arrays.copyOf(rec, length));
                final byte[] room = Arrays.copyOf(slot.roomId, slot.roomIdLength);
                final String roomKey = new String(room, StandardCharsets.US_ASCII);
                Resolve resolve = resolvingByRoom.get(roomKey);
                if (null == resolve)
                {
                    resolve = startResolve(room, roomKey, false);
                }
                resolve.waiting.add(r);
                return;
            }
            else
            {
                // Bound to another room that lives elsewhere: reconnecting gives the socket a fresh route.
                closeSocket(r);
                return;
            }
        }
        else if (REMOTE == r.state)
        {
            forward(r, rec, length);
            return;
        }
        slot.connectionId = r.connectionId;
        if (isJoinOrResume(slot.typeId))
        {
            System.arraycopy(rec, RelayRecords.BODY_OFFSET + 1, slot.authUserId, 0, authLength);
            slot.authUserIdLength = authLength;
        }
        r.shard = publishMessage(slot, r.shard);
    }

    private Resolve startResolve(final byte[] room, final String roomKey, final boolean fromOpen)
    {
        final Resolve resolve = new Resolve(room, roomKey, fromOpen);
        final RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (null != redis)
        {
            resolve.future = leases.claim(redis, room, room.length);
            resolve.future.whenComplete(wakeOnComplete);
        }
        resolves.add(resolve);
        resolvingByRoom.put(roomKey, resolve);
        return resolve;
    }

    private int pollResolves()
    {
        int work = 0;
        for (int i = 0; i < resolves.size(); )
        {
            final Resolve resolve = resolves.get(i);
            if (null != resolve.future && !resolve.future.isDone())
            {
                i++;
                continue;
            }
            resolves.remove(i);
            resolvingByRoom.remove(resolve.roomKey);
            completeResolve(resolve);
            work++;
        }
        return work;
    }

    private void completeResolve(final Resolve resolve)
    {
        List<Object> result = null;
        if (null != resolve.future)
        {
            try
            {
                result = resolve.future.get();
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        final long code = null != result && result.size() >= 2 && null != result.get(1) &&
            (RoomLeases.OWNED_ELSEWHERE != (Long)result.get(0) || isNodeId((byte[])result.get(1))) ?
            (Long)result.get(0) : -1;
        if (resolve.fromOpen)
        {
            if (RoomLeases.OWNED_ELSEWHERE == code)
            {
                LOG.warn(LogLine.event("room_owned_elsewhere").with("roomId", resolve.roomKey)
                    .with("owner", ascii((byte[])result.get(1))));
                evictRoom(resolve.room, resolve.roomKey);
            }
            else
            {
                // Claimed, already ours, or Redis down: the room lives here; renewal settles it later.
                addOwned(resolve.room, resolve.roomKey);
            }
        }
        else if (RoomLeases.CLAIMED == code || RoomLeases.ALREADY_OWNED == code)
        {
            if (!owned.containsKey(resolve.roomKey))
            {
                counters.roomsClaimed.incrementAndGet();
                final byte[] snapshot = openSnapshot(resolve.room, (byte[])result.get(2));
                if (null != snapshot)
                {
                    publishRestore(resolve.room, snapshot);
                    counters.roomsRestored.incrementAndGet();
                    LOG.info(LogLine.event("room_restored").with("roomId", resolve.roomKey)
                        .with("snapshotBytes", snapshot.length));
                }
                addOwned(resolve.room, resolve.roomKey);
                claimedNotOpened.put(resolve.roomKey, nowMs);
            }
        }
        for (final Relayed r : resolve.waiting)
        {
            final ArrayDeque<byte[]> pending = r.pending;
            r.pending = new ArrayDeque<>(4);
            if (RoomLeases.OWNED_ELSEWHERE == code && !resolve.fromOpen)
            {
                r.state = REMOTE;
                r.owner = ascii((byte[])result.get(1));
                r.room = resolve.room;
            }
            else
            {
                r.state = NONE;
            }
            final boolean failed = code < 0;
            while (!pending.isEmpty())
            {
                final byte[] rec = pending.poll();
                if (RESOLVING == r.state)
                {
                    r.pending.add(rec);
                }
                else if (failed && isBindingText(rec, resolve.room))
                {
                    answerUnavailable(r, rec);
                }
                else
                {
                    dispatch(r, rec, rec.length);
                }
            }
            decideRoute(r);
        }
    }

    /**
     * Once the IoAgent paused the socket and every record it sent before is handled, tell it the route: a
     * socket of a room this node serves goes straight to the local shard from now on (no message can overtake
     * the ones already published, since none is in flight), any other keeps being relayed.
     */
    private void decideRoute(final Relayed r)
    {
        if (!r.paused || r.decided || RESOLVING == r.state)
        {
            return;
        }
        r.decided = true;
        final int agent = ConnectionIds.agentIndex(r.connectionId);
        if (agent >= routes.length)
        {
            return;
        }
        final RouteDecision decision = new RouteDecision(r.connectionId, LOCAL == r.state ? r.shard : -1);
        while (!routes[agent].offer(decision))
        {
            Thread.onSpinWait();
        }
        ioDirty[agent] = true;
    }

    private boolean isBindingText(final byte[] rec, final byte[] room)
    {
        if (RelayRecords.TEXT != rec[0])
        {
            return false;
        }
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        decoder.decode(rec, textOffset, rec.length - textOffset, scratch);
        return isJoinOrResume(scratch.typeId) && sameRoom(room, scratch.roomId, scratch.roomIdLength);
    }

    private void answerUnavailable(final Relayed r, final byte[] rec)
    {
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        final InboundSlot slot = scratch;
        decoder.decode(rec, textOffset, rec.length - textOffset, slot);
        slot.connectionId = r.connectionId;
        slot.errorCode = ErrorCode.CLUSTER_UNAVAILABLE.ordinal();
        counters.clusterUnavailable.incrementAndGet();
        r.shard = inbound.shardFor(slot.roomId, slot.roomIdLength);
        inbound.publish(r.shard, slot, drainOwnRing);
    }

    private void forward(final Relayed r, final byte[] rec, final int length)
    {
        if (!link.isUp())
        {
            closeSocket(r);
            return;
        }
        final NodeBatch batch = batchFor(r.owner);
        batch.encoder.append(rec[0], r.connectionId, rec, RelayRecords.BODY_OFFSET, length - RelayRecords.BODY_OFFSET);
        if (RelayRecords.CLOSED != rec[0])
        {
            batch.publish.addSocket(r.connectionId);
        }
        counters.relayedOut.incrementAndGet();
        publishIfFull(batch);
    }

    private NodeBatch batchFor(final String node)
    {
        NodeBatch batch = batches.get(node);
        if (null == batch)
        {
            batch = new NodeBatch(channelOf(node), new RelayBatchEncoder(nodeIdBytes, 4096));
            batches.put(node, batch);
        }
        if (null == batch.publish)
        {
            final PendingPublish free = freePublishes.poll();
            batch.publish = null == free ? new PendingPublish() : free;
        }
        if (!batch.listed)
        {
            batch.listed = true;
            listedBatches.add(batch);
        }
        return batch;
    }

    private void publishIfFull(final NodeBatch batch)
    {
        if (batch.encoder.length() >= BATCH_CAP_BYTES)
        {
            publishBatch(batch);
        }
    }

    /**
     * End of the duty cycle: one publish per node that has records, in the order they were appended.
     */
    private void publishBatches()
    {
        for (int i = 0; i < listedBatches.size(); i++)
        {
            final NodeBatch batch = listedBatches.get(i);
            batch.listed = false;
            if (batch.encoder.recordCount() > 0)
            {
                publishBatch(batch);
            }
        }
        listedBatches.clear();
    }

    private void publishBatch(final NodeBatch batch)
    {
        final PendingPublish pending = batch.publish;
        batch.publish = null;
        final RedisAsyncCommands<byte[], byte[]> redis = commands();
        if (null == redis)
        {
            batch.encoder.reset();
            counters.redisErrors.incrementAndGet();
            closeSockets(pending);
            return;
        }
        final byte[] message = batch.encoder.toMessage(clock.time(), signer, batch.channel);
        batch.encoder.reset();
        pending.future = redis.publish(batch.channel, message);
        pending.future.whenComplete(wakeOnComplete);
        publishes.add(pending);
        counters.relayBatchesOut.incrementAndGet();
    }

    /**
     * Close the sockets whose messages a batch carried (Redis failed, or nobody listens on the owner's channel
     * because the owner died): they reconnect and resume; then return the batch's record to the pool.
     */
    private void closeSockets(final PendingPublish pending)
    {
        for (int i = 0; i < pending.socketCount; i++)
        {
            final Relayed r = relayed.get(pending.socketIds[i]);
            if (null != r && REMOTE == r.state)
            {
                closeSocket(r);
            }
        }
        pending.future = null;
        pending.socketCount = 0;
        freePublishes.add(pending);
    }

    private int pollPublishes()
    {
        int work = 0;
        PendingPublish head;
        while (null != (head = publishes.peek()) && head.future.isDone())
        {
            publishes.poll();
            work++;
            long receivers = 0;
            try
            {
                receivers = head.future.get();
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            if (0 == receivers)
            {
                closeSockets(head);
            }
            else
            {
                head.future = null;
                head.socketCount = 0;
                freePublishes.add(head);
            }
        }
        return work;
    }

    private void closeSocket(final Relayed r)
    {
        if (r.closing)
        {
            return;
        }
        r.closing = true;
        final int agent = ConnectionIds.agentIndex(r.connectionId);
        if (agent < ioRings.length)
        {
            counters.roomMovedCloses.incrementAndGet();
            ioRings[agent].close(r.connectionId, CloseCodes.ROOM_MOVED, "room_moved");
            ioDirty[agent] = true;
        }
    }

    private void fenceClose(final long connectionId, final int code)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent < ioRings.length)
        {
            ioRings[agent].close(connectionId, code, "");
            ioDirty[agent] = true;
        }
    }

    // ---------------------------------------------------------------- messages from other nodes

    private int drainInbox()
    {
        int work = 0;
        byte[] message;
        while (work < RECORDS_PER_CYCLE && null != (message = undeliverable.poll()))
        {
            work++;
            onUndeliverable(message);
        }
        while (work < RECORDS_PER_CYCLE && null != (message = inbox.poll()))
        {
            work++;
            onChannelMessage(message);
        }
        return work;
    }

    /**
     * Check a received batch whole: framing and fields, then (with a secret) its tag and age. A batch that fails
     * is dropped, counted by reason and logged once per episode.
     */
    private boolean verified(final byte[] message)
    {
        final RelayBatchDecoder batch = batchDecoder;
        RelayDrop drop = null;
        if (!batch.wrap(message))
        {
            counters.relayBatchesMalformed.incrementAndGet();
            drop = RelayDrop.INVALID;
        }
        else if (signer.isEnabled())
        {
            if (!batch.isSigned())
            {
                drop = RelayDrop.UNSIGNED;
            }
            else if (!signer.verify(ownChannel, message, 0, batch.signedLength(), message, batch.signedLength()))
            {
                drop = RelayDrop.BAD_SIGNATURE;
            }
            else if (Math.abs(nowMs - batch.sentEpochMs()) > RelayDrop.MAX_AGE_MS)
            {
                drop = RelayDrop.STALE;
            }
        }
        if (null == drop)
        {
            return true;
        }
        final long total = counters.onBatchDropped(drop);
        if (counters.dropLog.due(drop.ordinal(), nowMs))
        {
            LOG.warn(LogLine.event("cluster_batch_dropped").with("reason", drop.label()).with("bytes", message.length)
                .with("droppedTotal", total));
        }
        return false;
    }

    /**
     * A batch that did not fit the inbox: deliver none of it, close every socket it concerned with 4012 so the
     * clients resume (and see a gap) instead of losing a message silently.
     */
    private void onUndeliverable(final byte[] message)
    {
        if (!verified(message))
        {
            return;
        }
        final RelayBatchDecoder batch = batchDecoder;
        final byte[] originBytes = Arrays.copyOfRange(message, batch.originOffset(),
            batch.originOffset() + batch.originLength());
        final String origin = new String(originBytes, StandardCharsets.US_ASCII);
        int closed = 0;
        while (batch.next())
        {
            final long connectionId = batch.connectionId();
            if (RelayRecords.FRAME == batch.kind() || RelayRecords.CLOSE == batch.kind())
            {
                final int agent = ConnectionIds.agentIndex(connectionId);
                if (agent < ioRings.length)
                {
                    ioRings[agent].close(connectionId, CloseCodes.ROOM_MOVED, "room_moved");
                    ioDirty[agent] = true;
                    closed++;
                }
            }
            else
            {
                final int v = virtualOf(origin, connectionId);
                if (v >= 0 && vPublished[v] && !vClosing[v])
                {
                    vClosing[v] = true;
                    publishEvent(vShard[v], SlotKind.CONNECTION_CLOSED, virtualId(v), CloseCodes.ROOM_MOVED, 0);
                }
                replyClose(origin, connectionId, CloseCodes.ROOM_MOVED, "room_moved");
                closed++;
            }
        }
        counters.undeliverableCloses.addAndGet(closed);
        if (counters.dropLog.due(RelayDrop.values().length + 1, nowMs))
        {
            LOG.warn(LogLine.event("cluster_undeliverable").with("origin", origin).with("socketsClosed", closed)
                .with("closedTotal", counters.undeliverableCloses.get()));
        }
    }

    private void onChannelMessage(final byte[] message)
    {
        final RelayBatchDecoder batch = batchDecoder;
        if (!verified(message))
        {
            return;
        }
        counters.relayBatchesIn.incrementAndGet();
        final String origin =
            new String(message, batch.originOffset(), batch.originLength(), StandardCharsets.US_ASCII);
        final long lagMs = nowMs - batch.sentEpochMs();
        while (batch.next())
        {
            counters.recordLag(lagMs);
            final long connectionId = batch.connectionId();
            final int body = batch.bodyOffset();
            final int bodyEnd = body + batch.bodyLength();
            switch (batch.kind())
            {
                case RelayRecords.FRAME:
                    counters.repliesIn.incrementAndGet();
                    deliverFrame(connectionId, message, body, bodyEnd);
                    break;
                case RelayRecords.CLOSE:
                    counters.repliesIn.incrementAndGet();
                    deliverClose(origin, connectionId, message, body, bodyEnd);
                    break;
                default:
                    counters.relayedIn.incrementAndGet();
                    onRelayedHere(batch.kind(), origin, connectionId, message, body, bodyEnd);
                    break;
            }
        }
    }

    private void deliverFrame(final long connectionId, final byte[] message, final int body, final int bodyEnd)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= ioRings.length)
        {
            return;
        }
        final int typeId = getInt(message, body);
        final boolean droppable = 0 != message[body + 4];
        final int jsonOffset = body + 5;
        final int jsonLength = bodyEnd - jsonOffset;
        final Frame frame = framePool.acquire(jsonLength, MessageType.get(typeId), droppable);
        frame.ensurePayloadCapacity(jsonLength);
        System.arraycopy(message, jsonOffset, frame.buffer(), Frame.PAYLOAD_OFFSET, jsonLength);
        frame.sealText(jsonLength);
        ioRings[agent].send(connectionId, frame);
        ioDirty[agent] = true;
    }

    private void deliverClose(
        final String origin, final long connectionId, final byte[] message, final int body, final int bodyEnd)
    {
        final Relayed r = relayed.get(connectionId);
        if (null != r && REMOTE == r.state && !origin.equals(r.owner))
        {
            return;
        }
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= ioRings.length)
        {
            return;
        }
        final int code = getInt(message, body);
        final String reason = new String(message, body + 4, bodyEnd - body - 4, StandardCharsets.UTF_8);
        ioRings[agent].close(connectionId, code, reason);
        ioDirty[agent] = true;
    }

    private void onRelayedHere(
        final byte kind,
        final String origin,
        final long originConnection,
        final byte[] message,
        final int body,
        final int bodyEnd)
    {
        int v = virtualOf(origin, originConnection);
        switch (kind)
        {
            case RelayRecords.TEXT:
            {
                if (v < 0)
                {
                    v = allocateVirtual(origin, originConnection);
                    if (v < 0)
                    {
                        replyClose(origin, originConnection, CloseCodes.ROOM_MOVED, "room_moved");
                        return;
                    }
                }
                final int authLength = message[body] & 0xFF;
                final int textOffset = body + 1 + authLength;
                final InboundSlot slot = scratch;
                decoder.decode(message, textOffset, bodyEnd - textOffset, slot);
                if (isJoinOrResume(slot.typeId) && slot.roomIdLength > 0)
                {
                    if (!directory.isOwned(slot.roomId, slot.roomIdLength))
                    {
                        // The sender's view of the owner is stale: it reconnects and looks the room up again.
                        replyClose(origin, originConnection, CloseCodes.ROOM_MOVED, "room_moved");
                        return;
                    }
                    vRoom[v] = Arrays.copyOf(slot.roomId, slot.roomIdLength);
                    System.arraycopy(message, body + 1, slot.authUserId, 0, authLength);
                    slot.authUserIdLength = authLength;
                }
                slot.connectionId = virtualId(v);
                vShard[v] = publishMessage(slot, vShard[v]);
                vPublished[v] = true;
                break;
            }
            case RelayRecords.CLOSED:
                if (v < 0)
                {
                    replyClose(origin, originConnection, getInt(message, body), "");
                }
                else if (vPublished[v])
                {
                    vClosing[v] = true;
                    publishEvent(vShard[v], SlotKind.CONNECTION_CLOSED, virtualId(v), getInt(message, body), 0);
                }
                else
                {
                    replyClose(origin, originConnection, getInt(message, body), "");
                    freeVirtual(v);
                }
                break;
            case RelayRecords.FLOW:
                if (v >= 0 && vPublished[v])
                {
                    publishEvent(vShard[v], message[body], virtualId(v), 0, getLong(message, body + 1));
                }
                break;
            case RelayRecords.TOO_LARGE:
                if (v < 0)
                {
                    v = allocateVirtual(origin, originConnection);
                }
                if (v >= 0)
                {
                    publishTooLarge(Math.max(0, vShard[v]), virtualId(v));
                    vPublished[v] = true;
                    vShard[v] = Math.max(0, vShard[v]);
                }
                break;
            default:
                break;
        }
    }

    private void pollOwnRing()
    {
        ownRing.poll(outboundHandler);
    }

    private boolean onOutbound(final OutboundSlot slot, final long sequence, final boolean endOfBatch)
    {
        final Frame frame = slot.frame;
        slot.frame = null;
        final long id = slot.connectionId;
        final int v = ConnectionIds.slot(id);
        final boolean valid = ConnectionIds.agentIndex(id) == ownAgentIndex && v < vInUse.length && vInUse[v] &&
            vGeneration[v] == ConnectionIds.generation(id);
        if (OutboundSlot.SEND == slot.kind)
        {
            if (valid)
            {
                replyFrame(vNode[v], vOrigin[v], frame);
            }
            if (null != frame)
            {
                frame.release();
            }
        }
        else if (OutboundSlot.CLOSE == slot.kind && valid)
        {
            replyClose(vNode[v], vOrigin[v], slot.closeCode, slot.reason);
            if (vClosing[v])
            {
                freeVirtual(v);
            }
        }
        return true;
    }

    private void replyClose(final String node, final long connectionId, final int code, final String reason)
    {
        if (!link.isUp())
        {
            counters.redisErrors.incrementAndGet();
            return;
        }
        final NodeBatch batch = batchFor(node);
        final RelayBatchEncoder encoder = batch.encoder;
        final int body = encoder.begin(RelayRecords.CLOSE, connectionId);
        encoder.buffer().putInt(body, code, ByteOrder.BIG_ENDIAN);
        final int reasonLength = null == reason ? 0 : encoder.buffer().putStringWithoutLengthUtf8(body + 4, reason);
        encoder.commit(4 + reasonLength);
        counters.repliesOut.incrementAndGet();
        publishIfFull(batch);
    }

    private void replyFrame(final String node, final long connectionId, final Frame frame)
    {
        if (!link.isUp())
        {
            counters.redisErrors.incrementAndGet();
            return;
        }
        final NodeBatch batch = batchFor(node);
        final RelayBatchEncoder encoder = batch.encoder;
        final int jsonLength = frame.payloadLength();
        final int body = encoder.begin(RelayRecords.FRAME, connectionId);
        encoder.buffer().putInt(body, frame.type().id(), ByteOrder.BIG_ENDIAN);
        encoder.buffer().putByte(body + 4, (byte)(frame.isDroppable() ? 1 : 0));
        encoder.buffer().putBytes(body + 5, frame.buffer(), frame.payloadOffset(), jsonLength);
        encoder.commit(5 + jsonLength);
        counters.repliesOut.incrementAndGet();
        publishIfFull(batch);
    }

    private int virtualOf(final String origin, final long originConnection)
    {
        final Long2LongHashMap byConnection = virtualByOrigin.get(origin);
        return null == byConnection ? -1 : (int)byConnection.get(originConnection);
    }

    private int allocateVirtual(final String origin, final long originConnection)
    {
        if (0 == vFreeCount)
        {
            return -1;
        }
        final int v = vFree[--vFreeCount];
        vInUse[v] = true;
        vGeneration[v]++;
        vNode[v] = origin;
        vOrigin[v] = originConnection;
        vShard[v] = -1;
        vRoom[v] = null;
        vPublished[v] = false;
        vClosing[v] = false;
        virtualByOrigin.computeIfAbsent(origin, k -> new Long2LongHashMap(-1)).put(originConnection, v);
        return v;
    }

    private void freeVirtual(final int v)
    {
        if (!vInUse[v])
        {
            return;
        }
        vInUse[v] = false;
        final Long2LongHashMap byConnection = virtualByOrigin.get(vNode[v]);
        if (null != byConnection)
        {
            byConnection.remove(vOrigin[v]);
            if (byConnection.isEmpty())
            {
                virtualByOrigin.remove(vNode[v]);
            }
        }
        vNode[v] = null;
        vRoom[v] = null;
        vFree[vFreeCount++] = v;
    }

    /**
     * Sockets relayed here from a node missing from two heartbeats in a row (it died or drained) will never
     * send their close: close them as if they had, so their sessions go away and stay resumable.
     */
    private void closeVirtualsOfLostNodes(final List<String> live)
    {
        final Map<String, Integer> misses = new HashMap<>();
        for (final String origin : virtualByOrigin.keySet())
        {
            if (!live.contains(origin))
            {
                misses.put(origin, missedBeats.getOrDefault(origin, 0) + 1);
            }
        }
        missedBeats.clear();
        missedBeats.putAll(misses);
        for (int v = 0; v < vInUse.length; v++)
        {
            if (vInUse[v] && !vClosing[v] && missedBeats.getOrDefault(vNode[v], 0) >= 2)
            {
                LOG.info(LogLine.event("origin_node_lost").with("nodeId", vNode[v])
                    .with("originConnectionId", vOrigin[v]));
                if (vPublished[v])
                {
                    vClosing[v] = true;
                    publishEvent(Math.max(0, vShard[v]), SlotKind.CONNECTION_CLOSED, virtualId(v),
                        CloseCodes.ROOM_MOVED, 0);
                }
                else
                {
                    freeVirtual(v);
                }
            }
        }
    }

    private long virtualId(final int v)
    {
        return ConnectionIds.compose(ownAgentIndex, vGeneration[v], v);
    }

    /**
     * Number of sockets of other nodes served here now.
     *
     * @return count.
     */
    public int virtualConnections()
    {
        return vInUse.length - vFreeCount;
    }

    // ---------------------------------------------------------------- timers: heartbeat, renewal, relay check

    private void onTimer()
    {
        final long hooksDropped = hooks.dropped();
        if (hooksDropped > hooksDroppedLogged && counters.dropLog.due(RelayDrop.values().length + 2, nowMs))
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
        releaseClaimsNeverOpened(redis);
        if (null == beatFuture && 4 != handoverState)
        {
            beatFuture = heartbeats.beat(redis);
        }
        if (null == renewFuture && !owned.isEmpty())
        {
            renewRooms = owned.keySet().toArray(new String[0]);
            final byte[][] keys = new byte[renewRooms.length][];
            for (int i = 0; i < keys.length; i++)
            {
                final byte[] room = owned.get(renewRooms[i]);
                keys[i] = ClusterKeys.lease(room, room.length);
            }
            renewFuture = leases.renew(redis, keys);
        }
        if (null == checkFuture)
        {
            checked.clear();
            for (final Relayed r : relayed.values())
            {
                if (REMOTE == r.state && !r.closing)
                {
                    checked.add(r);
                }
            }
            if (!checked.isEmpty())
            {
                final byte[][] keys = new byte[checked.size()][];
                for (int i = 0; i < keys.length; i++)
                {
                    final byte[] room = checked.get(i).room;
                    keys[i] = ClusterKeys.lease(room, room.length);
                }
                checkFuture = leases.owners(redis, keys);
            }
        }
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
                    if (isNodeId((byte[])node))
                    {
                        nodes.add(ascii((byte[])node));
                    }
                }
                counters.liveNodes = List.copyOf(nodes);
                closeVirtualsOfLostNodes(nodes);
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
        if (null != renewFuture && renewFuture.isDone())
        {
            try
            {
                final List<Object> result = renewFuture.get();
                counters.leaseRenewals.incrementAndGet();
                for (int i = 0; i < renewRooms.length && i < result.size(); i++)
                {
                    if (0L == (Long)result.get(i) && owned.containsKey(renewRooms[i]))
                    {
                        counters.leasesLost.incrementAndGet();
                        LOG.warn(LogLine.event("lease_lost").with("roomId", renewRooms[i]).with("nodeId", nodeId));
                        evictRoom(owned.get(renewRooms[i]), renewRooms[i]);
                    }
                }
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.leaseRenewalFailures.incrementAndGet();
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            renewFuture = null;
        }
        if (null != checkFuture && checkFuture.isDone())
        {
            try
            {
                final List<KeyValue<byte[], byte[]>> owners = checkFuture.get();
                for (int i = 0; i < checked.size() && i < owners.size(); i++)
                {
                    final Relayed r = checked.get(i);
                    final KeyValue<byte[], byte[]> owner = owners.get(i);
                    final boolean same = owner.hasValue() && r.owner.equals(ascii(owner.getValue()));
                    if (!same && relayed.get(r.connectionId) == r && REMOTE == r.state)
                    {
                        closeSocket(r);
                    }
                }
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            checked.clear();
            checkFuture = null;
        }
    }

    // ---------------------------------------------------------------- ownership

    /**
     * A room claimed for a relayed join or resume that the engine never opened (a resume that failed, a join
     * that was refused) is given back after one lease lifetime, so this node does not hold it forever.
     */
    private void releaseClaimsNeverOpened(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        if (claimedNotOpened.isEmpty())
        {
            return;
        }
        final java.util.Iterator<Map.Entry<String, Long>> it = claimedNotOpened.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<String, Long> entry = it.next();
            if (nowMs - entry.getValue() >= settings.leaseTtlMillis())
            {
                it.remove();
                final byte[] room = owned.remove(entry.getKey());
                if (null != room)
                {
                    directory.remove(room);
                    countErrors(leases.release(redis, ClusterKeys.lease(room, room.length)));
                }
            }
        }
    }

    private void addOwned(final byte[] room, final String roomKey)
    {
        if (handedOver)
        {
            return;
        }
        owned.put(roomKey, room);
        directory.add(room);
    }

    private void evictRoom(final byte[] room, final String roomKey)
    {
        owned.remove(roomKey);
        directory.remove(room);
        for (int i = 0; i < evictions.length; i++)
        {
            if (evictions[i].offer(room))
            {
                ioDirty[i] = true;
            }
        }
        for (int v = 0; v < vInUse.length; v++)
        {
            if (vInUse[v] && null != vRoom[v] && Arrays.equals(vRoom[v], room) && !vClosing[v])
            {
                counters.roomMovedCloses.incrementAndGet();
                replyClose(vNode[v], vOrigin[v], CloseCodes.ROOM_MOVED, "room_moved");
            }
        }
    }

    // ---------------------------------------------------------------- engine publishing

    private int publishMessage(final InboundSlot slot, final int currentShard)
    {
        int shard = currentShard;
        final int target;
        if (slot.roomIdLength > 0)
        {
            target = inbound.shardFor(slot.roomId, slot.roomIdLength);
            if (shard < 0 || isJoinOrResume(slot.typeId))
            {
                shard = target;
            }
        }
        else
        {
            target = Math.max(0, shard);
            shard = target;
        }
        inbound.publish(target, slot, drainOwnRing);
        return shard;
    }

    private void publishEvent(
        final int shard, final byte kind, final long connectionId, final int code, final long dropped)
    {
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = kind;
        slot.connectionId = connectionId;
        slot.closeCode = code;
        slot.dropped = dropped;
        inbound.publish(shard, slot, drainOwnRing);
    }

    private void publishTooLarge(final int shard, final long connectionId)
    {
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.connectionId = connectionId;
        slot.errorCode = ErrorCode.PAYLOAD_TOO_LARGE.ordinal();
        inbound.publish(shard, slot, drainOwnRing);
    }

    private void publishRestore(final byte[] room, final byte[] snapshot)
    {
        final InboundSlot slot = eventScratch;
        slot.fillRoomRestore(room, room.length, snapshot, 0, snapshot.length);
        inbound.publish(inbound.shardFor(room, room.length), slot, drainOwnRing);
    }

    // ---------------------------------------------------------------- helpers

    private RedisAsyncCommands<byte[], byte[]> commands()
    {
        return link.isUp() ? link.commands() : null;
    }

    private void countErrors(final RedisFuture<?> future)
    {
        future.whenComplete((result, error) ->
        {
            if (null != error)
            {
                counters.redisErrors.incrementAndGet();
            }
        });
    }

    private void wakeDirtyAgents()
    {
        for (int i = 0; i < ioDirty.length; i++)
        {
            if (ioDirty[i])
            {
                ioDirty[i] = false;
                ioRings[i].wake();
            }
        }
    }

    private byte[] channelOf(final String node)
    {
        return channels.computeIfAbsent(node, ClusterKeys::channel);
    }

    private static boolean isJoinOrResume(final int typeId)
    {
        return MessageType.JOIN.id() == typeId || MessageType.RESUME.id() == typeId;
    }

    private static boolean sameRoom(final byte[] room, final byte[] roomId, final int roomIdLength)
    {
        return null != room && Arrays.equals(room, 0, room.length, roomId, 0, roomIdLength);
    }

    private static boolean isNodeId(final byte[] bytes)
    {
        return null != bytes && RelayBatchDecoder.isNodeId(bytes, 0, bytes.length);
    }

    /** The snapshot inside bytes read from Redis, or null when absent or (with a secret) not signed by a node. */
    private byte[] openSnapshot(final byte[] room, final byte[] stored)
    {
        if (null == stored)
        {
            return null;
        }
        final byte[] snapshot = signer.openSnapshot(ClusterKeys.snapshot(room, room.length), stored);
        if (null == snapshot)
        {
            final long total = counters.snapshotsRejected.incrementAndGet();
            if (counters.dropLog.due(RelayDrop.values().length, nowMs))
            {
                LOG.warn(LogLine.event("cluster_snapshot_rejected").with("roomId", ascii(room)).with("bytes", stored.length)
                    .with("rejectedTotal", total));
            }
        }
        return snapshot;
    }

    private static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private long getLong(final byte[] bytes, final int index)
    {
        view.wrap(bytes);
        return view.getLong(index, ByteOrder.BIG_ENDIAN);
    }

    private int getInt(final byte[] bytes, final int index)
    {
        view.wrap(bytes);
        return view.getInt(index, ByteOrder.BIG_ENDIAN);
    }
}
