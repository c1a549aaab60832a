package dev.switchboard.net.system;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful drain of a real server process on SIGTERM: every socket gets 4000 with a retry delay spread over
 * the range, /healthz answers 503 "draining" meanwhile, and the process exits 0 when the sockets have closed or
 * the 2 s drain deadline has passed.
 */
@SystemTest
class DrainTest
{
    private static final long EXIT_DEADLINE_SECONDS = 60;
    private static final Pattern RETRY = Pattern.compile("^server_draining retry_after_ms=(\\d+)$");

    private static long drainedDurationMs(final ServerProcess server)
    {
        for (final Map<String, Object> line : server.events())
        {
            if ("drained".equals(line.get("event")))
            {
                return ((Number)line.get("durationMs")).longValue();
            }
        }
        throw new AssertionError("no drained line: " + server.lines);
    }

    @Test
    void shouldCloseEverySocketWith4000SpreadOverTheRangeAndExitZero() throws Exception
    {
        final int sockets = 200;
        final int spreadMillis = 1000;
        try (ServerProcess server = new ServerProcess("--drain-seconds", "2", "--drain-spread-millis",
            Integer.toString(spreadMillis)))
        {
            final List<RawWebSocket> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < sockets; i++)
                {
                    final RawWebSocket ws = RawWebSocket.connect(server.port());
                    ws.timeout(10_000);
                    clients.add(ws);
                }
                final RawWebSocket health = RawWebSocket.tcp(server.port());
                health.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(health.readHttpResponse().contains("\"status\":\"ok\""));

                // SIGTERM through the handle: Process.destroy() would also close our end of the server's stdout.
                assertTrue(server.process.toHandle().destroy());

                health.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                String response = health.readHttpResponse();
                final long healthDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!response.startsWith("HTTP/1.1 503") && System.nanoTime() < healthDeadline)
                {
                    LockSupport.parkNanos(10_000_000L); // poll interval, not a wait for time
                    health.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                    response = health.readHttpResponse();
                }
                assertTrue(response.startsWith("HTTP/1.1 503"), response);
                assertTrue(response.contains("\"status\":\"draining\""), response);
                health.close();

                long minRetry = Long.MAX_VALUE;
                long maxRetry = Long.MIN_VALUE;
                for (final RawWebSocket ws : clients)
                {
                    final RawWebSocket.Frame close = ws.readUntilClose();
                    assertEquals(4000, close.closeCode());
                    final Matcher m = RETRY.matcher(close.closeReason());
                    assertTrue(m.matches(), close.closeReason());
                    final long retry = Long.parseLong(m.group(1));
                    assertTrue(retry >= 0 && retry <= spreadMillis, "retry_after_ms in range: " + retry);
                    minRetry = Math.min(minRetry, retry);
                    maxRetry = Math.max(maxRetry, retry);
                    ws.sendClose(4000, "");
                }
                assertTrue(minRetry < spreadMillis / 4 && maxRetry > spreadMillis * 3 / 4,
                    "retry delays spread over the range: min " + minRetry + " max " + maxRetry);

                assertTrue(server.process.waitFor(EXIT_DEADLINE_SECONDS, TimeUnit.SECONDS), "the process exits");
                server.awaitOutputEnd(EXIT_DEADLINE_SECONDS * 1000L);
                assertEquals(0, server.process.exitValue(), String.join("\n", server.lines));
                assertTrue(server.logged("drained"), "the drain is logged: " + server.lines);
                // The 2 s drain, not the 10 s default, bounds it (sockets still closing then are cut off): the bound
                // sits at the default so a loaded machine cannot fail it, yet an ignored flag or a hang would.
                final long drainedMs = drainedDurationMs(server);
                assertTrue(drainedMs < SwitchboardSettings.defaults().drainSeconds() * 1000L,
                    "drained in " + drainedMs + " ms");
                assertTrue(server.logged("draining"), server.lines::toString);
            }
            finally
            {
                for (final RawWebSocket ws : clients)
                {
                    ws.close();
                }
            }
        }
    }
}
