package dev.switchboard.engine.store;

import dev.switchboard.engine.hash.IdHash;

import java.util.Arrays;

/**
 * The one open-addressing index of byte keys: maps a key to a dense entry number (0 to {@link #count()} - 1) by
 * linear probing over a power-of-two table at most half full, with backward-shift deletion so no tombstones build
 * up. The owner keeps the keys (and any values) in its own arrays at the entry numbers; the index keeps each
 * entry's hash and table slot. Keys come from clients, so the hash is the process-seeded {@link IdHash}.
 * Allocation-free except when it grows.
 * <p>
 * A lookup is the owner's own loop over the probe sequence, comparing its keys inline:
 * <pre>
 * for (int slot = index.homeSlot(hash); (entry = index.entryAt(slot)) &gt;= 0; slot = index.nextSlot(slot))
 *     if (index.hashAt(entry) == hash &amp;&amp; ownerKeyEquals(entry, ...)) return entry;
 * </pre>
 * A comparison callback would be one call site shared by every owner, so the JIT could not inline it: it cost the
 * game-state merge 5 to 16% in an interleaved before/after run (perf-reports/jmh-rerun.md).
 */
public final class ByteKeyIndex
{
    private static final int EMPTY = -1;

    private int[] table;
    private int mask;
    private int[] hashes;
    private int[] slots;
    private int count;

    /**
     * An index sized for about this many entries without growing.
     *
     * @param expected expected entries.
     */
    public ByteKeyIndex(final int expected)
    {
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
     * Where the probe sequence for a hash starts.
     *
     * @param hash {@link #hash} of a key.
     * @return the home slot.
     */
    public int homeSlot(final int hash)
    {
        return hash & mask;
    }

    /**
     * The entry in a table slot.
     *
     * @param slot a slot of the probe sequence.
     * @return the entry number, or -1 for an empty slot, where the probe sequence ends.
     */
    public int entryAt(final int slot)
    {
        return table[slot];
    }

    /**
     * The slot after this one in probe order.
     *
     * @param slot a slot.
     * @return the next slot.
     */
    public int nextSlot(final int slot)
    {
        return (slot + 1) & mask;
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
     * Add an entry at the empty slot where the owner's probe for its key ended (one probe sequence per insert);
     * the owner then stores the key at the returned number.
     *
     * @param emptySlot the slot whose {@link #entryAt} was -1 at the end of the probe for this hash.
     * @param hash      {@link #hash} of the key.
     * @return the new entry's number, equal to the count before the call.
     */
    public int addAt(final int emptySlot, final int hash)
    {
        if (count == hashes.length)
        {
            hashes = Arrays.copyOf(hashes, count * 2);
            slots = Arrays.copyOf(slots, count * 2);
        }
        final int entry = count++;
        hashes[entry] = hash;
        if (count * 2 > table.length)
        {
            grow();
        }
        else
        {
            table[emptySlot] = entry;
            slots[entry] = emptySlot;
        }
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
