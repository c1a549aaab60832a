package dev.switchboard.engine.outbound;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Size-classed pool of {@link Frame}s owned by one thread (an engine shard, an IoAgent, the cluster agent).
 * <p>
 * {@link #acquire} runs only on the owning thread. Frames whose last reference is dropped on another thread
 * (an IoAgent after writing) come back through a many-to-one queue that the owner drains on acquire and on trim;
 * frames released on the owning thread go straight back to their free list. When the return queue is full the frame
 * is left to the garbage collector instead of making the releasing thread wait.
 * <p>
 * Size classes are the powers of two from 128 bytes (an ack, a pong) to 1 MiB; a larger frame is made to measure and
 * never kept. The free lists together keep at most {@code retainedBytes}; a frame returned past that is dropped.
 * Memory returns after a burst: every {@link #TRIM_INTERVAL_MS} of the owner's clock, {@link #trim(long)} drops half
 * of the frames of each class that stayed free for the whole interval (the low-water mark of its free list) beyond a
 * small reserve ({@link #RESERVE_FRAMES} frames, at most {@link #RESERVE_BYTES}, at least one frame per class), so an idle pool halves each interval
 * down to the reserve while a steady load, which reuses its frames, keeps them; the reserve absorbs the jitter of a
 * steady load. Steady state allocates nothing; a burst costs its first occurrence.
 */
public final class FramePool
{
    /** Time between two trims of idle free frames, in the owner's clock. */
    public static final long TRIM_INTERVAL_MS = 2000;
    /** Free frames of a class that trimming always keeps, at most {@link #RESERVE_BYTES} and at least one. */
    public static final int RESERVE_FRAMES = 64;
    /** Bytes of free frames of a class that trimming always keeps, at least one frame. */
    public static final int RESERVE_BYTES = 256 * 1024;

    private static final int SMALLEST_CLASS_SHIFT = 7;
    private static final int CLASSES = 14;
    private static final int INITIAL_FREE_LIST = 16;

    private final Frame[][] free = new Frame[CLASSES][];
    private final int[] freeCount = new int[CLASSES];
    private final int[] lowWaterCount = new int[CLASSES];
    private final ManyToOneConcurrentArrayQueue<Frame> returns;
    private final AtomicLong lostReturnBytes = new AtomicLong();
    private final AtomicLong lostReturns = new AtomicLong();
    private final Thread ownerThread;
    private final long retainedBytes;
    private long allocated;
    private long dropped;
    private long liveBytes;
    private long freeBytes;
    private long nextTrimMs = Long.MIN_VALUE;

    /**
     * Create a pool keeping the default {@code framePoolRetainedBytes} of free frames, whose {@link #acquire} runs on
     * the given thread (or, if null, on whichever thread first acquires).
     *
     * @param returnQueueCapacity capacity of the queue frames come back through from other threads.
     * @param ownerThread         the owning thread, or null to treat every caller as the owner (tests).
     */
    public FramePool(final int returnQueueCapacity, final Thread ownerThread)
    {
        this(returnQueueCapacity, ownerThread, SwitchboardSettings.DEFAULT_FRAME_POOL_RETAINED_BYTES);
    }

    /**
     * Create a pool keeping at most {@code retainedBytes} of free frames.
     *
     * @param returnQueueCapacity capacity of the queue frames come back through from other threads.
     * @param ownerThread         the owning thread, or null to treat every caller as the owner (tests).
     * @param retainedBytes       bytes of free frames kept for reuse, at least 0.
     */
    public FramePool(final int returnQueueCapacity, final Thread ownerThread, final long retainedBytes)
    {
        if (retainedBytes < 0)
        {
            throw new IllegalArgumentException("retainedBytes must not be negative: " + retainedBytes);
        }
        this.returns = new ManyToOneConcurrentArrayQueue<>(returnQueueCapacity);
        this.ownerThread = ownerThread;
        this.retainedBytes = retainedBytes;
        for (int i = 0; i < CLASSES; i++)
        {
            free[i] = new Frame[INITIAL_FREE_LIST];
        }
    }

    /**
     * Take a frame with room for at least {@code payloadCapacity} JSON bytes; the caller holds one reference.
     *
     * @param payloadCapacity JSON bytes expected (the frame can still grow while writing).
     * @param type            what the frame carries.
     * @param droppable       whether flow control may drop it.
     * @return a frame ready to write at {@link Frame#PAYLOAD_OFFSET}.
     */
    public Frame acquire(final int payloadCapacity, final MessageType type, final boolean droppable)
    {
        drainReturns();
        final int bytes = payloadCapacity + Frame.PAYLOAD_OFFSET;
        final int sizeClass = sizeClassFor(bytes);
        Frame frame = null;
        if (sizeClass >= 0 && freeCount[sizeClass] > 0)
        {
            final int index = --freeCount[sizeClass];
            frame = free[sizeClass][index];
            free[sizeClass][index] = null;
            freeBytes -= frame.buffer().length;
            if (index < lowWaterCount[sizeClass])
            {
                lowWaterCount[sizeClass] = index;
            }
        }
        if (null == frame)
        {
            allocated++;
            final int capacity = sizeClass >= 0 ? classCapacity(sizeClass) : bytes;
            liveBytes += capacity;
            frame = new Frame(this, sizeClass, capacity);
        }
        return frame.reset(type, droppable);
    }

    /**
     * Give back idle memory: once per {@link #TRIM_INTERVAL_MS}, drop half of each class's frames that stayed free
     * for the whole interval, beyond the class's reserve. Owner thread only; call it from a slow tick.
     *
     * @param nowMs the owner's clock, epoch ms.
     */
    public void trim(final long nowMs)
    {
        drainReturns();
        if (Long.MIN_VALUE == nextTrimMs)
        {
            nextTrimMs = nowMs + TRIM_INTERVAL_MS;
            resetLowWater();
            return;
        }
        if (nowMs - nextTrimMs < 0)
        {
            return;
        }
        nextTrimMs = nowMs + TRIM_INTERVAL_MS;
        for (int c = 0; c < CLASSES; c++)
        {
            final int idle = lowWaterCount[c] - reserveFrames(c);
            final int drop = idle > 0 ? (idle + 1) / 2 : 0;
            final Frame[] list = free[c];
            for (int k = 0; k < drop; k++)
            {
                final int index = --freeCount[c];
                dropFrame(list[index]);
                freeBytes -= list[index].buffer().length;
                list[index] = null;
            }
            lowWaterCount[c] = freeCount[c];
        }
    }

    /**
     * Frames created since the pool was made, for tests and metrics.
     *
     * @return count of allocations.
     */
    public long allocatedCount()
    {
        return allocated;
    }

    /**
     * Frames created and not dropped since (in use or free), for leak tests: equal to {@link #freeCount()} when
     * nothing is in use.
     *
     * @return count of live frames.
     */
    public long liveCount()
    {
        drainReturns();
        return allocated - dropped;
    }

    /**
     * Frames sitting in the free lists now (after draining returns), for leak tests.
     *
     * @return count of free frames.
     */
    public int freeCount()
    {
        drainReturns();
        int total = 0;
        for (final int count : freeCount)
        {
            total += count;
        }
        return total;
    }

    /**
     * Bytes of the free frames kept for reuse; owner thread only.
     *
     * @return bytes.
     */
    public long freeBytes()
    {
        return freeBytes;
    }

    /**
     * Bytes of the frames handed out and not yet back on a free list (frames in the return queue included); owner
     * thread only.
     *
     * @return bytes.
     */
    public long inUseBytes()
    {
        return liveBytes - lostReturnBytes.get() - freeBytes;
    }

    void onGrown(final int extraBytes)
    {
        liveBytes += extraBytes;
    }

    void recycle(final Frame frame)
    {
        if (null == ownerThread || Thread.currentThread() == ownerThread)
        {
            pushFree(frame);
        }
        else if (!returns.offer(frame))
        {
            lostReturnBytes.addAndGet(frame.buffer().length);
            lostReturns.incrementAndGet();
            // The owner forgets the frame when it next counts: left to the garbage collector, not retried.
        }
    }

    private void drainReturns()
    {
        Frame frame;
        while (null != (frame = returns.poll()))
        {
            pushFree(frame);
        }
        final long lost = lostReturns.get();
        if (0 != lost)
        {
            lostReturns.addAndGet(-lost);
            dropped += lost;
            final long lostBytes = lostReturnBytes.get();
            lostReturnBytes.addAndGet(-lostBytes);
            liveBytes -= lostBytes;
        }
    }

    private void pushFree(final Frame frame)
    {
        final int sizeClass = frame.sizeClass();
        final int bytes = frame.buffer().length;
        if (sizeClass < 0 || bytes != classCapacity(sizeClass) || freeBytes + bytes > retainedBytes)
        {
            dropFrame(frame);
            return;
        }
        Frame[] list = free[sizeClass];
        if (freeCount[sizeClass] == list.length)
        {
            list = Arrays.copyOf(list, list.length * 2);
            free[sizeClass] = list;
        }
        list[freeCount[sizeClass]++] = frame;
        freeBytes += bytes;
    }

    private void dropFrame(final Frame frame)
    {
        dropped++;
        liveBytes -= frame.buffer().length;
    }

    private void resetLowWater()
    {
        System.arraycopy(freeCount, 0, lowWaterCount, 0, CLASSES);
    }

    private static int reserveFrames(final int sizeClass)
    {
        return Math.max(1, Math.min(RESERVE_FRAMES, RESERVE_BYTES / classCapacity(sizeClass)));
    }

    private static int classCapacity(final int sizeClass)
    {
        return 1 << (SMALLEST_CLASS_SHIFT + sizeClass);
    }

    private static int sizeClassFor(final int bytes)
    {
        if (bytes <= 1 << SMALLEST_CLASS_SHIFT)
        {
            return 0;
        }
        final int sizeClass = 32 - Integer.numberOfLeadingZeros(bytes - 1) - SMALLEST_CLASS_SHIFT;
        return sizeClass < CLASSES ? sizeClass : -1;
    }
}
