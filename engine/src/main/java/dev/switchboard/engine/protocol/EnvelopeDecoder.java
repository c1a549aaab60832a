package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;

import java.io.IOException;

import static dev.switchboard.engine.protocol.JsonTokens.ABSENT;
import static dev.switchboard.engine.protocol.JsonTokens.BAD;
import static dev.switchboard.engine.protocol.JsonTokens.ROOM_CHARS;
import static dev.switchboard.engine.protocol.JsonTokens.USER_CHARS;
import static dev.switchboard.engine.protocol.JsonTokens.VALID;

/**
 * Turns one client text message (UTF-8 JSON bytes) into the flat fields of an {@link InboundSlot}, applying every
 * envelope and payload rule of protocol sections 2, 3 and 10.
 * <p>
 * One instance per IoAgent thread: it holds a reusable jackson-core streaming parser that is re-pointed at each
 * message, so steady-state decoding allocates nothing. The whole object is always read to its end, so a valid
 * {@code msgId} is reported ({@link InboundSlot#hasMsgId}) whatever else is wrong with the message, and a
 * malformed document is always caught. Error precedence: malformed JSON or a top level that is not an object
 * gives {@code invalid_message}; otherwise an unknown type gives {@code unknown_type}; any other violation gives
 * {@code invalid_message}.
 * <p>
 * Choices where the protocol is silent: a known top-level field given twice is {@code invalid_message}; inside a
 * payload the last occurrence of a field wins, and a patch keeps duplicate keys as separate entries in order (so a
 * shallow merge applies the last); a {@code payload} that is present but not an object is {@code invalid_message}
 * for every type; {@code null} for {@code cohost_accept}'s {@code userId} means absent; the {@code game_event}
 * payload and the {@code game_state} patch are forwarded as their exact original bytes.
 */
public final class EnvelopeDecoder
{
    /** Deepest app object accepted, where the app object itself is level 1. */
    public static final int MAX_APP_DEPTH = 16;

    /** Deepest nesting of the whole document; anything deeper, even in stripped fields, is invalid_message. */
    public static final int MAX_DOCUMENT_DEPTH = 64;

    /** Largest escaped {@code usernameFragment} accepted, in bytes. */
    public static final int MAX_UFRAG_BYTES = 256;

    /** Distinct field names the parser may intern before it is rebuilt, bounding memory under random keys. */
    static final int MAX_INTERNED_NAMES = 2048;

    private static final int SEEN_TYPE = 1;
    private static final int SEEN_MSG_ID = 1 << 1;
    private static final int SEEN_ROOM_ID = 1 << 2;
    private static final int SEEN_SEQ = 1 << 3;
    private static final int SEEN_TS = 1 << 4;
    private static final int SEEN_TO = 1 << 5;
    private static final int SEEN_PAYLOAD = 1 << 6;

    private static final MessageType[] CLIENT_TYPES;

    static
    {
        int count = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                count++;
            }
        }
        CLIENT_TYPES = new MessageType[count];
        int i = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                CLIENT_TYPES[i++] = type;
            }
        }
    }

    private final int maxPayloadBytes;
    private EnvelopeJsonParser parser;
    private final byte[] uuidScratch = new byte[Uuids.CANONICAL_LENGTH];
    private final IcePayloadDecoder iceDecoder = new IcePayloadDecoder();

    private MessageType type;
    private boolean typeNotString;
    private boolean invalid;
    private int seen;
    private byte msgIdState;
    private byte roomIdState;
    private byte seqState;
    private byte tsState;
    private byte toState;
    private boolean payloadNotObject;
    private boolean payloadDone;
    private int deferredPayloadStart;
    private int deferredPayloadEnd;

    /**
     * Build a decoder for one IoAgent thread.
     *
     * @param maxPayloadBytes largest message the caller passes; longer ones are reported as payload_too_large.
     */
    public EnvelopeDecoder(final int maxPayloadBytes)
    {
        if (maxPayloadBytes <= 0)
        {
            throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.parser = EnvelopeJsonParser.create(MAX_DOCUMENT_DEPTH, maxPayloadBytes);
    }

    /**
     * Decode one complete message into slot: clears it, marks it a message and fills its fields, or sets
     * {@link InboundSlot#errorCode}; never throws, and leaves connectionId, publishNs and authUserId to the caller.
     *
     * @param buffer bytes holding the message.
     * @param offset index of the message's first byte.
     * @param length number of bytes in the message.
     * @param slot   the slot to fill.
     */
    public void decode(final byte[] buffer, final int offset, final int length, final InboundSlot slot)
    {
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.wireLength = length;
        if (length > maxPayloadBytes)
        {
            slot.errorCode = ErrorCode.PAYLOAD_TOO_LARGE.ordinal();
            return;
        }

        resetState();
        boolean wellFormed;
        try
        {
            wellFormed = decodeEnvelope(buffer, offset, length, slot);
        }
        catch (final IOException | RuntimeException ex)
        {
            wellFormed = false;
        }
        applyRules(wellFormed, slot);

        if (parser.symbolCount() > MAX_INTERNED_NAMES)
        {
            parser = EnvelopeJsonParser.create(MAX_DOCUMENT_DEPTH, maxPayloadBytes);
        }
    }

    /**
     * Number of distinct field names the current parser has interned, for tests of the rebuild bound.
     *
     * @return names in the parser's table.
     */
    int internedNames()
    {
        return parser.symbolCount();
    }

    private void resetState()
    {
        type = null;
        typeNotString = false;
        invalid = false;
        seen = 0;
        msgIdState = ABSENT;
        roomIdState = ABSENT;
        seqState = ABSENT;
        tsState = ABSENT;
        toState = ABSENT;
        payloadNotObject = false;
        payloadDone = false;
        deferredPayloadStart = -1;
        deferredPayloadEnd = -1;
    }

    private boolean decodeEnvelope(final byte[] buffer, final int offset, final int length, final InboundSlot slot)
        throws IOException
    {
        final int end = offset + length;
        final int start = JsonTokens.skipWhitespace(buffer, offset, end);
        if (start >= end || '{' != buffer[start])
        {
            return false;
        }

        final EnvelopeJsonParser parser = this.parser;
        parser.reset(buffer, start, end);
        parser.nextToken();
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            topLevelField(name, value, slot);
        }
        if (JsonTokens.skipWhitespace(buffer, parser.inputPtr(), end) != end)
        {
            return false;
        }

        if (deferredPayloadStart >= 0 && null != type && MessageType.UNKNOWN != type)
        {
            parser.reset(buffer, deferredPayloadStart, deferredPayloadEnd);
            parser.nextToken();
            payload(type, slot);
        }
        return true;
    }

    private void topLevelField(final String name, final JsonToken value, final InboundSlot slot) throws IOException
    {
        final int bit = topLevelBit(name);
        if (0 == bit)
        {
            parser.skipChildren();
            return;
        }
        if (0 != (seen & bit))
        {
            invalid = true;
            parser.skipChildren();
            return;
        }
        seen |= bit;

        switch (bit)
        {
            case SEEN_TYPE:
                typeField(value);
                break;
            case SEEN_MSG_ID:
                msgIdField(value, slot);
                break;
            case SEEN_ROOM_ID:
                roomIdState = BAD;
                if (JsonToken.VALUE_STRING == value)
                {
                    final int n = JsonTokens.copyId(parser, ROOM_CHARS, slot.roomId);
                    if (n > 0)
                    {
                        slot.roomIdLength = n;
                        roomIdState = VALID;
                    }
                }
                break;
            case SEEN_SEQ:
                seqField(value, slot);
                break;
            case SEEN_TS:
                tsField(value, slot);
                break;
            case SEEN_TO:
                toState = BAD;
                if (JsonToken.VALUE_STRING == value)
                {
                    final int n = JsonTokens.copyId(parser, USER_CHARS, slot.to);
                    if (n > 0)
                    {
                        slot.toLength = n;
                        toState = VALID;
                    }
                }
                break;
            default:
                payloadField(value, slot);
                break;
        }
        parser.skipChildren();
    }

    private static int topLevelBit(final String name)
    {
        switch (name)
        {
            case "type":
                return SEEN_TYPE;
            case "msgId":
                return SEEN_MSG_ID;
            case "roomId":
                return SEEN_ROOM_ID;
            case "seq":
                return SEEN_SEQ;
            case "ts":
                return SEEN_TS;
            case "to":
                return SEEN_TO;
            case "payload":
                return SEEN_PAYLOAD;
            default:
                return 0;
        }
    }

    private void typeField(final JsonToken value) throws IOException
    {
        if (JsonToken.VALUE_STRING != value)
        {
            typeNotString = true;
            return;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        type = MessageType.UNKNOWN;
        for (final MessageType candidate : CLIENT_TYPES)
        {
            if (JsonTokens.asciiEquals(candidate.wireNameBytes(), chars, offset, length))
            {
                type = candidate;
                break;
            }
        }
    }

    private void seqField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        final long seq = JsonTokens.nonNegativeLong(parser, value);
        seqState = BAD;
        if (seq >= 1)
        {
            slot.seq = seq;
            seqState = VALID;
        }
    }

    private void tsField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        final long ts = JsonTokens.nonNegativeLong(parser, value);
        tsState = BAD;
        if (ts >= 0)
        {
            slot.ts = ts;
            slot.hasTs = true;
            tsState = VALID;
        }
    }

    private void msgIdField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        msgIdState = BAD;
        if (JsonToken.VALUE_STRING != value)
        {
            return;
        }
        final int length = parser.getTextLength();
        if (Uuids.CANONICAL_LENGTH != length)
        {
            return;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final byte[] scratch = uuidScratch;
        for (int i = 0; i < length; i++)
        {
            final char c = chars[offset + i];
            if (c > 0x7F)
            {
                return;
            }
            scratch[i] = (byte)c;
        }
        if (Uuids.isCanonical(scratch, 0, length))
        {
            slot.hasMsgId = true;
            slot.msgIdHi = Uuids.parseHigh(scratch, 0);
            slot.msgIdLo = Uuids.parseLow(scratch, 0);
            msgIdState = VALID;
        }
    }

    private void payloadField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        if (JsonToken.START_OBJECT != value)
        {
            payloadNotObject = true;
            return;
        }
        if (null != type && MessageType.UNKNOWN != type)
        {
            payload(type, slot);
        }
        else
        {
            deferredPayloadStart = parser.inputPtr() - 1;
            parser.skipChildren();
            deferredPayloadEnd = parser.inputPtr();
        }
    }

    /** Parser is on the payload's START_OBJECT; returns with it on the matching END_OBJECT. */
    private void payload(final MessageType type, final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        payloadDone = true;
        final boolean valid;
        switch (type)
        {
            case JOIN:
                valid = SessionPayloadDecoder.join(parser, slot);
                break;
            case RESUME:
                valid = SessionPayloadDecoder.resume(parser, slot);
                break;
            case WEBRTC_OFFER:
            case WEBRTC_ANSWER:
                valid = SdpPayloadDecoder.decode(parser, slot);
                break;
            case ICE_CANDIDATE:
                valid = iceDecoder.decode(parser, slot);
                break;
            case GAME_EVENT:
                valid = GamePayloadDecoder.event(parser, slot);
                break;
            case GAME_STATE:
                valid = GamePayloadDecoder.state(parser, slot);
                break;
            case COHOST_ACCEPT:
                valid = SessionPayloadDecoder.cohostAccept(parser, slot);
                break;
            default:
                parser.skipChildren();
                valid = true;
                break;
        }
        if (!valid)
        {
            invalid = true;
        }
    }

    private void applyRules(final boolean wellFormed, final InboundSlot slot)
    {
        if (null != type)
        {
            slot.typeId = type.id();
        }
        if (!wellFormed || typeNotString || null == type)
        {
            slot.errorCode = ErrorCode.INVALID_MESSAGE.ordinal();
            return;
        }
        if (MessageType.UNKNOWN == type)
        {
            slot.errorCode = ErrorCode.UNKNOWN_TYPE.ordinal();
            return;
        }

        boolean ok = !invalid && !payloadNotObject && BAD != tsState;
        if (MessageType.PING != type)
        {
            ok &= VALID == msgIdState && VALID == roomIdState && VALID == seqState;
        }
        if (type.isDirected())
        {
            ok &= VALID == toState;
        }
        else
        {
            slot.toLength = 0;
        }
        if (requiresPayload(type))
        {
            ok &= payloadDone;
        }
        if (!ok)
        {
            slot.errorCode = ErrorCode.INVALID_MESSAGE.ordinal();
        }
    }

    private static boolean requiresPayload(final MessageType type)
    {
        switch (type)
        {
            case JOIN:
            case RESUME:
            case WEBRTC_OFFER:
            case WEBRTC_ANSWER:
            case ICE_CANDIDATE:
            case GAME_EVENT:
            case GAME_STATE:
                return true;
            default:
                return false;
        }
    }
}
