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

    private static final String SECRET = "a-cluster-secret-of-at-least-32-bytes";

    @Test
    void shouldRejectTheWholeBatchWhenOneRecordCarriesAUserIdOver64Bytes()
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] good = text("alice", "{\"type\":\"ping\"}");
        final byte[] oversize = text("u".repeat(65), "{\"type\":\"ping\"}");
        encoder.append(RelayRecords.TEXT, 1L, good, 0, good.length);
        encoder.append(RelayRecords.TEXT, 2L, oversize, 0, oversize.length);
        encoder.append(RelayRecords.TEXT, 3L, good, 0, good.length);
        assertFalse(decoder.wrap(encoder.toMessage(5L)), "checked whole before any record is handed out");
        assertFalse(decoder.next());

        final RelayBatchEncoder exact = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] longest = text("u".repeat(64), "{}");
        exact.append(RelayRecords.TEXT, 2L, longest, 0, longest.length);
        assertTrue(decoder.wrap(exact.toMessage(5L)), "64 bytes is the limit");
    }

    @Test
    void shouldRejectFieldsOutsideTheirAlphabetOrRange()
    {
        final byte[] badUser = text("al ice", "{}");
        assertFalse(decoder.wrap(single(ORIGIN, RelayRecords.TEXT, badUser)), "a space in a user id");
        assertFalse(decoder.wrap(single("node/a".getBytes(StandardCharsets.US_ASCII), RelayRecords.CLOSED,
            closeBody(1000))), "a slash in an origin node id");
        assertFalse(decoder.wrap(single("n".repeat(65).getBytes(StandardCharsets.US_ASCII), RelayRecords.CLOSED,
            closeBody(1000))), "an origin over 64 bytes");
        assertFalse(decoder.wrap(single(ORIGIN, RelayRecords.CLOSED, new byte[5])), "CLOSED is exactly 4 bytes");
        assertFalse(decoder.wrap(single(ORIGIN, RelayRecords.CLOSE, closeBody(99))), "close code under 1000");
        final byte[] longReason = ByteBuffer.allocate(4 + 124).putInt(4000).array();
        assertFalse(decoder.wrap(single(ORIGIN, RelayRecords.CLOSE, longReason)), "reason over 123 bytes");
        final byte[] frame = ByteBuffer.allocate(7).putInt(999).put((byte)0).put((byte)'{').put((byte)'}').array();
        assertFalse(decoder.wrap(single(ORIGIN, RelayRecords.FRAME, frame)), "a type id the server does not have");
        assertTrue(decoder.wrap(single(ORIGIN, RelayRecords.CLOSE, closeBody(4012))));
    }

    @Test
    void shouldSignForOneDestinationAndRejectAlteredOrRedirectedBatches()
    {
        final ClusterSigner signer = new ClusterSigner(SECRET);
        final byte[] channel = ClusterKeys.channel("node-b");
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 16);
        final byte[] body = text("alice", "{\"type\":\"ping\"}");
        encoder.append(RelayRecords.TEXT, 7L, body, 0, body.length);
        final byte[] message = encoder.toMessage(9L, signer, channel);

        assertTrue(decoder.wrap(message));
        assertTrue(decoder.isSigned());
        assertEquals(message.length - ClusterSigner.TAG_LENGTH, decoder.signedLength());
        assertTrue(signer.verify(channel, message, 0, decoder.signedLength(), message, decoder.signedLength()));
        assertFalse(signer.verify(ClusterKeys.channel("node-c"), message, 0, decoder.signedLength(), message,
            decoder.signedLength()), "a batch signed for node-b does not verify on node-c");
        assertFalse(new ClusterSigner(SECRET + "x").verify(channel, message, 0, decoder.signedLength(), message,
            decoder.signedLength()), "another secret");
        assertTrue(decoder.next());
        assertEquals(7L, decoder.connectionId());
        assertArrayEquals(body, body());

        final byte[] altered = message.clone();
        altered[altered.length - ClusterSigner.TAG_LENGTH - 1] ^= 1;
        assertTrue(decoder.wrap(altered), "still well formed");
        assertFalse(signer.verify(channel, altered, 0, decoder.signedLength(), altered, decoder.signedLength()));

        final byte[] unsigned = new RelayBatchEncoder(ORIGIN, 16).toMessage(9L, new ClusterSigner(null), channel);
        assertTrue(decoder.wrap(unsigned));
        assertFalse(decoder.isSigned());
    }

    @Test
    void shouldOpenOnlySnapshotsSignedForTheirRoom()
    {
        final ClusterSigner signer = new ClusterSigner(SECRET);
        final byte[] snapshot = "snapshot-bytes".getBytes(StandardCharsets.US_ASCII);
        final byte[] key = "sb:snapshot:room-a".getBytes(StandardCharsets.US_ASCII);
        final byte[] stored = signer.signSnapshot(key, snapshot);
        assertArrayEquals(snapshot, signer.openSnapshot(key, stored));
        assertEquals(null, signer.openSnapshot("sb:snapshot:room-b".getBytes(StandardCharsets.US_ASCII), stored));
        assertEquals(null, signer.openSnapshot(key, snapshot), "an unsigned snapshot");
        assertEquals(null, signer.openSnapshot(key, new byte[3]));
        assertArrayEquals(stored, new ClusterSigner(null).openSnapshot(key, stored), "no secret: taken as stored");
    }

    private static byte[] single(final byte[] origin, final byte kind, final byte[] body)
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(origin, 16);
        encoder.append(kind, 1L, body, 0, body.length);
        return encoder.toMessage(1L);
    }
}
