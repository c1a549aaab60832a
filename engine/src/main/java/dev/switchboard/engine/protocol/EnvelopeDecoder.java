package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;

import java.io.IOException;

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

    private static final byte ABSENT = 0;
    private static final byte VALID = 1;
    private static final byte BAD = 2;
    private static final byte NULL = 3;

    private static final int SEEN_TYPE = 1;
    private static final int SEEN_MSG_ID = 1 << 1;
    private static final int SEEN_ROOM_ID = 1 << 2;
    private static final int SEEN_SEQ = 1 << 3;
    private static final int SEEN_TS = 1 << 4;
    private static final int SEEN_TO = 1 << 5;
    private static final int SEEN_PAYLOAD = 1 << 6;

    private static final int ROOM_CHARS = 1;
    private static final int USER_CHARS = 2;
    private static final int TOKEN_CHARS = 4;
    private static final byte[] ID_CHAR_CLASS = new byte[128];

    private static final MessageType[] CLIENT_TYPES;

    private static final byte[] SDP_PREFIX = ascii("{\"sdp\":\"");
    private static final byte[] CANDIDATE_PREFIX = ascii("{\"candidate\":\"");
    private static final byte[] SDP_MID_NAME = ascii(",\"sdpMid\":");
    private static final byte[] SDP_MLINE_INDEX_NAME = ascii(",\"sdpMLineIndex\":");
    private static final byte[] UFRAG_NAME = ascii(",\"usernameFragment\":");
    private static final byte[] ROLE_HOST_NAME = ascii("host");
    private static final byte[] ROLE_VIEWER_NAME = ascii("viewer");
    private static final byte[] NULL_LITERAL = ascii("null");
    private static final byte[] HEX = ascii("0123456789abcdef");

    static
    {
        for (int c = 'a'; c <= 'z'; c++)
        {
            ID_CHAR_CLASS[c] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
            ID_CHAR_CLASS[c - 'a' + 'A'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        }
        for (int c = '0'; c <= '9'; c++)
        {
            ID_CHAR_CLASS[c] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        }
        ID_CHAR_CLASS['_'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        ID_CHAR_CLASS['-'] = ROOM_CHARS | USER_CHARS | TOKEN_CHARS;
        ID_CHAR_CLASS['.'] = ROOM_CHARS | USER_CHARS;
        ID_CHAR_CLASS[':'] = USER_CHARS;
        ID_CHAR_CLASS['@'] = USER_CHARS;

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
    private byte[] candidateScratch = new byte[1024];
    private byte[] sdpMidScratch = new byte[64];
    private byte[] ufragScratch = new byte[MAX_UFRAG_BYTES * 6];

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
        final int start = skipWhitespace(buffer, offset, end);
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
        if (skipWhitespace(buffer, parser.inputPtr(), end) != end)
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
                    final int n = copyId(ROOM_CHARS, slot.roomId);
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
                    final int n = copyId(USER_CHARS, slot.to);
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
            if (asciiEquals(candidate.wireNameBytes(), chars, offset, length))
            {
                type = candidate;
                break;
            }
        }
    }

    private void seqField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        final long seq = nonNegativeLong(value);
        seqState = BAD;
        if (seq >= 1)
        {
            slot.seq = seq;
            seqState = VALID;
        }
    }

    private void tsField(final JsonToken value, final InboundSlot slot) throws IOException
    {
        final long ts = nonNegativeLong(value);
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
        payloadDone = true;
        switch (type)
        {
            case JOIN:
                joinPayload(slot);
                break;
            case RESUME:
                resumePayload(slot);
                break;
            case WEBRTC_OFFER:
            case WEBRTC_ANSWER:
                sdpPayload(slot);
                break;
            case ICE_CANDIDATE:
                icePayload(slot);
                break;
            case GAME_EVENT:
                gameEventPayload(slot);
                break;
            case GAME_STATE:
                gameStatePayload(slot);
                break;
            case COHOST_ACCEPT:
                cohostAcceptPayload(slot);
                break;
            default:
                parser.skipChildren();
                break;
        }
    }

    private void joinPayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("role".equals(name))
            {
                slot.role = 0;
                if (JsonToken.VALUE_STRING == value)
                {
                    final char[] chars = parser.getTextCharacters();
                    final int offset = parser.getTextOffset();
                    final int length = parser.getTextLength();
                    if (asciiEquals(ROLE_HOST_NAME, chars, offset, length))
                    {
                        slot.role = InboundSlot.ROLE_HOST;
                    }
                    else if (asciiEquals(ROLE_VIEWER_NAME, chars, offset, length))
                    {
                        slot.role = InboundSlot.ROLE_VIEWER;
                    }
                }
            }
            parser.skipChildren();
        }
        if (0 == slot.role)
        {
            invalid = true;
        }
    }

    private void resumePayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        long lastDseq = -1;
        long lastRseq = -1;
        slot.tokenLength = 0;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (name)
            {
                case "sessionToken":
                    slot.tokenLength = 0;
                    if (JsonToken.VALUE_STRING == value)
                    {
                        slot.tokenLength = Math.max(0, copyId(TOKEN_CHARS, slot.token));
                    }
                    break;
                case "lastDseq":
                    lastDseq = nonNegativeLong(value);
                    break;
                case "lastRseq":
                    lastRseq = nonNegativeLong(value);
                    break;
                default:
                    break;
            }
            parser.skipChildren();
        }
        if (0 == slot.tokenLength || lastDseq < 0 || lastRseq < 0)
        {
            invalid = true;
            return;
        }
        slot.lastDseq = lastDseq;
        slot.lastRseq = lastRseq;
    }

    private void sdpPayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        boolean sdpValid = false;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("sdp".equals(name))
            {
                sdpValid = false;
                slot.payloadLength = 0;
                if (JsonToken.VALUE_STRING == value)
                {
                    final char[] chars = parser.getTextCharacters();
                    final int offset = parser.getTextOffset();
                    final int length = parser.getTextLength();
                    if (length > 0)
                    {
                        slot.ensurePayloadCapacity(SDP_PREFIX.length + escapedLength(chars, offset, length) + 2);
                        final byte[] dst = slot.payload;
                        System.arraycopy(SDP_PREFIX, 0, dst, 0, SDP_PREFIX.length);
                        int p = escape(chars, offset, length, dst, SDP_PREFIX.length);
                        dst[p++] = '"';
                        dst[p++] = '}';
                        slot.payloadLength = p;
                        sdpValid = true;
                    }
                }
            }
            parser.skipChildren();
        }
        if (!sdpValid)
        {
            invalid = true;
            slot.payloadLength = 0;
        }
    }

    private void icePayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        byte candidateState = ABSENT;
        int candidateLength = 0;
        byte midState = ABSENT;
        int midLength = 0;
        byte indexState = ABSENT;
        long index = 0;
        byte ufragState = ABSENT;
        int ufragLength = 0;

        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (name)
            {
                case "candidate":
                    candidateState = BAD;
                    if (JsonToken.VALUE_STRING == value)
                    {
                        final char[] chars = parser.getTextCharacters();
                        final int offset = parser.getTextOffset();
                        final int length = parser.getTextLength();
                        final int escapedLength = escapedLength(chars, offset, length);
                        if (candidateScratch.length < escapedLength)
                        {
                            candidateScratch = new byte[escapedLength];
                        }
                        candidateLength = escape(chars, offset, length, candidateScratch, 0);
                        candidateState = VALID;
                    }
                    break;
                case "sdpMid":
                    midState = BAD;
                    if (JsonToken.VALUE_STRING == value)
                    {
                        final char[] chars = parser.getTextCharacters();
                        final int offset = parser.getTextOffset();
                        final int length = parser.getTextLength();
                        final int escapedLength = escapedLength(chars, offset, length);
                        if (sdpMidScratch.length < escapedLength)
                        {
                            sdpMidScratch = new byte[escapedLength];
                        }
                        midLength = escape(chars, offset, length, sdpMidScratch, 0);
                        midState = VALID;
                    }
                    else if (JsonToken.VALUE_NULL == value)
                    {
                        midState = NULL;
                    }
                    break;
                case "sdpMLineIndex":
                    indexState = BAD;
                    if (JsonToken.VALUE_NULL == value)
                    {
                        indexState = NULL;
                    }
                    else
                    {
                        index = nonNegativeLong(value);
                        if (index >= 0)
                        {
                            indexState = VALID;
                        }
                    }
                    break;
                case "usernameFragment":
                    ufragState = BAD;
                    if (JsonToken.VALUE_STRING == value)
                    {
                        final int length = parser.getTextLength();
                        if (length <= MAX_UFRAG_BYTES)
                        {
                            ufragLength = escape(
                                parser.getTextCharacters(), parser.getTextOffset(), length, ufragScratch, 0);
                            if (ufragLength <= MAX_UFRAG_BYTES)
                            {
                                ufragState = VALID;
                            }
                        }
                    }
                    else if (JsonToken.VALUE_NULL == value)
                    {
                        ufragState = NULL;
                    }
                    break;
                default:
                    break;
            }
            parser.skipChildren();
        }

        if (VALID != candidateState || BAD == midState || BAD == indexState || BAD == ufragState)
        {
            invalid = true;
            return;
        }

        final int capacity = CANDIDATE_PREFIX.length + candidateLength + 1 +
            SDP_MID_NAME.length + midLength + 2 +
            SDP_MLINE_INDEX_NAME.length + 20 +
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

    private void gameEventPayload(final InboundSlot slot) throws IOException
    {
        final int start = parser.inputPtr() - 1;
        if (!skipAppValue(1))
        {
            invalid = true;
            return;
        }
        copyRange(start, parser.inputPtr(), slot);
    }

    private void gameStatePayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        long version = -1;
        boolean patchValid = false;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("version".equals(name))
            {
                version = nonNegativeLong(value);
            }
            else if ("patch".equals(name))
            {
                patchValid = JsonToken.START_OBJECT == value && patch(slot);
            }
            parser.skipChildren();
        }
        if (version < 0 || !patchValid)
        {
            invalid = true;
            slot.payloadLength = 0;
            slot.patchEntryCount = 0;
            return;
        }
        slot.version = version;
    }

    /** Parser is on the patch's START_OBJECT; index and copy it; returns with the parser on its END_OBJECT. */
    private boolean patch(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        final byte[] buffer = parser.inputBuffer();
        final int start = parser.inputPtr() - 1;
        boolean valid = true;
        int count = 0;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final int keyStart = parser.nameStart();
            final int keyEnd = closingQuote(buffer, keyStart);
            final int valueStart = skipColon(buffer, keyEnd + 1);
            final JsonToken value = parser.nextToken();
            if (JsonToken.START_OBJECT == value || JsonToken.START_ARRAY == value)
            {
                valid &= skipAppValue(2);
            }
            else if (JsonToken.VALUE_STRING == value)
            {
                parser.skipIncompleteString();
            }
            slot.ensurePatchCapacity(count + 1);
            slot.patchKeyOffset[count] = keyStart - start;
            slot.patchKeyLength[count] = keyEnd - keyStart;
            slot.patchValueOffset[count] = valueStart - start;
            slot.patchValueLength[count] = parser.inputPtr() - valueStart;
            count++;
        }
        if (!valid)
        {
            slot.patchEntryCount = 0;
            slot.payloadLength = 0;
            return false;
        }
        slot.patchEntryCount = count;
        copyRange(start, parser.inputPtr(), slot);
        return true;
    }

    /**
     * Walk an app value whose opening token (at the given depth) is current, to its closing token.
     *
     * @return false when any part of it is deeper than {@link #MAX_APP_DEPTH}.
     */
    private boolean skipAppValue(final int openDepth) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        boolean valid = openDepth <= MAX_APP_DEPTH;
        int depth = openDepth;
        while (depth >= openDepth)
        {
            final JsonToken token = parser.nextToken();
            if (JsonToken.START_OBJECT == token || JsonToken.START_ARRAY == token)
            {
                if (++depth > MAX_APP_DEPTH)
                {
                    valid = false;
                }
            }
            else if (JsonToken.END_OBJECT == token || JsonToken.END_ARRAY == token)
            {
                depth--;
            }
        }
        return valid;
    }

    private void cohostAcceptPayload(final InboundSlot slot) throws IOException
    {
        final EnvelopeJsonParser parser = this.parser;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("userId".equals(name))
            {
                slot.userIdLength = 0;
                if (JsonToken.VALUE_STRING == value)
                {
                    final int n = copyId(USER_CHARS, slot.userId);
                    if (n > 0)
                    {
                        slot.userIdLength = n;
                    }
                    else
                    {
                        invalid = true;
                    }
                }
                else if (JsonToken.VALUE_NULL != value)
                {
                    invalid = true;
                }
            }
            parser.skipChildren();
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

    /**
     * Copy the current string token into dst when it is 1 to {@link InboundSlot#MAX_ID_LENGTH} characters of the
     * given alphabet.
     *
     * @return the length copied, or -1 when the string breaks the rule.
     */
    private int copyId(final int charClass, final byte[] dst) throws IOException
    {
        final int length = parser.getTextLength();
        if (length < 1 || length > InboundSlot.MAX_ID_LENGTH)
        {
            return -1;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        for (int i = 0; i < length; i++)
        {
            final char c = chars[offset + i];
            if (c > 0x7F || 0 == (ID_CHAR_CLASS[c] & charClass))
            {
                return -1;
            }
            dst[i] = (byte)c;
        }
        return length;
    }

    /**
     * The current token as a JSON integer of at least zero.
     *
     * @return the value, or -1 when the token is not an integer, is negative or does not fit in a long.
     */
    private long nonNegativeLong(final JsonToken token) throws IOException
    {
        if (JsonToken.VALUE_NUMBER_INT != token)
        {
            return -1;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        int i = offset;
        final int end = offset + length;
        final boolean negative = i < end && '-' == chars[i];
        if (negative)
        {
            i++;
        }
        if (i >= end || end - i > 19)
        {
            return -1;
        }
        long value = 0;
        for (; i < end; i++)
        {
            final int digit = chars[i] - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return negative && 0 != value ? -1 : value;
    }

    private void copyRange(final int start, final int end, final InboundSlot slot)
    {
        final int length = end - start;
        slot.ensurePayloadCapacity(length);
        System.arraycopy(parser.inputBuffer(), start, slot.payload, 0, length);
        slot.payloadLength = length;
    }

    /**
     * Number of bytes {@link #escape} writes for the given text.
     *
     * @return the escaped UTF-8 length.
     */
    static int escapedLength(final char[] src, final int offset, final int length)
    {
        int n = 0;
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            final char c = src[i];
            if (c < 0x80)
            {
                if (c >= 0x20 && '"' != c && '\\' != c)
                {
                    n++;
                }
                else
                {
                    n += c >= 0x20 || '\b' == c || '\f' == c || '\n' == c || '\r' == c || '\t' == c ? 2 : 6;
                }
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(src[i + 1]))
                {
                    i++;
                    n += 4;
                }
                else
                {
                    n += 6;
                }
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Write UTF-16 text as the UTF-8 content of a JSON string (without quotes): quote, backslash and control
     * characters escaped, lone surrogates as {@code \\u} escapes; dst needs room for {@link #escapedLength} bytes.
     *
     * @return the index after the last byte written.
     */
    static int escape(final char[] src, final int offset, final int length, final byte[] dst, final int dstOffset)
    {
        int p = dstOffset;
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            final char c = src[i];
            if (c < 0x80)
            {
                if (c >= 0x20 && '"' != c && '\\' != c)
                {
                    dst[p++] = (byte)c;
                }
                else
                {
                    dst[p++] = '\\';
                    switch (c)
                    {
                        case '"':
                            dst[p++] = '"';
                            break;
                        case '\\':
                            dst[p++] = '\\';
                            break;
                        case '\b':
                            dst[p++] = 'b';
                            break;
                        case '\f':
                            dst[p++] = 'f';
                            break;
                        case '\n':
                            dst[p++] = 'n';
                            break;
                        case '\r':
                            dst[p++] = 'r';
                            break;
                        case '\t':
                            dst[p++] = 't';
                            break;
                        default:
                            p = unicodeEscape(c, dst, p);
                            break;
                    }
                }
            }
            else if (c < 0x800)
            {
                dst[p++] = (byte)(0xC0 | (c >> 6));
                dst[p++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(src[i + 1]))
                {
                    final int cp = Character.toCodePoint(c, src[++i]);
                    dst[p++] = (byte)(0xF0 | (cp >> 18));
                    dst[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    dst[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    dst[p++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    dst[p++] = '\\';
                    p = unicodeEscape(c, dst, p);
                }
            }
            else
            {
                dst[p++] = (byte)(0xE0 | (c >> 12));
                dst[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                dst[p++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    private static int unicodeEscape(final char c, final byte[] dst, final int offset)
    {
        int p = offset;
        dst[p++] = 'u';
        dst[p++] = HEX[(c >> 12) & 0xF];
        dst[p++] = HEX[(c >> 8) & 0xF];
        dst[p++] = HEX[(c >> 4) & 0xF];
        dst[p++] = HEX[c & 0xF];
        return p;
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

    private static int skipWhitespace(final byte[] buffer, final int from, final int end)
    {
        int p = from;
        while (p < end && isWhitespace(buffer[p]))
        {
            p++;
        }
        return p;
    }

    private static boolean isWhitespace(final byte b)
    {
        return ' ' == b || '\t' == b || '\n' == b || '\r' == b;
    }

    /** Index of the closing quote of a JSON string whose content starts at from (already validated). */
    private static int closingQuote(final byte[] buffer, final int from)
    {
        int p = from;
        while (true)
        {
            final byte b = buffer[p];
            if ('\\' == b)
            {
                p += 2;
            }
            else if ('"' == b)
            {
                return p;
            }
            else
            {
                p++;
            }
        }
    }

    /** Index of the first byte of a value after the whitespace and colon that follow a field name. */
    private static int skipColon(final byte[] buffer, final int from)
    {
        int p = from;
        while (':' == buffer[p] || isWhitespace(buffer[p]))
        {
            p++;
        }
        return p;
    }

    private static boolean asciiEquals(final byte[] expected, final char[] chars, final int offset, final int length)
    {
        if (expected.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (expected[i] != chars[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
