package dev.switchboard.bench.load;

import dev.switchboard.engine.test.SystemTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator against the real server (its own process, default limits): a run over the default game_event rate
 * comes back {@code valid: false} with the reason and the server flags that fix it; thresholds set the exit code.
 */
@SystemTest
class LoadGeneratorServerTest
{
    private static final Pattern STARTED = Pattern.compile("\"event\":\"started\".*\"port\":(\\d+)");

    private Process server;
    private int port;

    @TempDir
    Path out;

    @BeforeEach
    void startServer() throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), "dev.switchboard.net.Server",
            "--port", "0", "--bind-address", "127.0.0.1").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        server = builder.start();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // the server is gone
            }
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (0 == port && System.nanoTime() < deadlineNs && server.isAlive())
        {
            for (final String line : lines)
            {
                final Matcher m = STARTED.matcher(line);
                if (m.find())
                {
                    port = Integer.parseInt(m.group(1));
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
        assertTrue(port > 0, "the server started: " + lines);
    }

    @AfterEach
    void stopServer() throws InterruptedException
    {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS))
        {
            server.destroyForcibly();
        }
    }

    private LoadSettings settings(final String... extra)
    {
        final String[] base = {"--url", "ws://127.0.0.1:" + port + "/ws", "--scenario", "small-rooms", "--rooms",
            "2", "--room-size", "3", "--duration", "2", "--warmup", "0", "--drain", "1", "--connect-rate", "1000",
            "--threads", "1", "--out", out.toString()};
        final String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return LoadSettings.parse(all);
    }

    @Test
    void shouldComeBackInvalidWithTheReasonAndTheFixWhenTheServersDefaultLimitsRefuseTheRate() throws IOException
    {
        // 20 game events/s from one publisher per room; the server's default is 5/s with a burst of 10.
        assertEquals(0, new LoadGenerator(settings("--rate", "20"), "test").run());

        final Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("false", summary.get("valid"));
        assertTrue(Long.parseLong(summary.get("rateLimited")) > 0, "rate-limited: " + summary.get("rateLimited"));
        assertTrue(Long.parseLong(summary.get("missingDeliveries")) > 0, "rate-limited events are never delivered");
        assertEquals("--game-event-rate 40 --game-event-burst 80", summary.get("serverFlagsToFix"));
        final String json = Files.readString(out.resolve("summary.json"));
        assertTrue(json.contains("messages were rate-limited by the server") &&
            json.contains("start the server with --game-event-rate 40 --game-event-burst 80"), json);
        assertTrue(json.contains("deliveries are missing after the drain"), json);

        final List<String> csv = Files.readAllLines(out.resolve("timeline.csv"));
        assertEquals(TimelineCsv.HEADER, csv.get(0));
        assertTrue(csv.size() >= 3, "one row per second: " + csv);
        assertTrue(csv.get(csv.size() - 1).startsWith("2,measure,6,6,"), csv.toString());
    }

    @Test
    void shouldBeValidWithinTheDefaultLimitsAndExitNonZeroOnlyWhenAThresholdIsBreached() throws IOException
    {
        assertEquals(0, new LoadGenerator(settings("--rate", "2", "--max-p99-ms", "10000", "--max-missing", "0",
            "--max-rate-limited", "0"), "test").run());
        Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("true", summary.get("valid"), Files.readString(out.resolve("summary.json")));
        assertEquals("true", summary.get("thresholdsPassed"));

        assertEquals(Thresholds.BREACH_EXIT_CODE,
            new LoadGenerator(settings("--rate", "2", "--max-p99-ms", "0.000001"), "test").run());
        summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("false", summary.get("thresholdsPassed"));
        assertEquals("true", summary.get("valid"), "a breached threshold is not a reason the run is invalid");
    }

    @Test
    void shouldRunOverWssThroughATlsProxyAndRefuseAnUntrustedCertificate() throws Exception
    {
        try (TlsProxy proxy = TlsProxy.start(out, port))
        {
            final String wss = "wss://127.0.0.1:" + proxy.port() + "/ws";
            assertEquals(0, new LoadGenerator(settings("--rate", "2", "--url", wss, "--tls-trust",
                proxy.certificate().toString(), "--max-missing", "0"), "test").run());
            Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
            assertEquals("true", summary.get("valid"), Files.readString(out.resolve("summary.json")));
            assertEquals("0", summary.get("connectFailures"));
            assertTrue(Long.parseLong(summary.get("deliveries")) >= 6, "deliveries over TLS: " + summary);

            // Without the proxy's certificate the JVM's trust store refuses it: no socket joins.
            assertEquals(0, new LoadGenerator(settings("--rate", "2", "--url", wss, "--join-timeout", "5"),
                "test").run());
            summary = SummaryFields.read(out.resolve("summary.json"));
            assertEquals("false", summary.get("valid"));
            assertEquals("6", summary.get("connectFailures"));
        }
    }
}
