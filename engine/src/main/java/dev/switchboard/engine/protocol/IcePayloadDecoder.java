package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;

import java.io.IOException;

import static dev.switchboard.engine.protocol.JsonTokens.ABSENT;
import static dev.switchboard.engine.protocol.JsonTokens.BAD;
import static dev.switchboard.engine.protocol.JsonTokens.NULL;
import static dev.switchboard.engine.protocol.JsonTokens.VALID;

/**
 * Payload rule of {@code ice_candidate}, protocol section 3: a {@code candidate} string, and optional
 * {@code sdpMid} (string or null), {@code sdpMLineIndex} (non-negative integer or null) and
 * {@code usernameFragment} (string of at most {@link EnvelopeDecoder#MAX_UFRAG_BYTES} escaped bytes, or null).
 * The payload is re-encoded into the slot with those four fields only, in that order, and the ufrag is also copied
 * to the slot's own field for the engine's generation check.
 * <p>
 * One instance per envelope decoder: the escaped field values wait in scratch arrays until the whole object has
 * been read (fields may come in any order, the last occurrence wins), so steady state allocates nothing.
 */
final class IcePayloadDecoder
{
    private static final byte[] CANDIDATE_PREFIX = JsonTokens.ascii("{\"candidate\":\"");
    private static final byte[] SDP_MID_NAME = JsonTokens.ascii(",\"sdpMid\":");
    private static final byte[] SDP_MLINE_INDEX_NAME = JsonTokens.ascii(",\"sdpMLineIndex\":");
    private static final byte[] UFRAG_NAME = JsonTokens.ascii(",\"usernameFragment\":");
    private static final byte[] NULL_LITERAL = JsonTokens.ascii("null");
    private static final int MAX_LONG_DIGITS = 20;

    private byte[] candidateScratch = new byte[1024];
    private byte[] sdpMidScratch = new byte[64];
    private final byte[] ufragScratch = new byte[EnvelopeDecoder.MAX_UFRAG_BYTES * JsonEscaper.MAX_BYTES_PER_CHAR];

    private byte candidateState;
    private int candidateLength;
    private byte midState;
    private int midLength;
    private byte indexState;
    private long index;
    private byte ufragState;
    private int ufragLength;
    private int lastEscapedLength;

    /**
     * Read an ICE payload to its end and, when it is valid, write the re-encoded payload into the slot.
     *
     * @param parser the parser, on the payload's START_OBJECT; returns with it on the matching END_OBJECT.
     * @param slot   the slot to fill.
     * @return false when the payload breaks its rules.
     * @throws IOException when the JSON is malformed.
     */
    boolean decode(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        candidateState = ABSENT;
        candidateLength = 0;
        midState = ABSENT;
        midLength = 0;
        indexState = ABSENT;
        index = 0;
        ufragState = ABSENT;
        ufragLength = 0;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            field(parser, name, value);
            parser.skipChildren();
        }
        if (VALID != candidateState || BAD == midState || BAD == indexState || BAD == ufragState)
        {
            return false;
        }
        write(slot);
        return true;
    }

    private void field(final EnvelopeJsonParser parser, final String name, final JsonToken value) throws IOException
    {
        switch (name)
        {
            case "candidate":
                candidateState = BAD;
                if (JsonToken.VALUE_STRING == value)
                {
                    candidateScratch = escapeInto(parser, candidateScratch);
                    candidateLength = lastEscapedLength;
                    candidateState = VALID;
                }
                break;
            case "sdpMid":
                midState = JsonToken.VALUE_NULL == value ? NULL : BAD;
                if (JsonToken.VALUE_STRING == value)
                {
                    sdpMidScratch = escapeInto(parser, sdpMidScratch);
                    midLength = lastEscapedLength;
                    midState = VALID;
                }
                break;
            case "sdpMLineIndex":
                indexState = JsonToken.VALUE_NULL == value ? NULL : BAD;
                if (JsonToken.VALUE_NULL != value)
                {
                    index = JsonTokens.nonNegativeLong(parser, value);
                    indexState = index >= 0 ? VALID : BAD;
                }
                break;
            case "usernameFragment":
                ufragState = JsonToken.VALUE_NULL == value ? NULL : BAD;
                if (JsonToken.VALUE_STRING == value)
                {
                    ufragField(parser);
                }
                break;
            default:
                break;
        }
    }

    /** Escape the current string token into scratch, growing it when needed; the length lands in lastEscapedLength. */
    private byte[] escapeInto(final EnvelopeJsonParser parser, final byte[] scratch) throws IOException
    {
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        final int needed = JsonEscaper.escapedLength(chars, offset, length);
        final byte[] dst = scratch.length < needed ? new byte[needed] : scratch;
        lastEscapedLength = JsonEscaper.escape(chars, offset, length, dst, 0);
        return dst;
    }

    private void ufragField(final EnvelopeJsonParser parser) throws IOException
    {
        final int length = parser.getTextLength();
        if (length <= EnvelopeDecoder.MAX_UFRAG_BYTES)
        {
            ufragLength = JsonEscaper.escape(
                parser.getTextCharacters(), parser.getTextOffset(), length, ufragScratch, 0);
            if (ufragLength <= EnvelopeDecoder.MAX_UFRAG_BYTES)
            {
                ufragState = VALID;
            }
        }
    }

    private void write(final InboundSlot slot)
    {
        final int capacity = CANDIDATE_PREFIX.length + candidateLength + 1 +
            SDP_MID_NAME.length + midLength + 2 +
            SDP_MLINE_INDEX_NAME.length + MAX_LONG_DIGITS +
            UFRAG_NAME.length + ufragLength + 2 + 1;
        slot.ensurePayloadCapacity(capacity);
        final byte[] dst = slot.payload;
        int p = put(CANDIDATE_PREFIX, dst, 0);
        System.arraycopy(candidateScratch, 0, dst, p, candidateLength);
        p += candidateLength;
        dst[p++] = '"';
        if (ABSENT != midState)
        {
            p = put(SDP_MID_NAME, dst, p);
            p = VALID == midState ? putQuoted(sdpMidScratch, midLength, dst, p) : put(NULL_LITERAL, dst, p);
        }
        if (ABSENT != indexState)
        {
            p = put(SDP_MLINE_INDEX_NAME, dst, p);
            p = VALID == indexState ? putLong(index, dst, p) : put(NULL_LITERAL, dst, p);
        }
        if (ABSENT != ufragState)
        {
            p = put(UFRAG_NAME, dst, p);
            if (VALID == ufragState)
            {
                p = putQuoted(ufragScratch, ufragLength, dst, p);
                System.arraycopy(ufragScratch, 0, slot.ufrag, 0, ufragLength);
                slot.ufragLength = ufragLength;
            }
            else
            {
                p = put(NULL_LITERAL, dst, p);
            }
        }
        dst[p++] = '}';
        slot.payloadLength = p;
    }

    private static int put(final byte[] src, final byte[] dst, final int offset)
    {
        System.arraycopy(src, 0, dst, offset, src.length);
        return offset + src.length;
    }

    private static int putQuoted(final byte[] src, final int length, final byte[] dst, final int offset)
    {
        int p = offset;
        dst[p++] = '"';
        System.arraycopy(src, 0, dst, p, length);
        p += length;
        dst[p++] = '"';
        return p;
    }

    private static int putLong(final long value, final byte[] dst, final int offset)
    {
        if (0 == value)
        {
            dst[offset] = '0';
            return offset + 1;
        }
        int digits = 0;
        for (long v = value; v != 0; v /= 10)
        {
            digits++;
        }
        long v = value;
        for (int i = offset + digits - 1; i >= offset; i--)
        {
            dst[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        return offset + digits;
    }
}
