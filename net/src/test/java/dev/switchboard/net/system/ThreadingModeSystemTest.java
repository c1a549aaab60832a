package dev.switchboard.net.system;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threading modes place the same agents on different threads: shared runs the engine on the IoAgent's
 * thread (no engine thread exists), dedicated gives each its own; both serve a room end to end and report the
 * wake-ups they signalled in /metrics.
 */
class ThreadingModeSystemTest
{
    private static Set<String> switchboardThreads()
    {
        final Set<String> names = new HashSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("switchboard-"))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }

    private static String metrics(final int port) throws IOException
    {
        try (RawWebSocket http = RawWebSocket.tcp(port))
        {
            http.writeAscii("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            final String response = http.readHttpResponse();
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static String awaitMetrics(final int port, final String needle) throws IOException
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        String text = metrics(port);
        while (!text.contains(needle) && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(50_000_000L); // the exporter renders once a second
            text = metrics(port);
        }
        return text;
    }

    private static void roundTrip(final int port, final String roomId) throws IOException
    {
        try (JsonClient host = JsonClient.connect(port); JsonClient viewer = JsonClient.connect(port))
        {
            host.join(roomId, "host");
            viewer.join(roomId, "viewer");
            for (int i = 0; i < 5; i++)
            {
                final String msgId = host.send("game_event", roomId, "", "{\"n\":" + i + "}");
                host.until(t -> t.contains("\"for\":\"" + msgId + "\""));
                viewer.untilType("game_event");
            }
        }
    }

    /**
     * A server in exactly this mode: the mode the build runs the system suite in is set aside for the start.
     */
    private static EngineServer start(final SwitchboardSettings settings) throws IOException
    {
        final String suiteMode = System.getProperty(EngineServer.THREADING_MODE_PROPERTY);
        System.clearProperty(EngineServer.THREADING_MODE_PROPERTY);
        try
        {
            return new EngineServer(settings);
        }
        finally
        {
            if (null != suiteMode)
            {
                System.setProperty(EngineServer.THREADING_MODE_PROPERTY, suiteMode);
            }
        }
    }

    @Test
    void shouldRunTheEngineOnTheIoAgentsThreadInSharedMode() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder().threadingMode("shared").build();
        try (EngineServer server = start(settings))
        {
            assertEquals("shared", server.runtime().settings().threadingMode());
            roundTrip(server.port(), "shared-room");
            final Set<String> threads = switchboardThreads();
            assertTrue(threads.contains("switchboard-shared-0"), threads.toString());
            assertFalse(threads.stream().anyMatch(n -> n.startsWith("switchboard-engine-")), threads.toString());
            assertFalse(threads.stream().anyMatch(n -> n.startsWith("switchboard-io-")), threads.toString());
            assertFalse(threads.contains("switchboard-ticker"), threads.toString());
            final String text = awaitMetrics(server.port(), "wakeups_total{target=\"shared-0\"}");
            assertTrue(text.contains("wakeups_total{target=\"shared-0\"}"), text);
            assertFalse(text.contains("wakeups_total{target=\"engine-0\"}"), "no engine thread to wake");
        }
    }

    @Test
    void shouldGiveEachAgentItsOwnThreadInDedicatedModeAndCountTheWakeUps() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder().threadingMode("dedicated").build();
        try (EngineServer server = start(settings))
        {
            roundTrip(server.port(), "dedicated-room");
            final Set<String> threads = switchboardThreads();
            assertTrue(threads.contains("switchboard-engine-0"), threads.toString());
            assertTrue(threads.contains("switchboard-io-0"), threads.toString());
            assertFalse(threads.contains("switchboard-ticker"), threads.toString());
            // Five request/reply turns with both threads idle between them: the engine thread was parked when
            // the IoAgent published at least once, and the parked IoAgent was woken by the engine.
            final String text = awaitMetrics(server.port(), "wakeups_total{target=\"engine-0\"}");
            assertTrue(server.runtime().wakeups() > 0, "a parked thread was signalled");
            assertTrue(text.contains("wakeups_total{target=\"engine-0\"}"), text);
            assertTrue(text.contains("wakeups_total{target=\"io-0\"}"), text);
        }
    }

    @Test
    void shouldServeABurstLargerThanTheInboundRingOnOneThread() throws Exception
    {
        // 64 inbound slots and one thread: while the ring is full the IoAgent must run the engine itself, since
        // no other thread ever will.
        final SwitchboardSettings settings = SwitchboardSettings.builder().threadingMode("shared").ringSize(64)
            .gameEventRate(10_000).gameEventBurst(10_000).messageRate(10_000).messageBurst(10_000).build();
        try (EngineServer server = start(settings);
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            host.join("burst", "host");
            viewer.join("burst", "viewer");
            final int messages = 500;
            String lastId = null;
            for (int i = 0; i < messages; i++)
            {
                lastId = UUID.randomUUID().toString();
                host.sendWithId(lastId, "game_event", "burst", "", "{\"n\":" + i + "}");
            }
            final String last = lastId;
            host.until(t -> t.contains("\"for\":\"" + last + "\""));
            int received = 0;
            while (received < messages)
            {
                viewer.untilType("game_event");
                received++;
            }
            assertEquals(messages, received);
        }
    }
}
