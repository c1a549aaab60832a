package dev.switchboard.engine.store;

import dev.switchboard.engine.hash.IdHash;

/**
 * Open-addressing index of values by an ASCII id held inside each value (a room id, user id or token),
 * looked up by a byte range so a lookup allocates nothing. Ids come from clients, so they are hashed with the
 * process-seeded {@link IdHash}: nobody can choose ids that share one probe chain.
 *
 * @param <V> the indexed value type.
 */
public abstract class IdIndex<V>
{
    private Object[] values;
    private int mask;
    private int size;

    /**
     * Create an index sized for about {@code expected} values.
     *
     * @param expected expected number of values.
     */
    protected IdIndex(final int expected)
    {
        int capacity = 16;
        while (capacity < expected * 2)
        {
            capacity <<= 1;
        }
        values = new Object[capacity];
        mask = capacity - 1;
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
        int i = hash(key, offset, length) & mask;
        Object entry;
        while (null != (entry = values[i]))
        {
            final V value = (V)entry;
            if (java.util.Arrays.equals(keyBytes(value), 0, keyLength(value), key, offset, offset + length))
            {
                return value;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * Add a value whose key is not yet present.
     *
     * @param value the value.
     */
    public void put(final V value)
    {
        if ((size + 1) * 2 > values.length)
        {
            rehash(values.length * 2);
        }
        insert(values, mask, value);
        size++;
    }

    /**
     * Remove a value (by identity) if present.
     *
     * @param value the value.
     * @return true when removed.
     */
    @SuppressWarnings("unchecked")
    public boolean remove(final V value)
    {
        int i = hash(keyBytes(value), 0, keyLength(value)) & mask;
        Object entry;
        while (null != (entry = values[i]))
        {
            if (entry == value)
            {
                values[i] = null;
                size--;
                int j = (i + 1) & mask;
                while (null != values[j])
                {
                    final V other = (V)values[j];
                    final int home = hash(keyBytes(other), 0, keyLength(other)) & mask;
                    final boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
                    if (movable)
                    {
                        values[i] = values[j];
                        values[j] = null;
                        i = j;
                    }
                    j = (j + 1) & mask;
                }
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /**
     * Number of values held.
     *
     * @return size.
     */
    public int size()
    {
        return size;
    }

    /** Most slots a lookup of a present value probes: the longest distance from a value's home slot, plus one. */
    @SuppressWarnings("unchecked")
    int longestProbe()
    {
        int longest = 0;
        for (int i = 0; i < values.length; i++)
        {
            final Object entry = values[i];
            if (null != entry)
            {
                final V value = (V)entry;
                final int home = hash(keyBytes(value), 0, keyLength(value)) & mask;
                longest = Math.max(longest, ((i - home) & mask) + 1);
            }
        }
        return longest;
    }

    private static int hash(final byte[] key, final int offset, final int length)
    {
        return IdHash.hash(key, offset, length);
    }

    @SuppressWarnings("unchecked")
    private void rehash(final int capacity)
    {
        final Object[] old = values;
        final Object[] next = new Object[capacity];
        final int nextMask = capacity - 1;
        for (final Object entry : old)
        {
            if (null != entry)
            {
                insert(next, nextMask, (V)entry);
            }
        }
        values = next;
        mask = nextMask;
    }

    private void insert(final Object[] table, final int tableMask, final V value)
    {
        int i = hash(keyBytes(value), 0, keyLength(value)) & tableMask;
        while (null != table[i])
        {
            i = (i + 1) & tableMask;
        }
        table[i] = value;
    }
}
