package dev.switchboard.net.metrics;

import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import org.agrona.concurrent.NanoClock;

/**
 * Wraps a shard's {@link SlotConsumer} and records its latencies into the shard's {@link LatencyRecorders}, so the
 * engine module needs no metrics code: loop latency per slot, from {@link InboundSlot#publishNs} to the delegate
 * having applied it, and batch latency, from the first slot of a ring batch to the delegate's end of batch.
 * <p>
 * Runs on the shard's engine thread, the recorders' single writer; reads the clock once per slot and once more
 * at each end of batch and allocates nothing. The clock must be the one the IoAgents stamp
 * {@code publishNs} with ({@code System.nanoTime()}).
 */
public final class LatencyRecordingConsumer implements SlotConsumer
{
    private final SlotConsumer delegate;
    private final LatencyRecorders recorders;
    private final NanoClock nanoClock;
    private boolean inBatch;
    private long batchStartNs;

    /**
     * Wrap a consumer.
     *
     * @param delegate  what applies the slots.
     * @param recorders the shard's recorders.
     * @param nanoClock the clock {@code publishNs} is stamped with.
     */
    public LatencyRecordingConsumer(
        final SlotConsumer delegate, final LatencyRecorders recorders, final NanoClock nanoClock)
    {
        this.delegate = delegate;
        this.recorders = recorders;
        this.nanoClock = nanoClock;
    }

    /**
     * Apply one slot through the delegate and record its loop latency.
     *
     * @param slot the slot.
     */
    @Override
    public void onEvent(final InboundSlot slot)
    {
        final long publishNs = slot.publishNs;
        if (!inBatch)
        {
            inBatch = true;
            batchStartNs = nanoClock.nanoTime();
        }
        delegate.onEvent(slot);
        recorders.recordLoopLatencyNs(nanoClock.nanoTime() - publishNs);
    }

    /**
     * End the batch through the delegate and record the batch latency.
     */
    @Override
    public void onEndOfBatch()
    {
        delegate.onEndOfBatch();
        if (inBatch)
        {
            inBatch = false;
            recorders.recordBatchLatencyNs(nanoClock.nanoTime() - batchStartNs);
        }
    }
}
