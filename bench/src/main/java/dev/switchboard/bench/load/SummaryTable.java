package dev.switchboard.bench.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-run summary for people: a fixed-width table of the rates, the delivery counts, the latency
 * percentiles in milliseconds, the thresholds, and the verdict with its reasons.
 */
public final class SummaryTable
{
    private SummaryTable()
    {
    }

    /**
     * Render the table.
     *
     * @param settings     the run's settings.
     * @param achievedRate messages per second sent in the window.
     * @param counts       named counts shown on the counts line, in order.
     * @param latencies    latency histograms in nanoseconds by name, in order.
     * @param checks       the threshold checks.
     * @param verdict      the verdict.
     * @return the table, lines ending in newlines.
     */
    public static String render(
        final LoadSettings settings,
        final double achievedRate,
        final Map<String, Long> counts,
        final Map<String, Histogram> latencies,
        final List<Thresholds.Check> checks,
        final RunVerdict verdict)
    {
        final StringBuilder out = new StringBuilder();
        final String rule = "-".repeat(78) + "\n";
        out.append(rule);
        out.append(String.format(Locale.ROOT, "loadgen %s against %s: %d rooms x %d sockets, %d s measured%n",
            settings.scenario.flagName(), settings.url, settings.rooms, settings.roomSize, settings.durationSeconds));
        out.append(rule);
        final double target = settings.targetRate();
        out.append(String.format(Locale.ROOT, "%-18s target %.1f/s, achieved %.1f/s (%.1f%%)%n", "send rate", target,
            achievedRate, target > 0 ? 100.0 * achievedRate / target : 0.0));
        final StringBuilder line = new StringBuilder();
        for (final Map.Entry<String, Long> count : counts.entrySet())
        {
            line.append(line.length() > 0 ? ", " : "").append(count.getKey()).append(' ').append(count.getValue());
        }
        out.append(String.format(Locale.ROOT, "%-18s %s%n", "counts", line));
        out.append(String.format(Locale.ROOT, "%-18s %10s %10s %10s %10s %10s %10s%n", "latency (ms)", "count", "p50",
            "p90", "p99", "p99.9", "max"));
        for (final Map.Entry<String, Histogram> entry : latencies.entrySet())
        {
            final Histogram h = entry.getValue();
            out.append(String.format(Locale.ROOT, "  %-16s %10d %10.3f %10.3f %10.3f %10.3f %10.3f%n", entry.getKey(),
                h.getTotalCount(), ms(h.getValueAtPercentile(50.0)), ms(h.getValueAtPercentile(90.0)),
                ms(h.getValueAtPercentile(99.0)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
        }
        if (!checks.isEmpty())
        {
            out.append("thresholds\n");
            for (final Thresholds.Check check : checks)
            {
                out.append(String.format(Locale.ROOT, "  %-16s %s  %s <= %s%n", check.name(),
                    check.passed() ? "PASS" : "FAIL", number(check.actual()), number(check.limit())));
            }
        }
        out.append(String.format(Locale.ROOT, "%-18s %s%n", "verdict", verdict.valid() ? "VALID" : "INVALID"));
        for (final String reason : verdict.reasons())
        {
            out.append("  - ").append(reason).append('\n');
        }
        out.append(rule);
        return out.toString();
    }

    private static double ms(final long nanos)
    {
        return nanos / 1e6;
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ?
            Long.toString((long)value) : String.format(Locale.ROOT, "%.3f", value);
    }
}
