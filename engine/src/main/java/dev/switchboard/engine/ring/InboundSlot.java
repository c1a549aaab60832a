package dev.switchboard.engine.ring;

import dev.switchboard.engine.admin.AdminCall;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;

import java.util.Arrays;

/**
 * A pre-allocated inbound ring slot: one decoded client message or connection event in flat fields.
 * <p>
 * The IoAgent fills it (through the envelope decoder) and the engine reads it; neither keeps a reference
 * past the event. Byte arrays grow only when a larger value first arrives in this slot, so steady state
 * allocates nothing. All text fields hold the JSON-escaped UTF-8 form without quotes, ready to splice
 * into output; room ids, user ids and tokens are restricted to characters that need no escaping.
 */
public final class InboundSlot
{
    /** Largest room id, user id or session token accepted, in bytes. */
    public static final int MAX_ID_LENGTH = 64;

    /** Role value for {@code join} as host. */
    public static final int ROLE_HOST = 1;
    /** Role value for {@code join} as viewer. */
    public static final int ROLE_VIEWER = 2;

    /** One of {@link SlotKind}. */
    public byte kind;
    /** The connection this event is for: see ConnectionIds for the bit layout. */
    public long connectionId;
    /** {@link System#nanoTime()} when the IoAgent published, for batch-latency measurement. */
    public long publishNs;

    /** {@link MessageType#id()} of the message, {@link MessageType#UNKNOWN} when missing or unknown. */
    public int typeId;
    /** {@link ErrorCode} ordinal found at the edge, {@code 0} ({@link ErrorCode#NONE}) when valid. */
    public int errorCode;
    /** Frame bytes of the whole message as received, for metrics. */
    public int wireLength;

    /** Whether a canonical msgId was present and valid. */
    public boolean hasMsgId;
    /** High 64 bits of the msgId UUID. */
    public long msgIdHi;
    /** Low 64 bits of the msgId UUID. */
    public long msgIdLo;

    /** Room id bytes, valid for {@link #roomIdLength}. */
    public final byte[] roomId = new byte[MAX_ID_LENGTH];
    /** Length of {@link #roomId}, 0 when absent. */
    public int roomIdLength;

    /** The sender's seq, 0 when absent. */
    public long seq;
    /** Whether {@link #ts} was present. */
    public boolean hasTs;
    /** Client time in epoch ms, when {@link #hasTs}. */
    public long ts;

    /** Directed target user id ({@code to}), valid for {@link #toLength}. */
    public final byte[] to = new byte[MAX_ID_LENGTH];
    /** Length of {@link #to}, 0 when absent. */
    public int toLength;

    /** {@code join}: {@link #ROLE_HOST} or {@link #ROLE_VIEWER}. */
    public int role;
    /** {@code game_state}: the patch's version. */
    public long version;
    /** {@code resume}: the last directed sequence the client holds. */
    public long lastDseq;
    /** {@code resume}: the last room sequence the client holds. */
    public long lastRseq;
    /** {@code resume}: the session token. */
    public final byte[] token = new byte[MAX_ID_LENGTH];
    /** Length of {@link #token}. */
    public int tokenLength;
    /** {@code cohost_accept}: {@code payload.userId}, 0 length when absent (head of queue). */
    public final byte[] userId = new byte[MAX_ID_LENGTH];
    /** Length of {@link #userId}. */
    public int userIdLength;
    /** {@code join} and {@code resume}: the connection's authenticated user id, 0 length for a guest. */
    public final byte[] authUserId = new byte[MAX_ID_LENGTH];
    /** Length of {@link #authUserId}. */
    public int authUserIdLength;
    /**
     * {@code join}: the connection's grant denials ({@link dev.switchboard.engine.auth.Grants} flags), 0 when
     * unrestricted.
     */
    public int grantFlags;
    /** {@code join}: the connection's packed room patterns, valid for {@link #grantRoomsLength}; grows on demand. */
    public byte[] grantRooms = new byte[0];
    /** Length of {@link #grantRooms} in use. */
    public int grantRoomsLength;
    /** {@code ice_candidate}: {@code payload.usernameFragment}, 0 length when absent. */
    public final byte[] ufrag = new byte[256];
    /** Length of {@link #ufrag}. */
    public int ufragLength;

    /**
     * The payload to forward, as JSON bytes valid for {@link #payloadLength}: for offers and answers the
     * re-encoded {@code {"sdp":...}}; for ICE the re-encoded candidate object (known fields only); for
     * {@code game_event} the app object; for {@code game_state} the patch object. Grows on demand.
     */
    public byte[] payload = new byte[512];
    /** Length of {@link #payload} in use. */
    public int payloadLength;

    /** {@code game_state}: number of top-level patch entries indexed below. */
    public int patchEntryCount;
    /** Per entry: offset in {@link #payload} of the key's escaped bytes (without quotes). */
    public int[] patchKeyOffset = new int[64];
    /** Per entry: length of the key's escaped bytes. */
    public int[] patchKeyLength = new int[64];
    /** Per entry: offset in {@link #payload} of the value's JSON bytes. */
    public int[] patchValueOffset = new int[64];
    /** Per entry: length of the value's JSON bytes; the value {@code null} means delete the key. */
    public int[] patchValueLength = new int[64];

    /** {@link SlotKind#ADMIN}: one of the {@link dev.switchboard.engine.admin.AdminCall} operations. */
    public int adminOp;
    /** {@link SlotKind#ADMIN}: where the engine answers; null for every other kind. */
    public AdminCall adminCall;

    /** {@link SlotKind#CONNECTION_CLOSED}: the close code seen or sent, 1006 for an abrupt close. */
    public int closeCode;
    /** {@link SlotKind#FLOW_NORMAL}: frames this connection lost during the drop episode. */
    public long dropped;

    /**
     * Reset every field to its empty value; called by publishers before filling the slot.
     */
    public void clear()
    {
        kind = 0;
        connectionId = 0;
        publishNs = 0;
        typeId = MessageType.UNKNOWN.id();
        errorCode = ErrorCode.NONE.ordinal();
        wireLength = 0;
        hasMsgId = false;
        msgIdHi = 0;
        msgIdLo = 0;
        roomIdLength = 0;
        seq = 0;
        hasTs = false;
        ts = 0;
        toLength = 0;
        role = 0;
        version = 0;
        lastDseq = 0;
        lastRseq = 0;
        tokenLength = 0;
        userIdLength = 0;
        authUserIdLength = 0;
        grantFlags = 0;
        grantRoomsLength = 0;
        adminOp = 0;
        adminCall = null;
        ufragLength = 0;
        payloadLength = 0;
        patchEntryCount = 0;
        closeCode = 0;
        dropped = 0;
    }

    /**
     * Fill the slot as a {@link SlotKind#ROOM_RESTORE}: the room id and a copy of its snapshot (the payload grows
     * to fit).
     *
     * @param roomIdBytes  room id bytes.
     * @param roomIdCount  room id length, at most {@link #MAX_ID_LENGTH}.
     * @param snapshot     buffer holding the snapshot.
     * @param offset       first byte of the snapshot.
     * @param length       snapshot length in bytes.
     */
    public void fillRoomRestore(
        final byte[] roomIdBytes, final int roomIdCount, final byte[] snapshot, final int offset, final int length)
    {
        clear();
        kind = SlotKind.ROOM_RESTORE;
        roomIdLength = Math.min(roomIdCount, MAX_ID_LENGTH);
        System.arraycopy(roomIdBytes, 0, roomId, 0, roomIdLength);
        ensurePayloadCapacity(length);
        System.arraycopy(snapshot, offset, payload, 0, length);
        payloadLength = length;
    }

    /**
     * Fill the slot as a {@link SlotKind#HANDOVER}.
     */
    public void fillHandover()
    {
        clear();
        kind = SlotKind.HANDOVER;
    }

    /**
     * Make sure {@link #payload} holds at least {@code capacity} bytes, keeping its content.
     *
     * @param capacity bytes needed.
     */
    public void ensurePayloadCapacity(final int capacity)
    {
        if (payload.length < capacity)
        {
            payload = Arrays.copyOf(payload, Math.max(capacity, payload.length * 2));
        }
    }

    /**
     * Make sure the patch index holds at least {@code entries} entries, keeping its content.
     *
     * @param entries entries needed.
     */
    public void ensurePatchCapacity(final int entries)
    {
        if (patchKeyOffset.length < entries)
        {
            final int n = Math.max(entries, patchKeyOffset.length * 2);
            patchKeyOffset = Arrays.copyOf(patchKeyOffset, n);
            patchKeyLength = Arrays.copyOf(patchKeyLength, n);
            patchValueOffset = Arrays.copyOf(patchValueOffset, n);
            patchValueLength = Arrays.copyOf(patchValueLength, n);
        }
    }

    /**
     * Copy packed grant room patterns into this slot, growing {@link #grantRooms} when they first do not fit.
     *
     * @param src    packed patterns.
     * @param length bytes to copy.
     */
    public void setGrantRooms(final byte[] src, final int length)
    {
        if (grantRooms.length < length)
        {
            grantRooms = new byte[length];
        }
        System.arraycopy(src, 0, grantRooms, 0, length);
        grantRoomsLength = length;
    }

    /**
     * The message type as an enum.
     *
     * @return the type.
     */
    public MessageType type()
    {
        return MessageType.get(typeId);
    }

    /**
     * The edge error as an enum.
     *
     * @return the error, {@link ErrorCode#NONE} when none.
     */
    public ErrorCode error()
    {
        return ErrorCode.get(errorCode);
    }

    /**
     * Copy every field in use from another slot (a decoder's scratch slot into a ring slot).
     *
     * @param src the slot to copy.
     */
    public void copyFrom(final InboundSlot src)
    {
        kind = src.kind;
        connectionId = src.connectionId;
        publishNs = src.publishNs;
        typeId = src.typeId;
        errorCode = src.errorCode;
        wireLength = src.wireLength;
        hasMsgId = src.hasMsgId;
        msgIdHi = src.msgIdHi;
        msgIdLo = src.msgIdLo;
        roomIdLength = src.roomIdLength;
        System.arraycopy(src.roomId, 0, roomId, 0, src.roomIdLength);
        seq = src.seq;
        hasTs = src.hasTs;
        ts = src.ts;
        toLength = src.toLength;
        System.arraycopy(src.to, 0, to, 0, src.toLength);
        role = src.role;
        version = src.version;
        lastDseq = src.lastDseq;
        lastRseq = src.lastRseq;
        tokenLength = src.tokenLength;
        System.arraycopy(src.token, 0, token, 0, src.tokenLength);
        userIdLength = src.userIdLength;
        System.arraycopy(src.userId, 0, userId, 0, src.userIdLength);
        authUserIdLength = src.authUserIdLength;
        System.arraycopy(src.authUserId, 0, authUserId, 0, src.authUserIdLength);
        grantFlags = src.grantFlags;
        setGrantRooms(src.grantRooms, src.grantRoomsLength);
        ufragLength = src.ufragLength;
        System.arraycopy(src.ufrag, 0, ufrag, 0, src.ufragLength);
        ensurePayloadCapacity(src.payloadLength);
        payloadLength = src.payloadLength;
        System.arraycopy(src.payload, 0, payload, 0, src.payloadLength);
        ensurePatchCapacity(src.patchEntryCount);
        patchEntryCount = src.patchEntryCount;
        System.arraycopy(src.patchKeyOffset, 0, patchKeyOffset, 0, src.patchEntryCount);
        System.arraycopy(src.patchKeyLength, 0, patchKeyLength, 0, src.patchEntryCount);
        System.arraycopy(src.patchValueOffset, 0, patchValueOffset, 0, src.patchEntryCount);
        System.arraycopy(src.patchValueLength, 0, patchValueLength, 0, src.patchEntryCount);
        closeCode = src.closeCode;
        dropped = src.dropped;
        adminOp = src.adminOp;
        adminCall = src.adminCall;
    }
}
