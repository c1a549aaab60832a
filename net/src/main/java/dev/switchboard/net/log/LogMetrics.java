package dev.switchboard.net.log;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The log queue's counters in {@code /metrics}: {@code log_lines_discarded_total} (lines at INFO or below dropped
 * because the asynchronous log queue was full) and {@code log_lifecycle_lines_delayed_total} (lifecycle lines that
 * found it full and waited for room instead).
 */
public final class LogMetrics
{
    private LogMetrics()
    {
    }

    /**
     * Register both counters; they count for the whole process.
     *
     * @param registry the exporter's registry.
     */
    public static void register(final PrometheusRegistry registry)
    {
        CounterWithCallback.builder()
            .name("log_lines_discarded_total")
            .help("Log lines at INFO or below discarded because the asynchronous log queue was full.")
            .callback((callback) -> callback.call(LifecycleQueueFullPolicy.discardedLines()))
            .register(registry);
        CounterWithCallback.builder()
            .name("log_lifecycle_lines_delayed_total")
            .help("Lifecycle log lines (started, draining, drained...) that waited for room in a full log queue.")
            .callback((callback) -> callback.call(LifecycleQueueFullPolicy.delayedLifecycleLines()))
            .register(registry);
    }
}
