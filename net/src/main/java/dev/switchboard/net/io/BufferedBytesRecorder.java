package dev.switchboard.net.io;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A {@link BufferedBytesSource} fed by the IoAgents: one single-writer HdrHistogram recorder per IoAgent, merged
 * by the sampler thread.
 * <p>
 * Once per timer pass an IoAgent calls {@link #record(int, long)} for every live socket with its buffered
 * outbound bytes (the server's bufferedAmount); the call is wait-free and allocates nothing. The p95 therefore
 * covers every (socket, pass) pair of the last sampling interval.
 */
public final class BufferedBytesRecorder implements BufferedBytesSource
{
    /** Buffered amounts above this are recorded as this: 1 GiB. */
    public static final long HIGHEST_TRACKABLE_BYTES = 1L << 30;

    private final SingleWriterRecorder[] recorders;
    private final Histogram[] intervals;
    private final Histogram merged = new Histogram(HIGHEST_TRACKABLE_BYTES, 3);

    /**
     * Make one recorder per IoAgent.
     *
     * @param ioAgents how many IoAgents record, each with its own index.
     */
    public BufferedBytesRecorder(final int ioAgents)
    {
        if (ioAgents < 1)
        {
            throw new IllegalArgumentException("ioAgents must be at least 1, got " + ioAgents);
        }
        recorders = new SingleWriterRecorder[ioAgents];
        intervals = new Histogram[ioAgents];
        for (int i = 0; i < ioAgents; i++)
        {
            recorders[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_BYTES, 3);
        }
    }

    /**
     * Record one live socket's buffered outbound bytes; only the IoAgent with this index may call it.
     *
     * @param ioAgentIndex  the calling IoAgent's index.
     * @param bufferedBytes bytes queued and not yet written, clamped to [0, {@link #HIGHEST_TRACKABLE_BYTES}].
     */
    public void record(final int ioAgentIndex, final long bufferedBytes)
    {
        final long clamped = bufferedBytes < 0 ? 0 : Math.min(bufferedBytes, HIGHEST_TRACKABLE_BYTES);
        recorders[ioAgentIndex].recordValue(clamped);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long bufferedBytesP95()
    {
        merged.reset();
        for (int i = 0; i < recorders.length; i++)
        {
            intervals[i] = recorders[i].getIntervalHistogram(intervals[i]);
            merged.add(intervals[i]);
        }
        return merged.getTotalCount() == 0 ? 0 : merged.getValueAtPercentile(95.0);
    }
}
