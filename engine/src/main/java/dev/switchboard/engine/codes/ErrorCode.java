package dev.switchboard.engine.codes;

import java.nio.charset.StandardCharsets;

/** The error codes of protocol section 3, with the human-readable message sent alongside each. */
public enum ErrorCode
{
    /** No error. */
    NONE("none", ""),
    /** The message exceeded maxPayloadBytes and was discarded unparsed. */
    PAYLOAD_TOO_LARGE("payload_too_large", "message exceeds the payload limit"),
    /** A field was missing, of the wrong JSON type, or out of range. */
    INVALID_MESSAGE("invalid_message", "message is not a valid envelope"),
    /** The type field names no known type. */
    UNKNOWN_TYPE("unknown_type", "unknown message type"),
    /** The sender is over a rate limit for this type. */
    RATE_LIMITED("rate_limited", "rate limit exceeded"),
    /** The socket is not in the named room. */
    NOT_IN_ROOM("not_in_room", "not a member of this room"),
    /** The socket is already in a room. */
    ALREADY_JOINED("already_joined", "socket already joined a room"),
    /** The room already has a host. */
    HOST_TAKEN("host_taken", "the room already has a host"),
    /** The sender's role may not send this type. */
    FORBIDDEN("forbidden", "not allowed for this role"),
    /** The named user, queue entry or guest does not exist. */
    PEER_NOT_FOUND("peer_not_found", "no such peer"),
    /** The co-host queue is at maxQueue. */
    QUEUE_FULL("queue_full", "the co-host queue is full"),
    /** The sender is already queued. */
    ALREADY_QUEUED("already_queued", "already in the co-host queue"),
    /** A guest is already active. */
    GUEST_ACTIVE("guest_active", "a guest is already active"),
    /** The session could not be resumed. */
    RESUME_FAILED("resume_failed", "session cannot be resumed"),
    /** The authenticator rejected the token. */
    UNAUTHORIZED("unauthorized", "unauthorized"),
    /** Multi-node: the cluster store (Redis) did not answer in time, so the room's owner is unknown; retry. */
    CLUSTER_UNAVAILABLE("cluster_unavailable", "the cluster is unavailable, retry later");

    private static final ErrorCode[] VALUES = values();

    private final String wireName;
    private final byte[] wireNameBytes;
    private final byte[] messageBytes;

    ErrorCode(final String wireName, final String message)
    {
        this.wireName = wireName;
        this.wireNameBytes = wireName.getBytes(StandardCharsets.US_ASCII);
        this.messageBytes = message.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The code as sent in {@code payload.code}.
     *
     * @return the wire name.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * The wire name as ASCII bytes; do not modify.
     *
     * @return shared bytes.
     */
    public byte[] wireNameBytes()
    {
        return wireNameBytes;
    }

    /**
     * The message sent in {@code payload.message}, as ASCII bytes; do not modify.
     *
     * @return shared bytes.
     */
    public byte[] messageBytes()
    {
        return messageBytes;
    }

    /**
     * Look up by ordinal, as stored in ring slots.
     *
     * @param ordinal the ordinal.
     * @return the code, or {@link #NONE} when out of range.
     */
    public static ErrorCode get(final int ordinal)
    {
        return ordinal < 0 || ordinal >= VALUES.length ? NONE : VALUES[ordinal];
    }
}
