package dev.switchboard.net;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.log.EventLogAgent;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.room.SocketClaims;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.cluster.ClusterContext;
import dev.switchboard.net.io.IoAgent;
import org.agrona.concurrent.EpochClock;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes the room engine, hosted by an {@link EngineHost}, the consumer of each shard.
 */
public final class EngineConsumers
{
    private EngineConsumers()
    {
    }

    /**
     * The production factory: one {@link Engine} per shard with a frame pool owned by the shard's thread.
     *
     * @param settings settings.
     * @param clock    the clock the engines read.
     * @param events   drains each engine's structured events into the log.
     * @return the factory.
     */
    public static ServerRuntime.ShardConsumers production(
        final SwitchboardSettings settings, final EpochClock clock, final EventLogAgent events)
    {
        final SocketClaims claims = socketClaims(settings);
        return new ServerRuntime.ShardConsumers()
        {
            @Override
            public SlotConsumer create(final int shardIndex, final Thread thread, final OutboundPublisher publisher)
            {
                return create(shardIndex, thread, publisher, ClusterHooks.NONE);
            }

            @Override
            public SlotConsumer create(
                final int shardIndex,
                final Thread thread,
                final OutboundPublisher publisher,
                final ClusterHooks clusterHooks)
            {
                final EventLog eventLog = new EventLog(256 * 1024);
                events.add(eventLog);
                return new EngineHost(new Engine(new EngineContext(settings, clock, publisher,
                    new FramePool(8192, thread, settings.framePoolRetainedBytes()),
                    new SecureRandom(), shardIndex, eventLog, clusterHooks).withSocketClaims(claims)), clock);
            }
        };
    }

    /**
     * The claims the node's shards share so a socket is in one room: every IoAgent's table, and the cluster agent's
     * virtual table (agent index {@code ioThreads}) on a clustered node.
     *
     * @param settings the server's settings.
     * @return the claims, {@link SocketClaims#NONE} with one shard.
     */
    static SocketClaims socketClaims(final SwitchboardSettings settings)
    {
        final int[] slotsByAgent = new int[settings.ioThreads() + 1];
        Arrays.fill(slotsByAgent, 0, settings.ioThreads(), IoAgent.tableCapacity(settings));
        slotsByAgent[settings.ioThreads()] = settings.isClustered() ? ClusterContext.virtualCapacity(settings) : 0;
        return SocketClaims.forShards(settings.engineThreads(), slotsByAgent);
    }
}
