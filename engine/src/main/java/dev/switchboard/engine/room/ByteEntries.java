package dev.switchboard.engine.room;

import dev.switchboard.engine.protocol.JsonWriter;

/**
 * An insertion-ordered list of JSON object entries kept as bytes (the key's escaped bytes without quotes, the
 * value's JSON bytes), with buffers reused across clears so steady state allocates nothing. Shared by the room's
 * merged game state and the per-tick pending patch.
 */
final class ByteEntries
{
    private byte[][] keys = new byte[8][];
    private int[] keyLengths = new int[8];
    private byte[][] values = new byte[8][];
    private int[] valueLengths = new int[8];
    private int count;

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
        for (int i = 0; i < count; i++)
        {
            if (java.util.Arrays.equals(keys[i], 0, keyLengths[i], src, offset, offset + length))
            {
                return i;
            }
        }
        return -1;
    }

    /** Set the value of the key, appending the entry when the key is new. */
    void put(final byte[] src, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
    {
        final int found = find(src, keyOffset, keyLength);
        if (found >= 0)
        {
            setValue(found, src, valueOffset, valueLength);
        }
        else
        {
            append(src, keyOffset, keyLength, valueOffset, valueLength);
        }
    }

    /** Remove the entry at the index (the last entry takes its place). */
    void removeAt(final int index)
    {
        final int last = count - 1;
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
        count = 0;
    }

    /** Length of the entries encoded as one JSON object. */
    long encodedBytes()
    {
        long bytes = 2;
        for (int i = 0; i < count; i++)
        {
            bytes += keyLengths[i] + 3 + valueLengths[i] + (i > 0 ? 1 : 0);
        }
        return bytes;
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

    private void append(
        final byte[] src, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
    {
        if (count == keys.length)
        {
            final int n = count * 2;
            keys = java.util.Arrays.copyOf(keys, n);
            keyLengths = java.util.Arrays.copyOf(keyLengths, n);
            values = java.util.Arrays.copyOf(values, n);
            valueLengths = java.util.Arrays.copyOf(valueLengths, n);
        }
        byte[] key = keys[count];
        if (null == key || key.length < keyLength)
        {
            key = new byte[Math.max(keyLength, 32)];
            keys[count] = key;
        }
        System.arraycopy(src, keyOffset, key, 0, keyLength);
        keyLengths[count] = keyLength;
        setValue(count, src, valueOffset, valueLength);
        count++;
    }
}
