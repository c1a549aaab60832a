package dev.switchboard.engine.ring;

import dev.switchboard.engine.protocol.MessageType;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An IoAgent and the ticker publish into the same shard ring from two threads: every message must arrive once,
 * in order, with its own payload. (A single-producer ring here once let a TICK claim a message's slot, so an
 * engine saw one message's msgId with an older message's payload, or connection id 0.)
 */
class EngineShardConcurrencyTest
{
    private static final int MESSAGES = 200_000;

    @Test
    void shouldKeepEveryMessageWholeWhileTheTickerPublishesIntoTheSameRing() throws Exception
    {
        final AtomicLong nextExpected = new AtomicLong(1);
        final AtomicLong ticks = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final EngineShard shard = new EngineShard(0, 1024, true, "yielding", -1, (index, thread) -> new SlotConsumer()
        {
            @Override
            public void onEvent(final InboundSlot slot)
            {
                if (SlotKind.TICK == slot.kind)
                {
                    ticks.incrementAndGet();
                    return;
                }
                final long expected = nextExpected.get();
                final byte marker = (byte)('a' + (slot.seq % 26));
                if (slot.seq != expected || slot.connectionId != slot.seq || slot.payloadLength != 8 ||
                    slot.payload[0] != marker || slot.payload[7] != marker)
                {
                    failure.compareAndSet(null, "slot for seq " + expected + " held seq " + slot.seq +
                        ", connection " + slot.connectionId + ", payload length " + slot.payloadLength);
                }
                nextExpected.set(slot.seq + 1);
            }

            @Override
            public void onEndOfBatch()
            {
            }
        });
        final Ticker ticker = new Ticker(new EngineShard[] {shard}, 1);
        shard.start();
        ticker.start();
        try
        {
            final InboundPublisher publisher = new InboundPublisher(new EngineShard[] {shard});
            final InboundSlot scratch = new InboundSlot();
            for (long seq = 1; seq <= MESSAGES; seq++)
            {
                scratch.clear();
                scratch.kind = SlotKind.MESSAGE;
                scratch.typeId = MessageType.GAME_EVENT.id();
                scratch.seq = seq;
                scratch.connectionId = seq;
                final byte marker = (byte)('a' + (seq % 26));
                for (int i = 0; i < 8; i++)
                {
                    scratch.payload[i] = marker;
                }
                scratch.payloadLength = 8;
                publisher.publish(0, scratch, Thread::onSpinWait);
            }
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (nextExpected.get() <= MESSAGES && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
        }
        finally
        {
            ticker.close();
            shard.close();
        }
        assertNull(failure.get());
        assertEquals(MESSAGES + 1, nextExpected.get(), "every message applied once, in order");
    }
}
