package dev.switchboard.engine.room;

import dev.switchboard.engine.hash.IdHash;
import dev.switchboard.engine.protocol.JsonWriter;

/**
 * An insertion-ordered list of JSON object entries kept as bytes (the key's escaped bytes without quotes, the
 * value's JSON bytes), with buffers reused across clears so steady state allocates nothing. Shared by the room's
 * merged game state and the per-tick pending patch.
 * <p>
 * Keys are indexed by an open-addressing table of entry positions (linear probing, load at most one half) keyed
 * by the process-seeded {@link IdHash}, so {@link #find} costs O(1) expected whatever keys a client picks; each
 * entry's hash is kept, so growing the table and the backward-shift delete never rehash key bytes. The table
 * only grows (to twice the largest count seen, bounded by the room's entry cap) and {@link #clear()} keeps it.
 */
final class ByteEntries
{
    private static final int EMPTY = -1;

    private byte[][] keys = new byte[8][];
    private int[] keyLengths = new int[8];
    private byte[][] values = new byte[8][];
    private int[] valueLengths = new int[8];
    private int[] hashes = new int[8];
    private int[] slots = new int[8];
    private int[] table = emptyTable(16);
    private int mask = 15;
    private int count;
    private long entryBytes;

    int count()
    {
        return count;
    }

    int keyLength(final int index)
    {
        return keyLengths[index];
    }

    int valueLength(final int index)
    {
        return valueLengths[index];
    }

    byte[] key(final int index)
    {
        return keys[index];
    }

    byte[] value(final int index)
    {
        return values[index];
    }

    /** Index of the entry whose key equals the bytes, or -1. */
    int find(final byte[] src, final int offset, final int length)
    {
        return find(IdHash.hash(src, offset, length), src, offset, length);
    }

    /** Set the value of the key, appending the entry when the key is new. */
    void put(final byte[] src, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
    {
        put(IdHash.hash(src, keyOffset, keyLength), src, keyOffset, keyLength, valueOffset, valueLength);
    }

    /** {@link #put(byte[], int, int, int, int)} with the key's {@link IdHash} already computed. */
    void put(
        final int hash,
        final byte[] src,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength)
    {
        final int found = find(hash, src, keyOffset, keyLength);
        if (found >= 0)
        {
            entryBytes += valueLength - valueLengths[found];
            setValue(found, src, valueOffset, valueLength);
        }
        else
        {
            append(hash, src, keyOffset, keyLength, valueOffset, valueLength);
        }
    }

    /** Remove the entry at the index (the last entry takes its place). */
    void removeAt(final int index)
    {
        unlink(slots[index]);
        entryBytes -= keyLengths[index] + 3 + valueLengths[index];
        final int last = count - 1;
        if (index != last)
        {
            final byte[] key = keys[index];
            final byte[] value = values[index];
            keys[index] = keys[last];
            keyLengths[index] = keyLengths[last];
            values[index] = values[last];
            valueLengths[index] = valueLengths[last];
            hashes[index] = hashes[last];
            slots[index] = slots[last];
            table[slots[index]] = index;
            keys[last] = key;
            values[last] = value;
        }
        count = last;
    }

    void clear()
    {
        for (int i = 0; i < count; i++)
        {
            table[slots[i]] = EMPTY;
        }
        count = 0;
        entryBytes = 0;
    }

    /** Longest run of occupied table slots starting at a key's home slot: the worst probe count of a lookup. */
    int longestProbe()
    {
        int longest = 0;
        for (int i = 0; i < count; i++)
        {
            final int distance = (slots[i] - (hashes[i] & mask)) & mask;
            longest = Math.max(longest, distance + 1);
        }
        return longest;
    }

    /** Length of the entries encoded as one JSON object. */
    long encodedBytes()
    {
        return 2 + entryBytes + (count > 1 ? count - 1 : 0);
    }

    void writeObject(final JsonWriter writer)
    {
        writer.raw((byte)'{');
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                writer.raw((byte)',');
            }
            writer.quoted(keys[i], 0, keyLengths[i]).raw((byte)':').raw(values[i], 0, valueLengths[i]);
        }
        writer.raw((byte)'}');
    }

    private void setValue(final int index, final byte[] src, final int offset, final int length)
    {
        byte[] value = values[index];
        if (null == value || value.length < length)
        {
            value = new byte[Math.max(length, 32)];
            values[index] = value;
        }
        System.arraycopy(src, offset, value, 0, length);
        valueLengths[index] = length;
    }

    /** {@link #find(byte[], int, int)} with the key's {@link IdHash} already computed. */
    int find(final int hash, final byte[] src, final int offset, final int length)
    {
        final int[] table = this.table;
        int slot = hash & mask;
        int entry;
        while (EMPTY != (entry = table[slot]))
        {
            if (hashes[entry] == hash &&
                java.util.Arrays.equals(keys[entry], 0, keyLengths[entry], src, offset, offset + length))
            {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private void link(final int index)
    {
        int slot = hashes[index] & mask;
        while (EMPTY != table[slot])
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = index;
        slots[index] = slot;
    }

    /** Empty a table slot and shift later entries of its probe run back (no tombstones). */
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

    private void growTable()
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
        java.util.Arrays.fill(table, EMPTY);
        return table;
    }

    private void append(
        final int hash,
        final byte[] src,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength)
    {
        if (count == keys.length)
        {
            final int n = count * 2;
            keys = java.util.Arrays.copyOf(keys, n);
            keyLengths = java.util.Arrays.copyOf(keyLengths, n);
            values = java.util.Arrays.copyOf(values, n);
            valueLengths = java.util.Arrays.copyOf(valueLengths, n);
            hashes = java.util.Arrays.copyOf(hashes, n);
            slots = java.util.Arrays.copyOf(slots, n);
        }
        if ((count + 1) * 2 > table.length)
        {
            growTable();
        }
        byte[] key = keys[count];
        if (null == key || key.length < keyLength)
        {
            key = new byte[Math.max(keyLength, 32)];
            keys[count] = key;
        }
        System.arraycopy(src, keyOffset, key, 0, keyLength);
        keyLengths[count] = keyLength;
        hashes[count] = hash;
        link(count);
        entryBytes += keyLength + 3 + valueLength;
        setValue(count, src, valueOffset, valueLength);
        count++;
    }
}
