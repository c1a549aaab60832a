package dev.switchboard.bench.load;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The generator's problem lines on standard error: the first twenty of the whole process are printed, then one line
 * says the rest are only counted, so a storm of failing sockets cannot flood the terminal; any thread.
 */
final class ProblemLog
{
    /** Problem lines printed before the rest are only counted. */
    static final int MAX_PRINTED_PROBLEMS = 20;

    private static final AtomicInteger PRINTED_PROBLEMS = new AtomicInteger();

    private ProblemLog()
    {
    }

    /**
     * Prints one problem unless the process has printed its share already.
     *
     * @param text what went wrong, without the {@code loadgen: } prefix.
     */
    static void print(final String text)
    {
        final int printed = PRINTED_PROBLEMS.incrementAndGet();
        if (printed <= MAX_PRINTED_PROBLEMS)
        {
            System.err.println("loadgen: " + text);
        }
        else if (printed == MAX_PRINTED_PROBLEMS + 1)
        {
            System.err.println("loadgen: further problems are counted but not printed");
        }
    }
}
