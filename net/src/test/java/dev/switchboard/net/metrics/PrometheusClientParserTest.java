package dev.switchboard.net.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.protocol.MessageType;
import dev.switchboard.engine.ring.EngineShard;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The exporter's output read by a real Prometheus text parser: prometheus_client's own, run with python3.
 * <p>
 * Outside CI ({@code CI != "true"}) the test is skipped when no python3 with prometheus_client is found; under CI
 * it fails. {@code SWITCHBOARD_PYTHON} names the interpreter to try first.
 */
class PrometheusClientParserTest
{
    private static final long TIMEOUT_SECONDS = 30;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path tempDir;

    private record Sample(String name, Map<String, String> labels, double value)
    {
    }

    private record Family(String name, String type, List<Sample> samples)
    {
    }

    @Test
    void shouldParseEveryProtocolFamilyWithThePrometheusClientTextParser() throws Exception
    {
        final String python = findPython();
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

        final Map<String, Family> families = parse(python, exporter.scrape());

        assertFamily(families, "connected_sockets", "gauge");
        assertEquals(10.0, value(families, "connected_sockets", "connected_sockets"));
        assertFamily(families, "rooms_total", "gauge");
        assertEquals(3.0, value(families, "rooms_total", "rooms_total"));
        assertFamily(families, "avg_room_size", "gauge");
        assertEquals(3.0, value(families, "avg_room_size", "avg_room_size"));
        assertFamily(families, "msgs_in_per_sec", "gauge");
        assertEquals(2.0, value(families, "msgs_in_per_sec", "msgs_in_per_sec", "type", "join"));
        assertEquals(0.0, value(families, "msgs_in_per_sec", "msgs_in_per_sec", "type", "game_event"));
        assertFamily(families, "msgs_out_per_sec", "gauge");
        assertEquals(3.0, value(families, "msgs_out_per_sec", "msgs_out_per_sec"));
        assertFamily(families, "ws_buffered_bytes_p95", "gauge");
        assertEquals(95.0, value(families, "ws_buffered_bytes_p95", "ws_buffered_bytes_p95"));

        assertFamily(families, "msgs_in", "counter");
        assertEquals(8.0, value(families, "msgs_in", "msgs_in_total", "type", "join"));
        assertFamily(families, "msgs_out", "counter");
        assertEquals(16.0, value(families, "msgs_out", "msgs_out_total"));
        assertFamily(families, "drops_by_type", "counter");
        assertEquals(4.0, value(families, "drops_by_type", "drops_by_type_total",
            "type", "ice_candidate", "reason", "backpressure"));
        assertEquals(2.0, value(families, "drops_by_type", "drops_by_type_total",
            "type", "game_event", "reason", "duplicate"));
        assertFamily(families, "rate_limited", "counter");
        assertEquals(4.0, value(families, "rate_limited", "rate_limited_total", "type", "game_event"));
        assertEquals(9.0, value(families, "rate_limited", "rate_limited_total", "type", "any"));

        assertFamily(families, "engine_loop_latency_seconds", "summary");
        assertEquals(1.5e-6, value(families, "engine_loop_latency_seconds", "engine_loop_latency_seconds",
            "shard", "0", "quantile", "0.99"));
        assertEquals(1.0, value(families, "engine_loop_latency_seconds", "engine_loop_latency_seconds_count",
            "shard", "0"));
        assertFamily(families, "engine_batch_latency_seconds", "summary");
        assertEquals(2e-6, value(families, "engine_batch_latency_seconds", "engine_batch_latency_seconds",
            "shard", "0", "quantile", "0.5"));
        assertFamily(families, "engine_ring_occupancy", "gauge");
        assertEquals(2.0, value(families, "engine_ring_occupancy", "engine_ring_occupancy", "shard", "0"));
        assertFamily(families, "engine_errors", "counter");
        assertEquals(2.0, value(families, "engine_errors", "engine_errors_total", "code", "not_in_room"));

        assertFamily(families, "jvm_memory_used_bytes", "gauge");
        assertFamily(families, "jvm_threads_current", "gauge");
        assertTrue(value(families, "jvm_threads_current", "jvm_threads_current") >= 1.0);
    }

    private static void assertFamily(final Map<String, Family> families, final String name, final String type)
    {
        final Family family = families.get(name);
        assertNotNull(family, () -> "no family " + name + " in " + families.keySet());
        assertEquals(type, family.type(), name);
        assertTrue(!family.samples().isEmpty(), name);
    }

    private static double value(
        final Map<String, Family> families, final String family, final String sample, final String... labels)
    {
        final Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (final Sample candidate : families.get(family).samples())
        {
            if (candidate.name().equals(sample) && candidate.labels().equals(wanted))
            {
                return candidate.value();
            }
        }
        return fail("no sample " + sample + wanted + " in family " + family);
    }

    private Map<String, Family> parse(final String python, final byte[] exposition)
        throws IOException, InterruptedException, URISyntaxException
    {
        final Path script =
            Path.of(PrometheusClientParserTest.class.getResource("/metrics/parse_exposition.py").toURI());
        final Path stdout = tempDir.resolve("families.json");
        final Path stderr = tempDir.resolve("stderr.txt");
        final Process process = new ProcessBuilder(python, script.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        try (OutputStream stdin = process.getOutputStream())
        {
            stdin.write(exposition);
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("the parser did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertEquals(0, process.exitValue(), () -> "the parser rejected the exposition: " + read(stderr) +
            "\n" + new String(exposition, StandardCharsets.UTF_8));

        final JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        final Object tree;
        try (JsonParser parser = factory.createParser(stdout.toFile()))
        {
            parser.nextToken();
            tree = readTree(parser);
        }
        final Map<String, Family> families = new LinkedHashMap<>();
        final Set<String> seen = new HashSet<>();
        for (final Object item : (List<?>)tree)
        {
            final Map<?, ?> family = (Map<?, ?>)item;
            final List<Sample> samples = new ArrayList<>();
            for (final Object rawSample : (List<?>)family.get("samples"))
            {
                final Map<?, ?> sample = (Map<?, ?>)rawSample;
                final Map<String, String> labels = new HashMap<>();
                ((Map<?, ?>)sample.get("labels")).forEach((key, value) -> labels.put((String)key, (String)value));
                samples.add(new Sample((String)sample.get("name"), labels, (Double)sample.get("value")));
            }
            final String name = (String)family.get("name");
            assertTrue(seen.add(name), () -> "family " + name + " appears twice");
            families.put(name, new Family(name, (String)family.get("type"), samples));
        }
        return families;
    }

    private static Object readTree(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        switch (token)
        {
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(readTree(parser));
                }
                return list;
            case START_OBJECT:
                final Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, readTree(parser));
                }
                return map;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    private static String findPython() throws InterruptedException
    {
        final List<String> candidates = new ArrayList<>();
        final String configured = System.getenv("SWITCHBOARD_PYTHON");
        if (null != configured && !configured.isEmpty())
        {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (final String candidate : candidates)
        {
            if (hasPrometheusClient(candidate))
            {
                return candidate;
            }
        }
        final String reason = "no python3 with prometheus_client among " + candidates +
            " (apt-get install -y python3-prometheus-client)";
        if ("true".equals(System.getenv("CI")))
        {
            return fail(reason);
        }
        Assumptions.abort(reason);
        return null;
    }

    private static boolean hasPrometheusClient(final String python) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(python, "-c", "import prometheus_client.parser")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }
}
