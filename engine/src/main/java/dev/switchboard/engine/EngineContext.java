package dev.switchboard.engine;

import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.room.SocketClaims;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.EpochClock;

import java.util.Objects;
import java.util.Random;

/**
 * Immutable wiring of one engine shard: settings, clock, outbound publisher, frame pool and randomness.
 */
public final class EngineContext
{
    private final SwitchboardSettings settings;
    private final EpochClock epochClock;
    private final OutboundPublisher publisher;
    private final FramePool framePool;
    private final Random random;
    private final int shardIndex;
    private final EventLog eventLog;
    private final ClusterHooks clusterHooks;
    private final SocketClaims socketClaims;

    /**
     * Build a context; every reference is required.
     *
     * @param settings   validated settings.
     * @param epochClock the only source of time for the engine.
     * @param publisher  where encoded frames and closes go.
     * @param framePool  the shard's frame pool, owned by the engine thread.
     * @param random     randomness for user ids and session tokens (SecureRandom in production).
     * @param shardIndex index of this engine shard.
     */
    public EngineContext(
        final SwitchboardSettings settings,
        final EpochClock epochClock,
        final OutboundPublisher publisher,
        final FramePool framePool,
        final Random random,
        final int shardIndex)
    {
        this(settings, epochClock, publisher, framePool, random, shardIndex, new EventLog(64 * 1024));
    }

    /**
     * A context whose structured events go to the given log (drained by an {@link
     * dev.switchboard.engine.log.EventLogAgent}).
     *
     * @param settings   validated settings.
     * @param epochClock the only source of time for the engine.
     * @param publisher  where encoded frames and closes go.
     * @param framePool  the shard's frame pool, owned by the engine thread.
     * @param random     randomness for user ids and session tokens (SecureRandom in production).
     * @param shardIndex index of this engine shard.
     * @param eventLog   where the engine records its critical-path events.
     */
    public EngineContext(
        final SwitchboardSettings settings,
        final EpochClock epochClock,
        final OutboundPublisher publisher,
        final FramePool framePool,
        final Random random,
        final int shardIndex,
        final EventLog eventLog)
    {
        this(settings, epochClock, publisher, framePool, random, shardIndex, eventLog, ClusterHooks.NONE);
    }

    /**
     * A context for a shard of a multi-node cluster: the engine reports its rooms and their snapshots to the
     * given hooks.
     *
     * @param settings     validated settings.
     * @param epochClock   the only source of time for the engine.
     * @param publisher    where encoded frames and closes go.
     * @param framePool    the shard's frame pool, owned by the engine thread.
     * @param random       randomness for user ids and session tokens (SecureRandom in production).
     * @param shardIndex   index of this engine shard.
     * @param eventLog     where the engine records its critical-path events.
     * @param clusterHooks the cluster layer, or {@link ClusterHooks#NONE} on a single node.
     */
    public EngineContext(
        final SwitchboardSettings settings,
        final EpochClock epochClock,
        final OutboundPublisher publisher,
        final FramePool framePool,
        final Random random,
        final int shardIndex,
        final EventLog eventLog,
        final ClusterHooks clusterHooks)
    {
        this.clusterHooks = Objects.requireNonNull(clusterHooks, "clusterHooks");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.framePool = Objects.requireNonNull(framePool, "framePool");
        this.random = Objects.requireNonNull(random, "random");
        this.shardIndex = shardIndex;
        this.eventLog = Objects.requireNonNull(eventLog, "eventLog");
        this.socketClaims = SocketClaims.NONE;
    }

    private EngineContext(final EngineContext context, final SocketClaims socketClaims)
    {
        this.settings = context.settings;
        this.epochClock = context.epochClock;
        this.publisher = context.publisher;
        this.framePool = context.framePool;
        this.random = context.random;
        this.shardIndex = context.shardIndex;
        this.eventLog = context.eventLog;
        this.clusterHooks = context.clusterHooks;
        this.socketClaims = Objects.requireNonNull(socketClaims, "socketClaims");
    }

    /**
     * This context with the socket claims the node's shards share (with more than one shard).
     *
     * @param socketClaims the node's claims.
     * @return a new context.
     */
    public EngineContext withSocketClaims(final SocketClaims socketClaims)
    {
        return new EngineContext(this, socketClaims);
    }

    /**
     * Which shard holds each socket's session, shared by the node's shards.
     *
     * @return the claims, {@link SocketClaims#NONE} unless set.
     */
    public SocketClaims socketClaims()
    {
        return socketClaims;
    }

    /**
     * Where the engine records its critical-path events for the structured log.
     *
     * @return the event log.
     */
    public EventLog eventLog()
    {
        return eventLog;
    }

    /**
     * The settings the engine runs with.
     *
     * @return settings.
     */
    public SwitchboardSettings settings()
    {
        return settings;
    }

    /**
     * The injected clock.
     *
     * @return the epoch clock.
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * Where frames and closes go.
     *
     * @return the publisher.
     */
    public OutboundPublisher publisher()
    {
        return publisher;
    }

    /**
     * The shard's frame pool.
     *
     * @return the pool.
     */
    public FramePool framePool()
    {
        return framePool;
    }

    /**
     * Randomness for ids and tokens.
     *
     * @return the random source.
     */
    public Random random()
    {
        return random;
    }

    /**
     * This shard's index.
     *
     * @return the shard index.
     */
    public int shardIndex()
    {
        return shardIndex;
    }

    /**
     * The cluster layer this shard reports its rooms to.
     *
     * @return the hooks, {@link ClusterHooks#NONE} on a single node.
     */
    public ClusterHooks clusterHooks()
    {
        return clusterHooks;
    }
}
