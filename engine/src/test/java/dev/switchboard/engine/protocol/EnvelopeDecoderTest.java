package dev.switchboard.engine.protocol;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeDecoderTest
{
    static final String MSG_ID = "0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10";
    static final long MSG_ID_HI = 0x0b7d1e3c6a8e4a55L;
    static final long MSG_ID_LO = 0x9d3e3f1c2a9b7e10L;
    static final String HEAD = "'msgId':'" + MSG_ID + "','roomId':'room-42','seq':17";

    private final EnvelopeDecoder decoder = new EnvelopeDecoder(65536);
    private final InboundSlot slot = new InboundSlot();

    /** Decode JSON written with single quotes for double quotes, from the middle of a larger buffer. */
    private void decodeQuoted(final String json)
    {
        decodeRaw(json.replace('\'', '"'));
    }

    private void decodeRaw(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final byte[] buffer = new byte[bytes.length + 16];
        Arrays.fill(buffer, (byte)'}');
        System.arraycopy(bytes, 0, buffer, 7, bytes.length);
        decoder.decode(buffer, 7, bytes.length, slot);
        assertEquals(SlotKind.MESSAGE, slot.kind);
        assertEquals(bytes.length, slot.wireLength);
    }

    private void envelope(final String type, final String rest)
    {
        decodeQuoted("{'type':'" + type + "'," + HEAD + (rest.isEmpty() ? "" : "," + rest) + "}");
    }

    private void assertOk()
    {
        assertEquals(ErrorCode.NONE, slot.error());
        assertTrue(slot.hasMsgId);
    }

    private void assertError(final ErrorCode code, final boolean hasMsgId)
    {
        assertEquals(code, slot.error());
        assertEquals(hasMsgId, slot.hasMsgId);
        if (hasMsgId)
        {
            assertEquals(MSG_ID_HI, slot.msgIdHi);
            assertEquals(MSG_ID_LO, slot.msgIdLo);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] payload()
    {
        return Arrays.copyOf(slot.payload, slot.payloadLength);
    }

    private static String ascii(final byte[] bytes, final int length)
    {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    // envelope

    @Test
    void shouldDecodeJoinEnvelopeIntoFlatFields()
    {
        envelope("join", "'ts':1764160000000,'payload':{'role':'host'}");

        assertOk();
        assertEquals(MessageType.JOIN, slot.type());
        assertEquals(MSG_ID_HI, slot.msgIdHi);
        assertEquals(MSG_ID_LO, slot.msgIdLo);
        assertEquals("room-42", ascii(slot.roomId, slot.roomIdLength));
        assertEquals(17, slot.seq);
        assertTrue(slot.hasTs);
        assertEquals(1764160000000L, slot.ts);
        assertEquals(InboundSlot.ROLE_HOST, slot.role);
        assertEquals(0, slot.toLength);
        assertEquals(0, slot.payloadLength);
    }

    @Test
    void shouldDecodeTypeThatComesAfterPayload()
    {
        decodeQuoted("{'payload':{'role':'viewer'}," + HEAD + ",'type':'join'}");

        assertOk();
        assertEquals(MessageType.JOIN, slot.type());
        assertEquals(InboundSlot.ROLE_VIEWER, slot.role);
    }

    @Test
    void shouldDecodeOfferWhoseTypeComesAfterPayload()
    {
        decodeQuoted("{'payload':{'x':[1,{'y':2}],'sdp':'v=0'},'to':'u-1'," + HEAD + ",'type':'webrtc_offer'}");

        assertOk();
        assertArrayEquals(bytes("{\"sdp\":\"v=0\"}"), payload());
    }

    @Test
    void shouldAcceptMsgIdInUpperCase()
    {
        decodeQuoted("{'type':'join','msgId':'" + MSG_ID.toUpperCase() + "','roomId':'r','seq':1," +
            "'payload':{'role':'host'}}");

        assertOk();
        assertEquals(MSG_ID_HI, slot.msgIdHi);
        assertEquals(MSG_ID_LO, slot.msgIdLo);
    }

    @Test
    void shouldAcceptTypeWrittenWithEscapes()
    {
        decodeQuoted("{'type':'jo\\u0069n'," + HEAD + ",'payload':{'role':'host'}}");

        assertOk();
        assertEquals(MessageType.JOIN, slot.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[1,2]", "'join'", "42", "null", "\uFEFF{}"})
    void shouldRejectTopLevelThatIsNotAnObject(final String json)
    {
        decodeQuoted(json);

        assertError(ErrorCode.INVALID_MESSAGE, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r'",
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r",
        "{'msgId':'" + MSG_ID + "','type':'join','payload':{'role':'host'",
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r',}",
        "{'msgId':'" + MSG_ID + "','type':'join','seq':01}",
        "{'msgId':'" + MSG_ID + "','type':'join','seq':NaN}",
        "{'msgId':'" + MSG_ID + "','type':'join',roomId:'r'}",
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r'}}",
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r'} x",
        "{'msgId':'" + MSG_ID + "','type':'join','roomId':'r'}{}",
        "{'msgId':'" + MSG_ID + "','type':'nope','roomId':'r'",
    })
    void shouldRejectMalformedJsonAsInvalidMessageKeepingMsgIdSeenBeforeTheBreak(final String json)
    {
        decodeQuoted(json);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectMalformedJsonWithoutMsgIdWhenBreakComesFirst()
    {
        decodeQuoted("{'type':'join','roomId':'r' 'msgId':'" + MSG_ID + "'}");

        assertError(ErrorCode.INVALID_MESSAGE, false);
    }

    @Test
    void shouldRejectInvalidUtf8()
    {
        final byte[] head = bytes("{\"type\":\"join\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"");
        final byte[] message = Arrays.copyOf(head, head.length + 3);
        message[head.length] = (byte)0xC3;
        message[head.length + 1] = '"';
        message[head.length + 2] = '}';
        decoder.decode(message, 0, message.length, slot);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldAcceptSurroundingWhitespace()
    {
        decodeQuoted(" \r\n\t{'type':'leave'," + HEAD + "} \n");

        assertOk();
        assertEquals(MessageType.LEAVE, slot.type());
    }

    @Test
    void shouldRejectMissingTypeAsInvalidMessageWithMsgId()
    {
        decodeQuoted("{" + HEAD + ",'payload':{'role':'host'}}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
        assertEquals(MessageType.UNKNOWN, slot.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "null", "true", "['join']", "{'a':'join'}"})
    void shouldRejectTypeThatIsNotAStringAsInvalidMessageWithMsgId(final String typeValue)
    {
        decodeQuoted("{'type':" + typeValue + "," + HEAD + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"teleport", "ack", "joined", "pong", "JOIN", "", "unknown"})
    void shouldReportUnknownTypeWithMsgId(final String type)
    {
        envelope(type, "'payload':{'role':'host'}");

        assertError(ErrorCode.UNKNOWN_TYPE, true);
        assertEquals(MessageType.UNKNOWN.id(), slot.typeId);
    }

    @Test
    void shouldFindMsgIdThatComesAfterAnUnknownType()
    {
        decodeQuoted("{'type':'teleport','payload':{'deep':[1,2,3]},'roomId':'r','msgId':'" + MSG_ID + "'}");

        assertError(ErrorCode.UNKNOWN_TYPE, true);
    }

    @Test
    void shouldPreferUnknownTypeOverOtherFieldErrors()
    {
        decodeQuoted("{'type':'teleport','msgId':'" + MSG_ID + "','roomId':'bad room','seq':-4,'payload':7}");

        assertError(ErrorCode.UNKNOWN_TYPE, true);
    }

    @Test
    void shouldPreferInvalidJsonOverUnknownType()
    {
        decodeQuoted("{'type':'teleport','msgId':'" + MSG_ID + "','roomId':'r',");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectMissingMsgIdOnNonPing()
    {
        decodeQuoted("{'type':'join','roomId':'r','seq':1,'payload':{'role':'host'}}");

        assertError(ErrorCode.INVALID_MESSAGE, false);
        assertEquals(MessageType.JOIN, slot.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "'0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e1'",
        "'0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e100'",
        "'0b7d1e3c6a8e4a559d3e3f1c2a9b7e10'",
        "'0b7d1e3c-6a8e-4a55-9d3e_3f1c2a9b7e10'",
        "'0b7d1e3g-6a8e-4a55-9d3e-3f1c2a9b7e10'",
        "'{0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e1}'",
        "'0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e1\u00e9'",
        "12345",
        "null",
    })
    void shouldRejectNonCanonicalMsgIdWithoutMsgId(final String msgId)
    {
        decodeQuoted("{'type':'join','msgId':" + msgId + ",'roomId':'r','seq':1,'payload':{'role':'host'}}");

        assertError(ErrorCode.INVALID_MESSAGE, false);
    }

    @Test
    void shouldAcceptRoomIdOfSixtyFourAllowedCharacters()
    {
        final String roomId = "Az09_.-" + "x".repeat(57);
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':'" + roomId + "','seq':1}");

        assertOk();
        assertEquals(roomId, ascii(slot.roomId, slot.roomIdLength));
    }

    @ParameterizedTest
    @ValueSource(strings = {"''", "'room 42'", "'room/42'", "'room:42'", "'r\u00e9'", "42", "null", "['r']"})
    void shouldRejectRoomIdOutsideItsAlphabetOrType(final String roomId)
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':" + roomId + ",'seq':1}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectRoomIdOfSixtyFiveCharacters()
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':'" + "r".repeat(65) + "','seq':1}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectMissingRoomIdOnNonPing()
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','seq':1}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldAcceptSeqUpToLongMax()
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':'r','seq':9223372036854775807}");

        assertOk();
        assertEquals(Long.MAX_VALUE, slot.seq);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-0", "1.0", "1e2", "'1'", "null", "true", "9223372036854775808",
        "123456789012345678901234567890"})
    void shouldRejectSeqThatIsNotAPositiveInteger(final String seq)
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':'r','seq':" + seq + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectMissingSeqOnNonPing()
    {
        decodeQuoted("{'type':'leave','msgId':'" + MSG_ID + "','roomId':'r'}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldLeaveTsUnsetWhenAbsent()
    {
        envelope("leave", "");

        assertOk();
        assertFalse(slot.hasTs);
    }

    @Test
    void shouldAcceptZeroTs()
    {
        envelope("leave", "'ts':0");

        assertOk();
        assertTrue(slot.hasTs);
        assertEquals(0, slot.ts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "'1764160000000'", "null", "{}"})
    void shouldRejectTsThatIsNotANonNegativeInteger(final String ts)
    {
        envelope("leave", "'ts':" + ts);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldCopyToOnDirectedTypes()
    {
        envelope("webrtc_answer", "'to':'user:1@example.org_x-y.z','payload':{'sdp':'v=0'}");

        assertOk();
        assertEquals("user:1@example.org_x-y.z", ascii(slot.to, slot.toLength));
    }

    @ParameterizedTest
    @ValueSource(strings = {"webrtc_offer", "webrtc_answer", "ice_candidate"})
    void shouldRejectDirectedTypeWithoutTo(final String type)
    {
        envelope(type, "'payload':{'sdp':'v=0','candidate':'c'}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"''", "'u 1'", "'u/1'", "'u#1'", "7", "null"})
    void shouldRejectDirectedTypeWithInvalidTo(final String to)
    {
        envelope("webrtc_offer", "'to':" + to + ",'payload':{'sdp':'v=0'}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectToOfSixtyFiveCharacters()
    {
        envelope("webrtc_offer", "'to':'" + "u".repeat(65) + "','payload':{'sdp':'v=0'}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldIgnoreToOnUndirectedTypes()
    {
        envelope("join", "'to':'not valid!','payload':{'role':'host'}");

        assertOk();
        assertEquals(0, slot.toLength);
    }

    @Test
    void shouldIgnoreSenderIdAndUnknownTopLevelFields()
    {
        envelope("join", "'senderId':'evil','extra':{'a':[1,2,{'b':null}]},'n':1.5,'payload':{'role':'host'}");

        assertOk();
        assertEquals(InboundSlot.ROLE_HOST, slot.role);
        assertEquals(0, slot.payloadLength);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'type':'leave'", "'msgId':'" + MSG_ID + "'", "'roomId':'r'", "'seq':2", "'ts':1",
        "'payload':{}"})
    void shouldRejectKnownTopLevelFieldGivenTwice(final String duplicate)
    {
        decodeQuoted("{'type':'leave'," + HEAD + ",'ts':1,'payload':{}," + duplicate + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"join", "leave", "cohost_request", "ping", "game_event"})
    void shouldRejectPayloadThatIsNotAnObject(final String type)
    {
        envelope(type, "'payload':['role','host']");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldReportPayloadTooLargeWhenOverTheLimit()
    {
        final EnvelopeDecoder small = new EnvelopeDecoder(32);
        final byte[] message = bytes("{\"type\":\"leave\",\"msgId\":\"" + MSG_ID + "\"}");
        small.decode(message, 0, message.length, slot);

        assertError(ErrorCode.PAYLOAD_TOO_LARGE, false);
        assertEquals(message.length, slot.wireLength);
    }

    // per type payloads

    @Test
    void shouldDecodeJoinAsViewer()
    {
        envelope("join", "'payload':{'role':'viewer','name':'x'}");

        assertOk();
        assertEquals(InboundSlot.ROLE_VIEWER, slot.role);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "'payload':{}", "'payload':{'role':'admin'}", "'payload':{'role':1}",
        "'payload':{'role':'Host'}", "'payload':{'role':null}"})
    void shouldRejectJoinWithoutValidRole(final String payload)
    {
        envelope("join", payload);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"leave", "cohost_request", "cohost_cancel", "cohost_end"})
    void shouldAcceptPayloadlessTypesWithOrWithoutPayload(final String type)
    {
        envelope(type, "");
        assertOk();
        assertEquals(type, slot.type().wireName());

        envelope(type, "'payload':{'anything':[1,{'x':2}]}");
        assertOk();
        assertEquals(0, slot.payloadLength);
    }

    @Test
    void shouldDecodeResume()
    {
        envelope("resume", "'payload':{'lastRseq':0,'sessionToken':'aZ09_-tok','lastDseq':12,'x':1}");

        assertOk();
        assertEquals(MessageType.RESUME, slot.type());
        assertEquals("aZ09_-tok", ascii(slot.token, slot.tokenLength));
        assertEquals(12, slot.lastDseq);
        assertEquals(0, slot.lastRseq);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'sessionToken':'tok','lastDseq':1}",
        "{'sessionToken':'tok','lastRseq':1}",
        "{'lastDseq':1,'lastRseq':1}",
        "{'sessionToken':'','lastDseq':1,'lastRseq':1}",
        "{'sessionToken':'to.k','lastDseq':1,'lastRseq':1}",
        "{'sessionToken':'to:k','lastDseq':1,'lastRseq':1}",
        "{'sessionToken':7,'lastDseq':1,'lastRseq':1}",
        "{'sessionToken':'tok','lastDseq':-1,'lastRseq':1}",
        "{'sessionToken':'tok','lastDseq':1,'lastRseq':1.0}",
        "{'sessionToken':'tok','lastDseq':'1','lastRseq':1}",
    })
    void shouldRejectResumeWithMissingOrInvalidFields(final String payload)
    {
        envelope("resume", "'payload':" + payload);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectResumeTokenOfSixtyFiveCharacters()
    {
        envelope("resume", "'payload':{'sessionToken':'" + "t".repeat(65) + "','lastDseq':1,'lastRseq':1}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldReEncodeSdpWithExactJsonEscaping()
    {
        final String input = "{\"type\":\"webrtc_offer\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":1," +
            "\"to\":\"u\",\"payload\":{\"extra\":true," +
            "\"sdp\":\"v=0\\r\\na=\\\"q\\\"\\\\b\\u0001\\u001F\\t\\b\\f\\/\u00e9\\u00e9\u20ac\uD83D\uDE00" +
            "\\ud83d\\ude00\\ud800x\u007f\"}}";
        decodeRaw(input);

        assertOk();
        final String expected = "{\"sdp\":\"v=0\\r\\na=\\\"q\\\"\\\\b\\u0001\\u001f\\t\\b\\f/\u00e9\u00e9\u20ac" +
            "\uD83D\uDE00\uD83D\uDE00\\ud800x\u007f\"}";
        assertArrayEquals(bytes(expected), payload());
    }

    @Test
    void shouldReEncodeLongSdp()
    {
        final String sdp = "v=0\\r\\n" + "a=candidate:1 1 udp 2122260223 192.168.1.2 5000 typ host\\r\\n".repeat(200);
        envelope("webrtc_offer", "'to':'u','payload':{'sdp':'" + sdp + "'}");

        assertOk();
        assertArrayEquals(bytes("{\"sdp\":\"" + sdp + "\"}"), payload());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "'payload':{}", "'payload':{'sdp':''}", "'payload':{'sdp':5}",
        "'payload':{'sdp':null}", "'payload':{'sdp':{'type':'offer'}}"})
    void shouldRejectOfferWithoutNonEmptySdp(final String payload)
    {
        envelope("webrtc_offer", "'to':'u'" + (payload.isEmpty() ? "" : "," + payload));

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldReEncodeIceCandidateWithKnownFieldsInFixedOrder()
    {
        envelope("ice_candidate", "'to':'u','payload':{'usernameFragment':'uf\\\\rag','foo':1,'sdpMLineIndex':0," +
            "'sdpMid':'0','candidate':'candidate:1 1 udp 1 10.0.0.1 9 typ host'}");

        assertOk();
        assertArrayEquals(bytes("{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 9 typ host\",\"sdpMid\":\"0\"," +
            "\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\\\\rag\"}"), payload());
        assertEquals("uf\\\\rag", ascii(slot.ufrag, slot.ufragLength));
    }

    @Test
    void shouldReEncodeIceCandidateWithOnlyCandidate()
    {
        envelope("ice_candidate", "'to':'u','payload':{'candidate':''}");

        assertOk();
        assertArrayEquals(bytes("{\"candidate\":\"\"}"), payload());
        assertEquals(0, slot.ufragLength);
    }

    @Test
    void shouldReEncodeIceCandidateNulls()
    {
        envelope("ice_candidate", "'to':'u','payload':{'candidate':'c','sdpMid':null,'sdpMLineIndex':null," +
            "'usernameFragment':null}");

        assertOk();
        assertArrayEquals(bytes("{\"candidate\":\"c\",\"sdpMid\":null,\"sdpMLineIndex\":null," +
            "\"usernameFragment\":null}"), payload());
        assertEquals(0, slot.ufragLength);
    }

    @Test
    void shouldReEncodeLargeSdpMLineIndex()
    {
        envelope("ice_candidate", "'to':'u','payload':{'sdpMLineIndex':9223372036854775807,'candidate':'c'}");

        assertOk();
        assertArrayEquals(bytes("{\"candidate\":\"c\",\"sdpMLineIndex\":9223372036854775807}"), payload());
    }

    @Test
    void shouldAcceptUsernameFragmentOfTwoHundredFiftySixBytes()
    {
        final String ufrag = "f".repeat(256);
        envelope("ice_candidate", "'to':'u','payload':{'candidate':'c','usernameFragment':'" + ufrag + "'}");

        assertOk();
        assertEquals(ufrag, ascii(slot.ufrag, slot.ufragLength));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{'candidate':null}",
        "{'candidate':3}",
        "{'candidate':'c','sdpMid':0}",
        "{'candidate':'c','sdpMLineIndex':-1}",
        "{'candidate':'c','sdpMLineIndex':1.5}",
        "{'candidate':'c','sdpMLineIndex':'0'}",
        "{'candidate':'c','usernameFragment':1}",
    })
    void shouldRejectIceCandidateWithMissingOrInvalidFields(final String payload)
    {
        envelope("ice_candidate", "'to':'u','payload':" + payload);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectUsernameFragmentOverTwoHundredFiftySixBytes()
    {
        envelope("ice_candidate", "'to':'u','payload':{'candidate':'c','usernameFragment':'" + "f".repeat(257) + "'}");
        assertError(ErrorCode.INVALID_MESSAGE, true);

        envelope("ice_candidate", "'to':'u','payload':{'candidate':'c','usernameFragment':'" +
            "\u00e9".repeat(129) + "'}");
        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldForwardGameEventObjectAsItsExactBytes()
    {
        final String app = "{ \"kind\" : \"move\",\"xy\":[1, 2.5e3,-3],\"n\":{\"\\u00e9\":null,\"t\":true} }";
        decodeRaw("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3,\"payload\":" +
            app + ",\"z\":1}");

        assertOk();
        assertArrayEquals(bytes(app), payload());
    }

    @Test
    void shouldForwardGameEventThatArrivesBeforeItsType()
    {
        final String app = "{\"a\":[{\"b\":\"c\\\"d\"}]}";
        decodeRaw("{\"payload\":" + app + ",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3," +
            "\"type\":\"game_event\"}");

        assertOk();
        assertArrayEquals(bytes(app), payload());
    }

    static String nested(final int depth, final boolean arrays)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 1; i < depth; i++)
        {
            sb.append(arrays && 0 == i % 2 ? "[" : "{\"k\":");
        }
        sb.append("{}");
        for (int i = depth - 1; i >= 1; i--)
        {
            sb.append(arrays && 0 == i % 2 ? "]" : "}");
        }
        return sb.toString();
    }

    @Test
    void shouldAcceptGameEventOfDepthSixteen()
    {
        final String app = nested(16, false);
        decodeRaw("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3,\"payload\":" +
            app + "}");

        assertOk();
        assertArrayEquals(bytes(app), payload());
    }

    @Test
    void shouldRejectGameEventOfDepthSeventeen()
    {
        decodeRaw("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3,\"payload\":" +
            nested(17, false) + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldCountArraysAsDepthLevels()
    {
        final String ok = nested(16, true);
        decodeRaw("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3,\"payload\":" +
            ok + "}");
        assertOk();
        assertArrayEquals(bytes(ok), payload());

        decodeRaw("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3,\"payload\":" +
            nested(17, true) + "}");
        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectDeferredGameEventOfDepthSeventeen()
    {
        decodeRaw("{\"payload\":" + nested(17, false) + ",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":3," +
            "\"type\":\"game_event\"}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectGameEventWithoutPayload()
    {
        envelope("game_event", "");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldIndexGameStatePatchEntries()
    {
        final String patch = "{ \"score\" : 12, \"p\\\"x\":{\"hp\":[1,2]},\"gone\":null,\"s\":\"a\\\"b\"," +
            "\"f\":-1.5e2,\"t\":true,\"e\":[] }";
        decodeRaw("{\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":9," +
            "\"payload\":{\"junk\":1,\"patch\":" + patch + ",\"version\":42}}");

        assertOk();
        assertEquals(MessageType.GAME_STATE, slot.type());
        assertEquals(42, slot.version);
        assertArrayEquals(bytes(patch), payload());
        final String[][] expected = {
            {"score", "12"}, {"p\\\"x", "{\"hp\":[1,2]}"}, {"gone", "null"}, {"s", "\"a\\\"b\""},
            {"f", "-1.5e2"}, {"t", "true"}, {"e", "[]"}};
        assertEquals(expected.length, slot.patchEntryCount);
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i][0], new String(slot.payload, slot.patchKeyOffset[i], slot.patchKeyLength[i],
                StandardCharsets.UTF_8));
            assertEquals(expected[i][1], new String(slot.payload, slot.patchValueOffset[i], slot.patchValueLength[i],
                StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldIndexDeferredGameStatePatch()
    {
        final String patch = "{\"a\":1,\"b\":{\"c\":2}}";
        decodeRaw("{\"payload\":{\"version\":0,\"patch\":" + patch + "},\"msgId\":\"" + MSG_ID +
            "\",\"roomId\":\"r\",\"seq\":9,\"type\":\"game_state\"}");

        assertOk();
        assertEquals(0, slot.version);
        assertArrayEquals(bytes(patch), payload());
        assertEquals(2, slot.patchEntryCount);
        assertEquals("b", new String(slot.payload, slot.patchKeyOffset[1], slot.patchKeyLength[1],
            StandardCharsets.UTF_8));
        assertEquals("{\"c\":2}", new String(slot.payload, slot.patchValueOffset[1], slot.patchValueLength[1],
            StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepDuplicatePatchKeysAsEntriesInOrder()
    {
        decodeQuoted("{'type':'game_state'," + HEAD + ",'payload':{'version':1,'patch':{'a':1,'a':2}}}");

        assertOk();
        assertEquals(2, slot.patchEntryCount);
        assertEquals("2", new String(slot.payload, slot.patchValueOffset[1], slot.patchValueLength[1],
            StandardCharsets.UTF_8));
    }

    @Test
    void shouldGrowPatchIndexBeyondItsInitialCapacity()
    {
        final StringBuilder patch = new StringBuilder("{");
        for (int i = 0; i < 100; i++)
        {
            patch.append(0 == i ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        patch.append('}');
        decodeRaw("{\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":9," +
            "\"payload\":{\"version\":1,\"patch\":" + patch + "}}");

        assertOk();
        assertEquals(100, slot.patchEntryCount);
        assertEquals("k99", new String(slot.payload, slot.patchKeyOffset[99], slot.patchKeyLength[99],
            StandardCharsets.UTF_8));
        assertEquals("99", new String(slot.payload, slot.patchValueOffset[99], slot.patchValueLength[99],
            StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptEmptyPatch()
    {
        envelope("game_state", "'payload':{'version':3,'patch':{}}");

        assertOk();
        assertEquals(0, slot.patchEntryCount);
        assertArrayEquals(bytes("{}"), payload());
    }

    @Test
    void shouldAcceptPatchOfDepthSixteenAndRejectSeventeen()
    {
        final String ok = nested(16, true);
        decodeRaw("{\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":9," +
            "\"payload\":{\"version\":1,\"patch\":" + ok + "}}");
        assertOk();
        assertArrayEquals(bytes(ok), payload());

        decodeRaw("{\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":9," +
            "\"payload\":{\"version\":1,\"patch\":" + nested(17, true) + "}}");
        assertError(ErrorCode.INVALID_MESSAGE, true);
        assertEquals(0, slot.patchEntryCount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'patch':{}}", "{'version':1}", "{'version':-1,'patch':{}}", "{'version':1.0,'patch':{}}",
        "{'version':'1','patch':{}}", "{'version':1,'patch':[]}", "{'version':1,'patch':null}",
        "{'version':1,'patch':'x'}"})
    void shouldRejectGameStateWithMissingOrInvalidFields(final String payload)
    {
        envelope("game_state", "'payload':" + payload);

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldDecodeCohostAcceptUserId()
    {
        envelope("cohost_accept", "'payload':{'userId':'guest-AbC_12'}");

        assertOk();
        assertEquals("guest-AbC_12", ascii(slot.userId, slot.userIdLength));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "'payload':{}", "'payload':{'userId':null}"})
    void shouldDecodeCohostAcceptWithoutUserIdAsHeadOfQueue(final String payload)
    {
        envelope("cohost_accept", payload);

        assertOk();
        assertEquals(0, slot.userIdLength);
    }

    @ParameterizedTest
    @ValueSource(strings = {"''", "'bad id'", "5", "['u']"})
    void shouldRejectCohostAcceptWithInvalidUserId(final String userId)
    {
        envelope("cohost_accept", "'payload':{'userId':" + userId + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldAcceptBarePing()
    {
        decodeQuoted("{'type':'ping'}");

        assertEquals(ErrorCode.NONE, slot.error());
        assertEquals(MessageType.PING, slot.type());
        assertFalse(slot.hasMsgId);
        assertFalse(slot.hasTs);
        assertEquals(0, slot.roomIdLength);
        assertEquals(0, slot.seq);
    }

    @Test
    void shouldCopyPingTsAndOptionalFields()
    {
        envelope("ping", "'ts':1764160000123");

        assertOk();
        assertTrue(slot.hasTs);
        assertEquals(1764160000123L, slot.ts);
        assertEquals("room-42", ascii(slot.roomId, slot.roomIdLength));
        assertEquals(17, slot.seq);
    }

    @Test
    void shouldIgnoreInvalidOptionalFieldsOnPing()
    {
        decodeQuoted("{'type':'ping','msgId':'nope','roomId':'bad room','seq':-1,'ts':5}");

        assertEquals(ErrorCode.NONE, slot.error());
        assertFalse(slot.hasMsgId);
        assertEquals(0, slot.roomIdLength);
        assertEquals(0, slot.seq);
        assertEquals(5, slot.ts);
    }

    @Test
    void shouldRejectPingWithInvalidTs()
    {
        decodeQuoted("{'type':'ping','msgId':'" + MSG_ID + "','ts':'soon'}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }

    @Test
    void shouldRejectDocumentNestedBeyondTheDocumentLimitEvenInStrippedFields()
    {
        decodeRaw("{\"type\":\"leave\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":1,\"x\":" +
            nested(EnvelopeDecoder.MAX_DOCUMENT_DEPTH, false) + "}");

        assertError(ErrorCode.INVALID_MESSAGE, true);
    }
}
