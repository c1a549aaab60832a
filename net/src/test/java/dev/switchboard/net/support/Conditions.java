package dev.switchboard.net.support;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting on a condition with a deadline, for tests over real sockets (never a bare sleep).
 */
public final class Conditions
{
    private Conditions()
    {
    }

    /**
     * Poll until the condition holds or the deadline passes.
     *
     * @param timeoutMs the deadline.
     * @param condition what must become true.
     * @param what      described in the failure.
     */
    public static void await(final long timeoutMs, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.onSpinWait();
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
