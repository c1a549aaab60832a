package dev.switchboard.net.cluster;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay batch layout: what the encoder writes the decoder reads back record by record in order, and a
 * malformed message is rejected whole.
 */
class RelayBatchCodecTest
{
    private static final byte[] ORIGIN = "node-a".getBytes(StandardCharsets.US_ASCII);

    private final RelayBatchDecoder decoder = new RelayBatchDecoder();

    private static byte[] text(final String auth, final String json)
    {
        final byte[] authBytes = auth.getBytes(StandardCharsets.US_ASCII);
        final byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        final byte[] body = new byte[1 + authBytes.length + jsonBytes.length];
        body[0] = (byte)authBytes.length;
        System.arraycopy(authBytes, 0, body, 1, authBytes.length);
        System.arraycopy(jsonBytes, 0, body, 1 + authBytes.length, jsonBytes.length);
        return body;
    }

    private static byte[] closeBody(final int code)
    {
        return ByteBuffer.allocate(4).putInt(code).array();
    }

    private byte[] body()
    {
        return Arrays.copyOfRange(decoder.message(), decoder.bodyOffset(), decoder.bodyOffset() + decoder.bodyLength());
    }

    @Test
    void shouldReadBackSeveralRecordsOfSeveralKindsInOrder()
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] text = text("alice", "{\"type\":\"join\"}");
        final byte[] flow = ByteBuffer.allocate(9).put((byte)3).putLong(77L).array();
        encoder.append(RelayRecords.TEXT, 11L, text, 0, text.length);
        encoder.append(RelayRecords.FLOW, 12L, flow, 0, flow.length);
        encoder.append(RelayRecords.TOO_LARGE, 13L, new byte[0], 0, 0);
        final int frameBody = encoder.begin(RelayRecords.FRAME, 14L);
        encoder.buffer().putInt(frameBody, 9, ByteOrder.BIG_ENDIAN);
        encoder.buffer().putByte(frameBody + 4, (byte)1);
        encoder.buffer().putStringWithoutLengthAscii(frameBody + 5, "{}");
        encoder.commit(7);
        encoder.append(RelayRecords.CLOSED, 15L, closeBody(1001), 0, 4);
        assertEquals(5, encoder.recordCount());

        final byte[] message = encoder.toMessage(123_456L);
        assertEquals(message.length, encoder.length());
        assertTrue(decoder.wrap(message));
        assertEquals("node-a", new String(message, decoder.originOffset(), decoder.originLength(),
            StandardCharsets.US_ASCII));
        assertEquals(123_456L, decoder.sentEpochMs());
        assertEquals(5, decoder.recordCount());

        assertTrue(decoder.next());
        assertEquals(RelayRecords.TEXT, decoder.kind());
        assertEquals(11L, decoder.connectionId());
        assertArrayEquals(text, body());
        assertTrue(decoder.next());
        assertEquals(RelayRecords.FLOW, decoder.kind());
        assertEquals(12L, decoder.connectionId());
        assertArrayEquals(flow, body());
        assertTrue(decoder.next());
        assertEquals(RelayRecords.TOO_LARGE, decoder.kind());
        assertEquals(13L, decoder.connectionId());
        assertEquals(0, decoder.bodyLength());
        assertTrue(decoder.next());
        assertEquals(RelayRecords.FRAME, decoder.kind());
        assertEquals(14L, decoder.connectionId());
        assertArrayEquals(new byte[] {0, 0, 0, 9, 1, '{', '}'}, body());
        assertTrue(decoder.next());
        assertEquals(RelayRecords.CLOSED, decoder.kind());
        assertEquals(15L, decoder.connectionId());
        assertArrayEquals(closeBody(1001), body());
        assertFalse(decoder.next(), "exactly the records written");
    }

    @Test
    void shouldStartEmptyAgainAfterResetAndKeepTheHeader()
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] first = text("", "{\"first\":1}");
        encoder.append(RelayRecords.TEXT, 1L, first, 0, first.length);
        final int emptyLength = encoder.length() - RelayBatchDecoder.RECORD_HEADER_LENGTH - first.length;
        encoder.toMessage(1L);
        encoder.reset();
        assertEquals(0, encoder.recordCount());
        assertEquals(emptyLength, encoder.length());

        encoder.append(RelayRecords.CLOSE, 2L, closeBody(4012), 0, 4);
        assertTrue(decoder.wrap(encoder.toMessage(2L)));
        assertEquals(2L, decoder.sentEpochMs());
        assertTrue(decoder.next());
        assertEquals(RelayRecords.CLOSE, decoder.kind());
        assertEquals(2L, decoder.connectionId());
        assertFalse(decoder.next());
    }

    @Test
    void shouldRoundTripRandomBatchesWithBodiesAcrossBufferGrowth()
    {
        final Random random = new Random(42);
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        for (int round = 0; round < 50; round++)
        {
            encoder.reset();
            final int count = random.nextInt(40);
            final byte[][] bodies = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                final byte[] json = new byte[random.nextInt(3000)];
                random.nextBytes(json);
                bodies[i] = text("u" + i, new String(json, StandardCharsets.ISO_8859_1));
                encoder.append(RelayRecords.TEXT, i, bodies[i], 0, bodies[i].length);
            }
            assertTrue(decoder.wrap(encoder.toMessage(round)));
            assertEquals(count, decoder.recordCount());
            for (int i = 0; i < count; i++)
            {
                assertTrue(decoder.next());
                assertEquals(i, decoder.connectionId());
                assertArrayEquals(bodies[i], body());
            }
            assertFalse(decoder.next());
        }
    }

    @Test
    void shouldAcceptAnEmptyBatch()
    {
        assertTrue(decoder.wrap(new RelayBatchEncoder(ORIGIN, 16).toMessage(5L)));
        assertEquals(0, decoder.recordCount());
        assertFalse(decoder.next());
    }

    private static byte[] validMessage()
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] text = text("bob", "{\"type\":\"signal\"}");
        encoder.append(RelayRecords.TEXT, 21L, text, 0, text.length);
        encoder.append(RelayRecords.CLOSED, 21L, closeBody(1000), 0, 4);
        return encoder.toMessage(9L);
    }

    private void assertRejected(final byte[] message, final String why)
    {
        assertFalse(decoder.wrap(message), why);
        assertFalse(decoder.next(), "nothing to read from a rejected message: " + why);
    }

    @Test
    void shouldRejectMessagesWithoutTheMagicOrWithAnotherVersion()
    {
        final byte[] badMagic = validMessage();
        badMagic[0] = 'X';
        assertRejected(badMagic, "magic");
        final byte[] badVersion = validMessage();
        badVersion[RelayBatchDecoder.VERSION_OFFSET] = 2;
        assertRejected(badVersion, "version");
        assertRejected(new byte[0], "empty");
        assertRejected(new byte[] {1, 6, 'n', 'o', 'd', 'e', '-', 'a'}, "a record of the per-record layout");
    }

    @Test
    void shouldRejectTruncatedOrPaddedMessages()
    {
        final byte[] valid = validMessage();
        assertTrue(decoder.wrap(valid));
        for (int length = 0; length < valid.length; length++)
        {
            assertRejected(Arrays.copyOf(valid, length), "truncated to " + length);
        }
        assertRejected(Arrays.copyOf(valid, valid.length + 1), "a trailing byte");
    }

    @Test
    void shouldRejectACountThatDoesNotMatchTheRecords()
    {
        final int countIndex = RelayBatchDecoder.ORIGIN_OFFSET + ORIGIN.length + 8;
        final byte[] more = validMessage();
        more[countIndex + 3] = 3;
        assertRejected(more, "count above the records");
        final byte[] fewer = validMessage();
        fewer[countIndex + 3] = 1;
        assertRejected(fewer, "count below the records");
        final byte[] negative = validMessage();
        negative[countIndex] = (byte)0x80;
        assertRejected(negative, "negative count");
    }

    @Test
    void shouldRejectBadRecordLengthsAndKinds()
    {
        final int firstRecord = RelayBatchDecoder.ORIGIN_OFFSET + ORIGIN.length + 12;
        final byte[] huge = validMessage();
        ByteBuffer.wrap(huge).putInt(firstRecord + 9, Integer.MAX_VALUE);
        assertRejected(huge, "body past the end");
        final byte[] negative = validMessage();
        ByteBuffer.wrap(negative).putInt(firstRecord + 9, -1);
        assertRejected(negative, "negative body length");
        final byte[] unknownKind = validMessage();
        unknownKind[firstRecord] = RelayRecords.PAUSED;
        assertRejected(unknownKind, "a kind that never crosses a channel");
        final byte[] authPastBody = validMessage();
        authPastBody[firstRecord + RelayBatchDecoder.RECORD_HEADER_LENGTH] = (byte)200;
        assertRejected(authPastBody, "a user id longer than the text record");

        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        encoder.append(RelayRecords.CLOSED, 1L, new byte[2], 0, 2);
        assertRejected(encoder.toMessage(1L), "a close without its code");
        encoder.reset();
        encoder.append(RelayRecords.FLOW, 1L, new byte[8], 0, 8);
        assertRejected(encoder.toMessage(1L), "a flow record without its count");
        encoder.reset();
        encoder.append(RelayRecords.FRAME, 1L, new byte[4], 0, 4);
        assertRejected(encoder.toMessage(1L), "a frame without its droppable flag");
    }
}
