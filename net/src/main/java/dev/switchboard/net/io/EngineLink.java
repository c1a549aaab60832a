package dev.switchboard.net.io;

/**
 * What the engine (or, for a relayed socket, the cluster agent) knows of a connection: nothing, its messages,
 * or its close, and whether the engine's answer to that close (the fence) is still awaited.
 */
enum EngineLink
{
    /** Nothing published: the engine has never heard of the connection. */
    SILENT,
    /** Messages published; the close not yet. */
    PUBLISHED,
    /** The close is published (or there was nothing to close), and no fence is awaited. */
    CLOSED,
    /** The close is published and this agent waits for the engine's outbound close before answering the peer. */
    AWAITING_FENCE;

    /**
     * The state after a message is published.
     *
     * @return PUBLISHED from SILENT, otherwise unchanged.
     */
    EngineLink onPublished()
    {
        return SILENT == this ? PUBLISHED : this;
    }

    /**
     * The state after the close is due; {@link #mustPublishClose()} tells beforehand whether an event goes out.
     *
     * @return CLOSED, or AWAITING_FENCE unchanged.
     */
    EngineLink onClosed()
    {
        return AWAITING_FENCE == this ? AWAITING_FENCE : CLOSED;
    }

    /**
     * Whether a close due now must be published: only when messages were published and the close was not.
     *
     * @return true for PUBLISHED.
     */
    boolean mustPublishClose()
    {
        return PUBLISHED == this;
    }

    /**
     * Whether the close is published (or was never needed).
     *
     * @return true for CLOSED and AWAITING_FENCE.
     */
    boolean isClosed()
    {
        return CLOSED == this || AWAITING_FENCE == this;
    }
}
