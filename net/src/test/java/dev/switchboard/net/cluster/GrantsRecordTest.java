package dev.switchboard.net.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.ring.InboundSlot;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GRANTS relay record: what is encoded decodes to the same grants, alone and inside a batch, and a truncated,
 * oversized or wrongly shaped body is refused (the batch that carries it is dropped whole).
 */
class GrantsRecordTest
{
    private static final byte[] ORIGIN = "node-a".getBytes(StandardCharsets.US_ASCII);

    private final RelayBatchDecoder decoder = new RelayBatchDecoder();

    private static byte[] body(final Grants grants)
    {
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        final int packedLength = grants.copyPackedRooms(packed);
        final byte[] body = new byte[GrantsRecord.HEADER_LENGTH + packedLength];
        assertEquals(body.length, GrantsRecord.encode(new UnsafeBuffer(body), 0, grants.flags(), packed, packedLength));
        return body;
    }

    private static byte[] rawBody(final int flags, final int patterns, final byte[] packed)
    {
        return ByteBuffer.allocate(GrantsRecord.HEADER_LENGTH + packed.length).putInt(flags).put((byte)patterns)
            .put(packed).array();
    }

    private static List<String> maxPatterns()
    {
        final List<String> patterns = new ArrayList<>();
        for (int i = 0; i < Grants.MAX_PATTERNS; i++)
        {
            final char[] chars = new char[Grants.MAX_PATTERN_LENGTH];
            Arrays.fill(chars, (char)('a' + (i % 26)));
            chars[0] = (char)('A' + (i % 26));
            chars[1] = (char)('0' + (i / 26));
            patterns.add(new String(chars));
        }
        return patterns;
    }

    private boolean batchAccepts(final byte[] body)
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(ORIGIN, 64);
        encoder.append(RelayRecords.GRANTS, 7L, body, 0, body.length);
        return decoder.wrap(encoder.toMessage(1L));
    }

    @Test
    void shouldRoundTripGrantsIntoTheSlotOfAJoinAsALocalSocketGetsThem()
    {
        final Grants grants = Grants.of(List.of("quiz-*", "lobby"), false, true, false);
        final byte[] body = body(grants);
        assertTrue(GrantsRecord.isValid(body, 0, body.length));
        assertEquals(grants.flags(), GrantsRecord.flags(body, 0));

        final CarriedGrants carried = new CarriedGrants();
        carried.set(body, 0, body.length);
        assertTrue(carried.isRestricted());
        final InboundSlot relayed = new InboundSlot();
        carried.stamp(relayed);
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        final int packedLength = grants.copyPackedRooms(packed);
        assertEquals(grants.flags(), relayed.grantFlags);
        assertArrayEquals(Arrays.copyOf(packed, packedLength), Arrays.copyOf(relayed.grantRooms,
            relayed.grantRoomsLength));
        final byte[] quiz = "quiz-7".getBytes(StandardCharsets.US_ASCII);
        final byte[] chess = "chess".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Grants.roomAllowed(relayed.grantFlags, relayed.grantRooms, relayed.grantRoomsLength, quiz, 6));
        assertFalse(Grants.roomAllowed(relayed.grantFlags, relayed.grantRooms, relayed.grantRoomsLength, chess, 5));

        carried.clear();
        assertFalse(carried.isRestricted());
        carried.stamp(relayed);
        assertEquals(0, relayed.grantFlags);
        assertEquals(0, relayed.grantRoomsLength);
    }

    @Test
    void shouldCarryGrantsWithoutPatternsAndTheLargestRoomsClaimThroughABatch()
    {
        final byte[] rolesOnly = body(Grants.of(null, true, false, true));
        assertEquals(GrantsRecord.HEADER_LENGTH, rolesOnly.length);
        assertTrue(batchAccepts(rolesOnly));

        final byte[] largest = body(Grants.of(maxPatterns(), true, true, true));
        assertEquals(GrantsRecord.MAX_BODY_BYTES, largest.length);
        assertTrue(batchAccepts(largest));
        assertTrue(decoder.next());
        assertEquals(RelayRecords.GRANTS, decoder.kind());
        assertEquals(7L, decoder.connectionId());
        assertArrayEquals(largest, Arrays.copyOfRange(decoder.message(), decoder.bodyOffset(),
            decoder.bodyOffset() + decoder.bodyLength()));

        final byte[] noRoom = body(Grants.of(List.of(), true, true, true));
        assertTrue(batchAccepts(noRoom), "an empty rooms claim allows no room, and is carried as such");
    }

    @Test
    void shouldRefuseEveryTruncation()
    {
        final byte[] good = body(Grants.of(List.of("quiz-*", "lobby"), true, true, true));
        for (int length = 0; length < good.length; length++)
        {
            assertFalse(GrantsRecord.isValid(good, 0, length), "length " + length);
            assertFalse(batchAccepts(Arrays.copyOf(good, length)), "batch with length " + length);
        }
        assertFalse(GrantsRecord.isValid(good, 1, good.length), "a body past the end of its buffer");
    }

    @Test
    void shouldRefuseAnOversizedBody()
    {
        final byte[] largest = body(Grants.of(maxPatterns(), true, true, true));
        final byte[] oneMore = Arrays.copyOf(largest, largest.length + 2);
        oneMore[4] = (byte)(Grants.MAX_PATTERNS + 1);
        oneMore[largest.length] = 1;
        oneMore[largest.length + 1] = 'x';
        assertFalse(GrantsRecord.isValid(oneMore, 0, oneMore.length), "33 patterns over the byte bound");
        assertFalse(batchAccepts(oneMore));

        final List<String> manyShort = new ArrayList<>();
        for (int i = 0; i <= Grants.MAX_PATTERNS; i++)
        {
            manyShort.add("r" + i);
        }
        final byte[] tooMany = rawBody(Grants.ROOMS_LIMITED, manyShort.size(), packed(manyShort));
        assertFalse(GrantsRecord.isValid(tooMany, 0, tooMany.length), "33 patterns within the byte bound");

        final byte[] longPattern = new byte[1 + Grants.MAX_PATTERN_LENGTH + 1];
        longPattern[0] = (byte)(Grants.MAX_PATTERN_LENGTH + 1);
        Arrays.fill(longPattern, 1, longPattern.length, (byte)'a');
        final byte[] tooLong = rawBody(Grants.ROOMS_LIMITED, 1, longPattern);
        assertFalse(GrantsRecord.isValid(tooLong, 0, tooLong.length), "a 65-byte pattern");
    }

    @Test
    void shouldRefuseAWrongShape()
    {
        final byte[] zero = rawBody(0, 0, new byte[0]);
        assertFalse(GrantsRecord.isValid(zero, 0, zero.length), "no restriction is never sent");
        final byte[] unknownFlag = rawBody(Grants.DENY_HOST | 16, 0, new byte[0]);
        assertFalse(GrantsRecord.isValid(unknownFlag, 0, unknownFlag.length), "a flag Grants does not define");
        final byte[] patternsUnlimited = rawBody(Grants.DENY_HOST, 1, packed(List.of("quiz")));
        assertFalse(GrantsRecord.isValid(patternsUnlimited, 0, patternsUnlimited.length),
            "patterns without the rooms claim");
        final byte[] countTooHigh = rawBody(Grants.ROOMS_LIMITED, 2, packed(List.of("quiz")));
        assertFalse(GrantsRecord.isValid(countTooHigh, 0, countTooHigh.length), "fewer patterns than counted");
        final byte[] countTooLow = rawBody(Grants.ROOMS_LIMITED, 1, packed(List.of("quiz", "lobby")));
        assertFalse(GrantsRecord.isValid(countTooLow, 0, countTooLow.length), "bytes after the counted patterns");
        final byte[] emptyPattern = rawBody(Grants.ROOMS_LIMITED, 1, new byte[] {0});
        assertFalse(GrantsRecord.isValid(emptyPattern, 0, emptyPattern.length), "an empty pattern");
        final byte[] starInside = rawBody(Grants.ROOMS_LIMITED, 1, new byte[] {3, 'a', '*', 'b'});
        assertFalse(GrantsRecord.isValid(starInside, 0, starInside.length), "a star before the end");
        final byte[] space = rawBody(Grants.ROOMS_LIMITED, 1, new byte[] {3, 'a', ' ', 'b'});
        assertFalse(GrantsRecord.isValid(space, 0, space.length), "a byte outside the room id alphabet");
        final byte[] overrun = rawBody(Grants.ROOMS_LIMITED, 1, new byte[] {5, 'a', 'b'});
        assertFalse(GrantsRecord.isValid(overrun, 0, overrun.length), "a pattern past the body's end");
        assertFalse(batchAccepts(overrun));
        final byte[] star = rawBody(Grants.ROOMS_LIMITED, 1, new byte[] {1, '*'});
        assertTrue(GrantsRecord.isValid(star, 0, star.length), "\"*\" alone is any room");
        assertTrue(batchAccepts(star));
    }

    private static byte[] packed(final List<String> patterns)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(patterns.size() * (1 + Grants.MAX_PATTERN_LENGTH));
        for (final String pattern : patterns)
        {
            buffer.put((byte)pattern.length()).put(pattern.getBytes(StandardCharsets.US_ASCII));
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
