package dev.switchboard.net.ws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class AssemblyBufferPoolTest
{
    @Test
    void shouldReuseReleasedBuffersAndAllocateOnlyWhenEmpty()
    {
        final AssemblyBufferPool pool = new AssemblyBufferPool(256, 2);
        final byte[] a = pool.acquire();
        final byte[] b = pool.acquire();
        assertEquals(256, a.length);
        assertNotSame(a, b);
        assertEquals(2, pool.allocatedCount());
        assertEquals(0, pool.pooledCount());

        pool.release(a);
        assertEquals(1, pool.pooledCount());
        assertSame(a, pool.acquire());
        assertEquals(2, pool.allocatedCount());
    }

    @Test
    void shouldKeepAtMostMaxPooledAndIgnoreForeignBuffers()
    {
        final AssemblyBufferPool pool = new AssemblyBufferPool(128, 2);
        final byte[] a = pool.acquire();
        final byte[] b = pool.acquire();
        final byte[] c = pool.acquire();
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertEquals(2, pool.pooledCount());

        pool.release(null);
        pool.release(new byte[64]);
        assertEquals(2, pool.pooledCount());
    }
}
