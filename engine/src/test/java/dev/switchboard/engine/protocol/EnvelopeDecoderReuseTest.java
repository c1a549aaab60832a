package dev.switchboard.engine.protocol;

import com.sun.management.ThreadMXBean;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeDecoderReuseTest
{
    private static final String MSG_ID = EnvelopeDecoderTest.MSG_ID;
    private static final String OTHER_MSG_ID = "11111111-2222-4333-8444-555555555555";

    private static final byte[] OFFER = bytes("{\"type\":\"webrtc_offer\",\"msgId\":\"" + OTHER_MSG_ID +
        "\",\"roomId\":\"room-9\",\"seq\":5,\"to\":\"peer\",\"payload\":{\"sdp\":\"v=0\\r\\n\"}}");
    private static final byte[] PATCH = bytes("{\"type\":\"game_state\",\"msgId\":\"" + OTHER_MSG_ID +
        "\",\"roomId\":\"room-9\",\"seq\":6,\"payload\":{\"version\":8,\"patch\":{\"a\":1,\"b\":[2]}}}");

    private static final String[] BROKEN = {
        "{\"type\":\"webrtc_offer\",\"msgId\":\"" + MSG_ID + "\",\"payload\":{\"sdp\":\"v=0\\r\\n",
        "{\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"payload\":{\"version\":1,\"patch\":{\"a\":[1,",
        "{\"payload\":{\"patch\":{\"a\":1}},\"type\":\"game_state\",\"msgId\":\"" + MSG_ID + "\",\"x\":tru}",
        "{\"type\":\"leave\",\"msgId\":\"" + MSG_ID + "\",\"x\":" +
            EnvelopeDecoderTest.nested(EnvelopeDecoder.MAX_DOCUMENT_DEPTH + 5, true) + "}",
        "{\"type\":\"leave\",\"msgId\":\"" + MSG_ID + "\",\"x\":\"\\u12\"}",
        "{\"type\":\"teleport\",\"msgId\":\"" + MSG_ID + "\"}",
        "{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"payload\":" +
            EnvelopeDecoderTest.nested(20, false) + "}",
        "[\"not\",\"an\",\"object\"]",
        "{\"type\":\"ice_candidate\",\"msgId\":\"" + MSG_ID + "\",\"payload\":{\"candidate\":\"c\"," +
            "\"usernameFragment\":\"uf\"},\"to\":\"bad to\"}",
    };

    private final EnvelopeDecoder decoder = new EnvelopeDecoder(65536);
    private final InboundSlot slot = new InboundSlot();

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void decode(final byte[] message)
    {
        decoder.decode(message, 0, message.length, slot);
    }

    private void assertOffer()
    {
        assertEquals(ErrorCode.NONE, slot.error());
        assertEquals(MessageType.WEBRTC_OFFER, slot.type());
        assertTrue(slot.hasMsgId);
        assertEquals(0x1111111122224333L, slot.msgIdHi);
        assertEquals(0x8444555555555555L, slot.msgIdLo);
        assertEquals("room-9", new String(slot.roomId, 0, slot.roomIdLength, StandardCharsets.US_ASCII));
        assertEquals(5, slot.seq);
        assertEquals("peer", new String(slot.to, 0, slot.toLength, StandardCharsets.US_ASCII));
        assertArrayEquals(bytes("{\"sdp\":\"v=0\\r\\n\"}"), Arrays.copyOf(slot.payload, slot.payloadLength));
        assertEquals(0, slot.ufragLength);
        assertEquals(0, slot.patchEntryCount);
    }

    private void assertPatch()
    {
        assertEquals(ErrorCode.NONE, slot.error());
        assertEquals(MessageType.GAME_STATE, slot.type());
        assertEquals(8, slot.version);
        assertEquals(0, slot.toLength);
        assertArrayEquals(bytes("{\"a\":1,\"b\":[2]}"), Arrays.copyOf(slot.payload, slot.payloadLength));
        assertEquals(2, slot.patchEntryCount);
        assertEquals(8, slot.patchKeyOffset[1]);
        assertEquals(1, slot.patchKeyLength[1]);
        assertEquals(11, slot.patchValueOffset[1]);
        assertEquals(3, slot.patchValueLength[1]);
    }

    @Test
    void shouldDecodeValidMessagesAfterEachKindOfBrokenMessage()
    {
        for (final String broken : BROKEN)
        {
            decode(bytes(broken));
            assertTrue(slot.errorCode != ErrorCode.NONE.ordinal(), broken);
            assertEquals(broken.contains(MSG_ID), slot.hasMsgId, broken);

            decode(OFFER);
            assertOffer();
            decode(bytes(broken));
            decode(PATCH);
            assertPatch();
        }
    }

    @Test
    void shouldNotCarryFieldsOverFromThePreviousMessage()
    {
        decode(bytes("{\"type\":\"ice_candidate\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":1,\"ts\":3," +
            "\"to\":\"u\",\"payload\":{\"candidate\":\"c\",\"usernameFragment\":\"uf\"}}"));
        assertEquals(ErrorCode.NONE, slot.error());
        assertEquals(2, slot.ufragLength);

        decode(bytes("{\"type\":\"ping\"}"));
        assertEquals(ErrorCode.NONE, slot.error());
        assertFalse(slot.hasMsgId);
        assertFalse(slot.hasTs);
        assertEquals(0, slot.roomIdLength);
        assertEquals(0, slot.toLength);
        assertEquals(0, slot.ufragLength);
        assertEquals(0, slot.payloadLength);
    }

    @Test
    void shouldKeepDecodingWhenClientsSendManyDistinctFieldNames()
    {
        for (int i = 0; i < 3 * EnvelopeDecoder.MAX_INTERNED_NAMES; i++)
        {
            decode(bytes("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\",\"seq\":1," +
                "\"payload\":{\"key" + i + "\":" + i + "},\"junk" + i + "\":true}"));
            assertEquals(ErrorCode.NONE, slot.error());
            assertEquals("{\"key" + i + "\":" + i + "}",
                new String(slot.payload, 0, slot.payloadLength, StandardCharsets.UTF_8));
            assertTrue(decoder.internedNames() <= EnvelopeDecoder.MAX_INTERNED_NAMES);
        }
        decode(OFFER);
        assertOffer();
    }

    @Test
    void shouldNeverThrowOnMutatedMessagesAndStayUsable()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[][] seeds = {OFFER, PATCH, bytes(BROKEN[6]), bytes("{\"type\":\"ice_candidate\",\"msgId\":\"" +
            MSG_ID + "\",\"roomId\":\"r\",\"seq\":1,\"to\":\"u\",\"payload\":{\"candidate\":\"c\"," +
            "\"sdpMid\":\"0\",\"usernameFragment\":\"uf\"}}")};
        final byte[] alphabet = bytes("{}[]\":,\\ 0-1e.tnfu\u00e9");
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] seed = seeds[random.nextInt(seeds.length)];
            final byte[] message = Arrays.copyOf(seed, seed.length);
            final int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++)
            {
                final int at = random.nextInt(message.length);
                message[at] = random.nextBoolean() ?
                    alphabet[random.nextInt(alphabet.length)] : (byte)random.nextInt(256);
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(message.length + 1) : message.length;
            decoder.decode(message, 0, length, slot);
            assertEquals(length, slot.wireLength);

            if (0 == round % 1000)
            {
                decode(OFFER);
                assertOffer();
            }
        }
        decode(PATCH);
        assertPatch();
    }

    @Test
    void shouldDecodeWithoutAllocatingInSteadyState()
    {
        final ThreadMXBean threads =
            (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] event = bytes("{\"type\":\"game_event\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\"," +
            "\"seq\":1,\"payload\":{\"kind\":\"move\",\"xy\":[1,2],\"meta\":{\"a\":\"\\u00e9\"}}}");
        final byte[] ice = bytes("{\"type\":\"ice_candidate\",\"msgId\":\"" + MSG_ID + "\",\"roomId\":\"r\"," +
            "\"seq\":1,\"to\":\"u\",\"payload\":{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 9 typ host\"," +
            "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}}");
        final byte[][] messages = {OFFER, PATCH, event, ice};
        for (int i = 0; i < 20_000; i++)
        {
            decode(messages[i & 3]);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++)
        {
            decode(messages[i & 3]);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 20000 decodes");
        decode(PATCH);
        assertPatch();
    }
}
