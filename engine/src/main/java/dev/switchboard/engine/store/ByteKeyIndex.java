package dev.switchboard.engine.store;

import dev.switchboard.engine.hash.IdHash;

import java.util.Arrays;

/**
 * The one open-addressing index of byte keys: maps a key to a dense entry number (0 to {@link #count()} - 1) by
 * linear probing over a power-of-two table at most half full, with backward-shift deletion so no tombstones build
 * up. The owner keeps the keys (and any values) in its own arrays at the entry numbers and compares them through
 * {@link Keys}; the index keeps each entry's hash and table slot. Keys come from clients, so the hash is the
 * process-seeded {@link IdHash}. Allocation-free except when it grows.
 */
public final class ByteKeyIndex
{
    /** How the owner compares its key at an entry with a candidate key. */
    @FunctionalInterface
    public interface Keys
    {
        /**
         * Whether the key stored at the entry equals these bytes.
         *
         * @param entry  an entry number.
         * @param src    bytes holding the candidate key.
         * @param offset where it starts.
         * @param length its length.
         * @return true when equal.
         */
        boolean keyEquals(int entry, byte[] src, int offset, int length);
    }

    private static final int EMPTY = -1;

    private final Keys keys;
    private int[] table;
    private int mask;
    private int[] hashes;
    private int[] slots;
    private int count;

    /**
     * An index sized for about this many entries without growing.
     *
     * @param expected expected entries.
     * @param keys     compares the owner's stored keys.
     */
    public ByteKeyIndex(final int expected, final Keys keys)
    {
        this.keys = keys;
        int capacity = 16;
        while (capacity < expected * 2)
        {
            capacity <<= 1;
        }
        table = emptyTable(capacity);
        mask = capacity - 1;
        hashes = new int[Math.max(8, expected)];
        slots = new int[hashes.length];
    }

    /**
     * The hash this index uses for a key.
     *
     * @param src    bytes holding the key.
     * @param offset where it starts.
     * @param length its length.
     * @return the seeded hash.
     */
    public static int hash(final byte[] src, final int offset, final int length)
    {
        return IdHash.hash(src, offset, length);
    }

    /**
     * Entries now.
     *
     * @return count.
     */
    public int count()
    {
        return count;
    }

    /**
     * The hash of the key at an entry.
     *
     * @param entry an entry number.
     * @return its hash.
     */
    public int hashAt(final int entry)
    {
        return hashes[entry];
    }

    /**
     * The entry holding this key.
     *
     * @param src    bytes holding the key.
     * @param offset where it starts.
     * @param length its length.
     * @return the entry number, or -1.
     */
    public int find(final byte[] src, final int offset, final int length)
    {
        return find(hash(src, offset, length), src, offset, length);
    }

    /**
     * The entry holding this key, its hash already known.
     *
     * @param hash   {@link #hash} of the key.
     * @param src    bytes holding the key.
     * @param offset where it starts.
     * @param length its length.
     * @return the entry number, or -1.
     */
    public int find(final int hash, final byte[] src, final int offset, final int length)
    {
        final int[] table = this.table;
        int slot = hash & mask;
        int entry;
        while (EMPTY != (entry = table[slot]))
        {
            if (hashes[entry] == hash && keys.keyEquals(entry, src, offset, length))
            {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Add an entry for a key not in the index; the owner then stores the key at the returned number.
     *
     * @param hash {@link #hash} of the key.
     * @return the new entry's number, equal to the count before the call.
     */
    public int add(final int hash)
    {
        if (count == hashes.length)
        {
            hashes = Arrays.copyOf(hashes, count * 2);
            slots = Arrays.copyOf(slots, count * 2);
        }
        if ((count + 1) * 2 > table.length)
        {
            grow();
        }
        final int entry = count++;
        hashes[entry] = hash;
        link(entry);
        return entry;
    }

    /**
     * Remove an entry: the last entry takes its number, so the owner must move its own last key to {@code entry}.
     *
     * @param entry the entry number.
     * @return the number the moved entry had ({@code count()} after the call), equal to {@code entry} when the
     * removed entry was the last.
     */
    public int removeAt(final int entry)
    {
        unlink(slots[entry]);
        final int last = count - 1;
        if (entry != last)
        {
            hashes[entry] = hashes[last];
            slots[entry] = slots[last];
            table[slots[entry]] = entry;
        }
        count = last;
        return last;
    }

    /**
     * Remove every entry, touching only the slots in use.
     */
    public void clear()
    {
        for (int i = 0; i < count; i++)
        {
            table[slots[i]] = EMPTY;
        }
        count = 0;
    }

    /**
     * The longest probe sequence of any entry (1 when every entry sits in its home slot), for collision tests.
     *
     * @return probes.
     */
    public int longestProbe()
    {
        int longest = 0;
        for (int i = 0; i < count; i++)
        {
            longest = Math.max(longest, ((slots[i] - (hashes[i] & mask)) & mask) + 1);
        }
        return longest;
    }

    private void link(final int entry)
    {
        int slot = hashes[entry] & mask;
        while (EMPTY != table[slot])
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = entry;
        slots[entry] = slot;
    }

    private void unlink(final int slot)
    {
        final int[] table = this.table;
        int hole = slot;
        table[hole] = EMPTY;
        int next = (hole + 1) & mask;
        int entry;
        while (EMPTY != (entry = table[next]))
        {
            final int home = hashes[entry] & mask;
            final boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable)
            {
                table[hole] = entry;
                slots[entry] = hole;
                table[next] = EMPTY;
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    private void grow()
    {
        final int capacity = table.length * 2;
        table = emptyTable(capacity);
        mask = capacity - 1;
        for (int i = 0; i < count; i++)
        {
            link(i);
        }
    }

    private static int[] emptyTable(final int capacity)
    {
        final int[] table = new int[capacity];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
