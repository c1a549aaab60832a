package dev.switchboard.dist;

import dev.switchboard.net.SettingsTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.dist.Distribution.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release tarball as an operator uses it: unpacked with tar, started with {@code bin/switchboard} on a free port,
 * probed on {@code /healthz}, and stopped with SIGTERM, which drains the open WebSocket and exits 0.
 */
class DistributionIT
{
    @TempDir
    Path tempDir;

    @Test
    void shouldShipLauncherLibrariesConfigurationServiceUnitAndLicense() throws Exception
    {
        final Path home = Distribution.unpack(tempDir);

        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/switchboard"))
            .contains(PosixFilePermission.OWNER_EXECUTE), "the launcher is executable");
        assertTrue(Files.readString(home.resolve("bin/switchboard")).startsWith("#!/bin/sh\n"), "a POSIX sh script");
        try (var jars = Files.list(home.resolve("lib")))
        {
            final List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.contains("switchboard-net-" + System.getProperty("dist.version") + ".jar"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("agrona-")), names.toString());
        }
        assertEquals(SettingsTemplate.render(), Files.readString(home.resolve("config/switchboard.properties")),
            "the shipped settings file is the one the server's settings list generates");
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
        assertTrue(Files.readString(home.resolve("NOTICE")).contains("Disruptor"));

        final String unit = Files.readString(home.resolve("systemd/switchboard.service"));
        assertTrue(unit.contains("\nKillSignal=SIGTERM\n"), unit);
        assertTrue(unit.contains("\nExecStart=/opt/switchboard/bin/switchboard\n"), unit);
        assertTrue(unit.contains("\nLimitNOFILE=65536\n"), unit);
        assertTrue(unit.contains("\n#CPUAffinity=2 3\n"), unit);
        final Matcher stop = Pattern.compile("\nTimeoutStopSec=(\\d+)\n").matcher(unit);
        assertTrue(stop.find(), unit);
        // The drain takes drainSeconds + 1.5 s, plus up to 3 * redisTimeoutMillis + 2 s of room handover with Redis.
        final double drainWorstSeconds = 10 + 1.5 + 3 * 1.0 + 2;
        assertTrue(Integer.parseInt(stop.group(1)) > drainWorstSeconds, "TimeoutStopSec above the default drain");
    }

    @Test
    void shouldPrintTheVersionAndExitZero() throws Exception
    {
        final Path home = Distribution.unpack(tempDir);
        try (Distribution.Launched launched =
            new Distribution.Launched(List.of(Distribution.launcher(home), "--version"), Map.of()))
        {
            assertEquals(0, launched.waitForExit(60), launched.output());
            assertEquals("switchboard " + System.getProperty("dist.version") + " (Java " +
                System.getProperty("java.version") + ",", launched.lines.get(0).substring(0,
                launched.lines.get(0).indexOf(',') + 1), launched.output());
            assertEquals(1, launched.lines.size(), "--version prints one line and no log: " + launched.output());
        }
    }

    @Test
    void shouldServeHealthzThenDrainTheOpenSocketOnSigtermAndExitZero() throws Exception
    {
        final Path home = Distribution.unpack(tempDir);
        final int port = Distribution.freePort();
        final Map<String, String> environment = Map.of(
            "SWITCHBOARD_PORT", String.valueOf(port),
            "SWITCHBOARD_BIND_ADDRESS", "127.0.0.1",
            "JAVA_OPTS", "-Xms64m -Xmx256m -Dswitchboard.launcherTest=yes");
        try (Distribution.Launched server = new Distribution.Launched(
            List.of(Distribution.launcher(home), "--drain-seconds", "2", "--drain-spread-millis", "100"), environment))
        {
            final String base = "http://127.0.0.1:" + port;
            await(60_000, () -> 200 == Distribution.status(base + "/healthz"), "/healthz 200:\n" + server.output());
            assertTrue(Distribution.get(base + "/metrics").body().contains("build_info{java=\"" +
                System.getProperty("java.version") + "\",version=\"" + System.getProperty("dist.version") + "\"} 1"));

            // The launcher execs: the process the test started is the JVM itself, with the launcher's and the
            // caller's flags, and the shipped properties file.
            final String commandLine = server.process.info().commandLine().orElse("");
            assertTrue(commandLine.contains("java"), commandLine);
            assertTrue(commandLine.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), commandLine);
            assertTrue(commandLine.contains("-Dswitchboard.launcherTest=yes"), commandLine);
            assertTrue(commandLine.contains("-XX:AutoBoxCacheMax=65536"), commandLine);
            assertFalse(server.printed("integer_cache_small"), "the launcher's Integer cache covers maxConnections:\n" +
                server.output());
            assertTrue(commandLine.contains("--config " + home.resolve("config/switchboard.properties")), commandLine);

            final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            final CompletableFuture<String> closeReason = new CompletableFuture<>();
            final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener()
                {
                    @Override
                    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
                    {
                        closeCode.complete(statusCode);
                        closeReason.complete(reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
            await(10_000, () -> Distribution.get(base + "/healthz").body().contains("\"connectedSockets\":2"),
                "the WebSocket and the probe counted");

            server.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close the output pipe)

            assertEquals(4000, closeCode.get(30, TimeUnit.SECONDS), "closed 4000 server_draining");
            assertTrue(closeReason.get().startsWith("server_draining"), closeReason.get());
            assertEquals(0, server.waitForExit(60), "a drained server exits 0:\n" + server.output());
            assertTrue(server.printed("\\\"event\\\":\\\"draining\\\"") || server.printed("\"event\":\"draining\""),
                server.output());
            assertTrue(server.printed("\\\"event\\\":\\\"drained\\\"") || server.printed("\"event\":\"drained\""),
                server.output());
            assertTrue(socket.isInputClosed());
        }
    }

    @Test
    void shouldPickTheGarbageCollectorForEachJavaVersion() throws Exception
    {
        final Path home = Distribution.unpack(tempDir);
        final int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals("-XX:+UseG1GC -XX:MaxGCPauseMillis=20", gcFlags(home, fakeJava("17.0.15"), false));
        assertEquals("-XX:+UseG1GC -XX:MaxGCPauseMillis=20", gcFlags(home, fakeJava("20.0.2"), false));
        assertEquals(cpus >= 2 ? "-XX:+UseZGC -XX:+ZGenerational" : "-XX:+UseG1GC -XX:MaxGCPauseMillis=20",
            gcFlags(home, fakeJava("21.0.5"), false));
        assertEquals(cpus >= 2 ? "-XX:+UseZGC" : "-XX:+UseG1GC -XX:MaxGCPauseMillis=20",
            gcFlags(home, fakeJava("25.0.1"), false), "no -XX:+ZGenerational on 23+: it is obsolete there");
        // On one CPU ZGC's concurrent threads compete with the engine and the IoAgent (measured in baselines.md).
        if (Files.isExecutable(Path.of("/usr/bin/taskset")))
        {
            assertEquals("-XX:+UseG1GC -XX:MaxGCPauseMillis=20", gcFlags(home, fakeJava("25.0.1"), true));
        }
        // A real newer JVM accepts what the launcher gives it (an obsolete or unknown flag would stop it).
        try (var jvms = Files.list(Path.of("/usr/lib/jvm")))
        {
            for (final Path jvm : jvms.filter(p -> Files.isExecutable(p.resolve("bin/java"))).toList())
            {
                try (Distribution.Launched launched = new Distribution.Launched(
                    List.of(Distribution.launcher(home), "--version"), Map.of("JAVA_HOME", jvm.toString())))
                {
                    assertEquals(0, launched.waitForExit(60), jvm + ": " + launched.output());
                    assertTrue(launched.output().startsWith("switchboard "), jvm + ": " + launched.output());
                }
            }
        }
    }

    @Test
    void shouldRefuseAJavaOlderThan17() throws Exception
    {
        final Path home = Distribution.unpack(tempDir);
        try (Distribution.Launched launched = new Distribution.Launched(List.of(Distribution.launcher(home)),
            Map.of("JAVA_HOME", fakeJava("11.0.2").toString())))
        {
            assertEquals(1, launched.waitForExit(30));
            assertTrue(launched.output().contains("Java 17 or newer is needed, found '11'"), launched.output());
        }
    }

    private Path fakeJava(final String version) throws Exception
    {
        final Path jdk = Files.createDirectories(tempDir.resolve("jdk-" + version).resolve("bin"));
        final Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 3\n", StandardCharsets.UTF_8);
        java.toFile().setExecutable(true);
        Files.writeString(jdk.getParent().resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version +
            "\"\n", StandardCharsets.UTF_8);
        return jdk.getParent();
    }

    private static String gcFlags(final Path home, final Path javaHome, final boolean oneCpu) throws Exception
    {
        final List<String> command = oneCpu ?
            List.of("/usr/bin/taskset", "-c", "0", Distribution.launcher(home)) : List.of(Distribution.launcher(home));
        try (Distribution.Launched launched = new Distribution.Launched(command,
            Map.of("JAVA_HOME", javaHome.toString(), "LAUNCHER_DRY_RUN", "1")))
        {
            assertEquals(0, launched.waitForExit(30), launched.output());
            final String line = launched.output();
            assertTrue(line.startsWith(javaHome.resolve("bin/java") + " --add-exports"), line);
            final Matcher gc = Pattern.compile("(-XX:\\+Use\\w+GC(?: -XX:\\S+GC\\S*| -XX:\\+ZGenerational)?)").matcher(line);
            assertTrue(gc.find(), line);
            return gc.group(1);
        }
    }
}
