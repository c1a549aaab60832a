package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.AgentThread;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.WakeableIdleStrategy;
import dev.switchboard.net.cluster.ClusterCounters;
import dev.switchboard.net.io.BufferedBytesRecorder;
import dev.switchboard.net.io.BufferedBytesSource;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.webhook.WebhookCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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

import static dev.switchboard.net.metrics.CounterSums.ALL_TYPES;
import static dev.switchboard.net.metrics.CounterSums.IN_TYPES;
import static dev.switchboard.net.metrics.CounterSums.NANOS_PER_SECOND;
import static dev.switchboard.net.metrics.CounterSums.REASONS;
import static dev.switchboard.net.metrics.CounterSums.drops;
import static dev.switchboard.net.metrics.CounterSums.ioDrops;
import static dev.switchboard.net.metrics.CounterSums.msgsIn;
import static dev.switchboard.net.metrics.CounterSums.msgsOut;
import static dev.switchboard.net.metrics.CounterSums.rooms;
import static dev.switchboard.net.metrics.CounterSums.sessions;
import static dev.switchboard.net.metrics.CounterSums.sumIo;

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
    private final String release;
    private final String javaVersion;
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
        this.release = builder.release;
        this.javaVersion = builder.javaVersion;
        registerGauges();
        registerCounters();
        new IoMetrics(registry, ioCounters).register();
        new EngineMetrics(registry, ioCounters, engineCounters, shards, latencyRecorders).register();
        if (null != builder.cluster)
        {
            new ClusterMetrics(registry, builder.cluster).register();
        }
        if (null != builder.webhooks)
        {
            new WebhookMetrics(registry, builder.webhooks).register();
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
            agent.beginInterval();
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
            .callback((callback) -> callback.call(1.0, release, javaVersion))
            .register(registry);
        GaugeWithCallback.builder()
            .name("server_draining")
            .help("1 once a graceful drain has begun (SIGTERM: /healthz answers 503), else 0.")
            .callback((callback) -> callback.call(draining.getAsBoolean() ? 1.0 : 0.0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("connected_sockets")
            .help("Open sockets now, over all IoAgents.")
            .callback((callback) -> callback.call(sumIo(ioCounters.get(), (counters) -> counters.connected.get())))
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

    private double averageRoomSize()
    {
        final EngineCounters[] engines = engineCounters.get();
        final long rooms = rooms(engines);
        return rooms == 0 ? 0 : (double)sessions(engines) / rooms;
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
        private String release = "unknown";
        private String javaVersion = System.getProperty("java.version", "unknown");
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
         * The labels of {@code build_info}: which release runs, on which Java. The exporter does not read the build
         * stamp itself, so that it depends on no package above it.
         *
         * @param release the Switchboard version, {@code "unknown"} unless set.
         * @param javaVersion the running Java's version, the {@code java.version} property unless set.
         * @return this.
         */
        public Builder buildInfo(final String release, final String javaVersion)
        {
            this.release = release;
            this.javaVersion = javaVersion;
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
                null == nanoClock || null == release || null == javaVersion)
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
