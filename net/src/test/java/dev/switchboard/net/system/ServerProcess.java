package dev.switchboard.net.system;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server as a separate process (the way operators run it), started from the test classpath on a free
 * port; its stdout lines (JSON logs) are kept for assertions.
 */
final class ServerProcess implements AutoCloseable
{
    private static final Pattern STARTED = Pattern.compile("\\\\?\"event\\\\?\":\\\\?\"started\\\\?\",\\\\?\"port\\\\?\":(\\d+)");

    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;

    ServerProcess(final String... flags) throws IOException, InterruptedException
    {
        this(List.of(), flags);
    }

    /**
     * Start the server behind a command prefix, e.g. {@code prlimit --nofile=N:N} for a low file limit.
     */
    ServerProcess(final List<String> prefix, final String... flags) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.switchboard.net.Server");
        command.add("--port");
        command.add("0");
        command.add("--bind-address");
        command.add("127.0.0.1");
        for (final String flag : flags)
        {
            command.add(flag);
        }
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The server refuses SWITCHBOARD_* variables that name no setting; start it from a clean slate.
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
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
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int found = -1;
        while (found < 0 && System.nanoTime() < deadline && process.isAlive())
        {
            for (final String line : lines)
            {
                final Matcher m = STARTED.matcher(line);
                if (m.find())
                {
                    found = Integer.parseInt(m.group(1));
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
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

    /** The server's resident set size now, from /proc, in KiB. */
    long rssKib() throws IOException
    {
        for (final String line : java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("/proc/" + process.pid() + "/status")))
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
        process.destroyForcibly();
    }
}
