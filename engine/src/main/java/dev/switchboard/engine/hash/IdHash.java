package dev.switchboard.engine.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The one hash of ids and keys that come from outside (room ids, user ids, tokens, game-state keys): SipHash-1-3
 * (the variant Rust's and Python's hash tables use against hash flooding) keyed by a 128-bit seed drawn from
 * {@link SecureRandom} once per process, so nobody outside the process can pick ids that collide into one probe
 * chain of an open-addressing table. The same code with two compression and four finalization rounds is
 * SipHash-2-4, checked against the reference vectors.
 * <p>
 * SipHash is a keyed pseudo-random function: without the key, finding inputs whose hashes agree in the low bits a
 * table uses takes as many tries as random guessing, whatever the attacker knows about the algorithm. A plain
 * seeded FNV-1a would not do: its multiplicative structure lets collisions be built that hold for every seed.
 * The 64-bit result is folded to an {@code int} for tables indexed by its low bits.
 * <p>
 * Stateless, thread-safe and allocation-free; the seed is fixed for the life of the process, so every thread
 * and every table agree (an IoAgent and an engine shard compute the same shard for a room).
 */
public final class IdHash
{
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long K0;
    private static final long K1;

    static
    {
        final SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private IdHash()
    {
    }

    /**
     * Hash of a byte range under this process's seed.
     *
     * @param bytes  buffer.
     * @param offset first byte.
     * @param length length in bytes.
     * @return the hash, well mixed in every bit.
     */
    public static int hash(final byte[] bytes, final int offset, final int length)
    {
        final long h = sipHash(K0, K1, bytes, offset, length, 1, 3);
        return (int)(h ^ (h >>> 32));
    }

    /**
     * SipHash-2-4 of a byte range under an explicit 128-bit key (two little-endian 64-bit halves).
     *
     * @param k0     first key half.
     * @param k1     second key half.
     * @param bytes  buffer.
     * @param offset first byte.
     * @param length length in bytes.
     * @return the 64-bit SipHash-2-4 value.
     */
    public static long sipHash24(final long k0, final long k1, final byte[] bytes, final int offset, final int length)
    {
        return sipHash(k0, k1, bytes, offset, length, 2, 4);
    }

    private static long sipHash(
        final long k0,
        final long k1,
        final byte[] bytes,
        final int offset,
        final int length,
        final int compressionRounds,
        final int finalizationRounds)
    {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;

        final int end = offset + length;
        final int wholeEnd = offset + (length & ~7);
        int i = offset;
        while (i < wholeEnd)
        {
            final long m = (long)LONG_LE.get(bytes, i);
            i += 8;
            v3 ^= m;
            for (int r = 0; r < compressionRounds; r++)
            {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }

        long last = ((long)length & 0xFF) << 56;
        for (int shift = 0; i < end; i++, shift += 8)
        {
            last |= (bytes[i] & 0xFFL) << shift;
        }
        v3 ^= last;
        for (int r = 0; r < compressionRounds; r++)
        {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;

        v2 ^= 0xFF;
        for (int r = 0; r < finalizationRounds; r++)
        {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
