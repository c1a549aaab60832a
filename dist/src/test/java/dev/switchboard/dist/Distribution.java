package dev.switchboard.dist;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built release as the tests see it: the tarball the {@code package} phase made, unpacked into a folder, and
 * servers started from it through {@code bin/switchboard}, exactly as an operator starts them.
 */
final class Distribution
{
    private Distribution()
    {
    }

    /** The tarball built by the assembly plugin. */
    static Path tarball()
    {
        final Path tarball = Path.of(System.getProperty("dist.tarball", "target/none.tar.gz"));
        assertTrue(Files.isRegularFile(tarball), "the package phase builds " + tarball);
        return tarball;
    }

    /** The repository root (for deploy/ and harness/). */
    static Path repoRoot()
    {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Unpack the tarball with the system's tar (as an operator would) and return the release folder in it.
     *
     * @param into an empty folder.
     * @return {@code into/switchboard-VERSION}.
     */
    static Path unpack(final Path into) throws IOException, InterruptedException
    {
        final Process tar = new ProcessBuilder("tar", "-xzf", tarball().toString(), "-C", into.toString())
            .redirectErrorStream(true).start();
        final String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar finished");
        assertEquals(0, tar.exitValue(), output);
        final Path home = into.resolve(System.getProperty("dist.name"));
        assertTrue(Files.isDirectory(home), "the tarball holds one folder named " + home.getFileName());
        return home;
    }

    /** A port nobody listens on now. */
    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** Poll until the condition holds; fail after the deadline. */
    static void await(final long timeoutMs, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** GET a URL on loopback: the status, or -1 when nothing answers. */
    static int status(final String url)
    {
        return get(url).statusCode;
    }

    /** GET a URL on loopback: the status and body, or status -1 when nothing answers. */
    static Reply get(final String url)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        }
        catch (final IOException ex)
        {
            return new Reply(-1, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Reply(-1, ex.toString());
        }
    }

    /** A status and body. */
    record Reply(int statusCode, String body)
    {
    }

    /** Skip on a developer machine, fail under CI ({@code CI=true}), when a tool a test needs is missing. */
    static void requireTool(final boolean present, final String what)
    {
        if (!"true".equals(System.getenv("CI")))
        {
            Assumptions.assumeTrue(present, what + " is missing; skipped outside CI (.ci/run installs it)");
        }
        assertTrue(present, what + " is missing under CI: .ci/run must install it");
    }

    /** A process started from the release, with its output lines kept. */
    static final class Launched implements AutoCloseable
    {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Launched(final List<String> command, final Map<String, String> environment) throws IOException
        {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // The server refuses SWITCHBOARD_* variables that name no setting: start from a clean slate.
            builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_") ||
                "JAVA_OPTS".equals(name) || "LAUNCHER_DRY_RUN".equals(name));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(environment);
            process = builder.start();
            reader = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while (null != (line = in.readLine()))
                    {
                        lines.add(line);
                    }
                }
                catch (final IOException ignore)
                {
                    // the process is gone
                }
            }, "launched-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Whether some output line contains the text. */
        boolean printed(final String text)
        {
            for (final String line : lines)
            {
                if (line.contains(text))
                {
                    return true;
                }
            }
            return false;
        }

        /** All output so far, for failure messages. */
        String output()
        {
            return String.join("\n", new ArrayList<>(lines));
        }

        /** Wait for the exit and return its status. */
        int waitForExit(final long timeoutSeconds) throws InterruptedException
        {
            assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS),
                "exited within " + timeoutSeconds + " s:\n" + output());
            reader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines, up to the end of the stream
            return process.exitValue();
        }

        @Override
        public void close()
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The launcher of an unpacked release. */
    static String launcher(final Path home)
    {
        return home.resolve("bin").resolve("switchboard").toString();
    }

    /** The Java running the tests, as a JAVA_HOME. */
    static File javaHome()
    {
        return new File(System.getProperty("java.home"));
    }
}
