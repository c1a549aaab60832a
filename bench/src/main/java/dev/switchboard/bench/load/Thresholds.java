package dev.switchboard.bench.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's pass/fail thresholds (k6-style): each set flag becomes a check of a measured value against its limit;
 * any failed check makes the process exit with {@link #BREACH_EXIT_CODE}.
 */
public final class Thresholds
{
    /** Exit code of a run that breached a threshold (k6's). */
    public static final int BREACH_EXIT_CODE = 99;

    /**
     * One threshold check.
     *
     * @param name   the flag, such as {@code max-p99-ms}.
     * @param limit  the largest value that passes.
     * @param actual the measured value.
     */
    public record Check(String name, double limit, double actual)
    {
        /**
         * Whether the measured value is within the limit.
         *
         * @return true when it passes.
         */
        public boolean passed()
        {
            return actual <= limit;
        }
    }

    private Thresholds()
    {
    }

    /**
     * The checks of every threshold flag that was set.
     *
     * @param settings    the run's settings.
     * @param allNs       delivery latency over all recipients, in nanoseconds.
     * @param ackNs       ack latency, in nanoseconds.
     * @param missing     missing deliveries.
     * @param rateLimited rate-limited messages.
     * @return the checks, in flag order.
     */
    public static List<Check> evaluate(
        final LoadSettings settings, final Histogram allNs, final Histogram ackNs, final long missing,
        final long rateLimited)
    {
        final List<Check> checks = new ArrayList<>();
        add(checks, "max-p99-ms", settings.maxP99Ms, millis(allNs.getValueAtPercentile(99.0)));
        add(checks, "max-p999-ms", settings.maxP999Ms, millis(allNs.getValueAtPercentile(99.9)));
        add(checks, "max-ack-p99-ms", settings.maxAckP99Ms, millis(ackNs.getValueAtPercentile(99.0)));
        add(checks, "max-missing", settings.maxMissing, missing);
        add(checks, "max-rate-limited", settings.maxRateLimited, rateLimited);
        return checks;
    }

    /**
     * Whether every check passed.
     *
     * @param checks the checks.
     * @return true when none failed.
     */
    public static boolean allPassed(final List<Check> checks)
    {
        return checks.stream().allMatch(Check::passed);
    }

    private static void add(final List<Check> checks, final String name, final double limit, final double actual)
    {
        if (limit != LoadSettings.NO_THRESHOLD)
        {
            checks.add(new Check(name, limit, actual));
        }
    }

    private static double millis(final long nanos)
    {
        return nanos / 1e6;
    }
}
