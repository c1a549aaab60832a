package dev.switchboard.net.metrics;

import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyRecordingConsumerTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> applied = new ArrayList<>();
    private final LatencyRecorders recorders = new LatencyRecorders();
    private final SlotConsumer delegate = new SlotConsumer()
    {
        @Override
        public void onEvent(final InboundSlot slot)
        {
            applied.add("slot " + slot.typeId);
            clock.advance(500);
        }

        @Override
        public void onEndOfBatch()
        {
            applied.add("end");
            clock.advance(300);
        }
    };
    private final LatencyRecordingConsumer consumer = new LatencyRecordingConsumer(delegate, recorders, clock);

    private static InboundSlot slot(final int typeId, final long publishNs)
    {
        final InboundSlot slot = new InboundSlot();
        slot.typeId = typeId;
        slot.publishNs = publishNs;
        return slot;
    }

    @Test
    void shouldRecordPublishToAppliedPerSlotAndFirstSlotToEndPerBatch()
    {
        clock.update(1_000);
        consumer.onEvent(slot(1, 400));
        consumer.onEvent(slot(7, 900));
        consumer.onEndOfBatch();
        recorders.sample();

        assertEquals(List.of("slot 1", "slot 7", "end"), applied);
        final IntervalPercentiles loop = recorders.loopLatency();
        assertEquals(2, loop.intervalCount());
        assertEquals(1_100, loop.max());
        assertEquals(1_100 + 1_100, loop.totalSum());
        final IntervalPercentiles batch = recorders.batchLatency();
        assertEquals(1, batch.intervalCount());
        assertEquals(2_300 - 1_000, batch.max());
    }

    @Test
    void shouldStartANewBatchAfterEachEndOfBatch()
    {
        clock.update(10_000);
        consumer.onEvent(slot(1, 10_000));
        consumer.onEndOfBatch();
        clock.advance(5_000);
        consumer.onEvent(slot(1, 15_000));
        consumer.onEndOfBatch();
        recorders.sample();

        final IntervalPercentiles batch = recorders.batchLatency();
        assertEquals(2, batch.intervalCount());
        assertEquals(800, batch.max());
        assertEquals(1_600, batch.totalSum());
    }

    @Test
    void shouldNotRecordABatchForAnEndOfBatchWithoutSlots()
    {
        consumer.onEndOfBatch();
        recorders.sample();

        assertEquals(0, recorders.batchLatency().intervalCount());
        assertEquals(List.of("end"), applied);
    }
}
