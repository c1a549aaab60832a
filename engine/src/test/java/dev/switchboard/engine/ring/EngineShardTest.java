package dev.switchboard.engine.ring;

import dev.switchboard.engine.codes.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine shard as an agent: ticks are deadlines on the injected clock, checked in its duty cycle (no thread
 * publishes TICK slots, so one IoAgent's ring is single-producer), and slots published from another thread
 * arrive once, in order, whole.
 */
class EngineShardTest
{
    private static final int MESSAGES = 200_000;
    private static final long TICK_NS = 16_000_000L;

    /** A consumer that records the kinds it was given. */
    private static final class Recording implements SlotConsumer
    {
        final List<Byte> kinds = new ArrayList<>();
        int batches;

        @Override
        public void onEvent(final InboundSlot slot)
        {
            kinds.add(slot.kind);
        }

        @Override
        public void onEndOfBatch()
        {
            batches++;
        }
    }

    private static void publishMessage(final InboundPublisher publisher, final InboundSlot scratch, final long seq)
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

    @Test
    void shouldRunTheTickWhenItsDeadlinePassesOnTheInjectedClockAndNotBefore()
    {
        final AtomicLong nowNs = new AtomicLong(1_000);
        final Recording consumer = new Recording();
        final EngineShard shard = new EngineShard(0, 64, false, nowNs::get, TICK_NS, Thread.currentThread(),
            (index, thread) -> consumer);
        shard.onStart();

        assertEquals(0, shard.doWork(), "nothing published, no deadline passed");
        assertEquals(TICK_NS, shard.parkTimeoutNs(), "the thread may park until the tick");
        nowNs.addAndGet(TICK_NS - 1);
        assertEquals(0, shard.doWork());
        assertEquals(1, shard.parkTimeoutNs());
        nowNs.addAndGet(1);
        assertEquals(1, shard.doWork(), "the tick is due");
        assertEquals(List.of(SlotKind.TICK), consumer.kinds);
        assertEquals(1, consumer.batches, "a tick ends its batch so its output is flushed");
        assertEquals(0, shard.doWork(), "one tick per deadline");

        nowNs.addAndGet(10 * TICK_NS);
        assertEquals(1, shard.doWork(), "a late thread runs one tick, not a burst of ten");
        assertEquals(0, shard.doWork());
        assertEquals(TICK_NS, shard.parkTimeoutNs(), "the next deadline is one interval after the late tick");
    }

    @Test
    void shouldApplyPublishedSlotsBeforeTheTickAndReportPendingWorkUntilThen()
    {
        final AtomicLong nowNs = new AtomicLong();
        final Recording consumer = new Recording();
        final EngineShard shard = new EngineShard(0, 64, false, nowNs::get, TICK_NS, Thread.currentThread(),
            (index, thread) -> consumer);
        shard.onStart();
        final InboundPublisher publisher = new InboundPublisher(new EngineShard[] {shard});
        final InboundSlot scratch = new InboundSlot();

        assertFalse(shard.hasPendingWork());
        publishMessage(publisher, scratch, 1);
        publishMessage(publisher, scratch, 2);
        assertTrue(shard.hasPendingWork(), "a parking thread sees what was published");
        nowNs.addAndGet(TICK_NS);
        assertEquals(3, shard.doWork());
        assertEquals(List.of(SlotKind.MESSAGE, SlotKind.MESSAGE, SlotKind.TICK), consumer.kinds);
        assertFalse(shard.hasPendingWork());
    }

    @Test
    void shouldRunTheShardInlineWhenItsRingIsFullAndItRunsOnThePublishersThread()
    {
        final Recording consumer = new Recording();
        final EngineShard shard = new EngineShard(0, 8, false, () -> 0L, TICK_NS, Thread.currentThread(),
            (index, thread) -> consumer);
        shard.onStart();
        final InboundPublisher publisher = new InboundPublisher(new EngineShard[] {shard});
        final InboundSlot scratch = new InboundSlot();
        for (long seq = 1; seq <= 100; seq++)
        {
            publishMessage(publisher, scratch, seq); // the ring holds 8: the shard must make room on this thread
        }
        shard.doWork();
        assertEquals(100, consumer.kinds.size(), "every message applied, none lost, no deadlock");
    }

    @Test
    void shouldKeepEveryMessageWholeAndInOrderFromAnotherThreadWhileTicksRun()
    {
        final AtomicLong nextExpected = new AtomicLong(1);
        final AtomicLong ticks = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final EngineShard shard = new EngineShard(0, 1024, false, "blocking", -1, (index, thread) -> new SlotConsumer()
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
        assertFalse(shard.isMultiProducer());
        shard.start();
        try
        {
            final InboundPublisher publisher = new InboundPublisher(new EngineShard[] {shard});
            final InboundSlot scratch = new InboundSlot();
            for (long seq = 1; seq <= MESSAGES; seq++)
            {
                publishMessage(publisher, scratch, seq);
            }
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (nextExpected.get() <= MESSAGES && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
        }
        finally
        {
            shard.close();
        }
        assertNull(failure.get());
        assertEquals(MESSAGES + 1, nextExpected.get(), "every message applied once, in order");
    }
}
