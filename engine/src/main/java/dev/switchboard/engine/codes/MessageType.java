package dev.switchboard.engine.codes;

import java.nio.charset.StandardCharsets;

/**
 * Every message type of protocol version 1, with its wire name and whether it is critical.
 * <p>
 * Critical types are acknowledged, deduplicated, retried by clients and never dropped by flow control.
 * The ordinal is never sent; {@link #id()} is the stable number carried in ring slots.
 */
public enum MessageType
{
    /** Not a known type; the decoder reports {@code unknown_type}. */
    UNKNOWN(0, "unknown", false, false),

    // client to server
    /** Join a room as host or viewer. */
    JOIN(1, "join", true, true),
    /** Leave for good. */
    LEAVE(2, "leave", true, true),
    /** Resume a session on a new socket. */
    RESUME(3, "resume", true, true),
    /** Directed SDP offer, relayed. */
    WEBRTC_OFFER(4, "webrtc_offer", true, true),
    /** Directed SDP answer, relayed. */
    WEBRTC_ANSWER(5, "webrtc_answer", true, true),
    /** Directed ICE candidate, coalesced per tick. */
    ICE_CANDIDATE(6, "ice_candidate", false, true),
    /** App event broadcast to the rest of the room. */
    GAME_EVENT(7, "game_event", true, true),
    /** Host's game-state patch, merged and broadcast coalesced. */
    GAME_STATE(8, "game_state", false, true),
    /** Viewer joins the co-host request queue. */
    COHOST_REQUEST(9, "cohost_request", true, true),
    /** Queued viewer leaves the queue. */
    COHOST_CANCEL(10, "cohost_cancel", true, true),
    /** Host accepts a queued viewer as the active guest. */
    COHOST_ACCEPT(11, "cohost_accept", true, true),
    /** Host or active guest ends the co-host slot. */
    COHOST_END(12, "cohost_end", true, true),
    /** Liveness probe, answered by pong. */
    PING(13, "ping", false, true),

    // server to client
    /** Acknowledges an accepted critical message. */
    ACK(20, "ack", true, false),
    /** Rejection or protocol error. */
    ERROR(21, "error", true, false),
    /** A game_event over its rate limit. */
    GAME_ERROR(22, "game_error", true, false),
    /** Answer to an accepted join. */
    JOINED(23, "joined", true, false),
    /** Answer to a resume that kept the role. */
    RESUME_OK(24, "resume_ok", true, false),
    /** Answer to a resume whose role changed while away. */
    RESUME_MIGRATED(25, "resume_migrated", true, false),
    /** The receiver's role changed. */
    ROLE_CHANGED(26, "role_changed", true, false),
    /** The co-host queue or active guest changed. */
    COHOST_QUEUE_UPDATED(27, "cohost_queue_updated", true, false),
    /** The room was torn down. */
    ROOM_CLOSED(28, "room_closed", true, false),
    /** The socket entered or left drop mode. */
    FLOW_CONTROL(29, "flow_control", true, false),
    /** Membership summary, coalesced. */
    PRESENCE(30, "presence", false, false),
    /** Answer to ping. */
    PONG(31, "pong", false, false);

    private static final MessageType[] BY_ID;

    static
    {
        int max = 0;
        for (final MessageType type : values())
        {
            max = Math.max(max, type.id);
        }
        BY_ID = new MessageType[max + 1];
        for (final MessageType type : values())
        {
            BY_ID[type.id] = type;
        }
    }

    private final int id;
    private final String wireName;
    private final byte[] wireNameBytes;
    private final boolean critical;
    private final boolean fromClient;

    MessageType(final int id, final String wireName, final boolean critical, final boolean fromClient)
    {
        this.id = id;
        this.wireName = wireName;
        this.wireNameBytes = wireName.getBytes(StandardCharsets.US_ASCII);
        this.critical = critical;
        this.fromClient = fromClient;
    }

    /**
     * The stable numeric id carried in ring slots.
     *
     * @return the id.
     */
    public int id()
    {
        return id;
    }

    /**
     * The name as it appears in the {@code type} field.
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
     * @return the shared bytes of the wire name.
     */
    public byte[] wireNameBytes()
    {
        return wireNameBytes;
    }

    /**
     * Whether the type is acknowledged, deduplicated and never dropped by flow control.
     *
     * @return true for critical types.
     */
    public boolean isCritical()
    {
        return critical;
    }

    /**
     * Whether clients may send this type.
     *
     * @return true for client-to-server types.
     */
    public boolean isFromClient()
    {
        return fromClient;
    }

    /**
     * Whether the type is directed and so requires a {@code to} field.
     *
     * @return true for offers, answers and ICE candidates.
     */
    public boolean isDirected()
    {
        return this == WEBRTC_OFFER || this == WEBRTC_ANSWER || this == ICE_CANDIDATE;
    }

    /**
     * Look up a type by its id.
     *
     * @param id the numeric id.
     * @return the type, or {@link #UNKNOWN} when the id names none.
     */
    public static MessageType get(final int id)
    {
        if (id < 0 || id >= BY_ID.length)
        {
            return UNKNOWN;
        }
        final MessageType type = BY_ID[id];
        return null == type ? UNKNOWN : type;
    }
}
