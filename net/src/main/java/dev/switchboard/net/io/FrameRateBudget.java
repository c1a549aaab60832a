package dev.switchboard.net.io;

/**
 * The frame budget of one connection: control frames and message fragments (the frames the engine does not see as
 * messages) are held to the overall message rate ({@code messageRate}/s, bucket {@code messageBurst}), so that
 * pings or tiny continuation frames cannot cost the IoAgent more than messages may.
 * <p>
 * A token bucket in milli-token units like {@code TokenBucket}, except that a charge always succeeds and may
 * leave the bucket in debt: the IoAgent learns how many frames a read held only after decoding all of it, so it
 * charges them all and then stops reading the socket until the debt is repaid ({@link #isInDebt(long)} turns
 * false), leaving the excess in the peer's socket buffer. Debt is capped at {@value #MAX_DEBT_SECONDS} seconds of
 * refill so that one huge read cannot pause a socket for longer than that. A clock that goes backwards refills
 * nothing. Single-threaded and allocation-free; {@link #reset(long)} on reuse.
 */
final class FrameRateBudget
{
    /** Longest debt, in seconds of refill at the rate. */
    static final int MAX_DEBT_SECONDS = 30;

    private static final long UNITS_PER_TOKEN = 1000L;

    private final long ratePerSecond;
    private final long capacityUnits;
    private final long maxDebtUnits;
    private long units;
    private long lastRefillMs;

    /**
     * Create a full budget.
     *
     * @param ratePerSecond frames earned per second, at least 1.
     * @param burst         bucket size in frames, at least 1.
     */
    FrameRateBudget(final int ratePerSecond, final int burst)
    {
        if (ratePerSecond < 1 || burst < 1)
        {
            throw new IllegalArgumentException("rate and burst must be at least 1: " + ratePerSecond + ", " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacityUnits = burst * UNITS_PER_TOKEN;
        this.maxDebtUnits = MAX_DEBT_SECONDS * ratePerSecond * UNITS_PER_TOKEN;
        this.units = capacityUnits;
    }

    /**
     * Fill the bucket as of {@code nowMs}.
     *
     * @param nowMs the IoAgent clock in milliseconds.
     */
    void reset(final long nowMs)
    {
        units = capacityUnits;
        lastRefillMs = nowMs;
    }

    /**
     * Charge frames that were already received.
     *
     * @param frames frames to charge, at least 0.
     * @param nowMs  the IoAgent clock in milliseconds.
     * @return true when the budget is now in debt and reading must pause.
     */
    boolean charge(final long frames, final long nowMs)
    {
        refill(nowMs);
        units = Math.max(-maxDebtUnits, units - frames * UNITS_PER_TOKEN);
        return units < UNITS_PER_TOKEN;
    }

    /**
     * Whether less than one frame is available at {@code nowMs}.
     *
     * @param nowMs the IoAgent clock in milliseconds.
     * @return true while reading must stay paused.
     */
    boolean isInDebt(final long nowMs)
    {
        refill(nowMs);
        return units < UNITS_PER_TOKEN;
    }

    private void refill(final long nowMs)
    {
        if (nowMs <= lastRefillMs)
        {
            return;
        }
        final long elapsedMs = nowMs - lastRefillMs;
        lastRefillMs = nowMs;
        if (elapsedMs >= (capacityUnits + maxDebtUnits) / ratePerSecond + 1)
        {
            units = capacityUnits;
            return;
        }
        units = Math.min(capacityUnits, units + elapsedMs * ratePerSecond);
    }
}
