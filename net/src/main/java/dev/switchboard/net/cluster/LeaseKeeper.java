package dev.switchboard.net.cluster;

import dev.switchboard.engine.log.LogLine;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * The leases of the rooms this node owns: the owned set (mirrored into the {@link RoomDirectory} the IoAgents
 * read), renewal of every lease once per renewal interval (a third of the lease lifetime), the rooms found leased
 * to another node at renewal, the give-back of rooms claimed for a relayed join that the engine never opened, and
 * the release of every lease at a handover.
 * <p>
 * Time comes in as {@code nowMs} from the caller's clock, read once per duty cycle. Redis is reached only through
 * asynchronous commands whose futures are polled, never waited on. Used by the cluster agent's thread alone.
 */
final class LeaseKeeper
{
    private static final Logger LOG = LogManager.getLogger(LeaseKeeper.class);

    private final String nodeId;
    private final long leaseTtlMs;
    private final long renewIntervalMs;
    private final RoomLeases leases;
    private final RoomDirectory directory;
    private final ClusterCounters counters;
    private final RoomEvictor onLost;
    private final Map<String, byte[]> owned = new HashMap<>();
    private final Map<String, Long> claimedNotOpened = new HashMap<>();
    private final ArrayList<RedisFuture<Long>> releases = new ArrayList<>();
    private long nextRenewMs;
    private RedisFuture<List<Object>> renewFuture;
    private String[] renewRooms;
    private boolean handedOver;

    /**
     * Keep leases for one node.
     *
     * @param nodeId          this node's id, for logs.
     * @param leaseTtlMs      lease lifetime.
     * @param renewIntervalMs time between two renewals, less than the lifetime.
     * @param leases          the lease commands.
     * @param directory       the owned-room view of the IoAgents, kept equal to the owned set.
     * @param counters        where renewals, failures and losses are counted.
     * @param onLost          called for each room found leased to another node at renewal.
     */
    LeaseKeeper(
        final String nodeId,
        final long leaseTtlMs,
        final long renewIntervalMs,
        final RoomLeases leases,
        final RoomDirectory directory,
        final ClusterCounters counters,
        final RoomEvictor onLost)
    {
        this.nodeId = nodeId;
        this.leaseTtlMs = leaseTtlMs;
        this.renewIntervalMs = renewIntervalMs;
        this.leases = leases;
        this.directory = directory;
        this.counters = counters;
        this.onLost = onLost;
    }

    /**
     * Start the renewal timer: the first renewal is due now.
     *
     * @param nowMs the clock now.
     */
    void start(final long nowMs)
    {
        nextRenewMs = nowMs;
    }

    /**
     * Whether the renewal interval has passed; when it has, the next one starts now.
     *
     * @param nowMs the clock now.
     * @return true once per renewal interval.
     */
    boolean isRenewDue(final long nowMs)
    {
        if (nowMs < nextRenewMs)
        {
            return false;
        }
        nextRenewMs = nowMs + renewIntervalMs;
        return true;
    }

    /**
     * Whether this node owns a room.
     *
     * @param roomKey the room id as ASCII text.
     * @return true when owned.
     */
    boolean owns(final String roomKey)
    {
        return owned.containsKey(roomKey);
    }

    /**
     * Number of rooms owned.
     *
     * @return count.
     */
    int ownedCount()
    {
        return owned.size();
    }

    /**
     * Whether the leases were handed over: no room is taken any more.
     *
     * @return true after {@link #releaseAll}.
     */
    boolean isHandedOver()
    {
        return handedOver;
    }

    /**
     * Own a room (its lease is held); does nothing after a handover.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     */
    void add(final byte[] room, final String roomKey)
    {
        if (handedOver)
        {
            return;
        }
        owned.put(roomKey, room);
        directory.add(room);
    }

    /**
     * Own a room claimed for a relayed join or resume; unless the engine opens it within one lease lifetime, its
     * lease is given back.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     * @param nowMs   the clock now.
     */
    void addClaimed(final byte[] room, final String roomKey, final long nowMs)
    {
        add(room, roomKey);
        claimedNotOpened.put(roomKey, nowMs);
    }

    /**
     * The engine opened a room: keep its lease.
     *
     * @param roomKey the room id as ASCII text.
     */
    void opened(final String roomKey)
    {
        claimedNotOpened.remove(roomKey);
    }

    /**
     * Stop owning a room, without touching its lease.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     * @return true when it was owned.
     */
    boolean remove(final byte[] room, final String roomKey)
    {
        final boolean removed = null != owned.remove(roomKey);
        directory.remove(room);
        return removed;
    }

    /**
     * Start a renewal of every owned lease, unless one is in flight or nothing is owned.
     *
     * @param redis commands.
     */
    void renew(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        if (null != renewFuture || owned.isEmpty())
        {
            return;
        }
        renewRooms = owned.keySet().toArray(new String[0]);
        final byte[][] keys = new byte[renewRooms.length][];
        for (int i = 0; i < keys.length; i++)
        {
            final byte[] room = owned.get(renewRooms[i]);
            keys[i] = ClusterKeys.lease(room, room.length);
        }
        renewFuture = leases.renew(redis, keys);
    }

    /**
     * Handle a finished renewal: each room whose lease another node holds now is lost.
     *
     * @return true when a renewal finished.
     */
    boolean pollRenewal()
    {
        if (null == renewFuture || !renewFuture.isDone())
        {
            return false;
        }
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
                    onLost.evict(owned.get(renewRooms[i]), renewRooms[i]);
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
        return true;
    }

    /**
     * A room claimed for a relayed join or resume that the engine never opened (a resume that failed, a join
     * that was refused) is given back after one lease lifetime, so this node does not hold it forever.
     *
     * @param redis commands.
     * @param nowMs the clock now.
     */
    void releaseClaimsNeverOpened(final RedisAsyncCommands<byte[], byte[]> redis, final long nowMs)
    {
        if (claimedNotOpened.isEmpty())
        {
            return;
        }
        final Iterator<Map.Entry<String, Long>> it = claimedNotOpened.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<String, Long> entry = it.next();
            if (nowMs - entry.getValue() >= leaseTtlMs)
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

    /**
     * Close a room the engine closed: forget it and delete its lease and snapshot.
     *
     * @param redis   commands, or null while Redis is down.
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     */
    void closeRoom(final RedisAsyncCommands<byte[], byte[]> redis, final byte[] room, final String roomKey)
    {
        if (null != owned.remove(roomKey))
        {
            directory.remove(room);
            if (null != redis)
            {
                countErrors(leases.closeRoom(redis, room, room.length));
            }
        }
    }

    /**
     * Handover: release every lease and stop owning rooms, now and from now on.
     *
     * @param redis      commands, or null while Redis is down (nothing is released then; the leases expire).
     * @param onComplete called when each release completes.
     * @return the number of rooms given up.
     */
    int releaseAll(final RedisAsyncCommands<byte[], byte[]> redis, final BiConsumer<Object, Throwable> onComplete)
    {
        handedOver = true;
        final int rooms = owned.size();
        if (null != redis)
        {
            for (final byte[] room : owned.values())
            {
                final RedisFuture<Long> release = leases.release(redis, ClusterKeys.lease(room, room.length));
                release.whenComplete(onComplete);
                releases.add(release);
            }
        }
        owned.clear();
        directory.clear();
        return rooms;
    }

    /**
     * Whether every release started by {@link #releaseAll} has completed.
     *
     * @return true when none is in flight.
     */
    boolean releasesDone()
    {
        boolean done = true;
        for (final RedisFuture<Long> release : releases)
        {
            done &= release.isDone();
        }
        return done;
    }

    /**
     * Number of releases started by {@link #releaseAll}.
     *
     * @return count.
     */
    int releaseCount()
    {
        return releases.size();
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
}
