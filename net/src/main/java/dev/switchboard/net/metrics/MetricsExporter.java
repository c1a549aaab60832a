package dev.switchboard.net.metrics;

import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.protocol.ErrorCode;
import dev.switchboard.engine.protocol.MessageType;
import dev.switchboard.engine.ring.AgentThread;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.net.BuildInfo;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.cluster.ClusterCounters;
import dev.switchboard.net.webhook.WebhookCounters;
import dev.switchboard.net.cluster.RelayDrop;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The Prometheus exporter behind {@code GET /metrics}: callback metrics over the hot threads' counters, rendered
 * in the Prometheus text format 0.0.4 (PROTOCOL.md section 9).
 * <p>
 * The counters are written by the hot threads alone (IoAgents into {@link IoCounters}, engine shards into
 * {@link EngineCounters} and {@link LatencyRecorders}, IoAgents into a {@link BufferedBytesRecorder}) with plain
 * single-writer lazy stores; the exporter only reads them. A scrape reads atomics and volatile snapshots at
 * scrape time, takes no lock a hot thread could hold and never waits for a hot thread, so a hot thread never
 * allocates, blocks or slows down for a scrape.
 * <p>
 * Rates and interval percentiles come from a sampler on a timer thread of the exporter's own
 * ({@link #start()}), once per sampling interval (1 s by default), not from scrapes: {@code msgs_in_per_sec} and
 * {@code msgs_out_per_sec} are the counters' increase between the last two samples divided by the time between
 * them, so they cover the last second whatever the scrape interval, and the HdrHistogram interval flips (which may
 * spin briefly on a record in flight) happen there rather than on the scrape. Before the second sample the rates
 * are 0. Each scrape renders into a reusable buffer of the calling thread, so concurrent scrapes from several
 * IoAgents never wait for each other either. Rendering costs about a millisecond, so an IoAgent serving
 * {@code /metrics} should call {@link #latestRendered()} on an exporter built with {@code renderEverySample(true)}:
 * the sampler thread then renders once per interval and the IoAgent only reads a volatile field.
 * <p>
 * One caveat outside the exporter's own code: the Prometheus client's {@code jvm_threads_deadlocked} families ask
 * the JVM to find deadlocked threads at each scrape, which HotSpot does at a safepoint that briefly pauses every
 * thread; build with {@code jvmMetrics(false)} where that matters more than the JVM families.
 * <p>
 * Prometheus client 1.x strips a trailing {@code _total} from counter names and adds it back in the text format,
 * so the counters are named here with the suffix (as exposed); gauge names, {@code rooms_total} included, are
 * exposed unchanged.
 */
public final class MetricsExporter implements AutoCloseable
{
    /** Default time between two samples of the rates and interval percentiles: one second. */
    public static final long DEFAULT_SAMPLE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private static final double NANOS_PER_SECOND = 1e9;
    private static final DropReason[] REASONS = DropReason.values();
    private static final MessageType[] ALL_TYPES = MessageType.values();
    private static final MessageType[] IN_TYPES = clientTypes();
    private static final ErrorCode[] ERROR_CODES = errorCodes();
    private static final IoCounters[] NO_IO = new IoCounters[0];
    private static final EngineCounters[] NO_ENGINES = new EngineCounters[0];
    private static final EngineShard[] NO_SHARDS = new EngineShard[0];
    private static final LatencyRecorders[] NO_LATENCY = new LatencyRecorders[0];

    private final Supplier<IoCounters[]> ioCounters;
    private final Supplier<EngineCounters[]> engineCounters;
    private final Supplier<EngineShard[]> shards;
    private final Supplier<LatencyRecorders[]> latencyRecorders;
    private final BufferedBytesSource bufferedBytes;
    private final LongSupplier overallRateLimited;
    private final BooleanSupplier draining;
    private final NanoClock nanoClock;
    private final long sampleIntervalNs;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ThreadLocal<ByteArrayOutputStream> buffers =
        ThreadLocal.withInitial(() -> new ByteArrayOutputStream(32 * 1024));

    private final long[] previousIn = new long[IN_TYPES.length];
    private long previousOut;
    private long previousNs;
    private boolean hasPrevious;
    private volatile Sample latest = new Sample(new double[IN_TYPES.length], 0, 0);
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong sampleErrors = new AtomicLong();

    private final boolean renderEverySample;
    private volatile byte[] rendered;
    private AgentThread samplerThread;

    private MetricsExporter(final Builder builder)
    {
        this.ioCounters = builder.ioCounters;
        this.engineCounters = builder.engineCounters;
        this.shards = builder.shards;
        this.latencyRecorders = builder.latencyRecorders;
        this.bufferedBytes = builder.bufferedBytes;
        this.overallRateLimited = builder.overallRateLimited;
        this.draining = builder.draining;
        this.nanoClock = builder.nanoClock;
        this.sampleIntervalNs = builder.sampleIntervalNs;
        this.renderEverySample = builder.renderEverySample;
        registerGauges();
        registerCounters();
        registerIoCounters();
        registerEngineMetrics();
        if (null != builder.cluster)
        {
            registerClusterMetrics(builder.cluster);
        }
        if (null != builder.webhooks)
        {
            registerWebhookMetrics(builder.webhooks);
        }
        if (builder.jvmMetrics)
        {
            JvmMetrics.builder().register(registry);
        }
    }

    /**
     * Start building an exporter.
     *
     * @return a builder with every optional source unset.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Render every metric in the Prometheus text format 0.0.4; safe to call from several threads at once.
     *
     * @return UTF-8 exposition text, a fresh array the caller owns.
     */
    public byte[] scrape()
    {
        final ByteArrayOutputStream out = buffers.get();
        out.reset();
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * The body the sampler thread rendered after its last sample when built with {@code renderEverySample(true)},
     * so a caller on an IO thread pays nothing but a volatile read; otherwise, or before the first sample, a fresh
     * {@link #scrape()}.
     *
     * @return UTF-8 exposition text at most one sampling interval old; shared, do not modify.
     */
    public byte[] latestRendered()
    {
        final byte[] body = rendered;
        return null != body ? body : scrape();
    }

    /**
     * The Content-Type of {@link #scrape()}'s body.
     *
     * @return the text format 0.0.4 content type.
     */
    public String contentType()
    {
        return writer.getContentType();
    }

    /**
     * The exporter's own registry, for callers that add metrics of their own.
     *
     * @return the registry (never the static default one).
     */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /**
     * Take one sample: the rates since the previous sample, the latency intervals and the buffered-bytes p95; called
     * by the sampler thread, or by a test or another timer when {@link #start()} was not called, one thread at once.
     */
    public void sample()
    {
        final long nowNs = nanoClock.nanoTime();
        final long elapsedNs = nowNs - previousNs;
        final boolean rated = hasPrevious && elapsedNs > 0;
        final EngineCounters[] engines = engineCounters.get();

        final double[] inPerSec = new double[IN_TYPES.length];
        for (int i = 0; i < IN_TYPES.length; i++)
        {
            final long total = msgsIn(engines, IN_TYPES[i]);
            if (rated)
            {
                inPerSec[i] = Math.max(0, total - previousIn[i]) * NANOS_PER_SECOND / elapsedNs;
            }
            previousIn[i] = total;
        }
        final long out = msgsOut(engines);
        final double outPerSec = rated ? Math.max(0, out - previousOut) * NANOS_PER_SECOND / elapsedNs : 0;
        previousOut = out;
        previousNs = nowNs;
        hasPrevious = true;

        final LatencyRecorders[] recorders = latencyRecorders.get();
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i].sample();
        }
        final long p95 = null == bufferedBytes ? 0 : bufferedBytes.bufferedBytesP95();
        for (final IoCounters agent : ioCounters.get())
        {
            agent.intervalMaxLoopWorkNs = agent.maxLoopWorkNs.getAndSet(0);
        }

        latest = new Sample(inPerSec, outPerSec, p95);
        samples.incrementAndGet();
    }

    /**
     * Samples taken since construction.
     *
     * @return count.
     */
    public long sampleCount()
    {
        return samples.get();
    }

    /**
     * Take one sample and, when built with {@code renderEverySample(true)}, render the body served to scrapes;
     * an exception is counted, not thrown. Called by {@link MetricsSamplerAgent}.
     */
    public void sampleAndRender()
    {
        try
        {
            sample();
            if (renderEverySample)
            {
                rendered = scrape();
            }
        }
        catch (final RuntimeException ex)
        {
            sampleErrors.incrementAndGet();
        }
    }

    /**
     * Start the sampler: a {@link MetricsSamplerAgent} on its own agent thread, sampling once per sampling
     * interval until {@link #close()}.
     */
    public synchronized void start()
    {
        if (null != samplerThread)
        {
            throw new IllegalStateException("already started");
        }
        final MetricsSamplerAgent sampler = new MetricsSamplerAgent(this, SystemNanoClock.INSTANCE, sampleIntervalNs);
        samplerThread = new AgentThread("switchboard-metrics-sampler", -1);
        samplerThread.thread().setDaemon(true);
        samplerThread.start(WakeableIdleStrategy.threadParking("blocking", sampler),
            (ex) -> sampleErrors.incrementAndGet(), sampler);
    }

    /**
     * Stop the sampler, if started, and wait for its thread to end.
     */
    @Override
    public synchronized void close()
    {
        if (null != samplerThread)
        {
            samplerThread.close();
        }
    }

    private void registerGauges()
    {
        GaugeWithCallback.builder()
            .name("build_info")
            .help("Always 1; the labels name the Switchboard release and the Java version running it.")
            .labelNames("version", "java")
            .callback((callback) -> callback.call(1.0, BuildInfo.version(), BuildInfo.javaVersion()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("server_draining")
            .help("1 once a graceful drain has begun (SIGTERM: /healthz answers 503), else 0.")
            .callback((callback) -> callback.call(draining.getAsBoolean() ? 1.0 : 0.0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("connected_sockets")
            .help("Open sockets now, over all IoAgents.")
            .callback((callback) -> callback.call(sumIo((counters) -> counters.connected.get())))
            .register(registry);
        GaugeWithCallback.builder()
            .name("rooms_total")
            .help("Rooms open now, over all engine shards.")
            .callback((callback) -> callback.call(rooms(engineCounters.get())))
            .register(registry);
        GaugeWithCallback.builder()
            .name("avg_room_size")
            .help("Sessions (live and away) per open room; 0 when no room is open.")
            .callback((callback) -> callback.call(averageRoomSize()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("msgs_in_per_sec")
            .help("Client messages the engine received per second, by type, over the last sampling interval.")
            .labelNames("type")
            .callback((callback) ->
            {
                final double[] rates = latest.inPerSec;
                for (int i = 0; i < IN_TYPES.length; i++)
                {
                    callback.call(rates[i], IN_TYPES[i].wireName());
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("msgs_out_per_sec")
            .help("Frames the engine handed to the outbound rings per second over the last sampling interval.")
            .callback((callback) -> callback.call(latest.outPerSec))
            .register(registry);
        if (null != bufferedBytes)
        {
            GaugeWithCallback.builder()
                .name("ws_buffered_bytes_p95")
                .help("95th percentile of live sockets' buffered outbound bytes over the last sampling interval.")
                .callback((callback) -> callback.call(latest.bufferedBytesP95))
                .register(registry);
        }
    }

    private void registerCounters()
    {
        CounterWithCallback.builder()
            .name("msgs_in_total")
            .help("Client messages the engine received, by type.")
            .labelNames("type")
            .callback((callback) ->
            {
                final EngineCounters[] engines = engineCounters.get();
                for (final MessageType type : IN_TYPES)
                {
                    callback.call(msgsIn(engines, type), type.wireName());
                }
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("msgs_out_total")
            .help("Frames the engine handed to the outbound rings.")
            .callback((callback) -> callback.call(msgsOut(engineCounters.get())))
            .register(registry);
        CounterWithCallback.builder()
            .name("drops_by_type_total")
            .help("Messages and frames dropped, by type and reason (engine drops plus IoAgent backpressure drops).")
            .labelNames("type", "reason")
            .callback((callback) ->
            {
                final EngineCounters[] engines = engineCounters.get();
                final IoCounters[] agents = ioCounters.get();
                for (final MessageType type : ALL_TYPES)
                {
                    for (final DropReason reason : REASONS)
                    {
                        long total = drops(engines, type, reason);
                        if (DropReason.BACKPRESSURE == reason)
                        {
                            total += ioDrops(agents, type);
                        }
                        callback.call(total, type.wireName(), reason.label());
                    }
                }
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("rate_limited_total")
            .help("Messages dropped over a rate limit, by type; type=\"any\" for the overall per-session limit.")
            .labelNames("type")
            .callback((callback) ->
            {
                final EngineCounters[] engines = engineCounters.get();
                for (final MessageType type : IN_TYPES)
                {
                    callback.call(drops(engines, type, DropReason.RATE_LIMITED), type.wireName());
                }
                if (null != overallRateLimited)
                {
                    callback.call(overallRateLimited.getAsLong(), "any");
                }
            })
            .register(registry);
    }

    private void registerClusterMetrics(final ClusterCounters cluster)
    {
        GaugeWithCallback.builder()
            .name("cluster_redis_up")
            .help("Multi-node: 1 while this node's Redis link is up, else 0.")
            .callback((callback) -> callback.call(cluster.redisUp ? 1 : 0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_live_nodes")
            .help("Multi-node: nodes with a live heartbeat, this one included, at the last heartbeat.")
            .callback((callback) -> callback.call(cluster.liveNodes.size()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_owned_rooms")
            .help("Multi-node: rooms whose lease this node holds now.")
            .callback((callback) -> callback.call(cluster.ownedRooms))
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_relay_lag_ms_avg")
            .help("Multi-node: mean one-way lag of relayed messages and replies received, sender to receiver " +
                "clock, since start.")
            .callback((callback) ->
            {
                final long samples = cluster.relayLagSamples.get();
                callback.call(0 == samples ? 0 : (double)cluster.relayLagMsSum.get() / samples);
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("cluster_relay_lag_ms_max")
            .help("Multi-node: largest one-way lag of a relayed message or reply since start.")
            .callback((callback) -> callback.call(cluster.relayLagMsMax.get()))
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_lag_samples_total")
            .help("Multi-node: relayed messages and replies whose lag was measured.")
            .callback((callback) -> callback.call(cluster.relayLagSamples.get()))
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relayed_messages_total")
            .help("Multi-node: socket messages relayed to a room's owner (out) or from another node (in).")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.relayedOut.get(), "out");
                callback.call(cluster.relayedIn.get(), "in");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_replies_total")
            .help("Multi-node: frames and closes sent back to (out) or received from (in) the owner of a room.")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.repliesOut.get(), "out");
                callback.call(cluster.repliesIn.get(), "in");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_relay_batches_total")
            .help("Multi-node: relay batches (one Redis publish per destination node per cycle) sent (out), " +
                "handled (in) or dropped as malformed.")
            .labelNames("direction")
            .callback((callback) ->
            {
                callback.call(cluster.relayBatchesOut.get(), "out");
                callback.call(cluster.relayBatchesIn.get(), "in");
                callback.call(cluster.relayBatchesMalformed.get(), "malformed");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("cluster_lease_renewals_total")
            .help("Multi-node: lease renewal rounds for every owned room, by result.")
            .labelNames("result")
            .callback((callback) ->
            {
                callback.call(cluster.leaseRenewals.get(), "ok");
                callback.call(cluster.leaseRenewalFailures.get(), "failed");
            })
            .register(registry);
        clusterCounter("cluster_leases_lost_total", "Multi-node: rooms found leased to another node at renewal.",
            cluster.leasesLost);
        clusterCounter("cluster_rooms_claimed_total", "Multi-node: rooms this node took ownership of.",
            cluster.roomsClaimed);
        clusterCounter("cluster_rooms_restored_total", "Multi-node: rooms restored from another node's snapshot.",
            cluster.roomsRestored);
        clusterCounter("cluster_snapshots_saved_total", "Multi-node: room snapshots written to Redis.",
            cluster.snapshotsSaved);
        clusterCounter("cluster_redis_errors_total", "Multi-node: Redis commands that failed or timed out.",
            cluster.redisErrors);
        clusterCounter("cluster_room_moved_closes_total", "Multi-node: sockets closed with 4012 room_moved.",
            cluster.roomMovedCloses);
        clusterCounter("cluster_unavailable_total", "Multi-node: joins and resumes answered cluster_unavailable.",
            cluster.clusterUnavailable);
        CounterWithCallback.builder()
            .name("cluster_relay_batches_dropped_total")
            .help("Multi-node: relay batches received and dropped whole, by reason.")
            .labelNames("reason")
            .callback((callback) ->
            {
                for (final RelayDrop reason : RelayDrop.values())
                {
                    callback.call(cluster.relayBatchesDropped.get(reason.ordinal()), reason.label());
                }
            })
            .register(registry);
        clusterCounter("cluster_snapshots_rejected_total",
            "Multi-node: room snapshots read from Redis and refused for a missing or wrong tag.",
            cluster.snapshotsRejected);
        clusterCounter("cluster_undeliverable_closes_total",
            "Multi-node: sockets closed with 4012 because a relayed message for them could not be delivered.",
            cluster.undeliverableCloses);
        CounterWithCallback.builder()
            .name("cluster_hooks_dropped_total")
            .help("Multi-node: engine notices (room opened or closed, snapshots) dropped because the queue was full.")
            .callback((callback) -> callback.call(cluster.hooksDropped.getAsLong()))
            .register(registry);
    }

    private void registerWebhookMetrics(final WebhookCounters webhooks)
    {
        CounterWithCallback.builder()
            .name("webhook_deliveries_total")
            .help("Webhook POSTs answered 2xx (delivered) and failed attempts that were retried (retried).")
            .labelNames("outcome")
            .callback((callback) ->
            {
                callback.call(webhooks.delivered.get(), "delivered");
                callback.call(webhooks.retried.get(), "retried");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("webhook_dropped_total")
            .help("Webhook events dropped: an engine's outbox was full (queue_full) or every attempt failed " +
                "(attempts_exhausted).")
            .labelNames("reason")
            .callback((callback) ->
            {
                callback.call(webhooks.droppedQueueFull.get(), "queue_full");
                callback.call(webhooks.droppedAttemptsExhausted.get(), "attempts_exhausted");
            })
            .register(registry);
    }

    private void clusterCounter(
        final String name, final String help, final java.util.concurrent.atomic.AtomicLong value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback((callback) -> callback.call(value.get()))
            .register(registry);
    }

    private void registerIoCounters()
    {
        ioCounter("io_sockets_accepted_total", "Sockets accepted.", (counters) -> counters.accepted.get());
        ioCounter("io_sockets_closed_total", "Sockets closed.", (counters) -> counters.closed.get());
        ioCounter("io_sockets_refused_total", "Sockets refused because the connection table was full.",
            (counters) -> counters.refused.get());
        ioCounter("io_accept_errors_total", "Failed accept calls.", (counters) -> counters.acceptErrors.get());
        ioCounter("io_loop_errors_total", "Unexpected IoAgent loop errors.", (counters) -> counters.errors.get());
        ioCounter("io_bytes_in_total", "Bytes read from sockets.", (counters) -> counters.bytesIn.get());
        ioCounter("io_bytes_out_total", "Bytes written to sockets.", (counters) -> counters.bytesOut.get());
        ioCounter("http_head_timeouts_total", "HTTP request heads not finished in time.",
            (counters) -> counters.headTimeouts.get());
        ioCounter("ws_upgrades_total", "Successful WebSocket upgrades.", (counters) -> counters.upgrades.get());
        ioCounter("ws_messages_in_total", "WebSocket text messages received.",
            (counters) -> counters.messagesIn.get());
        ioCounter("ws_protocol_errors_total", "Sockets closed for a protocol violation.",
            (counters) -> counters.protocolErrors.get());
        ioCounter("ws_unauthorized_total", "Sockets closed with 4401.", (counters) -> counters.unauthorized.get());
        ioCounter("ws_idle_timeouts_total", "Sockets closed with 4009.", (counters) -> counters.idleTimeouts.get());
        ioCounter("ws_slow_consumers_total", "Sockets closed with 4008.",
            (counters) -> counters.slowConsumers.get());
        ioCounter("ws_drop_episodes_total", "Times a socket entered drop mode.",
            (counters) -> counters.dropEpisodes.get());
        ioCounter("ws_dropped_backpressure_total", "Frames dropped for backpressure by the IoAgents.",
            (counters) -> counters.droppedBackpressure.get());
        ioCounter("io_accept_pauses_total", "Times accepting paused for a back-off after a failed accept (EMFILE...).",
            (counters) -> counters.acceptPauses.get());
        CounterWithCallback.builder()
            .name("io_address_limit_refusals_total")
            .help("Refusals by a per-address limit: connections (socket closed), upgrades (429), joins (rate_limited).")
            .labelNames("limit")
            .callback((callback) ->
            {
                callback.call(sumIo((counters) -> counters.addressConnectionRefusals.get()), "connections");
                callback.call(sumIo((counters) -> counters.addressUpgradeRefusals.get()), "upgrades");
                callback.call(sumIo((counters) -> counters.addressJoinRefusals.get()), "joins");
            })
            .register(registry);
        ioCounter("http_pipeline_pauses_total", "Times reading paused at maxPipelinedRequests unwritten responses.",
            (counters) -> counters.pipelinePauses.get());
        ioCounter("ws_frame_rate_pauses_total", "Times reading paused: control frames and fragments over messageRate.",
            (counters) -> counters.frameRatePauses.get());
        ioCounter("ws_pongs_coalesced_total", "Pongs rewritten in place because an older one was still queued.",
            (counters) -> counters.pongsCoalesced.get());
        ioCounter("ws_message_deadlines_total", "Sockets closed with 1008: a message not complete in time.",
            (counters) -> counters.messageDeadlines.get());
    }

    private void registerEngineMetrics()
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
                    callback.call(all[i].intervalMaxLoopWorkNs / 1e9, Integer.toString(i));
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
                for (final ErrorCode code : ERROR_CODES)
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
        GaugeWithCallback.builder()
            .name("engine_sessions")
            .help("Sessions (live and away) now, over all engine shards.")
            .callback((callback) -> callback.call(sessions(engineCounters.get())))
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
                        reading.totalSum() / NANOS_PER_SECOND,
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
                    callback.call(reading.max() / NANOS_PER_SECOND, Integer.toString(i));
                }
            })
            .register(registry);
    }

    private static Quantiles quantiles(final IntervalPercentiles reading)
    {
        final boolean empty = reading.intervalCount() == 0;
        return Quantiles.of(
            new Quantile(0.5, empty ? Double.NaN : reading.p50() / NANOS_PER_SECOND),
            new Quantile(0.99, empty ? Double.NaN : reading.p99() / NANOS_PER_SECOND),
            new Quantile(0.999, empty ? Double.NaN : reading.p999() / NANOS_PER_SECOND));
    }

    private void ioCounter(final String name, final String help, final ToLongFunction<IoCounters> reader)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback((callback) -> callback.call(sumIo(reader)))
            .register(registry);
    }

    private long sumIo(final ToLongFunction<IoCounters> reader)
    {
        long total = 0;
        for (final IoCounters counters : ioCounters.get())
        {
            total += reader.applyAsLong(counters);
        }
        return total;
    }

    private double averageRoomSize()
    {
        final EngineCounters[] engines = engineCounters.get();
        final long rooms = rooms(engines);
        return rooms == 0 ? 0 : (double)sessions(engines) / rooms;
    }

    private static long rooms(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.rooms();
        }
        return total;
    }

    private static long sessions(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.sessions();
        }
        return total;
    }

    private static long msgsIn(final EngineCounters[] engines, final MessageType type)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.msgsIn(type);
        }
        return total;
    }

    private static long msgsOut(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.msgsOut();
        }
        return total;
    }

    private static long drops(final EngineCounters[] engines, final MessageType type, final DropReason reason)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.drops(type, reason);
        }
        return total;
    }

    private static long ioDrops(final IoCounters[] agents, final MessageType type)
    {
        long total = 0;
        for (final IoCounters counters : agents)
        {
            total += counters.droppedByType.get(type.id());
        }
        return total;
    }

    private static MessageType[] clientTypes()
    {
        int count = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                count++;
            }
        }
        final MessageType[] types = new MessageType[count];
        int next = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                types[next++] = type;
            }
        }
        return types;
    }

    private static ErrorCode[] errorCodes()
    {
        final ErrorCode[] all = ErrorCode.values();
        final ErrorCode[] codes = new ErrorCode[all.length - 1];
        int next = 0;
        for (final ErrorCode code : all)
        {
            if (ErrorCode.NONE != code)
            {
                codes[next++] = code;
            }
        }
        return codes;
    }

    /** One sampler reading, published whole through a volatile field. */
    private static final class Sample
    {
        final double[] inPerSec;
        final double outPerSec;
        final long bufferedBytesP95;

        Sample(final double[] inPerSec, final double outPerSec, final long bufferedBytesP95)
        {
            this.inPerSec = inPerSec;
            this.outPerSec = outPerSec;
            this.bufferedBytesP95 = bufferedBytesP95;
        }
    }

    /**
     * Settings of a {@link MetricsExporter}: where its numbers come from. Sources are suppliers, resolved at each
     * scrape and sample, so the exporter can be built before the runtime whose counters it reads.
     */
    public static final class Builder
    {
        private Supplier<IoCounters[]> ioCounters = () -> NO_IO;
        private Supplier<EngineCounters[]> engineCounters = () -> NO_ENGINES;
        private Supplier<EngineShard[]> shards = () -> NO_SHARDS;
        private Supplier<LatencyRecorders[]> latencyRecorders = () -> NO_LATENCY;
        private BufferedBytesSource bufferedBytes;
        private LongSupplier overallRateLimited;
        private NanoClock nanoClock = new SystemNanoClock();
        private long sampleIntervalNs = DEFAULT_SAMPLE_INTERVAL_NS;
        private boolean jvmMetrics = true;
        private boolean renderEverySample;
        private ClusterCounters cluster;
        private WebhookCounters webhooks;
        private BooleanSupplier draining = () -> false;

        private Builder()
        {
        }

        /**
         * Whether the server drains, exported as {@code server_draining}.
         *
         * @param draining true once a drain has begun, e.g. {@code runtime::isDraining}.
         * @return this.
         */
        public Builder draining(final BooleanSupplier draining)
        {
            this.draining = draining;
            return this;
        }

        /**
         * Multi-node mode: export the cluster families ({@code cluster_*}) from these counters.
         *
         * @param cluster the cluster agent's counters, or null on a single node.
         * @return this.
         */
        public Builder cluster(final ClusterCounters cluster)
        {
            this.cluster = cluster;
            return this;
        }

        /**
         * Export the webhook families ({@code webhook_*}) from these counters.
         *
         * @param webhooks the webhook counters, or null while webhooks are off.
         * @return this.
         */
        public Builder webhooks(final WebhookCounters webhooks)
        {
            this.webhooks = webhooks;
            return this;
        }

        /**
         * The IoAgents' counters, one per agent.
         *
         * @param ioCounters supplier of the counters, e.g. {@code runtime::ioCounters}.
         * @return this.
         */
        public Builder ioCounters(final Supplier<IoCounters[]> ioCounters)
        {
            this.ioCounters = ioCounters;
            return this;
        }

        /**
         * The engine shards' counters, one per shard.
         *
         * @param engineCounters supplier of the counters.
         * @return this.
         */
        public Builder engineCounters(final Supplier<EngineCounters[]> engineCounters)
        {
            this.engineCounters = engineCounters;
            return this;
        }

        /**
         * The engine shards, for ring occupancy and escaped exceptions.
         *
         * @param shards supplier of the shards, e.g. {@code runtime::shards}.
         * @return this.
         */
        public Builder shards(final Supplier<EngineShard[]> shards)
        {
            this.shards = shards;
            return this;
        }

        /**
         * The engine shards' latency recorders, index i labelled {@code shard="i"}.
         *
         * @param latencyRecorders supplier of the recorders.
         * @return this.
         */
        public Builder latencyRecorders(final Supplier<LatencyRecorders[]> latencyRecorders)
        {
            this.latencyRecorders = latencyRecorders;
            return this;
        }

        /**
         * Where {@code ws_buffered_bytes_p95} comes from; without one that gauge is not exported.
         *
         * @param bufferedBytes the source, usually a {@link BufferedBytesRecorder} the IoAgents feed.
         * @return this.
         */
        public Builder bufferedBytes(final BufferedBytesSource bufferedBytes)
        {
            this.bufferedBytes = bufferedBytes;
            return this;
        }

        /**
         * Messages dropped over the overall per-session limit, exported as {@code rate_limited_total{type="any"}};
         * without it that series is not exported.
         *
         * @param overallRateLimited supplier of the count since start.
         * @return this.
         */
        public Builder overallRateLimited(final LongSupplier overallRateLimited)
        {
            this.overallRateLimited = overallRateLimited;
            return this;
        }

        /**
         * The clock the rates are measured with.
         *
         * @param nanoClock the clock; tests pass a fake one and call {@link MetricsExporter#sample()} themselves.
         * @return this.
         */
        public Builder nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * Time between two samples taken by the sampler thread.
         *
         * @param sampleIntervalNs nanoseconds, positive.
         * @return this.
         */
        public Builder sampleIntervalNs(final long sampleIntervalNs)
        {
            this.sampleIntervalNs = sampleIntervalNs;
            return this;
        }

        /**
         * Whether to export the JVM's own metrics (memory, GC, threads, classes, ...).
         *
         * @param jvmMetrics true to register the Prometheus client's JVM collectors.
         * @return this.
         */
        public Builder jvmMetrics(final boolean jvmMetrics)
        {
            this.jvmMetrics = jvmMetrics;
            return this;
        }

        /**
         * Whether the sampler thread renders the exposition after every sample, for {@link #latestRendered()}.
         *
         * @param renderEverySample true to render on the sampler thread (costs one scrape per sampling interval).
         * @return this.
         */
        public Builder renderEverySample(final boolean renderEverySample)
        {
            this.renderEverySample = renderEverySample;
            return this;
        }

        /**
         * Validate the settings and build the exporter; nothing samples until {@link MetricsExporter#start()}.
         *
         * @return the exporter.
         */
        public MetricsExporter build()
        {
            if (null == ioCounters || null == engineCounters || null == shards || null == latencyRecorders ||
                null == nanoClock)
            {
                throw new IllegalArgumentException("sources and clock must not be null");
            }
            if (sampleIntervalNs <= 0)
            {
                throw new IllegalArgumentException("sampleIntervalNs must be positive, got " + sampleIntervalNs);
            }
            return new MetricsExporter(this);
        }
    }
}
