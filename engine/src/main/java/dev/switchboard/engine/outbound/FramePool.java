package dev.switchboard.engine.outbound;

import dev.switchboard.engine.protocol.MessageType;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Size-classed pool of {@link Frame}s owned by one engine thread.
 * <p>
 * {@link #acquire} runs only on the owning thread. Frames whose last reference is dropped on another thread
 * (an IoAgent after writing) come back through a many-to-one queue that the owner drains on acquire; frames
 * released on the owning thread go straight back to their free list. The pool grows when empty, so steady
 * state allocates nothing and a burst costs only its first occurrence.
 */
public final class FramePool
{
    private static final int[] CAPACITIES = {512, 2048, 8192, 32768, 131072, 1 << 20};
    private static final int MAX_FREE_PER_CLASS = 4096;

    private final Frame[][] free = new Frame[CAPACITIES.length][];
    private final int[] freeCount = new int[CAPACITIES.length];
    private final ManyToOneConcurrentArrayQueue<Frame> returns;
    private final Thread ownerThread;
    private long allocated;

    /**
     * Create a pool whose {@link #acquire} runs on the given thread (or, if null, on whichever thread first
     * acquires).
     *
     * @param returnQueueCapacity capacity of the queue frames come back through from other threads.
     * @param ownerThread         the owning engine thread, or null to treat every caller as the owner (tests).
     */
    public FramePool(final int returnQueueCapacity, final Thread ownerThread)
    {
        this.returns = new ManyToOneConcurrentArrayQueue<>(returnQueueCapacity);
        this.ownerThread = ownerThread;
        for (int i = 0; i < CAPACITIES.length; i++)
        {
            free[i] = new Frame[64];
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
        final int sizeClass = sizeClassFor(payloadCapacity + Frame.PAYLOAD_OFFSET);
        Frame frame = null;
        if (sizeClass >= 0 && freeCount[sizeClass] > 0)
        {
            final int index = --freeCount[sizeClass];
            frame = free[sizeClass][index];
            free[sizeClass][index] = null;
        }
        if (null == frame)
        {
            allocated++;
            final int capacity = sizeClass >= 0 ? CAPACITIES[sizeClass] : payloadCapacity + Frame.PAYLOAD_OFFSET;
            frame = new Frame(this, sizeClass, capacity);
        }
        return frame.reset(type, droppable);
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

    void recycle(final Frame frame)
    {
        if (null == ownerThread || Thread.currentThread() == ownerThread)
        {
            pushFree(frame);
        }
        else
        {
            while (!returns.offer(frame))
            {
                Thread.onSpinWait();
            }
        }
    }

    private void drainReturns()
    {
        Frame frame;
        while (null != (frame = returns.poll()))
        {
            pushFree(frame);
        }
    }

    private void pushFree(final Frame frame)
    {
        final int sizeClass = frame.sizeClass();
        if (sizeClass < 0 || freeCount[sizeClass] >= MAX_FREE_PER_CLASS)
        {
            return;
        }
        Frame[] list = free[sizeClass];
        if (freeCount[sizeClass] == list.length)
        {
            list = java.util.Arrays.copyOf(list, list.length * 2);
            free[sizeClass] = list;
        }
        list[freeCount[sizeClass]++] = frame;
    }

    private static int sizeClassFor(final int bytes)
    {
        for (int i = 0; i < CAPACITIES.length; i++)
        {
            if (bytes <= CAPACITIES[i])
            {
                return i;
            }
        }
        return -1;
    }
}
