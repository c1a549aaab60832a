package dev.switchboard.engine.store;

import dev.switchboard.engine.hash.Fnv1aCollisions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdIndexCollisionTest
{
    private final IdIndex<byte[]> index = new IdIndex<>(4)
    {
        @Override
        protected byte[] keyBytes(final byte[] value)
        {
            return value;
        }

        @Override
        protected int keyLength(final byte[] value)
        {
            return value.length;
        }
    };

    @Test
    void shouldNotChainIdsCraftedToCollideUnderFnv1a()
    {
        final List<byte[]> ids = Fnv1aCollisions.craft("user-", 300, 12);
        for (final byte[] id : ids)
        {
            index.put(id);
        }
        for (final byte[] id : ids)
        {
            assertSame(id, index.get(id.clone(), 0, id.length));
        }
        // Under FNV-1a all 300 share a home slot: the longest probe would be 300.
        assertTrue(index.longestProbe() < 40, "longest probe " + index.longestProbe());
    }
}
