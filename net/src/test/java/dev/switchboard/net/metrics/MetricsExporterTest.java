package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.net.BuildInfo;
import dev.switchboard.net.io.BufferedBytesRecorder;
import dev.switchboard.net.support.Conditions;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsExporterTest
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final CounterFixture fixture = new CounterFixture();
    private final CachedNanoClock clock = new CachedNanoClock();

    private MetricsExporter.Builder builder()
    {
        return MetricsExporter.builder()
            .ioCounters(() -> fixture.agents)
            .engineCounters(() -> fixture.engines)
            .nanoClock(clock)
            .jvmMetrics(false);
    }

    private static ExpositionText scrape(final MetricsExporter exporter)
    {
        return new ExpositionText(exporter.scrape());
    }

    @Test
    void shouldSumGaugesOverIoAgentsAndShards()
    {
        final ExpositionText text = scrape(builder().build());

        assertEquals(10.0, text.value("connected_sockets"));
        assertEquals(3.0, text.value("rooms_total"));
        assertEquals(3.0, text.value("avg_room_size"));
        assertEquals(9.0, text.value("engine_sessions"));
        assertEquals(7.0, text.value("engine_bound_connections"));
    }

    @Test
    void shouldExposeBuildInfoWithTheStampedVersionAndTheRunningJava()
    {
        final ExpositionText text = scrape(builder().buildInfo(BuildInfo.version(), BuildInfo.javaVersion()).build());

        assertFalse(BuildInfo.version().contains("${"), "the build stamp is filtered: " + BuildInfo.version());
        assertNotEquals("unknown", BuildInfo.version());
        assertEquals(1.0, text.value("build_info", "version", BuildInfo.version(), "java",
            System.getProperty("java.version")));
    }

    @Test
    void shouldLabelBuildInfoUnknownWhenNoReleaseIsGiven()
    {
        final ExpositionText text = scrape(builder().build());

        assertEquals(1.0, text.value("build_info", "version", "unknown", "java", System.getProperty("java.version")));
        assertThrows(IllegalArgumentException.class, () -> builder().buildInfo(null, "17").build());
    }

    @Test
    void shouldExportWhetherTheServerDrains()
    {
        final AtomicBoolean draining = new AtomicBoolean();
        final MetricsExporter exporter = builder().draining(draining::get).build();

        assertEquals(0.0, scrape(exporter).value("server_draining"));
        draining.set(true);
        assertEquals(1.0, scrape(exporter).value("server_draining"));
    }

    @Test
    void shouldSumFramePoolAndReplayBytesOverShards()
    {
        fixture.engines[0].memory().publish(1000, 200, 30, 4);
        fixture.engines[1].memory().publish(2000, 400, 60, 8);

        final ExpositionText text = scrape(builder().build());

        assertEquals(3000.0, text.value("frame_pool_bytes", "state", "free"));
        assertEquals(600.0, text.value("frame_pool_bytes", "state", "in_use"));
        assertEquals(90.0, text.value("replay_bytes", "scope", "session"));
        assertEquals(12.0, text.value("replay_bytes", "scope", "room"));
    }

    @Test
    void shouldReportZeroAverageRoomSizeWhenNoRoomIsOpen()
    {
        fixture.engines[0].gauges(0, 0, 0);
        fixture.engines[1].gauges(0, 0, 0);

        final ExpositionText text = scrape(builder().build());

        assertEquals(0.0, text.value("rooms_total"));
        assertEquals(0.0, text.value("avg_room_size"));
    }

    @Test
    void shouldExposeMessageCountersByClientType()
    {
        final ExpositionText text = scrape(builder().build());

        assertEquals(4.0, text.value("msgs_in_total", "type", "join"));
        assertEquals(5.0, text.value("msgs_in_total", "type", "game_event"));
        assertEquals(0.0, text.value("msgs_in_total", "type", "ping"));
        assertFalse(text.has("msgs_in_total", "type", "pong"), "server-to-client types are not inbound");
        assertEquals(10.0, text.value("msgs_out_total"));
    }

    @Test
    void shouldAddIoAgentBackpressureDropsToEngineDrops()
    {
        final ExpositionText text = scrape(builder().build());

        assertEquals(2.0, text.value("drops_by_type_total", "type", "game_event", "reason", "duplicate"));
        assertEquals(1.0, text.value("drops_by_type_total", "type", "ice_candidate", "reason", "stale"));
        assertEquals(1.0, text.value("drops_by_type_total", "type", "game_state", "reason", "stale"));
        final double iceBackpressure = 1.0 + 2.0 + 1.0;
        assertEquals(iceBackpressure,
            text.value("drops_by_type_total", "type", "ice_candidate", "reason", "backpressure"));
        assertEquals(3.0, text.value("drops_by_type_total", "type", "presence", "reason", "backpressure"));
        assertEquals(4.0, text.value("drops_by_type_total", "type", "game_event", "reason", "rate_limited"));
        assertEquals(0.0, text.value("drops_by_type_total", "type", "pong", "reason", "peer_away"));
        for (final DropReason reason : DropReason.values())
        {
            assertTrue(text.has("drops_by_type_total", "type", "join", "reason", reason.label()), reason.label());
        }
    }

    @Test
    void shouldExposeRateLimitedDropsByTypeAndOverall()
    {
        final ExpositionText text = scrape(builder().overallRateLimited(() -> 9).build());

        assertEquals(4.0, text.value("rate_limited_total", "type", "game_event"));
        assertEquals(1.0, text.value("rate_limited_total", "type", "ice_candidate"));
        assertEquals(0.0, text.value("rate_limited_total", "type", "game_state"));
        assertEquals(9.0, text.value("rate_limited_total", "type", "any"));
    }

    @Test
    void shouldOmitSeriesWhoseSourceIsNotConfigured()
    {
        final byte[] body = builder().build().scrape();
        final ExpositionText text = new ExpositionText(body);

        assertFalse(text.has("rate_limited_total", "type", "any"));
        assertFalse(new String(body, StandardCharsets.UTF_8).contains("ws_buffered_bytes_p95"));
    }

    @Test
    void shouldExposeEngineErrorsByCodeAndIoCounters()
    {
        final ExpositionText text = scrape(builder().build());

        assertEquals(1.0, text.value("engine_errors_total", "code", "rate_limited"));
        assertEquals(2.0, text.value("engine_errors_total", "code", "not_in_room"));
        assertEquals(0.0, text.value("engine_errors_total", "code", "host_taken"));
        assertFalse(text.has("engine_errors_total", "code", "none"));
        assertEquals(150.0, text.value("io_bytes_in_total"));
        assertEquals(1.0, text.value("ws_slow_consumers_total"));
    }

    @Test
    void shouldNameFamiliesExactlyAsProtocolSection9()
    {
        final LatencyRecorders[] recorders = { new LatencyRecorders() };
        final MetricsExporter exporter = builder().bufferedBytes(() -> 0).latencyRecorders(() -> recorders).build();
        exporter.sample();
        final ExpositionText text = scrape(exporter);

        assertEquals("gauge", text.type("connected_sockets"));
        assertEquals("gauge", text.type("rooms_total"));
        assertEquals("gauge", text.type("avg_room_size"));
        assertEquals("gauge", text.type("msgs_in_per_sec"));
        assertEquals("gauge", text.type("msgs_out_per_sec"));
        assertEquals("gauge", text.type("ws_buffered_bytes_p95"));
        assertEquals("counter", text.type("msgs_in_total"));
        assertEquals("counter", text.type("msgs_out_total"));
        assertEquals("counter", text.type("drops_by_type_total"));
        assertEquals("counter", text.type("rate_limited_total"));
        assertEquals("summary", text.type("engine_loop_latency_seconds"));
        assertEquals("summary", text.type("engine_batch_latency_seconds"));
    }

    @Test
    void shouldReportZeroRatesBeforeTheSecondSample()
    {
        final MetricsExporter exporter = builder().build();
        exporter.sample();

        final ExpositionText text = scrape(exporter);

        assertEquals(0.0, text.value("msgs_in_per_sec", "type", "join"));
        assertEquals(0.0, text.value("msgs_out_per_sec"));
    }

    @Test
    void shouldComputeRatesFromTheIncreaseBetweenTheLastTwoSamples()
    {
        final MetricsExporter exporter = builder().build();
        clock.update(5 * SECOND_NS);
        exporter.sample();

        final EngineCounters shard0 = fixture.engines[0];
        CounterFixture.repeat(10, () -> shard0.onMessageIn(MessageType.JOIN.id()));
        CounterFixture.repeat(3, () -> fixture.engines[1].onMessageIn(MessageType.GAME_EVENT.id()));
        CounterFixture.repeat(20, shard0::onMessageOut);
        clock.advance(2 * SECOND_NS);
        exporter.sample();
        final ExpositionText afterTwoSeconds = scrape(exporter);

        assertEquals(5.0, afterTwoSeconds.value("msgs_in_per_sec", "type", "join"));
        assertEquals(1.5, afterTwoSeconds.value("msgs_in_per_sec", "type", "game_event"));
        assertEquals(0.0, afterTwoSeconds.value("msgs_in_per_sec", "type", "webrtc_offer"));
        assertEquals(10.0, afterTwoSeconds.value("msgs_out_per_sec"));
        assertEquals(14.0, afterTwoSeconds.value("msgs_in_total", "type", "join"));

        clock.advance(SECOND_NS);
        exporter.sample();
        final ExpositionText idle = scrape(exporter);

        assertEquals(0.0, idle.value("msgs_in_per_sec", "type", "join"));
        assertEquals(0.0, idle.value("msgs_out_per_sec"));
    }

    @Test
    void shouldKeepTheLastRatesBetweenSamples()
    {
        final MetricsExporter exporter = builder().build();
        exporter.sample();
        CounterFixture.repeat(4, fixture.engines[0]::onMessageOut);
        clock.advance(SECOND_NS);
        exporter.sample();
        CounterFixture.repeat(100, fixture.engines[0]::onMessageOut);

        assertEquals(4.0, scrape(exporter).value("msgs_out_per_sec"));
        assertEquals(4.0, scrape(exporter).value("msgs_out_per_sec"));
    }

    @Test
    void shouldExposeBufferedBytesP95FromTheSourceAtEachSample()
    {
        final BufferedBytesRecorder recorder = new BufferedBytesRecorder(1);
        final MetricsExporter exporter = builder().bufferedBytes(recorder).build();
        for (int bytes = 1; bytes <= 100; bytes++)
        {
            recorder.record(0, bytes);
        }
        exporter.sample();

        assertEquals(95.0, scrape(exporter).value("ws_buffered_bytes_p95"));

        exporter.sample();

        assertEquals(0.0, scrape(exporter).value("ws_buffered_bytes_p95"));
    }

    @Test
    void shouldExposeLatencyPercentilesOfTheLastIntervalPerShard()
    {
        final LatencyRecorders[] recorders = { new LatencyRecorders(), new LatencyRecorders() };
        final MetricsExporter exporter = builder().latencyRecorders(() -> recorders).build();
        CounterFixture.repeat(999, () -> recorders[0].recordLoopLatencyNs(1_000));
        recorders[0].recordLoopLatencyNs(1_000_000);
        recorders[1].recordBatchLatencyNs(2_000);
        exporter.sample();

        final ExpositionText text = scrape(exporter);

        assertEquals(1e-6, text.value("engine_loop_latency_seconds", "shard", "0", "quantile", "0.5"));
        assertEquals(1e-6, text.value("engine_loop_latency_seconds", "shard", "0", "quantile", "0.99"));
        assertEquals(1e-6, text.value("engine_loop_latency_seconds", "shard", "0", "quantile", "0.999"));
        assertEquals(1e-3, text.value("engine_loop_latency_max_seconds", "shard", "0"), 1e-6);
        assertEquals(1000.0, text.value("engine_loop_latency_seconds_count", "shard", "0"));
        assertEquals((999 * 1_000 + 1_000_000) / 1e9, text.value("engine_loop_latency_seconds_sum", "shard", "0"),
            1e-12);
        assertEquals(2e-6, text.value("engine_batch_latency_seconds", "shard", "1", "quantile", "0.99"));
        assertTrue(Double.isNaN(text.value("engine_batch_latency_seconds", "shard", "0", "quantile", "0.5")));

        recorders[0].recordLoopLatencyNs(1_500);
        exporter.sample();
        final ExpositionText next = scrape(exporter);

        assertEquals(1.5e-6, next.value("engine_loop_latency_seconds", "shard", "0", "quantile", "0.999"));
        assertEquals(1.5e-6, next.value("engine_loop_latency_max_seconds", "shard", "0"));
        assertEquals(1001.0, next.value("engine_loop_latency_seconds_count", "shard", "0"));
        assertTrue(Double.isNaN(next.value("engine_batch_latency_seconds", "shard", "1", "quantile", "0.5")));
        assertEquals(1.0, next.value("engine_batch_latency_seconds_count", "shard", "1"));
    }

    @Test
    void shouldExposeRingOccupancyPerShard()
    {
        final EngineShard shard = CounterFixture.idleShard(3, 3);
        final EngineShard[] shards = { shard };

        final ExpositionText text = scrape(builder().shards(() -> shards).build());

        assertEquals(3.0, text.value("engine_ring_occupancy", "shard", "3"));
        assertEquals(0.0, text.value("engine_exceptions_total", "shard", "3"));
    }

    @Test
    void shouldExposeJvmMetricsInEachExportersOwnRegistry()
    {
        final MetricsExporter first = builder().jvmMetrics(true).build();
        final MetricsExporter second = builder().jvmMetrics(true).build();

        final String text = new String(second.scrape(), StandardCharsets.UTF_8);

        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), text);
        assertTrue(new String(first.scrape(), StandardCharsets.UTF_8).contains("jvm_threads_current"));
        assertTrue(first.contentType().contains("version=0.0.4"), first.contentType());
    }

    @Test
    void shouldSampleAndRenderOnItsOwnTimerThreadUntilClosed()
    {
        final MetricsExporter exporter = builder()
            .nanoClock(System::nanoTime)
            .sampleIntervalNs(TimeUnit.MILLISECONDS.toNanos(5))
            .renderEverySample(true)
            .build();
        exporter.start();
        final byte[] first;
        try
        {
            Conditions.await(5_000, () -> exporter.sampleCount() >= 3, "three samples");
            first = exporter.latestRendered();
            Conditions.await(5_000, () -> exporter.latestRendered() != first, "a newer rendering");
        }
        finally
        {
            exporter.close();
        }
        final long samplesAtClose = exporter.sampleCount();

        assertEquals(10.0, new ExpositionText(first).value("connected_sockets"));
        assertEquals(samplesAtClose, exporter.sampleCount(), "no sample after close");
    }

    @Test
    void shouldRenderOnTheCallerWhenNoSampleWasRendered()
    {
        final MetricsExporter exporter = builder().build();

        final ExpositionText text = new ExpositionText(exporter.latestRendered());

        assertEquals(4.0, text.value("msgs_in_total", "type", "join"));
    }
}
