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
    /**
     * How long a server may take to log {@code started}: an upper bound on waiting (a JVM that starts in under a
     * second on a quiet machine takes tens of seconds under a load average of 10), not a speed requirement.
     */
    static final long START_TIMEOUT_MS = 180_000;

    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;
    private final Thread reader;
    private final Object outputGate = new Object();
    private boolean outputPaused;

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
        reader = new Thread(this::readOutput, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        port = awaitStarted();
    }

    int port()
    {
        return port;
    }

    /** Read stdout line by line to its end, holding off while {@link #pauseOutput()} is in force. */
    private void readOutput()
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                lines.add(line);
                synchronized (outputGate)
                {
                    while (outputPaused)
                    {
                        outputGate.wait();
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // process gone
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Wait, up to {@link #START_TIMEOUT_MS}, for the {@code started} line; fail with everything the process wrote. */
    private int awaitStarted() throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            for (final Map<String, Object> event : events())
            {
                if ("started".equals(event.get("event")))
                {
                    return ((Number)event.get("port")).intValue();
                }
            }
            if (!process.isAlive() && !reader.isAlive())
            {
                break;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        final String state = process.isAlive() ? "still running after " + START_TIMEOUT_MS + " ms" :
            "exited with status " + process.exitValue();
        process.destroyForcibly();
        throw new IOException("server did not start (" + state + "); its output:\n" + String.join("\n", lines));
    }

    /**
     * Stop reading the server's stdout: once the pipe is full the server's log appender blocks on its writes and
     * its asynchronous log queue fills, as behind a stalled log collector.
     */
    void pauseOutput()
    {
        synchronized (outputGate)
        {
            outputPaused = true;
        }
    }

    /** Read the server's stdout again after {@link #pauseOutput()}. */
    void resumeOutput()
    {
        synchronized (outputGate)
        {
            outputPaused = false;
            outputGate.notifyAll();
        }
    }

    /**
     * Wait until the server's stdout has been read to its end (the process exited and every line it wrote is in
     * {@link #lines}).
     *
     * @param timeoutMs the longest wait.
     * @throws InterruptedException if interrupted while waiting.
     */
    void awaitOutputEnd(final long timeoutMs) throws InterruptedException
    {
        reader.join(timeoutMs);
        if (reader.isAlive())
        {
            throw new AssertionError("stdout not at its end after " + timeoutMs + " ms (process " +
                (process.isAlive() ? "running" : "exited " + process.exitValue()) + "): " + String.join("\n", lines));
        }
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
     * The operator port from the {@code admin_listening} log line (written right after {@code started}), waiting up
     * to a minute for it.
     *
     * @return the port.
     */
    int adminPort()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
