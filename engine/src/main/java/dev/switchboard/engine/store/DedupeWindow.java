package dev.switchboard.engine.store;

import java.util.Arrays;

/**
 * The last N accepted critical msgIds of a session as 128-bit values: a ring in arrival order plus an
 * open-addressing index into the ring, so lookups and inserts are O(1) and allocate nothing once grown.
 * <p>
 * Memory grows on demand: a new window holds no arrays; the first msgId allocates room for
 * {@link #INITIAL_CAPACITY}, and the ring doubles (the index with it) up to the window size; {@link #clear()} keeps
 * the arrays for the next owner of a pooled session. At the default 64 msgIds the full window costs about 1.6 KB.
 */
public final class DedupeWindow
{
    /** MsgIds the arrays are first allocated for. */
    public static final int INITIAL_CAPACITY = 4;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] EMPTY_INDEX = new int[1];

    private final int maxSize;
    private int capacity;
    private long[] his = NO_LONGS;
    private long[] los = NO_LONGS;
    private int[] index = EMPTY_INDEX;
    private int mask;
    private int head;
    private int size;

    /**
     * Create a window remembering the last {@code windowSize} msgIds.
     *
     * @param windowSize window size, at least 1.
     */
    public DedupeWindow(final int windowSize)
    {
        this.maxSize = Math.max(1, windowSize);
    }

    /**
     * Whether the msgId is in the window.
     *
     * @param hi high bits.
     * @param lo low bits.
     * @return true when seen.
     */
    public boolean contains(final long hi, final long lo)
    {
        int i = hash(hi, lo) & mask;
        int entry;
        while (0 != (entry = index[i]))
        {
            final int slot = entry - 1;
            if (his[slot] == hi && los[slot] == lo)
            {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /**
     * Add a msgId, forgetting the oldest one when full; adding a present id changes nothing.
     *
     * @param hi high bits.
     * @param lo low bits.
     */
    public void add(final long hi, final long lo)
    {
        if (contains(hi, lo))
        {
            return;
        }
        if (size == capacity && capacity < maxSize)
        {
            grow();
        }
        final int slot;
        if (size == capacity)
        {
            slot = head;
            removeIndex(slot);
            head = (head + 1) % capacity;
        }
        else
        {
            slot = (head + size) % capacity;
            size++;
        }
        his[slot] = hi;
        los[slot] = lo;
        insertIndex(slot);
    }

    /**
     * MsgIds the arrays have room for now, for tests of on-demand growth.
     *
     * @return capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Number of msgIds held.
     *
     * @return size.
     */
    public int size()
    {
        return size;
    }

    /**
     * High bits of the msgId at a position in arrival order, 0 being the oldest held.
     *
     * @param position 0 to {@link #size()} - 1.
     * @return high bits.
     */
    public long hiAt(final int position)
    {
        return his[(head + position) % capacity];
    }

    /**
     * Low bits of the msgId at a position in arrival order, 0 being the oldest held.
     *
     * @param position 0 to {@link #size()} - 1.
     * @return low bits.
     */
    public long loAt(final int position)
    {
        return los[(head + position) % capacity];
    }

    /**
     * Forget everything.
     */
    public void clear()
    {
        head = 0;
        size = 0;
        Arrays.fill(index, 0);
    }

    private void grow()
    {
        final int next = Math.min(maxSize, Math.max(INITIAL_CAPACITY, capacity * 2));
        final long[] newHis = new long[next];
        final long[] newLos = new long[next];
        for (int i = 0; i < size; i++)
        {
            final int from = (head + i) % capacity;
            newHis[i] = his[from];
            newLos[i] = los[from];
        }
        int tableSize = 2;
        while (tableSize < next * 2)
        {
            tableSize <<= 1;
        }
        his = newHis;
        los = newLos;
        index = new int[tableSize];
        mask = tableSize - 1;
        capacity = next;
        head = 0;
        for (int slot = 0; slot < size; slot++)
        {
            insertIndex(slot);
        }
    }

    private void insertIndex(final int slot)
    {
        int i = hash(his[slot], los[slot]) & mask;
        while (0 != index[i])
        {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
    }

    private void removeIndex(final int slot)
    {
        int i = hash(his[slot], los[slot]) & mask;
        while (index[i] != slot + 1)
        {
            i = (i + 1) & mask;
        }
        index[i] = 0;
        int j = (i + 1) & mask;
        while (0 != index[j])
        {
            final int other = index[j] - 1;
            final int home = hash(his[other], los[other]) & mask;
            final boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable)
            {
                index[i] = index[j];
                index[j] = 0;
                i = j;
            }
            j = (j + 1) & mask;
        }
    }

    private static int hash(final long hi, final long lo)
    {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 32;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 29));
    }
}
