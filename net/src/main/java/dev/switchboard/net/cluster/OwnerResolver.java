package dev.switchboard.net.cluster;

import dev.switchboard.engine.log.LogLine;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Finds out who owns a room, one lookup per room however many sockets wait for it: a claim that takes the room
 * when nobody holds it and reads its snapshot in the same step. A room claimed for a relayed socket is restored
 * from its snapshot (when signed by a node) and owned through the {@link LeaseKeeper}; a room the engine opened
 * that another node holds is evicted. The sockets that waited are handed to the {@link Listener} with the outcome.
 * <p>
 * Redis is reached only through asynchronous commands whose futures {@link #poll(long)} checks, never waits on.
 * Used by the cluster agent's thread alone.
 */
final class OwnerResolver
{
    private static final Logger LOG = LogManager.getLogger(OwnerResolver.class);
    private static final int DROP_LOG_SNAPSHOT = RelayDrop.values().length;

    /** Told when a lookup some relayed sockets waited for settles. */
    @FunctionalInterface
    interface Listener
    {
        /**
         * A lookup settled.
         *
         * @param room    room id bytes.
         * @param waiting the sockets whose records wait, in the order they asked.
         * @param owner   the owner node when it is another node, else null.
         * @param failed  true when Redis did not answer.
         */
        void onResolved(byte[] room, List<RelayedSocket> waiting, String owner, boolean failed);
    }

    /** An owner lookup or claim in flight. */
    private static final class Resolve
    {
        final byte[] room;
        final String roomKey;
        final boolean fromOpen;
        final ArrayList<RelayedSocket> waiting = new ArrayList<>(2);
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
    private final RoomEvictor evictor;
    private final ShardProxy shards;
    private final ClusterSigner signer;
    private final ClusterCounters counters;
    private final BiConsumer<Object, Throwable> wakeOnComplete;
    private final Listener listener;
    private final ArrayList<Resolve> resolves = new ArrayList<>();
    private final Map<String, Resolve> resolvingByRoom = new HashMap<>();

    OwnerResolver(
        final RedisLink link,
        final RoomLeases leases,
        final LeaseKeeper leaseKeeper,
        final RoomEvictor evictor,
        final ShardProxy shards,
        final ClusterSigner signer,
        final ClusterCounters counters,
        final BiConsumer<Object, Throwable> wakeOnComplete,
        final Listener listener)
    {
        this.link = link;
        this.leases = leases;
        this.leaseKeeper = leaseKeeper;
        this.evictor = evictor;
        this.shards = shards;
        this.signer = signer;
        this.counters = counters;
        this.wakeOnComplete = wakeOnComplete;
        this.listener = listener;
    }

    /**
     * Make a relayed socket wait for the owner of a room, starting a lookup unless one runs.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     * @param socket  the socket; its records wait in its pending queue.
     */
    void await(final byte[] room, final String roomKey, final RelayedSocket socket)
    {
        Resolve resolve = resolvingByRoom.get(roomKey);
        if (null == resolve)
        {
            resolve = startResolve(room, roomKey, false);
        }
        resolve.waiting.add(socket);
    }

    /**
     * The engine opened a room this node does not own yet: claim it, unless handed over or already claiming.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     */
    void resolveOpened(final byte[] room, final String roomKey)
    {
        if (!leaseKeeper.isHandedOver() && !leaseKeeper.owns(roomKey) && !resolvingByRoom.containsKey(roomKey))
        {
            startResolve(room, roomKey, true);
        }
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
    int poll(final long nowMs)
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
            (RoomLeases.OWNED_ELSEWHERE != (Long)result.get(0) || SocketRelay.isNodeId((byte[])result.get(1))) ?
            (Long)result.get(0) : -1;
        if (resolve.fromOpen)
        {
            if (RoomLeases.OWNED_ELSEWHERE == code)
            {
                LOG.warn(LogLine.event("room_owned_elsewhere").with("roomId", resolve.roomKey)
                    .with("owner", SocketRelay.ascii((byte[])result.get(1))));
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
            SocketRelay.ascii((byte[])result.get(1)) : null;
        listener.onResolved(resolve.room, resolve.waiting, owner, code < 0);
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
                LOG.warn(LogLine.event("cluster_snapshot_rejected").with("roomId", SocketRelay.ascii(room))
                    .with("bytes", stored.length).with("rejectedTotal", total));
            }
        }
        return snapshot;
    }
}
