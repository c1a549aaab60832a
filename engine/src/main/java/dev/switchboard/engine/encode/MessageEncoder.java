package dev.switchboard.engine.encode;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ice.IceServers;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.PendingPatch;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.store.ReplayWindow;

import java.nio.charset.StandardCharsets;

/**
 * Encodes every server-to-client message of protocol version 1 into a pooled {@link Frame}, field order
 * {@code type, roomId, ts, msgId, seq, senderId, for, dseq, rseq, payload}; runs on the engine thread and
 * allocates nothing per message.
 */
public final class MessageEncoder
{
    /** Role name bytes for {@link Session#ROLE_HOST}. */
    public static final byte[] HOST = ascii("host");
    /** Role name bytes for {@link Session#ROLE_VIEWER}. */
    public static final byte[] VIEWER = ascii("viewer");
    /** Role name bytes for {@link Session#ROLE_GUEST}. */
    public static final byte[] GUEST = ascii("guest");
    /** Reason {@code accepted}. */
    public static final byte[] REASON_ACCEPTED = ascii("accepted");
    /** Reason {@code ended}. */
    public static final byte[] REASON_ENDED = ascii("ended");
    /** Reason {@code host_left}. */
    public static final byte[] REASON_HOST_LEFT = ascii("host_left");
    /** Reason {@code host_timeout}. */
    public static final byte[] REASON_HOST_TIMEOUT = ascii("host_timeout");

    private static final byte[] TYPE = ascii("{\"type\":\"");
    private static final byte[] ROOM_ID = ascii("\",\"roomId\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] MSG_ID = ascii(",\"msgId\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] SENDER_ID = ascii(",\"senderId\":");
    private static final byte[] SERVER_QUOTED = ascii("\"server\"");
    private static final byte[] FOR = ascii(",\"for\":");
    private static final byte[] DSEQ = ascii(",\"dseq\":");
    private static final byte[] RSEQ = ascii(",\"rseq\":");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");
    private static final byte[] CODE = ascii("{\"code\":\"");
    private static final byte[] MESSAGE = ascii("\",\"message\":\"");
    private static final byte[] END_STRING_OBJECT = ascii("\"}");
    private static final byte[] USER_ID = ascii("{\"userId\":");
    private static final byte[] ROLE = ascii(",\"role\":\"");
    private static final byte[] SESSION_TOKEN = ascii("\",\"sessionToken\":");
    private static final byte[] HOST_ID = ascii(",\"hostId\":");
    private static final byte[] ACTIVE_GUEST = ascii(",\"activeGuest\":");
    private static final byte[] QUEUE = ascii(",\"queue\":");
    private static final byte[] ROOM_SIZE = ascii(",\"roomSize\":");
    private static final byte[] GAME_STATE = ascii(",\"gameState\":{\"version\":");
    private static final byte[] STATE = ascii(",\"state\":");
    private static final byte[] CANDIDATES = ascii("{\"candidates\":[");
    private static final byte[] CANDIDATES_ARRAY = ascii("{\"candidates\":");
    private static final byte[] VERSION = ascii("{\"version\":");
    private static final byte[] PATCH = ascii(",\"patch\":");
    private static final byte[] SNAPSHOT = ascii(",\"snapshot\":true}");
    private static final byte[] ROLE_FIRST = ascii("{\"role\":\"");
    private static final byte[] REASON = ascii("\",\"reason\":\"");
    private static final byte[] ACTIVE_GUEST_FIRST = ascii("{\"activeGuest\":");
    private static final byte[] QUEUE_LENGTH = ascii(",\"queueLength\":");
    private static final byte[] REASON_FIRST = ascii("{\"reason\":\"");
    private static final byte[] USER_ID_AFTER = ascii("\",\"userId\":");
    private static final byte[] POSITION = ascii(",\"position\":");
    private static final byte[] GAME_STATE_VERSION = ascii(",\"gameStateVersion\":");
    private static final byte[] REPLAYED = ascii(",\"replayed\":");
    private static final byte[] GAP = ascii(",\"gap\":");
    private static final byte[] JOINED_FIRST = ascii("{\"joined\":");
    private static final byte[] LEFT = ascii(",\"left\":");
    private static final byte[] ROOM_SIZE_FIRST = ascii("{\"roomSize\":");
    private static final byte[] MODE_DROP = ascii("{\"mode\":\"drop_non_critical\",\"dropped\":");
    private static final byte[] MODE_NORMAL = ascii("{\"mode\":\"normal\",\"dropped\":");
    private static final byte[] TS_FIRST = ascii("{\"ts\":");
    private static final byte[] ROLE_PLAIN = ascii("\"role\":\"");

    private final FramePool framePool;
    private final JsonWriter writer = new JsonWriter();
    private IceServers iceServers;

    /**
     * Create an encoder drawing frames from a pool.
     *
     * @param framePool the engine's frame pool.
     */
    public MessageEncoder(final FramePool framePool)
    {
        this.framePool = framePool;
    }

    /**
     * {@code ack {for}} with a dseq.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param forHi acknowledged msgId high bits.
     * @param forLo acknowledged msgId low bits.
     * @param dseq  the recipient's dseq.
     * @return the sealed frame.
     */
    public Frame ack(final Room room, final long nowMs, final long forHi, final long forLo, final long dseq)
    {
        begin(MessageType.ACK, false, 126 + room.roomIdLength(), room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(FOR).uuid(forHi, forLo).raw(DSEQ).number(dseq).raw((byte)'}');
        return end();
    }

    /**
     * {@code error {code, message}} with optional {@code for} and {@code dseq}.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength room id length, 0 to omit roomId.
     * @param nowMs        server time.
     * @param code         the error.
     * @param hasFor       whether to write {@code for}.
     * @param forHi        msgId high bits.
     * @param forLo        msgId low bits.
     * @param dseq         the recipient's dseq, 0 to omit.
     * @return the sealed frame.
     */
    public Frame error(
        final byte[] roomId,
        final int roomIdLength,
        final long nowMs,
        final ErrorCode code,
        final boolean hasFor,
        final long forHi,
        final long forLo,
        final long dseq)
    {
        return errorFrame(MessageType.ERROR, roomId, roomIdLength, nowMs, code, hasFor, forHi, forLo, dseq);
    }

    /**
     * {@code game_error {code}} answering a game_event, with {@code for} and {@code dseq}.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param code  the error, normally rate_limited.
     * @param forHi msgId high bits.
     * @param forLo msgId low bits.
     * @param dseq  the recipient's dseq.
     * @return the sealed frame.
     */
    public Frame gameError(
        final Room room, final long nowMs, final ErrorCode code, final long forHi, final long forLo, final long dseq)
    {
        return errorFrame(MessageType.GAME_ERROR, room.roomId(), room.roomIdLength(), nowMs, code, true, forHi, forLo, dseq);
    }

    /**
     * Add {@code iceServers} (with TURN credentials where configured) to every {@code joined} and
     * {@code resume_ok}/{@code resume_migrated}.
     *
     * @param servers the list, or null for none.
     */
    public void iceServers(final IceServers servers)
    {
        this.iceServers = servers;
    }

    /**
     * The i-th oldest entry of a replay window as a new frame the caller owns: the kept JSON text of a frame copied
     * into a pooled frame, or a compact {@code ack}, {@code error} or {@code game_error} record encoded again from its
     * fields (same ts, msgId, code and sequence); either way byte for byte what was first sent.
     *
     * @param room   the room of the window (its id is in every record).
     * @param window the replay window.
     * @param i      position from the oldest entry.
     * @return the frame to send and release.
     */
    public Frame replayed(final Room room, final ReplayWindow window, final int i)
    {
        switch (window.kind(i))
        {
            case ReplayWindow.KIND_ACK:
                return ack(room, window.tsMs(i), window.msgIdHi(i), window.msgIdLo(i), window.seq(i));
            case ReplayWindow.KIND_ERROR:
                return error(room.roomId(), room.roomIdLength(), window.tsMs(i), window.errorCode(i), window.hasFor(i),
                    window.msgIdHi(i), window.msgIdLo(i), window.seq(i));
            case ReplayWindow.KIND_GAME_ERROR:
                return gameError(room, window.tsMs(i), window.errorCode(i), window.msgIdHi(i), window.msgIdLo(i),
                    window.seq(i));
            default:
                final int length = window.textLength(i);
                final Frame frame = framePool.acquire(length, window.type(i), false);
                System.arraycopy(window.text(), window.textOffset(i), frame.buffer(), Frame.PAYLOAD_OFFSET, length);
                return frame.sealText(length);
        }
    }

    /**
     * {@code joined} with the room snapshot for the new session.
     *
     * @param room    the room.
     * @param session the joined session.
     * @param nowMs   server time.
     * @param dseq    the session's dseq.
     * @return the sealed frame.
     */
    public Frame joined(final Room room, final Session session, final long nowMs, final long dseq)
    {
        begin(MessageType.JOINED, false, 512 + (int)room.gameState().encodedBytes() + 70 * room.queueLength(),
            room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(DSEQ).number(dseq).raw(PAYLOAD)
            .raw(USER_ID).quoted(session.userId(), 0, session.userIdLength())
            .raw(ROLE).raw(roleName(session.role()))
            .raw(SESSION_TOKEN).quoted(session.token(), 0, session.tokenLength())
            .raw(HOST_ID);
        userIdOrNull(room.host());
        writer.raw(ACTIVE_GUEST);
        userIdOrNull(room.activeGuest());
        writer.raw(QUEUE);
        queueArray(room);
        writer.raw(ROOM_SIZE).number(room.memberCount());
        if (null != iceServers)
        {
            iceServers.write(writer, session.userId(), session.userIdLength(), nowMs);
        }
        writer.raw(GAME_STATE).number(room.gameState().version()).raw(STATE);
        room.gameState().writeObject(writer);
        writer.raw((byte)'}').raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A relayed webrtc_offer or webrtc_answer carrying the sender's msgId, seq and senderId.
     *
     * @param room   the room.
     * @param nowMs  server time.
     * @param slot   the sender's message.
     * @param sender the sender's session.
     * @param dseq   the recipient's dseq.
     * @return the sealed frame.
     */
    public Frame relay(final Room room, final long nowMs, final InboundSlot slot, final Session sender, final long dseq)
    {
        begin(MessageType.get(slot.typeId), false, 256 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        original(slot, sender);
        writer.raw(DSEQ).number(dseq).raw(PAYLOAD).raw(slot.payload, 0, slot.payloadLength).raw((byte)'}');
        return end();
    }

    /**
     * A relayed ice_candidate batch of one candidate, carrying that candidate's msgId and seq.
     *
     * @param room   the room.
     * @param nowMs  server time.
     * @param slot   the sender's message.
     * @param sender the sender's session.
     * @return the sealed frame.
     */
    public Frame iceCandidates(final Room room, final long nowMs, final InboundSlot slot, final Session sender)
    {
        begin(MessageType.ICE_CANDIDATE, true, 256 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        original(slot, sender);
        writer.raw(PAYLOAD).raw(CANDIDATES).raw(slot.payload, 0, slot.payloadLength)
            .raw((byte)']').raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A relayed ice_candidate batch {@code {candidates:[...]}} of one sender to one target, carrying the msgId and
     * seq of the batch's last candidate.
     *
     * @param room      the room.
     * @param nowMs     server time.
     * @param msgIdHi   high bits of the last candidate's msgId.
     * @param msgIdLo   low bits of the last candidate's msgId.
     * @param seq       the last candidate's seq.
     * @param sender    the sender's session.
     * @param arrayJson buffer holding the JSON array of candidate objects, brackets included.
     * @param offset    offset of the array.
     * @param length    length of the array.
     * @return the sealed frame.
     */
    public Frame iceBatch(
        final Room room,
        final long nowMs,
        final long msgIdHi,
        final long msgIdLo,
        final long seq,
        final Session sender,
        final byte[] arrayJson,
        final int offset,
        final int length)
    {
        begin(MessageType.ICE_CANDIDATE, true, 256 + length, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(MSG_ID).uuid(msgIdHi, msgIdLo).raw(SEQ).number(seq)
            .raw(SENDER_ID).quoted(sender.userId(), 0, sender.userIdLength())
            .raw(PAYLOAD).raw(CANDIDATES_ARRAY).raw(arrayJson, offset, length).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A game_event broadcast with the room's rseq.
     *
     * @param room   the room.
     * @param nowMs  server time.
     * @param slot   the sender's message.
     * @param sender the sender's session.
     * @param rseq   the room's rseq.
     * @return the sealed frame.
     */
    public Frame gameEvent(
        final Room room, final long nowMs, final InboundSlot slot, final Session sender, final long rseq)
    {
        begin(MessageType.GAME_EVENT, false, 256 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        original(slot, sender);
        writer.raw(RSEQ).number(rseq).raw(PAYLOAD).raw(slot.payload, 0, slot.payloadLength).raw((byte)'}');
        return end();
    }

    /**
     * A game_event the operator published: {@code senderId:"server"}, the command's msgId, the room's rseq.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param slot  the admin command with its payload.
     * @param rseq  the room's rseq.
     * @return the sealed frame.
     */
    public Frame serverGameEvent(final Room room, final long nowMs, final InboundSlot slot, final long rseq)
    {
        begin(MessageType.GAME_EVENT, false, 256 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(MSG_ID).uuid(slot.msgIdHi, slot.msgIdLo).raw(SENDER_ID).raw(SERVER_QUOTED)
            .raw(RSEQ).number(rseq).raw(PAYLOAD).raw(slot.payload, 0, slot.payloadLength).raw((byte)'}');
        return end();
    }

    /**
     * A game_state patch the operator published {@code {version, patch}}, with {@code senderId:"server"}.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param slot  the admin command with its patch and the version it was given.
     * @return the sealed frame.
     */
    public Frame serverGameStatePatch(final Room room, final long nowMs, final InboundSlot slot)
    {
        begin(MessageType.GAME_STATE, false, 160 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(SENDER_ID).raw(SERVER_QUOTED).raw(PAYLOAD).raw(VERSION).number(slot.version).raw(PATCH)
            .raw(slot.payload, 0, slot.payloadLength).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A game_state patch broadcast {@code {version, patch}}.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param slot  the host's game_state message.
     * @return the sealed frame.
     */
    public Frame gameStatePatch(final Room room, final long nowMs, final InboundSlot slot)
    {
        begin(MessageType.GAME_STATE, true, 128 + slot.payloadLength, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(VERSION).number(slot.version).raw(PATCH)
            .raw(slot.payload, 0, slot.payloadLength).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A game_state broadcast {@code {version, patch}} of the patches merged over one tick.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param patch the merged patch with its last version.
     * @return the sealed frame.
     */
    public Frame gameStatePatch(final Room room, final long nowMs, final PendingPatch patch)
    {
        begin(MessageType.GAME_STATE, true, 128 + patch.encodedBytes(), room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(VERSION).number(patch.version()).raw(PATCH);
        patch.writeObject(writer);
        writer.raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * A full game_state snapshot {@code {version, state, snapshot:true}}.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @return the sealed frame.
     */
    public Frame gameStateSnapshot(final Room room, final long nowMs)
    {
        begin(MessageType.GAME_STATE, true, 128 + (int)room.gameState().encodedBytes(),
            room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(VERSION).number(room.gameState().version()).raw(STATE);
        room.gameState().writeObject(writer);
        writer.raw(SNAPSHOT).raw((byte)'}');
        return end();
    }

    /**
     * {@code role_changed {role, reason}}.
     *
     * @param room   the room.
     * @param nowMs  server time.
     * @param role   the new role.
     * @param reason the reason bytes.
     * @param dseq   the recipient's dseq.
     * @return the sealed frame.
     */
    public Frame roleChanged(final Room room, final long nowMs, final int role, final byte[] reason, final long dseq)
    {
        begin(MessageType.ROLE_CHANGED, false, 160, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(DSEQ).number(dseq).raw(PAYLOAD).raw(ROLE_FIRST).raw(roleName(role))
            .raw(REASON).raw(reason).raw(END_STRING_OBJECT).raw((byte)'}');
        return end();
    }

    /**
     * {@code cohost_queue_updated {activeGuest, queue, queueLength}} broadcast.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @param rseq  the room's rseq.
     * @return the sealed frame.
     */
    public Frame queueUpdated(final Room room, final long nowMs, final long rseq)
    {
        begin(MessageType.COHOST_QUEUE_UPDATED, false, 256 + 70 * room.queueLength(),
            room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(RSEQ).number(rseq).raw(PAYLOAD).raw(ACTIVE_GUEST_FIRST);
        userIdOrNull(room.activeGuest());
        writer.raw(QUEUE);
        queueArray(room);
        writer.raw(QUEUE_LENGTH).number(room.queueLength()).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * {@code room_closed {reason}} broadcast.
     *
     * @param room   the room.
     * @param nowMs  server time.
     * @param rseq   the room's rseq.
     * @param reason reason bytes.
     * @return the sealed frame.
     */
    public Frame roomClosed(final Room room, final long nowMs, final long rseq, final byte[] reason)
    {
        begin(MessageType.ROOM_CLOSED, false, 160, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(RSEQ).number(rseq).raw(PAYLOAD).raw(REASON_FIRST).raw(reason).raw(END_STRING_OBJECT)
            .raw((byte)'}');
        return end();
    }

    /**
     * {@code resume_ok} or {@code resume_migrated} answering a resume, with {@code for} and no dseq.
     *
     * @param room     the room.
     * @param nowMs    server time.
     * @param forHi    the resume's msgId high bits.
     * @param forLo    the resume's msgId low bits.
     * @param session  the resumed session.
     * @param reason   reason bytes for resume_migrated, null for resume_ok.
     * @param position 1-based queue position, 0 when not queued.
     * @param replayed frames about to be replayed.
     * @param gap      whether some missed frame left a window.
     * @return the sealed frame.
     */
    public Frame resumeAnswer(
        final Room room,
        final long nowMs,
        final long forHi,
        final long forLo,
        final Session session,
        final byte[] reason,
        final int position,
        final int replayed,
        final boolean gap)
    {
        final MessageType type = null == reason ? MessageType.RESUME_OK : MessageType.RESUME_MIGRATED;
        begin(type, false, 320, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(FOR).uuid(forHi, forLo).raw(PAYLOAD).raw((byte)'{').raw(ROLE_PLAIN).raw(roleName(session.role()));
        if (null != reason)
        {
            writer.raw(REASON).raw(reason);
        }
        writer.raw(USER_ID_AFTER).quoted(session.userId(), 0, session.userIdLength()).raw(POSITION);
        if (position > 0)
        {
            writer.number(position);
        }
        else
        {
            writer.nullValue();
        }
        if (null != iceServers)
        {
            iceServers.write(writer, session.userId(), session.userIdLength(), nowMs);
        }
        writer.raw(GAME_STATE_VERSION).number(room.gameState().version())
            .raw(REPLAYED).number(replayed).raw(GAP).bool(gap).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * Presence for the host and guest: {@code {joined, left, roomSize}}.
     *
     * @param room  the room with its pending deltas.
     * @param nowMs server time.
     * @return the sealed frame.
     */
    public Frame presenceDelta(final Room room, final long nowMs)
    {
        begin(MessageType.PRESENCE, true,
            160 + 70 * (room.presenceJoined().size() + room.presenceLeft().size()), room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(JOINED_FIRST);
        room.presenceJoined().writeArray(writer);
        writer.raw(LEFT);
        room.presenceLeft().writeArray(writer);
        writer.raw(ROOM_SIZE).number(room.memberCount()).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * Presence for viewers: {@code {roomSize}}.
     *
     * @param room  the room.
     * @param nowMs server time.
     * @return the sealed frame.
     */
    public Frame presenceSize(final Room room, final long nowMs)
    {
        begin(MessageType.PRESENCE, true, 128, room.roomId(), room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(ROOM_SIZE_FIRST).number(room.memberCount()).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * {@code flow_control {mode, dropped}}, never droppable.
     *
     * @param room    the socket's room, or null.
     * @param nowMs   server time.
     * @param normal  true for mode normal, false for drop_non_critical.
     * @param dropped frames lost in the episode.
     * @return the sealed frame.
     */
    public Frame flowControl(final Room room, final long nowMs, final boolean normal, final long dropped)
    {
        begin(MessageType.FLOW_CONTROL, false, 160,
            null == room ? null : room.roomId(), null == room ? 0 : room.roomIdLength(), nowMs);
        writer.raw(PAYLOAD).raw(normal ? MODE_NORMAL : MODE_DROP).number(dropped).raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * {@code pong {ts}} echoing the ping's ts.
     *
     * @param roomId       room id bytes or null.
     * @param roomIdLength room id length, 0 to omit.
     * @param nowMs        server time.
     * @param hasTs        whether the ping carried ts.
     * @param ts           the ping's ts.
     * @return the sealed frame.
     */
    public Frame pong(
        final byte[] roomId, final int roomIdLength, final long nowMs, final boolean hasTs, final long ts)
    {
        begin(MessageType.PONG, true, 128, roomId, roomIdLength, nowMs);
        writer.raw(PAYLOAD).raw(TS_FIRST);
        if (hasTs)
        {
            writer.number(ts);
        }
        else
        {
            writer.nullValue();
        }
        writer.raw((byte)'}').raw((byte)'}');
        return end();
    }

    /**
     * Wire bytes of a role.
     *
     * @param role one of the Session ROLE constants.
     * @return the name bytes.
     */
    public static byte[] roleName(final int role)
    {
        return Session.ROLE_HOST == role ? HOST : Session.ROLE_GUEST == role ? GUEST : VIEWER;
    }

    private Frame errorFrame(
        final MessageType type,
        final byte[] roomId,
        final int roomIdLength,
        final long nowMs,
        final ErrorCode code,
        final boolean hasFor,
        final long forHi,
        final long forLo,
        final long dseq)
    {
        begin(type, false, 224, roomId, roomIdLength, nowMs);
        if (hasFor)
        {
            writer.raw(FOR).uuid(forHi, forLo);
        }
        if (dseq > 0)
        {
            writer.raw(DSEQ).number(dseq);
        }
        writer.raw(PAYLOAD).raw(CODE).raw(code.wireNameBytes()).raw(MESSAGE).raw(code.messageBytes())
            .raw(END_STRING_OBJECT).raw((byte)'}');
        return end();
    }

    private void begin(
        final MessageType type,
        final boolean droppable,
        final int capacity,
        final byte[] roomId,
        final int roomIdLength,
        final long nowMs)
    {
        writer.wrap(framePool.acquire(capacity, type, droppable));
        writer.raw(TYPE).raw(type.wireNameBytes());
        if (roomIdLength > 0)
        {
            writer.raw(ROOM_ID).raw(roomId, 0, roomIdLength).raw(TS);
        }
        else
        {
            writer.raw(TS);
        }
        writer.number(nowMs);
    }

    private void original(final InboundSlot slot, final Session sender)
    {
        writer.raw(MSG_ID).uuid(slot.msgIdHi, slot.msgIdLo).raw(SEQ).number(slot.seq)
            .raw(SENDER_ID).quoted(sender.userId(), 0, sender.userIdLength());
    }

    private void userIdOrNull(final Session session)
    {
        if (null == session)
        {
            writer.nullValue();
        }
        else
        {
            writer.quoted(session.userId(), 0, session.userIdLength());
        }
    }

    private void queueArray(final Room room)
    {
        writer.raw((byte)'[');
        for (int i = 0; i < room.queueLength(); i++)
        {
            if (i > 0)
            {
                writer.raw((byte)',');
            }
            writer.quoted(room.queued(i).userId(), 0, room.queued(i).userIdLength());
        }
        writer.raw((byte)']');
    }

    private Frame end()
    {
        return writer.seal();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
