package dev.switchboard.net.io;

/**
 * Buffers for HTTP request heads, owned by one IoAgent thread; a connection holds one only while its head
 * is incomplete.
 */
final class HeadBufferPool
{
    private final int bufferBytes;
    private final byte[][] free;
    private int freeCount;

    HeadBufferPool(final int bufferBytes, final int maxPooled)
    {
        this.bufferBytes = bufferBytes;
        this.free = new byte[maxPooled][];
    }

    byte[] acquire()
    {
        if (freeCount > 0)
        {
            final byte[] buffer = free[--freeCount];
            free[freeCount] = null;
            return buffer;
        }
        return new byte[bufferBytes];
    }

    void release(final byte[] buffer)
    {
        if (null != buffer && freeCount < free.length)
        {
            free[freeCount++] = buffer;
        }
    }
}
