package dev.switchboard.net.io;

/**
 * Where a connection is in its life, from the accept to the slot's return to the table.
 */
enum ConnectionState
{
    /** The slot holds no socket. */
    FREE,
    /** Serving HTTP requests (or an operator-port request) before any upgrade. */
    HTTP,
    /** Upgraded, waiting for the authenticator's answer before the first frame is read. */
    AUTH_PENDING,
    /** An open WebSocket. */
    OPEN,
    /** Closing: a close handshake, an HTTP response before the TCP close, or a linger. */
    CLOSING
}
