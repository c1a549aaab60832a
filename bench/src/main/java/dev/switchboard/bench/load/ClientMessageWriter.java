package dev.switchboard.bench.load;

import dev.switchboard.engine.protocol.Uuids;

import java.nio.charset.StandardCharsets;

/**
 * Writes the client messages of the load generator as JSON text into one reusable array, without allocation.
 */
public final class ClientMessageWriter
{
    private static final byte[] TYPE_JOIN = ascii("{\"type\":\"join\",\"msgId\":\"");
    private static final byte[] TYPE_LEAVE = ascii("{\"type\":\"leave\",\"msgId\":\"");
    private static final byte[] TYPE_GAME_EVENT = ascii("{\"type\":\"game_event\",\"msgId\":\"");
    private static final byte[] TYPE_GAME_STATE = ascii("{\"type\":\"game_state\",\"msgId\":\"");
    private static final byte[] TYPE_OFFER = ascii("{\"type\":\"webrtc_offer\",\"msgId\":\"");
    private static final byte[] TYPE_ANSWER = ascii("{\"type\":\"webrtc_answer\",\"msgId\":\"");
    private static final byte[] TYPE_ICE = ascii("{\"type\":\"ice_candidate\",\"msgId\":\"");
    private static final byte[] ROOM_ID = ascii("\",\"roomId\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] TO = ascii(",\"to\":\"");
    private static final byte[] PAYLOAD = ascii(",\"payload\":{");
    private static final byte[] ROLE_HOST = ascii("\"role\":\"host\"}}");
    private static final byte[] ROLE_VIEWER = ascii("\"role\":\"viewer\"}}");
    private static final byte[] EMPTY_PAYLOAD_END = ascii("}}");
    private static final byte[] T = ascii("\"t\":");
    private static final byte[] PUB = ascii(",\"pub\":");
    private static final byte[] N = ascii(",\"n\":");
    private static final byte[] PAD = ascii(",\"pad\":\"");
    private static final byte[] VERSION = ascii("\"version\":");
    private static final byte[] PATCH_T = ascii(",\"patch\":{\"t\":");
    private static final byte[] SDP = ascii("\"sdp\":\"v=0 lg t=");
    private static final byte[] CANDIDATE = ascii("\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 ");
    private static final byte[] CANDIDATE_END = ascii(" typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
    private static final byte[] OBJECT_END = ascii("}}");
    private static final byte[] STATE_END = ascii("}}}");

    private final byte[] buffer;
    private int length;

    /**
     * Makes a writer whose messages may be up to {@code capacity} bytes long.
     *
     * @param capacity the largest message in bytes.
     */
    public ClientMessageWriter(final int capacity)
    {
        buffer = new byte[capacity];
    }

    /**
     * The array holding the last message written.
     *
     * @return the backing array.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * Length of the last message written.
     *
     * @return bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Writes {@code join} with the given role.
     *
     * @param roomId room id bytes.
     * @param host   true to join as host, false as viewer.
     * @param msgHi  high bits of the msgId.
     * @param msgLo  low bits of the msgId.
     * @param seq    the sender's sequence number.
     * @return the message length.
     */
    public int join(final byte[] roomId, final boolean host, final long msgHi, final long msgLo, final long seq)
    {
        envelope(TYPE_JOIN, roomId, msgHi, msgLo, seq);
        put(PAYLOAD);
        put(host ? ROLE_HOST : ROLE_VIEWER);
        return length;
    }

    /**
     * Writes {@code leave}.
     *
     * @param roomId room id bytes.
     * @param msgHi  high bits of the msgId.
     * @param msgLo  low bits of the msgId.
     * @param seq    the sender's sequence number.
     * @return the message length.
     */
    public int leave(final byte[] roomId, final long msgHi, final long msgLo, final long seq)
    {
        envelope(TYPE_LEAVE, roomId, msgHi, msgLo, seq);
        put(PAYLOAD);
        put(EMPTY_PAYLOAD_END);
        return length;
    }

    /**
     * Writes a {@code game_event} whose payload is {@code {"t":intendedNs,"pub":publisher,"n":n}} plus padding.
     *
     * @param roomId      room id bytes.
     * @param msgHi       high bits of the msgId.
     * @param msgLo       low bits of the msgId.
     * @param seq         the sender's sequence number.
     * @param intendedNs  the scheduled send time.
     * @param publisher   the publisher's index.
     * @param n           the message's tracking number.
     * @param padBytes    extra payload bytes to reach a target size, zero for none.
     * @return the message length.
     */
    public int gameEvent(
        final byte[] roomId,
        final long msgHi,
        final long msgLo,
        final long seq,
        final long intendedNs,
        final int publisher,
        final long n,
        final int padBytes)
    {
        envelope(TYPE_GAME_EVENT, roomId, msgHi, msgLo, seq);
        put(PAYLOAD);
        put(T);
        putLong(intendedNs);
        put(PUB);
        putLong(publisher);
        put(N);
        putLong(n);
        if (padBytes > 0)
        {
            put(PAD);
            final int pad = Math.min(padBytes, buffer.length - length - 8);
            for (int i = 0; i < pad; i++)
            {
                buffer[length++] = 'x';
            }
            buffer[length++] = '"';
        }
        put(OBJECT_END);
        return length;
    }

    /**
     * Writes a {@code game_state} whose patch is {@code {"t":intendedNs}}.
     *
     * @param roomId     room id bytes.
     * @param msgHi      high bits of the msgId.
     * @param msgLo      low bits of the msgId.
     * @param seq        the sender's sequence number.
     * @param version    the state version, increasing.
     * @param intendedNs the scheduled send time.
     * @return the message length.
     */
    public int gameState(
        final byte[] roomId, final long msgHi, final long msgLo, final long seq, final long version, final long intendedNs)
    {
        envelope(TYPE_GAME_STATE, roomId, msgHi, msgLo, seq);
        put(PAYLOAD);
        put(VERSION);
        putLong(version);
        put(PATCH_T);
        putLong(intendedNs);
        put(STATE_END);
        return length;
    }

    /**
     * Writes a {@code webrtc_offer} or {@code webrtc_answer} whose SDP carries the intended send time.
     *
     * @param answer     true for an answer, false for an offer.
     * @param roomId     room id bytes.
     * @param msgHi      high bits of the msgId.
     * @param msgLo      low bits of the msgId.
     * @param seq        the sender's sequence number.
     * @param to         array holding the target userId.
     * @param toOffset   first byte of the userId.
     * @param toLength   length of the userId.
     * @param intendedNs the scheduled send time.
     * @return the message length.
     */
    public int sdp(
        final boolean answer,
        final byte[] roomId,
        final long msgHi,
        final long msgLo,
        final long seq,
        final byte[] to,
        final int toOffset,
        final int toLength,
        final long intendedNs)
    {
        envelope(answer ? TYPE_ANSWER : TYPE_OFFER, roomId, msgHi, msgLo, seq);
        put(TO);
        put(to, toOffset, toLength);
        buffer[length++] = '"';
        put(PAYLOAD);
        put(SDP);
        putLong(intendedNs);
        buffer[length++] = '"';
        put(OBJECT_END);
        return length;
    }

    /**
     * Writes an {@code ice_candidate} to the given user.
     *
     * @param roomId   room id bytes.
     * @param msgHi    high bits of the msgId.
     * @param msgLo    low bits of the msgId.
     * @param seq      the sender's sequence number.
     * @param to       array holding the target userId.
     * @param toOffset first byte of the userId.
     * @param toLength length of the userId.
     * @param port     the candidate's port, to make candidates differ.
     * @return the message length.
     */
    public int ice(
        final byte[] roomId,
        final long msgHi,
        final long msgLo,
        final long seq,
        final byte[] to,
        final int toOffset,
        final int toLength,
        final int port)
    {
        envelope(TYPE_ICE, roomId, msgHi, msgLo, seq);
        put(TO);
        put(to, toOffset, toLength);
        buffer[length++] = '"';
        put(PAYLOAD);
        put(CANDIDATE);
        putLong(port);
        put(CANDIDATE_END);
        return length;
    }

    private void envelope(final byte[] type, final byte[] roomId, final long msgHi, final long msgLo, final long seq)
    {
        length = 0;
        put(type);
        length += Uuids.write(msgHi, msgLo, buffer, length);
        put(ROOM_ID);
        put(roomId);
        put(SEQ);
        putLong(seq);
    }

    private void put(final byte[] src)
    {
        System.arraycopy(src, 0, buffer, length, src.length);
        length += src.length;
    }

    private void put(final byte[] src, final int offset, final int count)
    {
        System.arraycopy(src, offset, buffer, length, count);
        length += count;
    }

    private void putLong(final long value)
    {
        long v = value;
        if (v < 0)
        {
            buffer[length++] = '-';
            v = -v;
        }
        if (0 == v)
        {
            buffer[length++] = '0';
            return;
        }
        int digits = 0;
        for (long x = v; x != 0; x /= 10)
        {
            digits++;
        }
        int at = length + digits - 1;
        while (v != 0)
        {
            buffer[at--] = (byte)('0' + (v % 10));
            v /= 10;
        }
        length += digits;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
