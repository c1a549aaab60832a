package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.net.io.BufferedBytesRecorder;
import dev.switchboard.net.support.PrometheusParser;
import dev.switchboard.net.support.PrometheusParser.Family;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter's output read by a real Prometheus text parser: prometheus_client's own, run with python3.
 * <p>
 * Outside CI ({@code CI != "true"}) the test is skipped when no python3 with prometheus_client is found; under CI
 * it fails. {@code PROMETHEUS_PARSER_PYTHON} names the interpreter to try first.
 */
class PrometheusClientParserTest
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path tempDir;

    @Test
    void shouldParseEveryProtocolFamilyWithThePrometheusClientTextParser() throws Exception
    {
        final String python = PrometheusParser.findPython();
        final CounterFixture fixture = new CounterFixture();
        final CachedNanoClock clock = new CachedNanoClock();
        final BufferedBytesRecorder bufferedBytes = new BufferedBytesRecorder(2);
        final LatencyRecorders[] latency = { new LatencyRecorders() };
        final EngineShard[] shards = { CounterFixture.idleShard(0, 2) };
        final MetricsExporter exporter = MetricsExporter.builder()
            .ioCounters(() -> fixture.agents)
            .engineCounters(() -> fixture.engines)
            .shards(() -> shards)
            .latencyRecorders(() -> latency)
            .bufferedBytes(bufferedBytes)
            .overallRateLimited(() -> 9)
            .nanoClock(clock)
            .build();
        exporter.sample();
        final EngineCounters shard0 = fixture.engines[0];
        CounterFixture.repeat(4, () -> shard0.onMessageIn(MessageType.JOIN.id()));
        CounterFixture.repeat(6, shard0::onMessageOut);
        for (int bytes = 1; bytes <= 100; bytes++)
        {
            bufferedBytes.record(bytes % 2, bytes);
        }
        latency[0].recordLoopLatencyNs(1_500);
        latency[0].recordBatchLatencyNs(2_000);
        clock.advance(2 * SECOND_NS);
        exporter.sample();

        final Map<String, Family> families = PrometheusParser.parse(python, exporter.scrape(), tempDir);

        PrometheusParser.assertFamily(families, "connected_sockets", "gauge");
        assertEquals(10.0, PrometheusParser.value(families, "connected_sockets", "connected_sockets"));
        PrometheusParser.assertFamily(families, "rooms_total", "gauge");
        assertEquals(3.0, PrometheusParser.value(families, "rooms_total", "rooms_total"));
        PrometheusParser.assertFamily(families, "avg_room_size", "gauge");
        assertEquals(3.0, PrometheusParser.value(families, "avg_room_size", "avg_room_size"));
        PrometheusParser.assertFamily(families, "msgs_in_per_sec", "gauge");
        assertEquals(2.0, PrometheusParser.value(families, "msgs_in_per_sec", "msgs_in_per_sec", "type", "join"));
        assertEquals(0.0, PrometheusParser.value(families, "msgs_in_per_sec", "msgs_in_per_sec", "type", "game_event"));
        PrometheusParser.assertFamily(families, "msgs_out_per_sec", "gauge");
        assertEquals(3.0, PrometheusParser.value(families, "msgs_out_per_sec", "msgs_out_per_sec"));
        PrometheusParser.assertFamily(families, "ws_buffered_bytes_p95", "gauge");
        assertEquals(95.0, PrometheusParser.value(families, "ws_buffered_bytes_p95", "ws_buffered_bytes_p95"));

        PrometheusParser.assertFamily(families, "msgs_in", "counter");
        assertEquals(8.0, PrometheusParser.value(families, "msgs_in", "msgs_in_total", "type", "join"));
        PrometheusParser.assertFamily(families, "msgs_out", "counter");
        assertEquals(16.0, PrometheusParser.value(families, "msgs_out", "msgs_out_total"));
        PrometheusParser.assertFamily(families, "drops_by_type", "counter");
        assertEquals(4.0, PrometheusParser.value(families, "drops_by_type", "drops_by_type_total",
            "type", "ice_candidate", "reason", "backpressure"));
        assertEquals(2.0, PrometheusParser.value(families, "drops_by_type", "drops_by_type_total",
            "type", "game_event", "reason", "duplicate"));
        PrometheusParser.assertFamily(families, "rate_limited", "counter");
        assertEquals(4.0, PrometheusParser.value(families, "rate_limited", "rate_limited_total", "type", "game_event"));
        assertEquals(9.0, PrometheusParser.value(families, "rate_limited", "rate_limited_total", "type", "any"));

        PrometheusParser.assertFamily(families, "engine_loop_latency_seconds", "summary");
        assertEquals(1.5e-6, PrometheusParser.value(families, "engine_loop_latency_seconds", "engine_loop_latency_seconds",
            "shard", "0", "quantile", "0.99"));
        assertEquals(1.0, PrometheusParser.value(families, "engine_loop_latency_seconds", "engine_loop_latency_seconds_count",
            "shard", "0"));
        PrometheusParser.assertFamily(families, "engine_batch_latency_seconds", "summary");
        assertEquals(2e-6, PrometheusParser.value(families, "engine_batch_latency_seconds", "engine_batch_latency_seconds",
            "shard", "0", "quantile", "0.5"));
        PrometheusParser.assertFamily(families, "engine_ring_occupancy", "gauge");
        assertEquals(2.0, PrometheusParser.value(families, "engine_ring_occupancy", "engine_ring_occupancy", "shard", "0"));
        PrometheusParser.assertFamily(families, "engine_errors", "counter");
        assertEquals(2.0, PrometheusParser.value(families, "engine_errors", "engine_errors_total", "code", "not_in_room"));

        PrometheusParser.assertFamily(families, "jvm_memory_used_bytes", "gauge");
        PrometheusParser.assertFamily(families, "jvm_threads_current", "gauge");
        assertTrue(PrometheusParser.value(families, "jvm_threads_current", "jvm_threads_current") >= 1.0);
    }
}
