package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.LogLines;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line a real server process writes across start, joins, a resume, a rate-limit episode, a slow consumer
 * and a SIGTERM drain is one JSON object (read by Jackson's strict parser) with {@code event} a top-level field;
 * no line carries JSON inside a string, and the engine's events are written by the event-log thread, never by
 * an engine or IoAgent thread.
 */
@SystemTest
class StructuredLogTest
{
    private static final String EVENT_LOG_THREAD = "switchboard-event-log";

    @Test
    void shouldWriteEveryLineAsAJsonObjectWithATopLevelEventAcrossALifecycle() throws Exception
    {
        final ServerProcess server = new ServerProcess("--game-state-rate", "1", "--game-state-burst", "1",
            "--game-event-rate", "100000", "--game-event-burst", "100000",
            "--message-rate", "100000", "--message-burst", "100000",
            "--high-watermark-bytes", "4096", "--low-watermark-bytes", "1024", "--slow-consumer-bytes", "65536",
            "--drain-seconds", "1");
        try
        {
            final String token;
            try (JsonClient host = JsonClient.connect(server.port());
                RawWebSocket stalled = RawWebSocket.connect(server.port()))
            {
                token = (String)((Map<?, ?>)Json.object(host.join("logs", "host")).get("payload"))
                    .get("sessionToken");
                for (int i = 0; i < 3; i++)
                {
                    host.send("game_state", "logs", "", "{\"version\":" + (i + 1) + ",\"patch\":{\"i\":" + i + "}}");
                }
                Conditions.await(10_000, () -> server.logged("rate_limited"), "a rate-limit episode logged");

                // A viewer that never reads while the host sends critical events: the server closes it as a slow
                // consumer once its queue passes slowConsumerBytes.
                stalled.sendText("{\"type\":\"join\",\"msgId\":\"6f1c1d2e-0000-4000-8000-00000000000a\"," +
                    "\"roomId\":\"logs\",\"seq\":1,\"payload\":{\"role\":\"viewer\"}}");
                Conditions.await(10_000, () -> countEvents(server, "join") >= 2, "the viewer's join logged");
                final Thread reader = drain(host);
                final String big = "x".repeat(2_000);
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; i < 20_000 && !server.logged("slow_consumer"); i++)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the stalled viewer becomes a slow consumer");
                    host.send("game_event", "logs", "", "{\"i\":" + i + ",\"pad\":\"" + big + "\"}");
                }
                Conditions.await(10_000, () -> server.logged("slow_consumer"), "slow_consumer logged");
                reader.interrupt();
            }
            try (JsonClient back = JsonClient.connect(server.port()))
            {
                back.send("resume", "logs", "", "{\"sessionToken\":\"" + token + "\",\"lastDseq\":0,\"lastRseq\":0}");
                back.untilType("resume_ok");
            }
            Conditions.await(10_000, () -> server.logged("resume"), "the resume logged");

            // SIGTERM through the handle (Process.destroy() would also close our end of the server's stdout).
            assertTrue(server.process.toHandle().destroy());
            assertTrue(server.process.waitFor(120, TimeUnit.SECONDS), "the server drains and exits");
            // Every line is read once stdout is at its end: the drain's line must be among them, no waiting on it.
            server.awaitOutputEnd(120_000);
            assertEquals(0, server.process.exitValue(), String.join("\n", server.lines));
            assertTrue(server.logged("drained"), "the drain logged: " + String.join("\n", server.lines));
        }
        finally
        {
            server.process.destroyForcibly();
        }

        final List<String> lines = server.lines;
        assertEquals(List.of(), LogLines.problems(lines), "every line is a JSON object with a top-level event");
        for (final String line : lines)
        {
            final Map<String, Object> fields = LogLines.parse(line);
            final Object message = fields.get("message");
            assertFalse(message instanceof String && ((String)message).trim().startsWith("{"),
                "no JSON inside a string: " + line);
        }
        for (final String event : new String[] {"settings", "started", "join", "rate_limited", "slow_consumer",
            "resume", "draining", "drained"})
        {
            assertTrue(server.logged(event), event + " in " + lines);
        }
        final Map<String, Object> started = first(server, "started");
        assertTrue(started.get("port") instanceof Number && started.get("ioThreads") instanceof Number, "typed");
        final Map<String, Object> slow = first(server, "slow_consumer");
        assertTrue(((Number)slow.get("bufferedBytes")).longValue() >= 65536, "bufferedBytes is a number: " + slow);
        for (final String name : new String[] {"join", "resume", "rate_limited"})
        {
            final Map<String, Object> event = first(server, name);
            assertEquals("logs", event.get("roomId"), name);
            assertTrue(((String)event.get("senderId")).startsWith("guest-"), name);
            assertTrue(event.get("type") instanceof String, name);
            assertTrue(event.get("durationMs") instanceof Number, name);
            assertEquals(EVENT_LOG_THREAD, event.get("thread"), "engine events are formatted off the hot threads");
            assertEquals("switchboard.events", event.get("logger"), name);
        }
    }

    private static long countEvents(final ServerProcess server, final String event)
    {
        return server.events().stream().filter(e -> event.equals(e.get("event"))).count();
    }

    private static Map<String, Object> first(final ServerProcess server, final String event)
    {
        return server.events().stream().filter(e -> event.equals(e.get("event"))).findFirst().orElseThrow();
    }

    private static Thread drain(final JsonClient client)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (!Thread.currentThread().isInterrupted())
                {
                    client.next();
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // socket closed at the end of the test
            }
        }, "host-drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
