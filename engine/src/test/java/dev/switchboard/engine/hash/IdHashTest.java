package dev.switchboard.engine.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdHashTest
{
    private static final long KEY0 = 0x0706050403020100L;
    private static final long KEY1 = 0x0F0E0D0C0B0A0908L;

    @Test
    void shouldMatchSipHash24ReferenceVectors()
    {
        final byte[] message = new byte[64];
        for (int i = 0; i < message.length; i++)
        {
            message[i] = (byte)i;
        }
        // Key 00..0f; vectors from the SipHash paper's reference implementation (vectors.h).
        assertEquals(0x726fdb47dd0e0e31L, IdHash.sipHash24(KEY0, KEY1, message, 0, 0));
        assertEquals(0x74f839c593dc67fdL, IdHash.sipHash24(KEY0, KEY1, message, 0, 1));
        assertEquals(0xa129ca6149be45e5L, IdHash.sipHash24(KEY0, KEY1, message, 0, 15));
    }

    @Test
    void shouldHashTheSameBytesAlikeAtAnyOffset()
    {
        final byte[] a = "room-abc".getBytes(StandardCharsets.US_ASCII);
        final byte[] b = "xxroom-abcyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(IdHash.hash(a, 0, a.length), IdHash.hash(b, 2, a.length));
    }

    @Test
    void shouldSpreadIdsCraftedToCollideUnderFnv1a()
    {
        final List<byte[]> ids = Fnv1aCollisions.craft("r", 256, 12);
        final Set<Integer> oldSlots = new HashSet<>();
        final Set<Integer> newSlots = new HashSet<>();
        for (final byte[] id : ids)
        {
            oldSlots.add(Fnv1aCollisions.oldHash(id) & 1023);
            newSlots.add(IdHash.hash(id, 0, id.length) & 1023);
        }
        assertEquals(1, oldSlots.size(), "the crafted ids share one home slot under FNV-1a");
        // 256 random slots of 1,024 are ~227 distinct on average; one chain would be 1.
        assertTrue(newSlots.size() > 180, "distinct home slots under the seeded hash: " + newSlots.size());
    }
}
