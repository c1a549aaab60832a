package dev.switchboard.engine.metrics;

/** Why the engine dropped a message or frame, the {@code reason} label of {@code drops_by_type_total}. */
public enum DropReason
{
    /** A critical msgId already in the session's dedupe window. */
    DUPLICATE("duplicate"),
    /** A non-increasing seq or game-state version. */
    STALE("stale"),
    /** A non-critical frame dropped for a socket in drop mode. */
    BACKPRESSURE("backpressure"),
    /** A message over its rate limit. */
    RATE_LIMITED("rate_limited"),
    /** A non-critical frame whose recipient was away (no socket). */
    PEER_AWAY("peer_away");

    private final String label;

    DropReason(final String label)
    {
        this.label = label;
    }

    /**
     * The metric label value.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }
}
