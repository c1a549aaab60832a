package dev.switchboard.engine.ring;

import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Pins the calling thread to one CPU on Linux, for deployments that give the engine and IoAgent threads
 * dedicated cores. Java has no affinity API, so the thread finds its own kernel thread id through
 * {@code /proc/thread-self} and asks {@code taskset} to pin it; where either is missing it logs why and runs
 * unpinned.
 */
public final class ThreadAffinity
{
    private static final Logger LOG = LogManager.getLogger(ThreadAffinity.class);

    private ThreadAffinity()
    {
    }

    /**
     * Pin the calling thread; call it first thing on the thread to pin.
     *
     * @param cpu the CPU id, or a negative number for no pinning.
     * @return true when pinned (or nothing was asked), false when pinning failed.
     */
    public static boolean pinCurrentThread(final int cpu)
    {
        if (cpu < 0)
        {
            return true;
        }
        final String thread = Thread.currentThread().getName();
        try
        {
            final String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            final Process taskset = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid)
                .redirectErrorStream(true).start();
            final String output = new String(taskset.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim();
            if (!taskset.waitFor(5, TimeUnit.SECONDS) || 0 != taskset.exitValue())
            {
                LOG.warn(LogLine.event("pin_failed").with("pinnedThread", thread).with("cpu", cpu)
                    .with("output", output));
                return false;
            }
            LOG.info(LogLine.event("pinned").with("pinnedThread", thread).with("tid", tid).with("cpu", cpu));
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn(LogLine.event("pin_failed").with("pinnedThread", thread).with("cpu", cpu)
                .with("reason", ex.toString()));
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
