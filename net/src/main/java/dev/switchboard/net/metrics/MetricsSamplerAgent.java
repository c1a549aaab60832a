package dev.switchboard.net.metrics;

import dev.switchboard.engine.ring.DutyCycle;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * Takes one {@link MetricsExporter} sample (and renders the body of {@code /metrics} when the exporter is built
 * to) each time its deadline passes, so rates and interval percentiles are computed off the IO threads and the
 * scrape costs a volatile read. Its thread parks until the next deadline.
 */
public final class MetricsSamplerAgent implements Agent, DutyCycle
{
    private final MetricsExporter exporter;
    private final NanoClock clock;
    private final long intervalNs;
    private long nextSampleNs;

    /**
     * Sample an exporter on a clock.
     *
     * @param exporter   the exporter.
     * @param clock      the clock of the deadlines.
     * @param intervalNs time between two samples.
     */
    public MetricsSamplerAgent(final MetricsExporter exporter, final NanoClock clock, final long intervalNs)
    {
        this.exporter = exporter;
        this.clock = clock;
        this.intervalNs = intervalNs;
        this.nextSampleNs = clock.nanoTime();
    }

    /**
     * Sample when the deadline has passed.
     *
     * @return 1 when a sample was taken, else 0.
     */
    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextSampleNs < 0)
        {
            return 0;
        }
        nextSampleNs += intervalNs;
        if (nextSampleNs - nowNs <= 0)
        {
            nextSampleNs = nowNs + intervalNs; // late: one sample now, then a whole interval
        }
        exporter.sampleAndRender();
        return 1;
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasPendingWork()
    {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public long parkTimeoutNs()
    {
        return Math.max(0, nextSampleNs - clock.nanoTime());
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "metrics-sampler";
    }
}
