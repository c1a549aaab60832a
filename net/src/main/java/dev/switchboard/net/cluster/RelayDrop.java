package dev.switchboard.net.cluster;

/**
 * Why a relay batch received from Redis was dropped whole: the {@code reason} label of
 * {@code cluster_relay_batches_dropped_total}.
 */
public enum RelayDrop
{
    /** Framing or a decoded field was invalid (checked for the whole batch before any record is handled). */
    INVALID("invalid"),
    /** A secret is set and the batch carried no tag. */
    UNSIGNED("unsigned"),
    /** A secret is set and the tag did not verify (forged, altered, or signed for another node). */
    BAD_SIGNATURE("bad_signature"),
    /** A signed batch sent more than {@link #MAX_AGE_MS} ms from now by the receiver's clock: a replay. */
    STALE("stale"),
    /** This node's inbox was full; its sockets were closed with 4012 where the batch could be read. */
    INBOX_FULL("inbox_full");

    /** Largest difference between a signed batch's send time and the receiver's clock. */
    public static final long MAX_AGE_MS = 60_000;

    private final String label;

    RelayDrop(final String label)
    {
        this.label = label;
    }

    /**
     * The metric label.
     *
     * @return a constant string.
     */
    public String label()
    {
        return label;
    }
}
