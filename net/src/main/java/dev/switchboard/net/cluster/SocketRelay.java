package dev.switchboard.net.cluster;

import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.protocol.ErrorCode;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.net.ws.CloseCodes;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
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
import java.util.function.BiConsumer;

/**
 * The sockets of this node whose first join or resume named a room this node did not own at the time: the records
 * the IoAgents put on the relay queue for them are published to the local shard once this node owns the room, or
 * forwarded to the room's owner through the {@link NodeBatchPublisher}.
 * <p>
 * An owner lookup (a claim that also reads the room's snapshot) runs per room while the socket's records wait in
 * order; when it settles, the records are replayed and the IoAgent that paused the socket is told its route. Once
 * per renewal interval the owners of the rooms relayed elsewhere are read again, and a socket whose room moved is
 * closed with 4012 so it reconnects to the new owner. Used by the cluster agent's thread alone.
 */
final class SocketRelay implements MessageHandler, NodeBatchPublisher.UndeliveredHandler
{
    private static final Logger LOG = LogManager.getLogger(SocketRelay.class);
    private static final byte NONE = 0;
    private static final byte RESOLVING = 1;
    private static final byte LOCAL = 2;
    private static final byte REMOTE = 3;
    private static final int DROP_LOG_SNAPSHOT = RelayDrop.values().length;

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

    private final RedisLink link;
    private final RoomLeases leases;
    private final LeaseKeeper leaseKeeper;
    private final RoomDirectory directory;
    private final RoomEvictor evictor;
    private final ShardProxy shards;
    private final IoAgentProxy io;
    private final NodeBatchPublisher publisher;
    private final ClusterSigner signer;
    private final ClusterCounters counters;
    private final BiConsumer<Object, Throwable> wakeOnComplete;
    private final EnvelopeDecoder decoder;
    private final InboundSlot scratch = new InboundSlot();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] record;

    private final Long2ObjectHashMap<Relayed> relayed = new Long2ObjectHashMap<>();
    private final ArrayList<Resolve> resolves = new ArrayList<>();
    private final Map<String, Resolve> resolvingByRoom = new HashMap<>();
    private final ArrayList<Relayed> checked = new ArrayList<>();
    private RedisFuture<List<KeyValue<byte[], byte[]>>> checkFuture;

    SocketRelay(
        final ClusterContext ctx,
        final RoomLeases leases,
        final LeaseKeeper leaseKeeper,
        final RoomEvictor evictor,
        final ShardProxy shards,
        final IoAgentProxy io,
        final NodeBatchPublisher publisher,
        final ClusterSigner signer,
        final BiConsumer<Object, Throwable> wakeOnComplete)
    {
        this.link = ctx.link();
        this.directory = ctx.directory();
        this.counters = ctx.counters();
        this.leases = leases;
        this.leaseKeeper = leaseKeeper;
        this.evictor = evictor;
        this.shards = shards;
        this.io = io;
        this.publisher = publisher;
        this.signer = signer;
        this.wakeOnComplete = wakeOnComplete;
        this.decoder = new EnvelopeDecoder(ctx.maxPayloadBytes());
        this.record = new byte[ctx.recordCapacityBytes()];
    }

    /**
     * One record of the relay queue: a message, close, flow event or route notice of a relayed socket.
     *
     * @param kind   record kind ({@link RelayRecords}).
     * @param buffer the queue's buffer.
     * @param index  where the record starts.
     * @param length record length.
     */
    @Override
    public void onMessage(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (record.length < length + 1)
        {
            record = new byte[length + 1];
        }
        record[0] = (byte)kind;
        buffer.getBytes(index, record, 1, length);
        onRecord(record, length + 1);
    }

    /**
     * Close, with 4012, a socket whose relayed messages could not be delivered to the room's owner.
     *
     * @param socketId connection id of the socket.
     */
    @Override
    public void onUndelivered(final long socketId)
    {
        final Relayed r = relayed.get(socketId);
        if (null != r && REMOTE == r.state)
        {
            closeSocket(r);
        }
    }

    /**
     * Whether a close sent back by a node may close this socket: not when the socket is relayed to another owner.
     *
     * @param origin       the node the close came from.
     * @param connectionId the socket.
     * @return true when the close applies.
     */
    boolean acceptsCloseFrom(final String origin, final long connectionId)
    {
        final Relayed r = relayed.get(connectionId);
        return null == r || REMOTE != r.state || origin.equals(r.owner);
    }

    /**
     * The engine opened a room this node does not own yet: claim it, unless handed over or already claiming.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     */
    void onRoomOpened(final byte[] room, final String roomKey)
    {
        if (!leaseKeeper.isHandedOver() && !leaseKeeper.owns(roomKey) && !resolvingByRoom.containsKey(roomKey))
        {
            startResolve(room, roomKey, true);
        }
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
                io.close(connectionId, getInt(rec, RelayRecords.BODY_OFFSET), "");
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
                    shards.publishEvent(r.shard, SlotKind.CONNECTION_CLOSED, r.connectionId,
                        getInt(rec, RelayRecords.BODY_OFFSET), 0);
                }
                else
                {
                    io.close(r.connectionId, getInt(rec, RelayRecords.BODY_OFFSET), "");
                }
                break;
            case RelayRecords.FLOW:
                if (REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else if (r.shard >= 0)
                {
                    shards.publishEvent(r.shard, rec[RelayRecords.BODY_OFFSET], r.connectionId, 0,
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
                    shards.publishTooLarge(Math.max(0, r.shard), r.connectionId);
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
        final boolean bindsRoom = ShardProxy.isJoinOrResume(slot.typeId) && slot.roomIdLength > 0;
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
                awaitOwner(r, rec, length, slot);
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
        if (ShardProxy.isJoinOrResume(slot.typeId))
        {
            System.arraycopy(rec, RelayRecords.BODY_OFFSET + 1, slot.authUserId, 0, authLength);
            slot.authUserIdLength = authLength;
        }
        r.shard = shards.publishMessage(slot, r.shard);
    }

    private void awaitOwner(final Relayed r, final byte[] rec, final int length, final InboundSlot slot)
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
    }

    private Resolve startResolve(final byte[] room, final String roomKey, final boolean fromOpen)
    {
        final Resolve resolve = new Resolve(room, roomKey, fromOpen);
        final RedisAsyncCommands<byte[], byte[]> redis = link.isUp() ? link.commands() : null;
        if (null != redis)
        {
            resolve.future = leases.claim(redis, room, room.length);
            resolve.future.whenComplete(wakeOnComplete);
        }
        resolves.add(resolve);
        resolvingByRoom.put(roomKey, resolve);
        return resolve;
    }

    /**
     * Settle the owner lookups Redis answered (or that never started because Redis was down).
     *
     * @param nowMs the time of this duty cycle.
     * @return number settled.
     */
    int pollResolves(final long nowMs)
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
            completeResolve(resolve, nowMs);
            work++;
        }
        return work;
    }

    private void completeResolve(final Resolve resolve, final long nowMs)
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
                evictor.evict(resolve.room, resolve.roomKey);
            }
            else
            {
                // Claimed, already ours, or Redis down: the room lives here; renewal settles it later.
                leaseKeeper.add(resolve.room, resolve.roomKey);
            }
        }
        else if (RoomLeases.CLAIMED == code || RoomLeases.ALREADY_OWNED == code)
        {
            if (!leaseKeeper.owns(resolve.roomKey))
            {
                counters.roomsClaimed.incrementAndGet();
                final byte[] snapshot = openSnapshot(resolve.room, (byte[])result.get(2), nowMs);
                if (null != snapshot)
                {
                    shards.publishRestore(resolve.room, snapshot);
                    counters.roomsRestored.incrementAndGet();
                    LOG.info(LogLine.event("room_restored").with("roomId", resolve.roomKey)
                        .with("snapshotBytes", snapshot.length));
                }
                leaseKeeper.addClaimed(resolve.room, resolve.roomKey, nowMs);
            }
        }
        final String owner = RoomLeases.OWNED_ELSEWHERE == code && !resolve.fromOpen ?
            ascii((byte[])result.get(1)) : null;
        replayWaiting(resolve, owner, code < 0);
    }

    /**
     * Replay the records of the sockets that waited for the lookup, in order, now that the owner is known: relayed
     * to {@code owner} when another node owns the room, else handled here ({@code failed}: Redis did not answer,
     * the join or resume for the room is answered cluster_unavailable).
     */
    private void replayWaiting(final Resolve resolve, final String owner, final boolean failed)
    {
        for (final Relayed r : resolve.waiting)
        {
            final ArrayDeque<byte[]> pending = r.pending;
            r.pending = new ArrayDeque<>(4);
            if (null != owner)
            {
                r.state = REMOTE;
                r.owner = owner;
                r.room = resolve.room;
            }
            else
            {
                r.state = NONE;
            }
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
        io.route(r.connectionId, LOCAL == r.state ? r.shard : -1);
    }

    private boolean isBindingText(final byte[] rec, final byte[] room)
    {
        if (RelayRecords.TEXT != rec[0])
        {
            return false;
        }
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        decoder.decode(rec, textOffset, rec.length - textOffset, scratch);
        return ShardProxy.isJoinOrResume(scratch.typeId) && sameRoom(room, scratch.roomId, scratch.roomIdLength);
    }

    private void answerUnavailable(final Relayed r, final byte[] rec)
    {
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        final InboundSlot slot = scratch;
        decoder.decode(rec, textOffset, rec.length - textOffset, slot);
        slot.connectionId = r.connectionId;
        slot.errorCode = ErrorCode.CLUSTER_UNAVAILABLE.ordinal();
        counters.clusterUnavailable.incrementAndGet();
        r.shard = shards.shardFor(slot.roomId, slot.roomIdLength);
        shards.publish(r.shard, slot);
    }

    private void forward(final Relayed r, final byte[] rec, final int length)
    {
        if (!link.isUp())
        {
            closeSocket(r);
            return;
        }
        publisher.forward(r.owner, r.connectionId, rec, length);
    }

    private void closeSocket(final Relayed r)
    {
        if (r.closing)
        {
            return;
        }
        r.closing = true;
        if (io.isLocal(r.connectionId))
        {
            counters.roomMovedCloses.incrementAndGet();
            io.close(r.connectionId, CloseCodes.ROOM_MOVED, "room_moved");
        }
    }

    /**
     * Timer duty: read the owners of the rooms relayed elsewhere, unless a read is in flight.
     *
     * @param redis commands.
     */
    void checkOwners(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        if (null != checkFuture)
        {
            return;
        }
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

    /**
     * Close with 4012 each relayed socket whose room's owner changed, once the read Redis answered.
     */
    void pollOwnerCheck()
    {
        if (null == checkFuture || !checkFuture.isDone())
        {
            return;
        }
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

    /** The snapshot inside bytes read from Redis, or null when absent or (with a secret) not signed by a node. */
    private byte[] openSnapshot(final byte[] room, final byte[] stored, final long nowMs)
    {
        if (null == stored)
        {
            return null;
        }
        final byte[] snapshot = signer.openSnapshot(ClusterKeys.snapshot(room, room.length), stored);
        if (null == snapshot)
        {
            final long total = counters.snapshotsRejected.incrementAndGet();
            if (counters.dropLog.due(DROP_LOG_SNAPSHOT, nowMs))
            {
                LOG.warn(LogLine.event("cluster_snapshot_rejected").with("roomId", ascii(room))
                    .with("bytes", stored.length).with("rejectedTotal", total));
            }
        }
        return snapshot;
    }

    static boolean sameRoom(final byte[] room, final byte[] roomId, final int roomIdLength)
    {
        return null != room && Arrays.equals(room, 0, room.length, roomId, 0, roomIdLength);
    }

    static boolean isNodeId(final byte[] bytes)
    {
        return null != bytes && RelayBatchDecoder.isNodeId(bytes, 0, bytes.length);
    }

    static String ascii(final byte[] bytes)
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
