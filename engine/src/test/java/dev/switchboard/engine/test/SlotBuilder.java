package dev.switchboard.engine.test;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Fills an {@link InboundSlot} the way the envelope decoder would, for engine tests.
 */
public final class SlotBuilder
{
    private final InboundSlot slot = new InboundSlot();
    private final StringBuilder patch = new StringBuilder();

    private SlotBuilder(final byte kind, final long connectionId)
    {
        slot.clear();
        slot.kind = kind;
        slot.connectionId = connectionId;
    }

    /**
     * Start a decoded client message with a fresh random msgId and seq 1.
     *
     * @param connectionId the sending connection.
     * @param type         the message type.
     * @return the builder.
     */
    public static SlotBuilder message(final long connectionId, final MessageType type)
    {
        final SlotBuilder b = new SlotBuilder(SlotKind.MESSAGE, connectionId);
        b.slot.typeId = type.id();
        b.slot.seq = 1;
        return b.msgId(UUID.randomUUID());
    }

    /**
     * A connection-closed event.
     *
     * @param connectionId the connection.
     * @param closeCode    the close code.
     * @return the builder.
     */
    public static SlotBuilder connectionClosed(final long connectionId, final int closeCode)
    {
        final SlotBuilder b = new SlotBuilder(SlotKind.CONNECTION_CLOSED, connectionId);
        b.slot.closeCode = closeCode;
        return b;
    }

    /**
     * A flow-control event.
     *
     * @param connectionId the connection.
     * @param drop         true for FLOW_DROP, false for FLOW_NORMAL.
     * @param dropped      frames lost, for FLOW_NORMAL.
     * @return the builder.
     */
    public static SlotBuilder flow(final long connectionId, final boolean drop, final long dropped)
    {
        final SlotBuilder b = new SlotBuilder(drop ? SlotKind.FLOW_DROP : SlotKind.FLOW_NORMAL, connectionId);
        b.slot.dropped = dropped;
        return b;
    }

    /**
     * A tick event.
     *
     * @return the builder.
     */
    public static SlotBuilder tick()
    {
        return new SlotBuilder(SlotKind.TICK, 0);
    }

    /**
     * A room restore event carrying a snapshot.
     *
     * @param roomId   the room id named by the slot.
     * @param snapshot the snapshot bytes.
     * @return the builder.
     */
    public static SlotBuilder roomRestore(final String roomId, final byte[] snapshot)
    {
        final SlotBuilder b = new SlotBuilder(SlotKind.ROOM_RESTORE, 0);
        b.room(roomId);
        b.slot.ensurePayloadCapacity(snapshot.length);
        System.arraycopy(snapshot, 0, b.slot.payload, 0, snapshot.length);
        b.slot.payloadLength = snapshot.length;
        return b;
    }

    /**
     * A handover event.
     *
     * @return the builder.
     */
    public static SlotBuilder handover()
    {
        return new SlotBuilder(SlotKind.HANDOVER, 0);
    }

    /**
     * Set the msgId.
     *
     * @param msgId the id.
     * @return this.
     */
    public SlotBuilder msgId(final UUID msgId)
    {
        slot.hasMsgId = true;
        slot.msgIdHi = msgId.getMostSignificantBits();
        slot.msgIdLo = msgId.getLeastSignificantBits();
        return this;
    }

    /**
     * Clear the msgId.
     *
     * @return this.
     */
    public SlotBuilder noMsgId()
    {
        slot.hasMsgId = false;
        slot.msgIdHi = 0;
        slot.msgIdLo = 0;
        return this;
    }

    /**
     * Set the room id.
     *
     * @param roomId the room id.
     * @return this.
     */
    public SlotBuilder room(final String roomId)
    {
        slot.roomIdLength = copy(roomId, slot.roomId);
        return this;
    }

    /**
     * Set the seq.
     *
     * @param seq the seq.
     * @return this.
     */
    public SlotBuilder seq(final long seq)
    {
        slot.seq = seq;
        return this;
    }

    /**
     * Set the client ts.
     *
     * @param ts epoch ms.
     * @return this.
     */
    public SlotBuilder ts(final long ts)
    {
        slot.hasTs = true;
        slot.ts = ts;
        return this;
    }

    /**
     * Set the directed target.
     *
     * @param userId the target user id.
     * @return this.
     */
    public SlotBuilder to(final String userId)
    {
        slot.toLength = copy(userId, slot.to);
        return this;
    }

    /**
     * Set the join role.
     *
     * @param role {@link InboundSlot#ROLE_HOST} or {@link InboundSlot#ROLE_VIEWER}.
     * @return this.
     */
    public SlotBuilder role(final int role)
    {
        slot.role = role;
        return this;
    }

    /**
     * Set the authenticated user.
     *
     * @param userId the user id.
     * @return this.
     */
    public SlotBuilder authUser(final String userId)
    {
        slot.authUserIdLength = copy(userId, slot.authUserId);
        return this;
    }

    /**
     * Set the connection's grants, as the IoAgent copies them into a join.
     *
     * @param grants what the token allows.
     * @return this.
     */
    public SlotBuilder grants(final Grants grants)
    {
        slot.grantFlags = grants.flags();
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        slot.setGrantRooms(packed, grants.copyPackedRooms(packed));
        return this;
    }

    /**
     * Set {@code payload.userId} (cohost_accept).
     *
     * @param userId the user id.
     * @return this.
     */
    public SlotBuilder userId(final String userId)
    {
        slot.userIdLength = copy(userId, slot.userId);
        return this;
    }

    /**
     * Set the resume fields.
     *
     * @param token    the session token.
     * @param lastDseq the last dseq held.
     * @param lastRseq the last rseq held.
     * @return this.
     */
    public SlotBuilder resume(final String token, final long lastDseq, final long lastRseq)
    {
        slot.tokenLength = copy(token, slot.token);
        slot.lastDseq = lastDseq;
        slot.lastRseq = lastRseq;
        return this;
    }

    /**
     * Set the forwarded payload bytes.
     *
     * @param json the JSON payload.
     * @return this.
     */
    public SlotBuilder payload(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        slot.ensurePayloadCapacity(bytes.length);
        System.arraycopy(bytes, 0, slot.payload, 0, bytes.length);
        slot.payloadLength = bytes.length;
        return this;
    }

    /**
     * Set the game_state version.
     *
     * @param version the version.
     * @return this.
     */
    public SlotBuilder version(final long version)
    {
        slot.version = version;
        return this;
    }

    /**
     * Add a top-level patch entry; the payload becomes the patch object with its index.
     *
     * @param key       the key (no escaping needed).
     * @param valueJson the value's JSON, {@code null} to delete.
     * @return this.
     */
    public SlotBuilder patch(final String key, final String valueJson)
    {
        final int e = slot.patchEntryCount;
        slot.ensurePatchCapacity(e + 1);
        patch.append(0 == e ? "{" : ",").append('"');
        slot.patchKeyOffset[e] = patch.length();
        slot.patchKeyLength[e] = key.length();
        patch.append(key).append("\":");
        slot.patchValueOffset[e] = patch.length();
        slot.patchValueLength[e] = valueJson.length();
        patch.append(valueJson);
        slot.patchEntryCount = e + 1;
        return payload(patch + "}");
    }

    /**
     * Mark the message as rejected at the edge.
     *
     * @param code the edge error.
     * @return this.
     */
    public SlotBuilder error(final ErrorCode code)
    {
        slot.errorCode = code.ordinal();
        return this;
    }

    /**
     * The filled slot (owned by this builder).
     *
     * @return the slot.
     */
    public InboundSlot build()
    {
        return slot;
    }

    private static int copy(final String text, final byte[] dst)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, dst, 0, bytes.length);
        return bytes.length;
    }
}
