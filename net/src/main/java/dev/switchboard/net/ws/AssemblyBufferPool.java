package dev.switchboard.net.ws;

/**
 * Pool of reassembly buffers owned by one IoAgent thread (single-threaded, no locks), in power-of-two size classes
 * from {@value #MIN_BUFFER_BYTES} bytes up to the smallest power of two that holds {@code maxBufferBytes}.
 * <p>
 * A {@link FrameDecoder} takes a buffer only while a message is fragmented or split across reads, sized to the
 * bytes that actually arrived, and trades it for the next class up as more arrive (at most twice the bytes copied
 * overall), so a peer that sends one byte of a message and stalls pins {@value #MIN_BUFFER_BYTES} bytes, not a
 * whole {@code maxPayloadBytes} buffer. Buffers go back when the message ends, so idle connections hold none.
 * Each class keeps at most {@code maxPooledPerClass} free buffers and allocates a new one when empty, so steady
 * state allocates nothing.
 */
public final class AssemblyBufferPool
{
    /** Size of the smallest class, enough for any control frame (at most 125 bytes). */
    public static final int MIN_BUFFER_BYTES = 128;

    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_BUFFER_BYTES);

    private final int maxBufferBytes;
    private final byte[][][] free;
    private final int[] freeCount;
    private long allocated;
    private long allocatedBytes;

    /**
     * Create an empty pool.
     *
     * @param maxBufferBytes    largest buffer ever needed (the decoder's {@code maxPayloadBytes}); at least 1.
     * @param maxPooledPerClass most free buffers kept per size class; extra released buffers are left to the GC.
     */
    public AssemblyBufferPool(final int maxBufferBytes, final int maxPooledPerClass)
    {
        if (maxBufferBytes <= 0 || maxBufferBytes > (1 << 30))
        {
            throw new IllegalArgumentException("maxBufferBytes must be in 1..2^30: " + maxBufferBytes);
        }
        if (maxPooledPerClass < 0)
        {
            throw new IllegalArgumentException("maxPooledPerClass must not be negative: " + maxPooledPerClass);
        }
        this.maxBufferBytes = classSize(maxBufferBytes);
        final int classes = classIndex(this.maxBufferBytes) + 1;
        this.free = new byte[classes][maxPooledPerClass][];
        this.freeCount = new int[classes];
    }

    /**
     * Take a buffer of the largest class, allocating one only when none is free.
     *
     * @return a buffer of {@link #bufferSize()} bytes the caller owns until it releases it.
     */
    public byte[] acquire()
    {
        return acquire(maxBufferBytes);
    }

    /**
     * Take the smallest pooled buffer that holds {@code minBytes}, allocating one only when its class has none free.
     *
     * @param minBytes bytes the caller needs, at most {@link #bufferSize()}.
     * @return a buffer of at least {@code minBytes} (a power of two, at least {@value #MIN_BUFFER_BYTES}).
     */
    public byte[] acquire(final int minBytes)
    {
        if (minBytes > maxBufferBytes)
        {
            throw new IllegalArgumentException("need " + minBytes + " bytes, pool holds at most " + maxBufferBytes);
        }
        final int size = classSize(minBytes);
        final int index = classIndex(size);
        if (freeCount[index] > 0)
        {
            final int slot = --freeCount[index];
            final byte[] buffer = free[index][slot];
            free[index][slot] = null;
            return buffer;
        }
        allocated++;
        allocatedBytes += size;
        return new byte[size];
    }

    /**
     * Copy the first {@code usedBytes} of {@code buffer} into a buffer that holds {@code minBytes} and release the
     * old one; returns {@code buffer} itself when it is already big enough.
     *
     * @param buffer    a buffer taken from this pool, or null.
     * @param usedBytes bytes of {@code buffer} to keep.
     * @param minBytes  bytes needed from now on, at most {@link #bufferSize()}.
     * @return a buffer of at least {@code minBytes} holding the kept bytes.
     */
    public byte[] grow(final byte[] buffer, final int usedBytes, final int minBytes)
    {
        if (null != buffer && buffer.length >= minBytes)
        {
            return buffer;
        }
        final byte[] bigger = acquire(minBytes);
        if (null != buffer)
        {
            System.arraycopy(buffer, 0, bigger, 0, usedBytes);
            release(buffer);
        }
        return bigger;
    }

    /**
     * Give back a buffer taken by {@link #acquire(int)}; the caller must not use it afterwards.
     *
     * @param buffer the buffer; ignored when null, not of a class of this pool, or when its class is full.
     */
    public void release(final byte[] buffer)
    {
        if (null == buffer)
        {
            return;
        }
        final int size = buffer.length;
        if (size < MIN_BUFFER_BYTES || size > maxBufferBytes || Integer.bitCount(size) != 1)
        {
            return;
        }
        final int index = classIndex(size);
        if (freeCount[index] < free[index].length)
        {
            free[index][freeCount[index]++] = buffer;
        }
    }

    /**
     * Free buffers held by the pool now, over all classes.
     *
     * @return count of free buffers.
     */
    public int pooledCount()
    {
        int total = 0;
        for (final int count : freeCount)
        {
            total += count;
        }
        return total;
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
     * Bytes allocated since the pool was made, for tests and metrics.
     *
     * @return sum of the sizes of every buffer allocated.
     */
    public long allocatedBytes()
    {
        return allocatedBytes;
    }

    /**
     * Size of the largest class: the most a buffer of this pool holds.
     *
     * @return bytes of the largest buffer.
     */
    public int bufferSize()
    {
        return maxBufferBytes;
    }

    private static int classSize(final int minBytes)
    {
        return minBytes <= MIN_BUFFER_BYTES ? MIN_BUFFER_BYTES : Integer.highestOneBit(minBytes - 1) << 1;
    }

    private static int classIndex(final int size)
    {
        return Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
    }
}
