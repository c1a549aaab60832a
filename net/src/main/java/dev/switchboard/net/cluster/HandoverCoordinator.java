package dev.switchboard.net.cluster;

import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The handover of a draining node, step by step: every shard snapshots its rooms, then every lease is released,
 * then the node leaves the cluster, each step bounded in time so a dead Redis cannot hold the drain.
 * <p>
 * {@code IDLE -> REQUESTED} on {@link #request()} (any thread); {@code REQUESTED -> SNAPSHOTTING} at the next duty
 * cycle, which asks every shard for its snapshots; {@code SNAPSHOTTING -> RELEASING} once every shard reported and
 * every snapshot is saved, or after {@code 2 * redisTimeoutMs + 1 s}; {@code RELEASING -> DONE} once every release
 * completed, or after {@code redisTimeoutMs + 100 ms}. Driven by {@link #doWork(long)} on the cluster agent's
 * thread with the time of its duty cycle.
 */
final class HandoverCoordinator
{
    /** No handover asked for. */
    static final int IDLE = 0;
    /** Asked for, not started yet. */
    static final int REQUESTED = 1;
    /** The shards are snapshotting their rooms. */
    static final int SNAPSHOTTING = 2;
    /** The leases are being released. */
    static final int RELEASING = 3;
    /** Finished: the leases are released (or their time bound passed) and the node left. */
    static final int DONE = 4;

    /** Extra time for the shards to snapshot, beyond two Redis timeouts. */
    static final long SNAPSHOT_GRACE_MS = 1_000L;
    /** Extra time for the releases, beyond one Redis timeout. */
    static final long RELEASE_GRACE_MS = 100L;

    private static final Logger LOG = LogManager.getLogger(HandoverCoordinator.class);

    /** What a handover does, step by step; implemented by the cluster agent. */
    interface Steps
    {
        /**
         * Rooms owned now.
         *
         * @return count.
         */
        int ownedRooms();

        /**
         * Ask every shard to snapshot its rooms and report when done.
         */
        void requestSnapshots();

        /**
         * Whether every snapshot asked for has been written (or failed).
         *
         * @return true when no save is in flight.
         */
        boolean snapshotsSaved();

        /**
         * Release every lease and stop owning rooms.
         *
         * @return the number of rooms given up.
         */
        int releaseLeases();

        /**
         * Whether every release has completed.
         *
         * @return true when none is in flight.
         */
        boolean leasesReleased();

        /**
         * Leave the cluster (remove this node's heartbeat).
         *
         * @return the number of releases that were started.
         */
        int leave();
    }

    private final String nodeId;
    private final long redisTimeoutMs;
    private final int shardCount;
    private final Steps steps;
    private final Runnable waker;
    private volatile int state = IDLE;
    private int shardsHandedOver;
    private long deadlineMs;

    /**
     * A coordinator for one node.
     *
     * @param nodeId         this node's id, for logs.
     * @param redisTimeoutMs longest wait for one Redis command; bounds each step.
     * @param shardCount     number of engine shards that report their snapshots.
     * @param steps          what each step does.
     * @param waker          wakes the cluster agent after a request.
     */
    HandoverCoordinator(
        final String nodeId, final long redisTimeoutMs, final int shardCount, final Steps steps, final Runnable waker)
    {
        this.nodeId = nodeId;
        this.redisTimeoutMs = redisTimeoutMs;
        this.shardCount = shardCount;
        this.steps = steps;
        this.waker = waker;
    }

    /**
     * Ask for a handover; a second request does nothing. Any thread.
     */
    void request()
    {
        if (IDLE == state)
        {
            state = REQUESTED;
            waker.run();
        }
    }

    /**
     * The step the handover is at. Any thread.
     *
     * @return one of {@link #IDLE}, {@link #REQUESTED}, {@link #SNAPSHOTTING}, {@link #RELEASING}, {@link #DONE}.
     */
    int state()
    {
        return state;
    }

    /**
     * Whether a request waits for the next duty cycle. Any thread.
     *
     * @return true when requested and not started.
     */
    boolean isRequested()
    {
        return REQUESTED == state;
    }

    /**
     * Whether the handover has finished. Any thread.
     *
     * @return true when done.
     */
    boolean isDone()
    {
        return DONE == state;
    }

    /**
     * A shard reported that it snapshotted every room for the handover.
     */
    void onShardHandedOver()
    {
        shardsHandedOver++;
    }

    /**
     * Take the next step if its condition holds.
     *
     * @param nowMs the time of this duty cycle.
     * @return 1 when a step was taken, else 0.
     */
    int doWork(final long nowMs)
    {
        switch (state)
        {
            case REQUESTED:
                deadlineMs = nowMs + 2L * redisTimeoutMs + SNAPSHOT_GRACE_MS;
                steps.requestSnapshots();
                LOG.info(LogLine.event("handover_started").with("nodeId", nodeId)
                    .with("ownedRooms", steps.ownedRooms()));
                state = SNAPSHOTTING;
                return 1;
            case SNAPSHOTTING:
                final boolean snapshotsDone = shardsHandedOver >= shardCount && steps.snapshotsSaved();
                if (snapshotsDone || nowMs >= deadlineMs)
                {
                    final int rooms = steps.releaseLeases();
                    LOG.info(LogLine.event("handover_releasing").with("nodeId", nodeId).with("rooms", rooms)
                        .with("snapshotsDone", snapshotsDone));
                    deadlineMs = nowMs + redisTimeoutMs + RELEASE_GRACE_MS;
                    state = RELEASING;
                    return 1;
                }
                return 0;
            case RELEASING:
                if (steps.leasesReleased() || nowMs >= deadlineMs)
                {
                    final int released = steps.leave();
                    LOG.info(LogLine.event("handover_done").with("nodeId", nodeId).with("released", released));
                    state = DONE;
                    return 1;
                }
                return 0;
            default:
                return 0;
        }
    }
}
