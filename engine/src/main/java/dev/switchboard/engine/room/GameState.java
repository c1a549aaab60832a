package dev.switchboard.engine.room;

import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.ring.InboundSlot;

/**
 * A room's merged game state: top-level key to JSON value bytes, with its version; entry buffers are reused
 * so steady-state merges allocate nothing.
 */
public final class GameState
{
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[][] keys = new byte[8][];
    private int[] keyLengths = new int[8];
    private byte[][] values = new byte[8][];
    private int[] valueLengths = new int[8];
    private int count;
    private long version;
    private long encodedBytes = 2;

    /**
     * The state's version, 0 for a new room.
     *
     * @return version.
     */
    public long version()
    {
        return version;
    }

    /**
     * Number of top-level keys.
     *
     * @return count.
     */
    public int size()
    {
        return count;
    }

    /**
     * Length of the state encoded as a JSON object.
     *
     * @return bytes.
     */
    public long encodedBytes()
    {
        return encodedBytes;
    }

    /**
     * Encoded length the state would have after merging the slot's patch.
     *
     * @param slot a game_state slot with its patch index.
     * @return bytes.
     */
    public long projectedBytes(final InboundSlot slot)
    {
        long bytes = encodedBytes - 2 - (count > 1 ? count - 1 : 0);
        int entries = count;
        for (int e = 0; e < slot.patchEntryCount; e++)
        {
            final int keyLength = slot.patchKeyLength[e];
            final int found = find(slot.payload, slot.patchKeyOffset[e], keyLength);
            if (found >= 0)
            {
                bytes -= keyLengths[found] + 3 + valueLengths[found];
                entries--;
            }
            if (!isNull(slot, e))
            {
                bytes += keyLength + 3 + slot.patchValueLength[e];
                entries++;
            }
        }
        return 2 + bytes + (entries > 1 ? entries - 1 : 0);
    }

    /**
     * Shallow-merge the slot's patch (a null value deletes the key) and take its version.
     *
     * @param slot a game_state slot with its patch index.
     */
    public void merge(final InboundSlot slot)
    {
        for (int e = 0; e < slot.patchEntryCount; e++)
        {
            final int keyOffset = slot.patchKeyOffset[e];
            final int keyLength = slot.patchKeyLength[e];
            final int found = find(slot.payload, keyOffset, keyLength);
            if (isNull(slot, e))
            {
                if (found >= 0)
                {
                    removeAt(found);
                }
            }
            else if (found >= 0)
            {
                setValue(found, slot.payload, slot.patchValueOffset[e], slot.patchValueLength[e]);
            }
            else
            {
                append(slot.payload, keyOffset, keyLength, slot.patchValueOffset[e], slot.patchValueLength[e]);
            }
        }
        version = slot.version;
        recount();
    }

    /**
     * Write the state as a JSON object.
     *
     * @param writer destination.
     */
    public void writeObject(final JsonWriter writer)
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

    /**
     * Back to {@code {version:0, state:{}}}, keeping buffers.
     */
    public void reset()
    {
        count = 0;
        version = 0;
        encodedBytes = 2;
    }

    private static boolean isNull(final InboundSlot slot, final int e)
    {
        return 4 == slot.patchValueLength[e] &&
            java.util.Arrays.equals(slot.payload, slot.patchValueOffset[e], slot.patchValueOffset[e] + 4, NULL, 0, 4);
    }

    private int find(final byte[] src, final int offset, final int length)
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

    private void removeAt(final int index)
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

    private void recount()
    {
        long bytes = 2;
        for (int i = 0; i < count; i++)
        {
            bytes += keyLengths[i] + 3 + valueLengths[i] + (i > 0 ? 1 : 0);
        }
        encodedBytes = bytes;
    }
}
