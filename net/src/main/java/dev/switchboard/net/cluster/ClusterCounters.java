package dev.switchboard.net.cluster;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What the cluster agent counts, for /metrics and /healthz: written by the agent (and Lettuce callbacks),
 * read by the exporter.
 */
public final class ClusterCounters
{
    /** Messages this node relayed to other nodes (socket side). */
    public final AtomicLong relayedOut = new AtomicLong();
    /** Messages other nodes relayed to this node (owner side). */
    public final AtomicLong relayedIn = new AtomicLong();
    /** Frames and closes this node sent back to the nodes holding the sockets. */
    public final AtomicLong repliesOut = new AtomicLong();
    /** Frames and closes other nodes sent back to sockets on this node. */
    public final AtomicLong repliesIn = new AtomicLong();
    /** Relay channel messages (batches of records for one node) this node published. */
    public final AtomicLong relayBatchesOut = new AtomicLong();
    /** Relay channel messages (batches) this node received and handled. */
    public final AtomicLong relayBatchesIn = new AtomicLong();
    /** Relay channel messages this node received and rejected as malformed (none of their records handled). */
    public final AtomicLong relayBatchesMalformed = new AtomicLong();
    /** Sum of the measured one-way relay lags in milliseconds (sender clock to receiver clock). */
    public final AtomicLong relayLagMsSum = new AtomicLong();
    /** Number of relay lag samples. */
    public final AtomicLong relayLagSamples = new AtomicLong();
    /** Largest relay lag since start, in milliseconds. */
    public final AtomicLong relayLagMsMax = new AtomicLong();
    /** Lease renewal rounds that succeeded. */
    public final AtomicLong leaseRenewals = new AtomicLong();
    /** Lease renewal rounds that failed (Redis error or timeout). */
    public final AtomicLong leaseRenewalFailures = new AtomicLong();
    /** Rooms found owned by another node at renewal. */
    public final AtomicLong leasesLost = new AtomicLong();
    /** Rooms claimed by this node. */
    public final AtomicLong roomsClaimed = new AtomicLong();
    /** Rooms restored from a snapshot another node stored. */
    public final AtomicLong roomsRestored = new AtomicLong();
    /** Snapshots written. */
    public final AtomicLong snapshotsSaved = new AtomicLong();
    /** Redis commands that failed or timed out. */
    public final AtomicLong redisErrors = new AtomicLong();
    /** Sockets closed with 4012 room_moved. */
    public final AtomicLong roomMovedCloses = new AtomicLong();
    /** Joins and resumes answered cluster_unavailable. */
    public final AtomicLong clusterUnavailable = new AtomicLong();
    /** Relay batches received and dropped whole, by {@link RelayDrop} ordinal. */
    public final AtomicLongArray relayBatchesDropped = new AtomicLongArray(RelayDrop.values().length);
    /** Room snapshots read from Redis and refused because their tag was missing or wrong. */
    public final AtomicLong snapshotsRejected = new AtomicLong();
    /** Sockets closed with 4012 because a relayed message for them could not be delivered. */
    public final AtomicLong undeliverableCloses = new AtomicLong();
    /** Engine notices (room opened/closed, snapshots) the hooks queue dropped because it was full. */
    public volatile LongSupplier hooksDropped = () -> 0;
    /** Log episodes of the drops above: one per {@link RelayDrop}, then snapshots, undeliverable, hooks. */
    public final LogEpisodes dropLog = new LogEpisodes(RelayDrop.values().length + 3);

    /** Whether the Redis link is up. */
    public volatile boolean redisUp;
    /** Rooms owned by this node now. */
    public volatile int ownedRooms;
    /** Live node ids from the last heartbeat. */
    public volatile List<String> liveNodes = List.of();

    /**
     * Count a dropped relay batch.
     *
     * @param reason why.
     * @return the count for that reason, this one included.
     */
    public long onBatchDropped(final RelayDrop reason)
    {
        return relayBatchesDropped.incrementAndGet(reason.ordinal());
    }

    /**
     * Record one relay lag sample.
     *
     * @param lagMs lag in milliseconds (negative clock skew counts as 0).
     */
    public void recordLag(final long lagMs)
    {
        final long lag = Math.max(0, lagMs);
        relayLagMsSum.addAndGet(lag);
        relayLagSamples.incrementAndGet();
        long max;
        while (lag > (max = relayLagMsMax.get()) && !relayLagMsMax.compareAndSet(max, lag))
        {
            Thread.onSpinWait();
        }
    }
}
