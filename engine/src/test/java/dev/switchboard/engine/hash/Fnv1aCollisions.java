package dev.switchboard.engine.hash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Crafts ids that the unseeded FNV-1a this project used before {@link IdHash} sent to one home slot of every
 * table up to 2^bits slots: what an outside attacker could compute offline.
 */
public final class Fnv1aCollisions
{
    private Fnv1aCollisions()
    {
    }

    /**
     * The old hash: FNV-1a 32 with the high half folded into the low half.
     *
     * @param bytes the id.
     * @return the hash the old tables indexed by.
     */
    public static int oldHash(final byte[] bytes)
    {
        int h = 0x811C9DC5;
        for (final byte b : bytes)
        {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /**
     * Ids whose old hash agrees in its low {@code bits} bits (all zero), so they share one home slot.
     *
     * @param prefix id prefix.
     * @param count  ids wanted.
     * @param bits   low bits that must agree.
     * @return ids in the room-id alphabet.
     */
    public static List<byte[]> craft(final String prefix, final int count, final int bits)
    {
        final List<byte[]> ids = new ArrayList<>(count);
        final int mask = (1 << bits) - 1;
        for (long n = 0; ids.size() < count; n++)
        {
            final byte[] id = (prefix + Long.toString(n, 36)).getBytes(StandardCharsets.US_ASCII);
            if (0 == (oldHash(id) & mask))
            {
                ids.add(id);
            }
        }
        return ids;
    }
}
