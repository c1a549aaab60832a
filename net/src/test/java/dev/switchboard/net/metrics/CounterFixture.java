package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.net.io.IoCounters;

/**
 * Two engine shards and two IoAgents with known counter values, written the way the hot threads write them.
 */
final class CounterFixture
{
    final EngineCounters[] engines = { new EngineCounters(), new EngineCounters() };
    final IoCounters[] agents = { new IoCounters(), new IoCounters() };

    CounterFixture()
    {
        final EngineCounters shard0 = engines[0];
        repeat(3, () -> shard0.onMessageIn(MessageType.JOIN.id()));
        repeat(5, () -> shard0.onMessageIn(MessageType.GAME_EVENT.id()));
        repeat(7, shard0::onMessageOut);
        repeat(2, () -> shard0.onDrop(MessageType.GAME_EVENT.id(), DropReason.DUPLICATE));
        shard0.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
        repeat(4, () -> shard0.onDrop(MessageType.GAME_EVENT.id(), DropReason.RATE_LIMITED));
        shard0.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.BACKPRESSURE);
        shard0.onError(ErrorCode.RATE_LIMITED);
        repeat(2, () -> shard0.onError(ErrorCode.NOT_IN_ROOM));
        shard0.gauges(2, 5, 4);

        final EngineCounters shard1 = engines[1];
        shard1.onMessageIn(MessageType.JOIN.id());
        repeat(3, shard1::onMessageOut);
        shard1.onDrop(MessageType.GAME_STATE.id(), DropReason.STALE);
        shard1.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.RATE_LIMITED);
        shard1.gauges(1, 4, 3);

        agents[0].connected.set(6);
        agents[0].droppedByType.set(MessageType.ICE_CANDIDATE.id(), 2);
        agents[0].bytesIn.set(100);
        agents[0].slowConsumers.set(1);
        agents[1].connected.set(4);
        agents[1].droppedByType.set(MessageType.ICE_CANDIDATE.id(), 1);
        agents[1].droppedByType.set(MessageType.PRESENCE.id(), 3);
        agents[1].bytesIn.set(50);
    }

    /**
     * A shard that is never started, so nothing consumes its ring: the slots published stay there.
     *
     * @param index     the shard's index.
     * @param published how many slots to publish.
     * @return the shard; never start or close it.
     */
    static EngineShard idleShard(final int index, final int published)
    {
        final SlotConsumer ignore = new SlotConsumer()
        {
            @Override
            public void onEvent(final InboundSlot slot)
            {
            }

            @Override
            public void onEndOfBatch()
            {
            }
        };
        final EngineShard shard = new EngineShard(index, 8, false, "blocking", -1, (shardIndex, thread) -> ignore);
        repeat(published, () -> shard.ring().publish(shard.ring().next()));
        return shard;
    }

    static void repeat(final int times, final Runnable action)
    {
        for (int i = 0; i < times; i++)
        {
            action.run();
        }
    }
}
