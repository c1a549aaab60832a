package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.net.io.IoCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;

import java.util.function.Supplier;

/**
 * The engine families: ring occupancy, escaped exceptions, error replies, sessions, memory held, and the
 * per-shard latency summaries; plus the IoAgents' loop work gauge.
 */
final class EngineMetrics
{
    private final PrometheusRegistry registry;
    private final Supplier<IoCounters[]> ioCounters;
    private final Supplier<EngineCounters[]> engineCounters;
    private final Supplier<EngineShard[]> shards;
    private final Supplier<LatencyRecorders[]> latencyRecorders;

    EngineMetrics(
        final PrometheusRegistry registry,
        final Supplier<IoCounters[]> ioCounters,
        final Supplier<EngineCounters[]> engineCounters,
        final Supplier<EngineShard[]> shards,
        final Supplier<LatencyRecorders[]> latencyRecorders)
    {
        this.registry = registry;
        this.ioCounters = ioCounters;
        this.engineCounters = engineCounters;
        this.shards = shards;
        this.latencyRecorders = latencyRecorders;
    }

    /** Register this family's metrics with the registry. */
    void register()
    {
        registerShardMetrics();
        registerSizeMetrics();
    }

    private void registerShardMetrics()
    {
        GaugeWithCallback.builder()
            .name("io_loop_work_max_seconds")
            .help("Longest IoAgent loop iteration (work only, select wait excluded) in the last sampling interval.")
            .labelNames("agent")
            .callback((callback) ->
            {
                final IoCounters[] all = ioCounters.get();
                for (int i = 0; i < all.length; i++)
                {
                    callback.call(all[i].intervalMaxLoopWorkNs() / 1e9, Integer.toString(i));
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("engine_ring_occupancy")
            .help("Slots published to a shard's inbound ring and not yet applied.")
            .labelNames("shard")
            .callback((callback) ->
            {
                final EngineShard[] all = shards.get();
                for (int i = 0; i < all.length; i++)
                {
                    callback.call(all[i].occupancy(), Integer.toString(all[i].index()));
                }
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("engine_exceptions_total")
            .help("Exceptions that escaped a shard's consumer.")
            .labelNames("shard")
            .callback((callback) ->
            {
                final EngineShard[] all = shards.get();
                for (int i = 0; i < all.length; i++)
                {
                    callback.call(all[i].errorCount(), Integer.toString(all[i].index()));
                }
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("engine_errors_total")
            .help("Error replies the engine sent, by code.")
            .labelNames("code")
            .callback((callback) ->
            {
                final EngineCounters[] engines = engineCounters.get();
                for (final ErrorCode code : CounterSums.ERROR_CODES)
                {
                    long total = 0;
                    for (final EngineCounters counters : engines)
                    {
                        total += counters.errors(code);
                    }
                    callback.call(total, code.wireName());
                }
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("engine_game_state_refused_total")
            .help("game_state patches refused with invalid_message, by the bound they crossed.")
            .labelNames("reason")
            .callback((callback) ->
            {
                final EngineCounters[] engines = engineCounters.get();
                for (final GameStateRefusal reason : GameStateRefusal.values())
                {
                    long total = 0;
                    for (final EngineCounters counters : engines)
                    {
                        total += counters.gameStateRefused(reason);
                    }
                    callback.call(total, reason.label());
                }
            })
            .register(registry);
    }

    private void registerSizeMetrics()
    {
        GaugeWithCallback.builder()
            .name("engine_sessions")
            .help("Sessions (live and away) now, over all engine shards.")
            .callback((callback) -> callback.call(CounterSums.sessions(engineCounters.get())))
            .register(registry);
        GaugeWithCallback.builder()
            .name("engine_bound_connections")
            .help("Connections bound to a session now, over all engine shards.")
            .callback((callback) ->
            {
                long total = 0;
                for (final EngineCounters counters : engineCounters.get())
                {
                    total += counters.connections();
                }
                callback.call(total);
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("frame_pool_bytes")
            .help("Bytes of the engine shards' pooled frames: free (kept for reuse) and in use, over all shards.")
            .labelNames("state")
            .callback((callback) ->
            {
                long free = 0;
                long inUse = 0;
                for (final EngineCounters counters : engineCounters.get())
                {
                    free += counters.memory().framePoolFreeBytes();
                    inUse += counters.memory().framePoolInUseBytes();
                }
                callback.call(free, "free");
                callback.call(inUse, "in_use");
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("replay_bytes")
            .help("Wire bytes held for resume replay by session and by room windows, over all engine shards.")
            .labelNames("scope")
            .callback((callback) ->
            {
                long session = 0;
                long room = 0;
                for (final EngineCounters counters : engineCounters.get())
                {
                    session += counters.memory().sessionReplayBytes();
                    room += counters.memory().roomReplayBytes();
                }
                callback.call(session, "session");
                callback.call(room, "room");
            })
            .register(registry);
        latencySummary("engine_loop_latency_seconds",
            "Time from an IoAgent publishing a slot to the engine applying it; quantiles over the last interval.",
            true);
        latencySummary("engine_batch_latency_seconds",
            "Time the engine took to apply one ring batch; quantiles over the last interval.",
            false);
    }

    private void latencySummary(final String name, final String help, final boolean loop)
    {
        SummaryWithCallback.builder()
            .name(name)
            .help(help)
            .labelNames("shard")
            .callback((callback) ->
            {
                final LatencyRecorders[] recorders = latencyRecorders.get();
                for (int i = 0; i < recorders.length; i++)
                {
                    final IntervalPercentiles reading = loop ? recorders[i].loopLatency() : recorders[i].batchLatency();
                    callback.call(
                        reading.totalCount(),
                        reading.totalSum() / CounterSums.NANOS_PER_SECOND,
                        quantiles(reading),
                        Integer.toString(i));
                }
            })
            .register(registry);
        final String maxName = name.substring(0, name.length() - "_seconds".length()) + "_max_seconds";
        GaugeWithCallback.builder()
            .name(maxName)
            .help("Largest value of " + name + " over the last interval; 0 when nothing was recorded.")
            .labelNames("shard")
            .callback((callback) ->
            {
                final LatencyRecorders[] recorders = latencyRecorders.get();
                for (int i = 0; i < recorders.length; i++)
                {
                    final IntervalPercentiles reading = loop ? recorders[i].loopLatency() : recorders[i].batchLatency();
                    callback.call(reading.max() / CounterSums.NANOS_PER_SECOND, Integer.toString(i));
                }
            })
            .register(registry);
    }

    private static Quantiles quantiles(final IntervalPercentiles reading)
    {
        final boolean empty = reading.intervalCount() == 0;
        return Quantiles.of(
            new Quantile(0.5, empty ? Double.NaN : reading.p50() / CounterSums.NANOS_PER_SECOND),
            new Quantile(0.99, empty ? Double.NaN : reading.p99() / CounterSums.NANOS_PER_SECOND),
            new Quantile(0.999, empty ? Double.NaN : reading.p999() / CounterSums.NANOS_PER_SECOND));
    }
}
