package dev.switchboard.engine.store;

import java.util.Arrays;

/**
 * Index of values by an ASCII id held inside each value (a room id, user id or token), looked up by a byte range so
 * a lookup allocates nothing; the values sit densely at the entry numbers of the one {@link ByteKeyIndex}, whose
 * process-seeded hash keeps anyone from choosing ids that share one probe chain.
 *
 * @param <V> the indexed value type.
 */
public abstract class IdIndex<V>
{
    private final ByteKeyIndex index;
    private Object[] values;

    /**
     * Create an index sized for about {@code expected} values.
     *
     * @param expected expected number of values.
     */
    protected IdIndex(final int expected)
    {
        index = new ByteKeyIndex(expected);
        values = new Object[Math.max(8, expected)];
    }

    /**
     * The key bytes of a value.
     *
     * @param value the value.
     * @return the array holding its key from offset 0.
     */
    protected abstract byte[] keyBytes(V value);

    /**
     * The key length of a value.
     *
     * @param value the value.
     * @return key length in bytes.
     */
    protected abstract int keyLength(V value);

    /**
     * Look up a value by key.
     *
     * @param key    buffer.
     * @param offset first key byte.
     * @param length key length.
     * @return the value or null.
     */
    @SuppressWarnings("unchecked")
    public V get(final byte[] key, final int offset, final int length)
    {
        final int entry = find(key, offset, length);
        return entry < 0 ? null : (V)values[entry];
    }

    /**
     * Add a value whose key is not yet present.
     *
     * @param value the value.
     */
    public void put(final V value)
    {
        final int entry = index.add(ByteKeyIndex.hash(keyBytes(value), 0, keyLength(value)));
        if (entry == values.length)
        {
            values = Arrays.copyOf(values, entry * 2);
        }
        values[entry] = value;
    }

    /**
     * Remove a value (the same instance) if present.
     *
     * @param value the value.
     * @return true when it was removed.
     */
    public boolean remove(final V value)
    {
        final int entry = find(keyBytes(value), 0, keyLength(value));
        if (entry < 0 || values[entry] != value)
        {
            return false;
        }
        final int last = index.removeAt(entry);
        values[entry] = values[last];
        values[last] = null;
        return true;
    }

    /**
     * Number of values.
     *
     * @return size.
     */
    public int size()
    {
        return index.count();
    }

    /** The longest probe sequence of any value, for collision tests. */
    int longestProbe()
    {
        return index.longestProbe();
    }

    @SuppressWarnings("unchecked")
    private int find(final byte[] key, final int offset, final int length)
    {
        final int hash = ByteKeyIndex.hash(key, offset, length);
        int entry;
        for (int slot = index.homeSlot(hash); (entry = index.entryAt(slot)) >= 0; slot = index.nextSlot(slot))
        {
            final V value = (V)values[entry];
            if (index.hashAt(entry) == hash &&
                Arrays.equals(keyBytes(value), 0, keyLength(value), key, offset, offset + length))
            {
                return entry;
            }
        }
        return -1;
    }
}
