package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.PrometheusParser;
import dev.switchboard.net.support.PrometheusParser.Family;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static dev.switchboard.net.support.PrometheusParser.assertFamily;
import static dev.switchboard.net.support.PrometheusParser.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /metrics and /healthz of the whole server after known traffic: every family of PROTOCOL.md section 9 read by
 * a real Prometheus text parser, counters moved by exactly what the traffic should move them, and the health
 * summary's room sizes.
 */
@SystemTest
class ObservabilitySystemTest
{
    @TempDir
    Path tempDir;

    private EngineServer server;

    @BeforeEach
    void start() throws Exception
    {
        server = new EngineServer();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private String get(final String path) throws IOException
    {
        try (RawWebSocket http = RawWebSocket.tcp(server.port()))
        {
            http.writeAscii("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return http.readHttpResponse();
        }
    }

    private static String body(final String response)
    {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** Poll a page until the predicate holds: the exporter renders once a second, the health snapshot too. */
    private String awaitPage(final String path, final Predicate<String> ready) throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String page = body(get(path));
        while (!ready.test(page) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(50_000_000L); // poll interval
            page = body(get(path));
        }
        assertTrue(ready.test(page), () -> path + " never became ready:\n" + body(page(path)));
        return page;
    }

    /** The value of one sample line of an exposition, or -1 when the series is absent. */
    private static double sampleValue(final String exposition, final String series)
    {
        for (final String line : exposition.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    private String page(final String path)
    {
        try
        {
            return get(path);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    @Test
    void shouldExportEveryProtocolFamilyWithCountersMovedByTheTraffic() throws Exception
    {
        final String python = PrometheusParser.findPython();
        try (JsonClient host = JsonClient.connect(server.port()); JsonClient viewer = JsonClient.connect(server.port()))
        {
            host.join("obs", "host");
            viewer.join("obs", "viewer");
            final String msgId = UUID.randomUUID().toString();
            for (int i = 0; i < 3; i++)
            {
                host.sendWithId(msgId, "game_event", "obs", "", "{\"n\":1}");
            }
            host.send("ping", "obs", "\"ts\":1", null);
            host.untilType("pong");
            viewer.untilType("game_event");

            final String text = awaitPage("/metrics", t -> t.contains("msgs_in_total{type=\"join\"} 2.0") &&
                t.contains("drops_by_type_total{reason=\"duplicate\",type=\"game_event\"} 2.0"));
            final Map<String, Family> families =
                PrometheusParser.parse(python, text.getBytes(StandardCharsets.UTF_8), tempDir);

            for (final String gauge : new String[] {"connected_sockets", "rooms_total", "avg_room_size",
                "msgs_in_per_sec", "msgs_out_per_sec", "ws_buffered_bytes_p95"})
            {
                assertFamily(families, gauge, "gauge");
            }
            for (final String counter : new String[] {"msgs_in", "msgs_out", "drops_by_type", "rate_limited"})
            {
                assertFamily(families, counter, "counter");
            }
            assertFamily(families, "engine_loop_latency_seconds", "summary");
            assertFamily(families, "engine_ring_occupancy", "gauge");
            assertFamily(families, "engine_batch_latency_max_seconds", "gauge");
            assertFamily(families, "io_loop_work_max_seconds", "gauge");

            // The agent's loops (the traffic above, the scrapes themselves) publish a longest loop every interval.
            awaitPage("/metrics", t -> sampleValue(t, "io_loop_work_max_seconds{agent=\"0\"}") > 0.0);

            final double sockets = value(families, "connected_sockets", "connected_sockets");
            assertTrue(sockets >= 2.0 && sockets <= 3.0, "two WebSockets, maybe one polling HTTP socket: " + sockets);
            assertEquals(1.0, value(families, "rooms_total", "rooms_total"));
            assertEquals(2.0, value(families, "avg_room_size", "avg_room_size"));
            assertEquals(2.0, value(families, "msgs_in", "msgs_in_total", "type", "join"));
            assertEquals(3.0, value(families, "msgs_in", "msgs_in_total", "type", "game_event"));
            assertEquals(1.0, value(families, "msgs_in", "msgs_in_total", "type", "ping"));
            assertEquals(2.0, value(families, "drops_by_type", "drops_by_type_total",
                "type", "game_event", "reason", "duplicate"));
            assertEquals(0.0, value(families, "rate_limited", "rate_limited_total", "type", "any"));
            // joins: ack + joined each; presence; game_event: ack + one broadcast; pong
            assertTrue(value(families, "msgs_out", "msgs_out_total") >= 8.0);
        }
    }

    @Test
    void shouldSummariseRoomSizesInHealthz() throws Exception
    {
        try (JsonClient a1 = JsonClient.connect(server.port());
            JsonClient a2 = JsonClient.connect(server.port());
            JsonClient a3 = JsonClient.connect(server.port());
            JsonClient b1 = JsonClient.connect(server.port()))
        {
            a1.join("room-a", "host");
            a2.join("room-a", "viewer");
            a3.join("room-a", "viewer");
            b1.join("room-b", "viewer");
            final String health = awaitPage("/healthz", t -> t.contains("\"rooms\":2"));
            final Map<String, Object> json = Json.object(health);
            assertEquals("ok", json.get("status"));
            assertEquals(5L, json.get("connectedSockets"), "four WebSockets and the HTTP request itself");
            assertTrue(json.get("uptimeSeconds") instanceof Long);
            assertEquals(Map.of("room-a", 3L, "room-b", 1L), json.get("roomSizes"));
        }
    }
}
