package dev.switchboard.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.dist.Distribution.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image tarball Jib wrote in the {@code package} phase: its config (user, entrypoint, port) read from
 * the tarball itself, and the image's file system run as the image says (its entrypoint, its user, its
 * environment) under chroot in fresh PID and mount namespaces, since no container runtime is available here.
 */
class ContainerImageIT
{
    @TempDir
    Path tempDir;

    private Path unpackImage() throws Exception
    {
        final Path tar = Path.of(System.getProperty("image.tar", "target/jib-image.tar"));
        assertTrue(Files.isRegularFile(tar), "the package phase builds " + tar);
        final Path image = Files.createDirectories(tempDir.resolve("image"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()));
        return image;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(final Path image) throws Exception
    {
        final Object manifest = Json.parse(Files.readString(image.resolve("manifest.json")));
        final String configFile = (String)Json.at(manifest, 0, "Config");
        return (Map<String, Object>)Json.parse(Files.readString(image.resolve(configFile)));
    }

    @SuppressWarnings("unchecked")
    private Path rootfs(final Path image) throws Exception
    {
        final Path rootfs = Files.createDirectories(tempDir.resolve("rootfs"));
        for (final Object layer : (List<Object>)Json.at(Json.parse(Files.readString(image.resolve("manifest.json"))),
            0, "Layers"))
        {
            run(List.of("tar", "-xzf", image.resolve((String)layer).toString(), "-C", rootfs.toString()));
        }
        return rootfs;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunAsNonRootOnPort8080WithTheLaunchersJvmFlags() throws Exception
    {
        final Path image = unpackImage();
        final Map<String, Object> config = config(image);

        assertEquals("65532:65532", Json.at(config, "config", "User"), "a non-root user");
        assertEquals(Map.of("8080/tcp", Map.of()), Json.at(config, "config", "ExposedPorts"));
        assertEquals(List.of("java", "@/opt/switchboard/jvm.options", "-cp", "@/app/jib-classpath-file",
            "dev.switchboard.net.Server"), Json.at(config, "config", "Entrypoint"));
        assertTrue(((List<String>)Json.at(config, "config", "Env")).contains("PATH=/opt/java/bin"));
        assertTrue(((Map<String, String>)Json.at(config, "config", "Labels")).get("dev.switchboard.healthcheck")
            .contains("/healthz"), "the HEALTHCHECK-equivalent note");

        // The launcher's flags for the image's own runtime (on two CPUs or more), in order, with the fixed heap
        // replaced by a share of the container's memory limit.
        final Path rootfs = rootfs(image);
        final List<String> expected = new ArrayList<>();
        for (final String flag : launcherFlags(rootfs.resolve("opt/java")))
        {
            expected.add(flag.startsWith("-Xms") ? "-XX:InitialRAMPercentage=75" :
                flag.startsWith("-Xmx") ? "-XX:MaxRAMPercentage=75" : flag);
        }
        assertTrue(expected.stream().anyMatch(f -> f.matches("-XX:\\+Use\\w+GC")), expected.toString());
        assertEquals(expected, Files.readAllLines(rootfs.resolve("opt/switchboard/jvm.options")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldServeHealthzFromTheImageFileSystemAsItsUserAndDrainOnSigterm() throws Exception
    {
        final boolean root = "root".equals(System.getProperty("user.name"));
        Distribution.requireTool(root && new File("/usr/bin/unshare").canExecute() &&
            new File("/usr/sbin/chroot").canExecute(), "root with unshare and chroot (to run the image's file system)");
        final Path image = unpackImage();
        final Map<String, Object> config = config(image);
        final Path rootfs = rootfs(image);
        final int port = Distribution.freePort();
        final List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--pid", "--fork", "--mount",
            "--mount-proc=" + rootfs.resolve("proc"), "/usr/sbin/chroot",
            "--userspec=" + Json.at(config, "config", "User"), rootfs.toString()));
        command.addAll((List<String>)Json.at(config, "config", "Entrypoint"));
        command.addAll(List.of("--port", String.valueOf(port), "--bind-address", "127.0.0.1", "--drain-seconds", "1"));
        final Map<String, String> environment = new HashMap<>();
        for (final String variable : (List<String>)Json.at(config, "config", "Env"))
        {
            final int eq = variable.indexOf('=');
            environment.put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        // The container runtime would give the JVM a memory limit; here the heap share is of the machine's memory.
        environment.put("JAVA_TOOL_OPTIONS", "-Xmx256m -Xms64m");
        try (Distribution.Launched server = new Distribution.Launched(command, environment))
        {
            await(90_000, () -> 200 == Distribution.status("http://127.0.0.1:" + port + "/healthz"),
                "the image's server on /healthz:\n" + server.output());
            final ProcessHandle jvm = server.process.descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under chroot"));
            assertEquals(65532, uid(jvm.pid()), "the JVM runs as the image's non-root user");
            jvm.destroy(); // SIGTERM, as a container runtime's stop sends
            assertEquals(0, server.waitForExit(60), server.output());
            assertTrue(server.output().contains("drained"), server.output());
        }
    }

    private static int uid(final long pid) throws Exception
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8))
        {
            if (line.startsWith("Uid:"))
            {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Uid line for " + pid);
    }

    private List<String> launcherFlags(final Path javaHome) throws Exception
    {
        final Path home = Distribution.unpack(Files.createDirectories(tempDir.resolve("dist")));
        try (Distribution.Launched launched = new Distribution.Launched(List.of(Distribution.launcher(home)),
            Map.of("JAVA_HOME", javaHome.toString(), "LAUNCHER_DRY_RUN", "1", "LAUNCHER_CPUS", "2")))
        {
            assertEquals(0, launched.waitForExit(30), launched.output());
            final List<String> words = Arrays.asList(launched.output().trim().split(" "));
            final List<String> flags = new ArrayList<>();
            for (int i = 1; i < words.size() && !"-cp".equals(words.get(i)); i++)
            {
                flags.add(words.get(i));
            }
            return flags;
        }
    }

    private static void run(final List<String> command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
