package dev.switchboard.engine.ring;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadAffinityTest
{
    @Test
    void shouldPinTheCallingThreadToOneCpu() throws Exception
    {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/thread-self/status")), "Linux /proc needed");
        final AtomicReference<String> allowed = new AtomicReference<>();
        final AtomicReference<Boolean> pinned = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            pinned.set(ThreadAffinity.pinCurrentThread(0));
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
                {
                    if (line.startsWith("Cpus_allowed_list:"))
                    {
                        allowed.set(line.substring("Cpus_allowed_list:".length()).trim());
                    }
                }
            }
            catch (final IOException ex)
            {
                allowed.set(ex.toString());
            }
        });
        thread.start();
        thread.join(10_000);
        assertTrue(pinned.get(), "taskset pinned the thread");
        assertEquals("0", allowed.get());
    }

    @Test
    void shouldLeaveThreadUnpinnedForNegativeCpu()
    {
        assertTrue(ThreadAffinity.pinCurrentThread(-1));
    }
}
