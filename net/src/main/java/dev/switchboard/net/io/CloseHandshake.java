package dev.switchboard.net.io;

/**
 * The WebSocket close frames exchanged so far (RFC 6455 section 7): which side has sent one.
 */
enum CloseHandshake
{
    /** No close frame either way. */
    NONE,
    /** This agent sent its close frame; the peer's answer has not arrived. */
    SENT,
    /** The peer's close frame arrived; this agent has not answered yet. */
    RECEIVED,
    /** Both close frames: the handshake is complete. */
    COMPLETE;

    /**
     * The state after this agent sends its close frame.
     *
     * @return SENT or COMPLETE.
     */
    CloseHandshake onSent()
    {
        return RECEIVED == this || COMPLETE == this ? COMPLETE : SENT;
    }

    /**
     * The state after the peer's close frame arrives.
     *
     * @return RECEIVED or COMPLETE.
     */
    CloseHandshake onReceived()
    {
        return SENT == this || COMPLETE == this ? COMPLETE : RECEIVED;
    }

    /**
     * Whether this agent has sent its close frame.
     *
     * @return true for SENT and COMPLETE.
     */
    boolean isSent()
    {
        return SENT == this || COMPLETE == this;
    }

    /**
     * Whether the peer's close frame has arrived.
     *
     * @return true for RECEIVED and COMPLETE.
     */
    boolean isReceived()
    {
        return RECEIVED == this || COMPLETE == this;
    }
}
