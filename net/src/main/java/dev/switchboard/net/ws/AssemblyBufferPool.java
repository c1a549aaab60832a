package dev.switchboard.net.ws;

/**
 * Pool of reassembly buffers owned by one IoAgent thread (single-threaded, no locks).
 * <p>
 * A {@link FrameDecoder} takes a buffer only while a message is fragmented or split across reads and gives it
 * back when the message ends, so idle connections hold none. The pool keeps at most {@code maxPooled} free
 * buffers and allocates a new one when empty, so steady state allocates nothing.
 */
public final class AssemblyBufferPool
{
    private final int bufferSize;
    private final byte[][] free;
    private int freeCount;
    private long allocated;

    /**
     * Create an empty pool.
     *
     * @param bufferSize size of every buffer in bytes; at least the decoder's {@code maxPayloadBytes} and 125.
     * @param maxPooled  most free buffers kept; extra released buffers are left to the garbage collector.
     */
    public AssemblyBufferPool(final int bufferSize, final int maxPooled)
    {
        if (bufferSize <= 0)
        {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        if (maxPooled < 0)
        {
            throw new IllegalArgumentException("maxPooled must not be negative: " + maxPooled);
        }
        this.bufferSize = bufferSize;
        this.free = new byte[maxPooled][];
    }

    /**
     * Take a buffer of {@link #bufferSize()} bytes, allocating one only when none is free.
     *
     * @return a buffer the caller owns until it releases it.
     */
    public byte[] acquire()
    {
        if (freeCount > 0)
        {
            final int index = --freeCount;
            final byte[] buffer = free[index];
            free[index] = null;
            return buffer;
        }
        allocated++;
        return new byte[bufferSize];
    }

    /**
     * Give back a buffer taken by {@link #acquire()}; the caller must not use it afterwards.
     *
     * @param buffer the buffer; ignored when null, of another size, or when the pool is full.
     */
    public void release(final byte[] buffer)
    {
        if (null != buffer && bufferSize == buffer.length && freeCount < free.length)
        {
            free[freeCount++] = buffer;
        }
    }

    /**
     * Free buffers held by the pool now.
     *
     * @return count of free buffers.
     */
    public int pooledCount()
    {
        return freeCount;
    }

    /**
     * Buffers allocated since the pool was made, for tests and metrics.
     *
     * @return count of allocations.
     */
    public long allocatedCount()
    {
        return allocated;
    }

    /**
     * Size of every buffer this pool hands out.
     *
     * @return bytes per buffer.
     */
    public int bufferSize()
    {
        return bufferSize;
    }
}
