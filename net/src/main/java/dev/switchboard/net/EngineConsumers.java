package dev.switchboard.net;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import org.agrona.concurrent.EpochClock;

import java.security.SecureRandom;

/**
 * Makes the room engine the consumer of each shard.
 */
final class EngineConsumers
{
    private EngineConsumers()
    {
    }

    static ServerRuntime.ShardConsumers production(final SwitchboardSettings settings, final EpochClock clock)
    {
        return (shardIndex, thread, publisher) ->
        {
            final Engine engine = new Engine(new EngineContext(
                settings, clock, publisher, new FramePool(8192, thread), new SecureRandom(), shardIndex));
            return new SlotConsumer()
            {
                @Override
                public void onEvent(final InboundSlot slot)
                {
                    engine.onEvent(slot);
                }

                @Override
                public void onEndOfBatch()
                {
                    engine.onEndOfBatch();
                }
            };
        };
    }
}
