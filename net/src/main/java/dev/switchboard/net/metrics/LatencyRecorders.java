package dev.switchboard.net.metrics;

import java.util.concurrent.TimeUnit;

/**
 * The latency recorders of one engine shard, behind {@code engine_loop_latency_seconds} and
 * {@code engine_batch_latency_seconds}.
 * <p>
 * The shard's engine thread is the single writer: per applied slot it calls
 * {@code recordLoopLatencyNs(nowNs - slot.publishNs)} and at the end of each ring batch
 * {@code recordBatchLatencyNs(endNs - batchStartNs)}; {@link LatencyRecordingConsumer} makes exactly those calls
 * around a shard's consumer. Both calls are wait-free and allocate nothing. The exporter's sampler thread calls
 * {@link #sample()} once per interval, so percentiles cover the last interval.
 */
public final class LatencyRecorders
{
    /** Latencies above this are recorded as this: ten seconds. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);

    private final IntervalRecorder loop = new IntervalRecorder(HIGHEST_TRACKABLE_NS);
    private final IntervalRecorder batch = new IntervalRecorder(HIGHEST_TRACKABLE_NS);

    /**
     * Record one slot's time from publish by the IoAgent to applied by the engine; engine thread only.
     *
     * @param latencyNs nanoseconds, clamped to [0, {@link #HIGHEST_TRACKABLE_NS}].
     */
    public void recordLoopLatencyNs(final long latencyNs)
    {
        loop.record(latencyNs);
    }

    /**
     * Record the time the engine took to apply one ring batch; engine thread only.
     *
     * @param latencyNs nanoseconds, clamped to [0, {@link #HIGHEST_TRACKABLE_NS}].
     */
    public void recordBatchLatencyNs(final long latencyNs)
    {
        batch.record(latencyNs);
    }

    /**
     * Close the current interval of both recorders and publish their readings; one sampler thread only.
     */
    public void sample()
    {
        loop.sample();
        batch.sample();
    }

    /**
     * The loop latency reading published by the last {@link #sample()}, in nanoseconds.
     *
     * @return the reading.
     */
    public IntervalPercentiles loopLatency()
    {
        return loop.latest();
    }

    /**
     * The batch latency reading published by the last {@link #sample()}, in nanoseconds.
     *
     * @return the reading.
     */
    public IntervalPercentiles batchLatency()
    {
        return batch.latest();
    }
}
