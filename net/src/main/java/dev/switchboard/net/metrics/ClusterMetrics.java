package dev.switchboard.net.metrics;

import dev.switchboard.net.cluster.ClusterCounters;
import dev.switchboard.net.cluster.RelayDrop;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The multi-node families ({@code cluster_*}): callbacks over the cluster agent's counters.
 */
final class ClusterMetrics
{
    private final PrometheusRegistry registry;
    private final ClusterCounters cluster;

    ClusterMetrics(final PrometheusRegistry registry, final ClusterCounters cluster)
    {
        this.registry = registry;
        this.cluster = cluster;
    }

    /** Register this family's metrics with the registry. */
    void register()
    {
        registerGauges();
        registerRelayCounters();
        registerOwnershipCounters();
    }

    private void registerGauges()
    {
        GaugeWithCallback.builder()
            .name("cluster_redis_up")
            .help("Multi-node: 1 while this node's Redis link is up, else 0.")
            .callback((callback) -> callback.call(cluster.redisUp ? 1 : 0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_live_nodes")
            .help("Multi-node: nodes with a live heartbeat, this one included, at the last heartbeat.")
            .callback((callback) -> callback.call(cluster.liveNodes.size()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_owned_rooms")
            .help("Multi-node: rooms whose lease this node holds now.")
            .callback((callback) -> callback.call(cluster.ownedRooms))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_relay_lag_ms_avg")
            .help("Multi-node: mean one-way lag of relayed messages and replies received, sender to receiver " +
                "clock, since start.")
            .callback((callback) ->
            {
                final long samples = cluster.relayLagSamples.get();
                callback.call(0 == samples ? 0 : (double)cluster.relayLagMsSum.get() / samples);
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_relay_lag_ms_max")
            .help("Multi-node: largest one-way lag of a relayed message or reply since start.")
            .callback((callback) -> callback.call(cluster.relayLagMsMax.get()))
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_lag_samples_total")
            .help("Multi-node: relayed messages and replies whose lag was measured.")
            .callback((callback) -> callback.call(cluster.relayLagSamples.get()))
            .register(registry);
    }

    private void registerRelayCounters()
    {
        CounterWithCallback.builder()
            .name("cluster_relayed_messages_total")
            .help("Multi-node: socket messages relayed to a room's owner (out) or from another node (in).")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.relayedOut.get(), "out");
                callback.call(cluster.relayedIn.get(), "in");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_replies_total")
            .help("Multi-node: frames and closes sent back to (out) or received from (in) the owner of a room.")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.repliesOut.get(), "out");
                callback.call(cluster.repliesIn.get(), "in");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_batches_total")
            .help("Multi-node: relay batches (one Redis publish per destination node per cycle) sent (out), " +
                "handled (in) or dropped as malformed.")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.relayBatchesOut.get(), "out");
                callback.call(cluster.relayBatchesIn.get(), "in");
                callback.call(cluster.relayBatchesMalformed.get(), "malformed");
            })
            .register(registry);
    }

    private void registerOwnershipCounters()
    {
        CounterWithCallback.builder()
            .name("cluster_lease_renewals_total")
            .help("Multi-node: lease renewal rounds for every owned room, by result.")
            .labelNames("result")
            .callback((callback) ->
            {
                callback.call(cluster.leaseRenewals.get(), "ok");
                callback.call(cluster.leaseRenewalFailures.get(), "failed");
            })
            .register(registry);
        clusterCounter("cluster_leases_lost_total", "Multi-node: rooms found leased to another node at renewal.",
            cluster.leasesLost);
        clusterCounter("cluster_rooms_claimed_total", "Multi-node: rooms this node took ownership of.",
            cluster.roomsClaimed);
        clusterCounter("cluster_rooms_restored_total", "Multi-node: rooms restored from another node's snapshot.",
            cluster.roomsRestored);
        clusterCounter("cluster_snapshots_saved_total", "Multi-node: room snapshots written to Redis.",
            cluster.snapshotsSaved);
        clusterCounter("cluster_redis_errors_total", "Multi-node: Redis commands that failed or timed out.",
            cluster.redisErrors);
        clusterCounter("cluster_room_moved_closes_total", "Multi-node: sockets closed with 4012 room_moved.",
            cluster.roomMovedCloses);
        clusterCounter("cluster_unavailable_total", "Multi-node: joins and resumes answered cluster_unavailable.",
            cluster.clusterUnavailable);
        CounterWithCallback.builder()
            .name("cluster_relay_batches_dropped_total")
            .help("Multi-node: relay batches received and dropped whole, by reason.")
            .labelNames("reason")
            .callback((callback) ->
            {
                for (final RelayDrop reason : RelayDrop.values())
                {
                    callback.call(cluster.relayBatchesDropped.get(reason.ordinal()), reason.label());
                }
            })
            .register(registry);
        clusterCounter("cluster_snapshots_rejected_total",
            "Multi-node: room snapshots read from Redis and refused for a missing or wrong tag.",
            cluster.snapshotsRejected);
        clusterCounter("cluster_undeliverable_closes_total",
            "Multi-node: sockets closed with 4012 because a relayed message for them could not be delivered.",
            cluster.undeliverableCloses);
        CounterWithCallback.builder()
            .name("cluster_hooks_dropped_total")
            .help("Multi-node: engine notices (room opened or closed, snapshots) dropped because the queue was full.")
            .callback((callback) -> callback.call(cluster.hooksDropped.getAsLong()))
            .register(registry);
    }

    private void clusterCounter(
        final String name, final String help, final AtomicLong value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback((callback) -> callback.call(value.get()))
            .register(registry);
    }
}
