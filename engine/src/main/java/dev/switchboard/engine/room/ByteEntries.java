package dev.switchboard.engine.room;

import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.store.ByteKeyIndex;

import java.util.Arrays;

/**
 * An insertion-ordered list of JSON object entries kept as bytes (the key's escaped bytes without quotes, the
 * value's JSON bytes), with buffers reused across clears so steady state allocates nothing. Shared by the room's
 * merged game state and the per-tick pending patch.
 * <p>
 * Keys are indexed by an open-addressing table of entry positions (linear probing, load at most one half) keyed
 * by the process-seeded {@link dev.switchboard.engine.hash.IdHash}, so {@link #find} costs O(1) expected whatever keys a client picks; each
 * entry's hash is kept, so growing the table and the backward-shift delete never rehash key bytes. The table
 * only grows (to twice the largest count seen, bounded by the room's entry cap) and {@link #clear()} keeps it.
 */
final class ByteEntries
{
    private byte[][] keys = new byte[8][];
    private int[] keyLengths = new int[8];
    private byte[][] values = new byte[8][];
    private int[] valueLengths = new int[8];
    private final ByteKeyIndex keyIndex = new ByteKeyIndex(8);
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
        return find(ByteKeyIndex.hash(src, offset, length), src, offset, length);
    }

    /** Set the value of the key, appending the entry when the key is new. */
    void put(final byte[] src, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
    {
        put(ByteKeyIndex.hash(src, keyOffset, keyLength), src, keyOffset, keyLength, valueOffset, valueLength);
    }

    /** {@link #put(byte[], int, int, int, int)} with the key's {@link dev.switchboard.engine.hash.IdHash} already computed. */
    void put(
        final int hash,
        final byte[] src,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength)
    {
        final int probed = probe(hash, src, keyOffset, keyLength);
        if (probed >= 0)
        {
            entryBytes += valueLength - valueLengths[probed];
            setValue(probed, src, valueOffset, valueLength);
        }
        else
        {
            append(-1 - probed, hash, src, keyOffset, keyLength, valueOffset, valueLength);
        }
    }

    void removeAt(final int index)
    {
        entryBytes -= keyLengths[index] + 3 + valueLengths[index];
        final int last = keyIndex.removeAt(index);
        if (index != last)
        {
            final byte[] key = keys[index];
            final byte[] value = values[index];
            keys[index] = keys[last];
            keyLengths[index] = keyLengths[last];
            values[index] = values[last];
            valueLengths[index] = valueLengths[last];
            keys[last] = key;
            values[last] = value;
        }
        count = last;
    }

    void clear()
    {
        keyIndex.clear();
        count = 0;
        entryBytes = 0;
    }

    int longestProbe()
    {
        return keyIndex.longestProbe();
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

    int find(final int hash, final byte[] src, final int offset, final int length)
    {
        final int probed = probe(hash, src, offset, length);
        return probed >= 0 ? probed : -1;
    }

    /**
     * The one probe of the key index, comparing keys inline (see {@link ByteKeyIndex}).
     *
     * @return the entry holding the key, or {@code -1 - slot} for the empty slot where the probe ended.
     */
    private int probe(final int hash, final byte[] src, final int offset, final int length)
    {
        final ByteKeyIndex index = keyIndex;
        int slot = index.homeSlot(hash);
        int entry;
        while ((entry = index.entryAt(slot)) >= 0)
        {
            if (index.hashAt(entry) == hash &&
                Arrays.equals(keys[entry], 0, keyLengths[entry], src, offset, offset + length))
            {
                return entry;
            }
            slot = index.nextSlot(slot);
        }
        return -1 - slot;
    }

    private void append(
        final int emptySlot,
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
            keys = Arrays.copyOf(keys, n);
            keyLengths = Arrays.copyOf(keyLengths, n);
            values = Arrays.copyOf(values, n);
            valueLengths = Arrays.copyOf(valueLengths, n);
        }
        byte[] key = keys[count];
        if (null == key || key.length < keyLength)
        {
            key = new byte[Math.max(keyLength, 32)];
            keys[count] = key;
        }
        System.arraycopy(src, keyOffset, key, 0, keyLength);
        keyLengths[count] = keyLength;
        keyIndex.addAt(emptySlot, hash);
        entryBytes += keyLength + 3 + valueLength;
        setValue(count, src, valueOffset, valueLength);
        count++;
    }
}
