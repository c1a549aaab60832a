package dev.switchboard.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a run's numbers describe the server at the planned load: each reason it does not, in words a person
 * acts on, with the server flags that fix a rate-limited run.
 */
public final class RunVerdict
{
    private final List<String> reasons = new ArrayList<>();
    private final String fixFlags;

    private RunVerdict(final String fixFlags)
    {
        this.fixFlags = fixFlags;
    }

    /**
     * Judge a finished run.
     *
     * @param settings        the run's settings.
     * @param achievedRate    messages per second actually sent in the window.
     * @param rateLimited     messages the server refused with rate_limited.
     * @param missing         deliveries still missing after the drain.
     * @param connectFailures sockets that never joined.
     * @return the verdict.
     */
    public static RunVerdict judge(
        final LoadSettings settings,
        final double achievedRate,
        final long rateLimited,
        final long missing,
        final long connectFailures)
    {
        final String required = settings.requiredServerFlags();
        final RunVerdict verdict = new RunVerdict(rateLimited > 0 ?
            (required.isEmpty() ? settings.serverFlagsForThisRate() : required) : "");
        final double targetRate = settings.targetRate();
        if (!LoadSummary.isValid(targetRate, achievedRate))
        {
            verdict.reasons.add(String.format(Locale.ROOT,
                "sent %.1f msgs/s, under %.0f%% of the target %.1f msgs/s", achievedRate,
                LoadSummary.VALID_RATE_SHARE * 100, targetRate));
        }
        if (rateLimited > 0)
        {
            verdict.reasons.add(rateLimited + " messages were rate-limited by the server, so the load it saw was " +
                "lower than planned: start the server with " + verdict.fixFlags);
        }
        if (missing > 0 && Scenario.SLOW_CONSUMERS != settings.scenario)
        {
            verdict.reasons.add(missing + " deliveries are missing after the drain" +
                (rateLimited > 0 ? " (rate-limited messages are never delivered)" : ""));
        }
        if (connectFailures > 0)
        {
            verdict.reasons.add(connectFailures + " sockets failed to connect or join");
        }
        return verdict;
    }

    /**
     * Whether the run counts.
     *
     * @return true when there is no reason against it.
     */
    public boolean valid()
    {
        return reasons.isEmpty();
    }

    /**
     * The reasons the run does not count, empty when valid.
     *
     * @return the reasons.
     */
    public List<String> reasons()
    {
        return List.copyOf(reasons);
    }

    /**
     * Server flags that would have avoided the rate limiting, or the empty string when nothing was rate-limited.
     *
     * @return the flags.
     */
    public String fixFlags()
    {
        return fixFlags;
    }
}
