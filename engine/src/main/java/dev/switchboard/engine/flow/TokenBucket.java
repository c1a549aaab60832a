package dev.switchboard.engine.flow;

/**
 * A token bucket in exact integer arithmetic, driven by the caller's clock in milliseconds.
 * <p>
 * Tokens are held in milli-token units: one token is {@value #UNITS_PER_TOKEN} units and every elapsed
 * millisecond adds {@code ratePerSecond} units, so a rate of 50/s earns one token every 20 ms exactly and a rate
 * of 7/s earns seven tokens every 1,000 ms exactly, with no floating drift. The bucket holds at most
 * {@code burst} tokens. A clock that goes backwards refills nothing and takes nothing away (refill resumes once
 * the clock passes the latest time seen); an idle gap of any length fills the bucket without overflow.
 * <p>
 * Single-threaded and allocation-free; constructed once, {@link #reset(long)} on reuse.
 */
public final class TokenBucket
{
    /** Units that make one token: one per millisecond of a second. */
    public static final long UNITS_PER_TOKEN = 1000L;

    private final long ratePerSecond;
    private final long burst;
    private final long capacityUnits;
    private final long fillMs;
    private long units;
    private long lastRefillMs;

    /**
     * Create a bucket, full as of time 0; call {@link #reset(long)} with the real time before use.
     *
     * @param ratePerSecond tokens earned per second, at least 1.
     * @param burst         bucket size in tokens, at least 1.
     */
    public TokenBucket(final int ratePerSecond, final int burst)
    {
        if (ratePerSecond < 1)
        {
            throw new IllegalArgumentException("ratePerSecond must be at least 1, got " + ratePerSecond);
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.capacityUnits = burst * UNITS_PER_TOKEN;
        this.fillMs = (capacityUnits + ratePerSecond - 1) / ratePerSecond;
        this.units = capacityUnits;
        this.lastRefillMs = 0;
    }

    /**
     * Fill the bucket and make {@code nowMs} the time of the last refill.
     *
     * @param nowMs the caller's clock in milliseconds.
     */
    public void reset(final long nowMs)
    {
        units = capacityUnits;
        lastRefillMs = nowMs;
    }

    /**
     * Take one token if one is available at {@code nowMs}.
     *
     * @param nowMs the caller's clock in milliseconds.
     * @return true when a token was taken, false when the bucket is empty.
     */
    public boolean tryAcquire(final long nowMs)
    {
        refill(nowMs);
        if (units >= UNITS_PER_TOKEN)
        {
            units -= UNITS_PER_TOKEN;
            return true;
        }
        return false;
    }

    /**
     * Take {@code tokens} tokens at once if that many are available at {@code nowMs}; a request larger than the
     * burst asks for a full bucket (it can never be met otherwise), and a request under one token asks for one.
     *
     * @param nowMs  the caller's clock in milliseconds.
     * @param tokens tokens wanted.
     * @return true when they were taken, false (taking nothing) when the bucket holds fewer.
     */
    public boolean tryAcquire(final long nowMs, final int tokens)
    {
        refill(nowMs);
        final long wanted = Math.max(1L, Math.min(tokens, burst)) * UNITS_PER_TOKEN;
        if (units >= wanted)
        {
            units -= wanted;
            return true;
        }
        return false;
    }

    /**
     * Whole tokens available at {@code nowMs}, refilling first.
     *
     * @param nowMs the caller's clock in milliseconds.
     * @return tokens, from 0 to the burst.
     */
    public int availableTokens(final long nowMs)
    {
        refill(nowMs);
        return (int)(units / UNITS_PER_TOKEN);
    }

    /**
     * Tokens earned per second.
     *
     * @return the rate.
     */
    public int ratePerSecond()
    {
        return (int)ratePerSecond;
    }

    /**
     * Bucket size in tokens.
     *
     * @return the burst.
     */
    public int burst()
    {
        return (int)burst;
    }

    private void refill(final long nowMs)
    {
        if (nowMs <= lastRefillMs)
        {
            return;
        }
        final long elapsedMs = nowMs - lastRefillMs;
        if (elapsedMs < 0 || elapsedMs >= fillMs)
        {
            units = capacityUnits;
        }
        else
        {
            units = Math.min(capacityUnits, units + elapsedMs * ratePerSecond);
        }
        lastRefillMs = nowMs;
    }
}
