package dev.switchboard.net.system;

import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.LogLines;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real server as a separate process (the way operators run it), started from the test classpath on a free
 * port; its stdout lines (JSON logs) are kept for assertions. Closing it checks that every line it wrote so far is
 * one JSON object with a top-level {@code event} ({@link LogLines}), so every system test is also a log test.
 */
final class ServerProcess implements AutoCloseable
{
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;

    ServerProcess(final String... flags) throws IOException, InterruptedException
    {
        this(Map.of(), flags);
    }

    ServerProcess(final Map<String, String> environment, final String... flags)
        throws IOException, InterruptedException
    {
        this(environment, List.of(), List.of(), flags);
    }

    /**
     * Start the server behind a command prefix, e.g. {@code prlimit --nofile=N:N} for a low file limit.
     */
    ServerProcess(final List<String> prefix, final String... flags) throws IOException, InterruptedException
    {
        this(Map.of(), prefix, List.of(), flags);
    }

    /**
     * A server process with extra JVM options (system properties such as a trust store) before the main class.
     */
    ServerProcess(final Map<String, String> environment, final List<String> jvmOptions,
        final String... flags) throws IOException, InterruptedException
    {
        this(environment, List.of(), jvmOptions, flags);
    }

    private ServerProcess(final Map<String, String> environment, final List<String> prefix,
        final List<String> jvmOptions, final String... flags) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.switchboard.net.Server");
        command.add("--port");
        command.add("0");
        command.add("--bind-address");
        command.add("127.0.0.1");
        final String mode = System.getProperty(EngineServer.THREADING_MODE_PROPERTY);
        if (null != mode && !mode.isEmpty() && !Arrays.asList(flags).contains("--threading-mode") &&
            !Arrays.asList(flags).contains("--io-threads"))
        {
            command.add("--threading-mode");
            command.add(mode);
        }
        for (final String flag : flags)
        {
            command.add(flag);
        }
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The server refuses SWITCHBOARD_* variables that name no setting; start it from a clean slate.
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().putAll(environment);
        process = builder.start();
        final Thread reader = new Thread(() ->
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
                // process gone
            }
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int found = -1;
        while (found < 0 && System.nanoTime() < deadline && process.isAlive())
        {
            for (final Map<String, Object> event : events())
            {
                if ("started".equals(event.get("event")))
                {
                    found = ((Number)event.get("port")).intValue();
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
        if (found < 0)
        {
            process.destroyForcibly();
            throw new IOException("server did not start: " + String.join("\n", lines));
        }
        port = found;
    }

    int port()
    {
        return port;
    }

    /**
     * The lines written so far, parsed; lines that are not log events are skipped here and reported by close.
     */
    List<Map<String, Object>> events()
    {
        final List<Map<String, Object>> events = new ArrayList<>();
        for (final String line : lines)
        {
            try
            {
                events.add(LogLines.parse(line));
            }
            catch (final IllegalArgumentException ignore)
            {
                // reported by close()
            }
        }
        return events;
    }

    /**
     * Whether a line with this event name and these field values was written.
     */
    boolean logged(final String event, final Object... fieldsAndValues)
    {
        for (final Map<String, Object> line : events())
        {
            boolean match = event.equals(line.get("event"));
            for (int i = 0; match && i < fieldsAndValues.length; i += 2)
            {
                match = fieldsAndValues[i + 1].equals(line.get((String)fieldsAndValues[i]));
            }
            if (match)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The operator port from the {@code admin_listening} log line, waiting up to 10 s for it.
     *
     * @return the port.
     */
    int adminPort()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            for (final Map<String, Object> line : events())
            {
                if ("admin_listening".equals(line.get("event")))
                {
                    return ((Number)line.get("adminPort")).intValue();
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
        throw new IllegalStateException("no admin_listening line: " + String.join("\n", lines));
    }

    /** The server's resident set size now, from /proc, in KiB. */
    long rssKib() throws IOException
    {
        for (final String line : Files.readAllLines(
            Path.of("/proc/" + process.pid() + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    @Override
    public void close()
    {
        // Lines read while the process runs are complete (a kill could cut the one being written).
        final List<String> problems = LogLines.problems(lines);
        process.destroyForcibly();
        if (!problems.isEmpty())
        {
            throw new AssertionError("log lines that are not JSON objects with a top-level event:\n" +
                String.join("\n", problems));
        }
    }
}
