package dev.switchboard.bench.baseline;

import java.nio.ByteBuffer;

import static dev.switchboard.bench.baseline.RawAscii.ascii;

/**
 * Every frame the {@link RawWriter} sends, written from pre-encoded templates straight into the shared arena of the
 * {@link RawOutbound} and queued there: each frame body is written {@link #MAX_HEADER_BYTES} past the arena position
 * and its RFC 6455 header is filled in before it once the length is known, so a frame is encoded once however many
 * sockets it goes to. Stamps {@code ts} from the wall clock, formatted at most once per millisecond. Owned by the
 * serving thread; allocates nothing.
 */
final class RawMessageEncoder
{
    /** Room kept before each frame body for the longest frame header. */
    static final int MAX_HEADER_BYTES = 10;

    private static final int ENCODE_HEADROOM = 512;
    private static final int MAX_CONTROL_PAYLOAD_BYTES = 125;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PONG = 0xA;

    private static final byte[] ACK_HEAD = ascii("{\"type\":\"ack\",\"roomId\":\"");
    private static final byte[] ERROR_HEAD = ascii("{\"type\":\"error\",\"roomId\":\"");
    private static final byte[] JOINED_HEAD = ascii("{\"type\":\"joined\",\"roomId\":\"");
    private static final byte[] TYPE_HEAD = ascii("{\"type\":");
    private static final byte[] ROOM_ID = ascii(",\"roomId\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] FOR = ascii(",\"for\":\"");
    private static final byte[] MSG_ID = ascii(",\"msgId\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] SENDER_ID = ascii(",\"senderId\":\"");
    private static final byte[] PAYLOAD = ascii("\",\"payload\":");
    private static final byte[] CANDIDATES = ascii("{\"candidates\":[");
    private static final byte[] END_CANDIDATES = ascii("]}}");
    private static final byte[] END_OBJECT = ascii("}");
    private static final byte[] END_STRING_OBJECT = ascii("\"}");
    private static final byte[] END_STRING_OBJECTS = ascii("\"}}");
    private static final byte[] END_OBJECTS = ascii("}}");
    private static final byte[] PONG_HEAD = ascii("{\"type\":\"pong\",\"ts\":");
    private static final byte[] PAYLOAD_TS = ascii(",\"payload\":{\"ts\":");
    private static final byte[] CODE = ascii(",\"payload\":{\"code\":\"");
    private static final byte[] JOINED_USER = ascii(",\"payload\":{\"userId\":\"");
    private static final byte[] ROLE_HOST = ascii("\",\"role\":\"host\",\"hostId\":");
    private static final byte[] ROLE_VIEWER = ascii("\",\"role\":\"viewer\",\"hostId\":");
    private static final byte[] JOINED_SIZE = ascii(",\"roomSize\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] ZERO = ascii("0");

    private final RawOutbound outbound;
    private final ByteBuffer arena;
    private final byte[] digits = new byte[RawAscii.MAX_LONG_DIGITS];
    private final byte[] tsDigits = new byte[RawAscii.MAX_LONG_DIGITS];
    private long tsMs = Long.MIN_VALUE;
    private int tsLength;

    /**
     * Makes an encoder over the outbound side's arena.
     *
     * @param outbound where frames are written and queued.
     */
    RawMessageEncoder(final RawOutbound outbound)
    {
        this.outbound = outbound;
        this.arena = outbound.arena();
    }

    /**
     * Queues bytes as they are, without a frame: an HTTP response.
     *
     * @param connection the socket.
     * @param response   the bytes.
     */
    void writeHttp(final RawConnection connection, final byte[] response)
    {
        ensureArena(response.length);
        final int start = arena.position();
        arena.put(response);
        outbound.enqueue(connection, start, arena.position());
    }

    /**
     * Queues {@code ack} for the message: its {@code roomId} and its {@code msgId} as {@code for}.
     *
     * @param connection the sender.
     * @param envelope   the message.
     */
    void writeAck(final RawConnection connection, final RawEnvelope envelope)
    {
        final byte[] in = envelope.bytes();
        final int roomIdStart = envelope.roomIdStart();
        final int roomIdEnd = envelope.roomIdEnd();
        final int msgIdStart = envelope.msgIdStart();
        final int msgIdEnd = envelope.msgIdEnd();
        ensureArena(ENCODE_HEADROOM + (roomIdEnd - roomIdStart) + (msgIdEnd - msgIdStart));
        final int bodyStart = beginFrame();
        arena.put(ACK_HEAD);
        if (roomIdStart >= 0)
        {
            arena.put(in, roomIdStart, roomIdEnd - roomIdStart);
        }
        putTs();
        arena.put(FOR);
        if (msgIdStart >= 0)
        {
            arena.put(in, msgIdStart, msgIdEnd - msgIdStart);
        }
        arena.put(END_STRING_OBJECT);
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    /**
     * Queues {@code error} with the code, echoing the message's {@code roomId} and, when present, its {@code msgId}.
     *
     * @param connection the sender.
     * @param envelope   the message.
     * @param code       the error code bytes.
     */
    void writeError(final RawConnection connection, final RawEnvelope envelope, final byte[] code)
    {
        final byte[] in = envelope.bytes();
        final int roomIdStart = envelope.roomIdStart();
        final int roomIdEnd = envelope.roomIdEnd();
        final int msgIdStart = envelope.msgIdStart();
        final int msgIdEnd = envelope.msgIdEnd();
        ensureArena(ENCODE_HEADROOM + Math.max(0, roomIdEnd - roomIdStart) + Math.max(0, msgIdEnd - msgIdStart));
        final int bodyStart = beginFrame();
        arena.put(ERROR_HEAD);
        if (roomIdStart >= 0)
        {
            arena.put(in, roomIdStart, roomIdEnd - roomIdStart);
        }
        putTs();
        if (msgIdStart >= 0)
        {
            arena.put(FOR).put(in, msgIdStart, msgIdEnd - msgIdStart).put((byte)'"');
        }
        arena.put(CODE).put(code).put(END_STRING_OBJECTS);
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    /**
     * Queues {@code joined} to a new member: its user id, role, the room's host and size.
     *
     * @param connection the member that joined.
     * @param room       its room.
     * @param host       whether it joined as host.
     */
    void writeJoined(final RawConnection connection, final RawRoom room, final boolean host)
    {
        ensureArena(ENCODE_HEADROOM + room.id.length);
        final int bodyStart = beginFrame();
        arena.put(JOINED_HEAD).put(room.id);
        putTs();
        arena.put(JOINED_USER).put(connection.userId, 0, connection.userIdLength);
        arena.put(host ? ROLE_HOST : ROLE_VIEWER);
        final RawConnection roomHost = room.host;
        if (null == roomHost)
        {
            arena.put(NULL);
        }
        else
        {
            arena.put((byte)'"').put(roomHost.userId, 0, roomHost.userIdLength).put((byte)'"');
        }
        arena.put(JOINED_SIZE);
        arena.put(digits, 0, RawAscii.formatLong(room.size, digits));
        arena.put(END_OBJECTS);
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    /**
     * Queues the {@code pong} message answering a {@code ping} message, echoing its {@code ts} or 0.
     *
     * @param connection the sender of the ping.
     * @param envelope   the ping.
     */
    void writePongMessage(final RawConnection connection, final RawEnvelope envelope)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put(PONG_HEAD);
        refreshTs();
        arena.put(tsDigits, 0, tsLength);
        arena.put(PAYLOAD_TS);
        if (envelope.tsStart() >= 0)
        {
            arena.put(envelope.bytes(), envelope.tsStart(), envelope.tsEnd() - envelope.tsStart());
        }
        else
        {
            arena.put(ZERO);
        }
        arena.put(END_OBJECTS);
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    /**
     * Encodes the message as relayed from its sender, once for all recipients, without queueing it.
     *
     * @param connection the sender, in a room.
     * @param envelope   the message, with a {@code msgId}.
     * @param candidates whether the payload goes inside {@code {"candidates":[...]}}.
     * @return the arena index where the frame starts; it ends at {@link #frameEnd()}.
     */
    int encodeRelayed(final RawConnection connection, final RawEnvelope envelope, final boolean candidates)
    {
        final byte[] in = envelope.bytes();
        final RawRoom room = connection.room;
        final int payloadStart = envelope.payloadStart();
        final int payloadLength = payloadStart >= 0 ? envelope.payloadEnd() - payloadStart : 0;
        final int msgIdStart = envelope.msgIdStart();
        final int msgIdLength = envelope.msgIdEnd() - msgIdStart;
        ensureArena(ENCODE_HEADROOM + payloadLength + room.id.length + msgIdLength);
        final int bodyStart = beginFrame();
        arena.put(TYPE_HEAD).put(in, envelope.typeStart(), envelope.typeEnd() + 1 - envelope.typeStart());
        arena.put(ROOM_ID).put(room.id);
        putTs();
        arena.put(MSG_ID).put(in, msgIdStart, msgIdLength);
        arena.put(SEQ);
        if (envelope.seqStart() >= 0)
        {
            arena.put(in, envelope.seqStart(), envelope.seqEnd() - envelope.seqStart());
        }
        else
        {
            arena.put(ZERO);
        }
        arena.put(SENDER_ID).put(connection.userId, 0, connection.userIdLength);
        if (payloadStart >= 0)
        {
            arena.put(PAYLOAD);
            if (candidates)
            {
                arena.put(CANDIDATES);
            }
            arena.put(in, payloadStart, payloadLength);
            arena.put(candidates ? END_CANDIDATES : END_OBJECT);
        }
        else
        {
            arena.put(END_STRING_OBJECT);
        }
        return endFrame(bodyStart, OPCODE_TEXT);
    }

    /**
     * One past the last byte of the frame just encoded.
     *
     * @return the arena position.
     */
    int frameEnd()
    {
        return arena.position();
    }

    /**
     * Queues a pong control frame echoing at most 125 bytes of the ping's payload.
     *
     * @param connection the sender of the ping.
     * @param payload    the ping's unmasked payload.
     * @param length     its length.
     */
    void writePongFrame(final RawConnection connection, final byte[] payload, final int length)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put(payload, 0, Math.min(length, MAX_CONTROL_PAYLOAD_BYTES));
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_PONG), arena.position());
    }

    /**
     * Queues a close frame with the code and closes the socket once it is flushed.
     *
     * @param connection the socket.
     * @param code       the close code.
     */
    void closeWith(final RawConnection connection, final int code)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put((byte)(code >>> 8)).put((byte)code);
        outbound.enqueue(connection, endFrame(bodyStart, OPCODE_CLOSE), arena.position());
        connection.closeAfterFlush = true;
    }

    private void putTs()
    {
        refreshTs();
        arena.put(TS).put(tsDigits, 0, tsLength);
    }

    private void refreshTs()
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs != tsMs)
        {
            tsMs = nowMs;
            tsLength = RawAscii.formatLong(nowMs, tsDigits);
        }
    }

    private void ensureArena(final int bytes)
    {
        outbound.ensureRemaining(bytes + MAX_HEADER_BYTES);
    }

    private int beginFrame()
    {
        final int bodyStart = arena.position() + MAX_HEADER_BYTES;
        arena.position(bodyStart);
        return bodyStart;
    }

    private int endFrame(final int bodyStart, final int opcode)
    {
        final int length = arena.position() - bodyStart;
        final int frameStart;
        if (length < 126)
        {
            frameStart = bodyStart - 2;
            arena.put(frameStart + 1, (byte)length);
        }
        else if (length < 65_536)
        {
            frameStart = bodyStart - 4;
            arena.put(frameStart + 1, (byte)126);
            arena.putShort(frameStart + 2, (short)length);
        }
        else
        {
            frameStart = bodyStart - 10;
            arena.put(frameStart + 1, (byte)127);
            arena.putLong(frameStart + 2, length);
        }
        arena.put(frameStart, (byte)(0x80 | opcode));
        return frameStart;
    }
}
