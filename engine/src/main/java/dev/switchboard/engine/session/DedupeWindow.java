package dev.switchboard.engine.session;

/**
 * The last N accepted critical msgIds of a session as 128-bit values: a ring in arrival order plus an
 * open-addressing index into the ring, so lookups and inserts are O(1) and allocate nothing.
 */
public final class DedupeWindow
{
    private final int capacity;
    private final long[] his;
    private final long[] los;
    private final int[] index;
    private final int mask;
    private int head;
    private int size;

    /**
     * Create a window remembering the last {@code capacity} msgIds.
     *
     * @param capacity window size, at least 1.
     */
    public DedupeWindow(final int capacity)
    {
        this.capacity = Math.max(1, capacity);
        this.his = new long[this.capacity];
        this.los = new long[this.capacity];
        int tableSize = 2;
        while (tableSize < this.capacity * 2)
        {
            tableSize <<= 1;
        }
        this.index = new int[tableSize];
        this.mask = tableSize - 1;
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
        int i = hash(hi, lo) & mask;
        while (0 != index[i])
        {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
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
        java.util.Arrays.fill(index, 0);
        head = 0;
        size = 0;
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
