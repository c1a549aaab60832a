package dev.switchboard.engine.store;

/**
 * Running total of the bytes held by a group of {@link ReplayWindow}s (all session windows or all room windows of
 * one engine), written by the owning engine thread only and published to metrics at the end of each batch.
 */
public final class ReplayBytes
{
    private long heldBytes;

    /**
     * Bytes held now by every window of the group.
     *
     * @return bytes.
     */
    public long heldBytes()
    {
        return heldBytes;
    }

    void add(final long bytes)
    {
        heldBytes += bytes;
    }
}
