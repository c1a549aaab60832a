package dev.switchboard.net.ws;

/**
 * WebSocket close status codes used by Switchboard (RFC 6455 section 7.4 and PROTOCOL.md section 11).
 */
public final class CloseCodes
{
    /** Normal closure, after {@code leave} or {@code room_closed}. */
    public static final int NORMAL = 1000;

    /** The endpoint is going away. */
    public static final int GOING_AWAY = 1001;

    /** The peer broke the framing protocol. */
    public static final int PROTOCOL_ERROR = 1002;

    /** The peer sent a data type the server does not accept (a binary frame). */
    public static final int UNSUPPORTED_DATA = 1003;

    /** Reported locally for a close frame that carried no status code; never sent on the wire. */
    public static final int NO_STATUS = 1005;

    /** Reported locally when the connection dropped without a close frame; never sent on the wire. */
    public static final int ABNORMAL = 1006;

    /** A text message or close reason was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;

    /** The peer violated a policy. */
    public static final int POLICY_VIOLATION = 1008;

    /** A frame or reassembled message exceeded the hard limit. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** The server hit an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;

    /** Graceful shutdown: reconnect after the delay given in the reason. */
    public static final int SERVER_DRAINING = 4000;

    /** The socket's critical backlog exceeded {@code slowConsumerBytes}. */
    public static final int SLOW_CONSUMER = 4008;

    /** No frame from the client for {@code idleTimeoutSeconds}. */
    public static final int IDLE_TIMEOUT = 4009;

    /** Ten seconds over the overall message rate limit. */
    public static final int RATE_LIMIT_ABUSE = 4029;

    /** Multi-node: the room moved to another node (its owner died, drained or lost the lease); resume. */
    public static final int ROOM_MOVED = 4012;

    /** The authenticator rejected the token. */
    public static final int UNAUTHORIZED = 4401;

    /** Another socket resumed this session or the same user joined again. */
    public static final int SESSION_REPLACED = 4409;

    private CloseCodes()
    {
    }

    /**
     * Whether a code received in a peer's close frame is allowed on the wire (RFC 6455 section 7.4).
     * <p>
     * Valid: 1000 to 1003, 1007 to 1014 (registered with IANA) and 3000 to 4999. Invalid: below 1000, 1004,
     * 1005, 1006, 1015, 1016 to 2999 and 5000 or above.
     *
     * @param code the status code from the close frame.
     * @return true when the code may be received.
     */
    public static boolean isValidReceived(final int code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
