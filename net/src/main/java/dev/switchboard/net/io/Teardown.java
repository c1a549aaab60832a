package dev.switchboard.net.io;

/**
 * How the socket ends once its queue is written: keep serving, close the TCP connection after the flush, or
 * linger after the FIN until the peer closes.
 */
enum Teardown
{
    /** Nothing decided: the socket stays up. */
    NONE,
    /** Close once everything queued is written. */
    FLUSH_THEN_CLOSE,
    /** Everything is written and the FIN sent: discard reads until the peer closes or the deadline passes. */
    LINGERING;

    /**
     * The state once the socket must close after its queue is written; a lingering socket stays lingering.
     *
     * @return FLUSH_THEN_CLOSE or LINGERING.
     */
    Teardown onCloseAfterFlush()
    {
        return LINGERING == this ? LINGERING : FLUSH_THEN_CLOSE;
    }
}
