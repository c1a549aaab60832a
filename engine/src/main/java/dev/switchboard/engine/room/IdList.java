package dev.switchboard.engine.room;

import dev.switchboard.engine.protocol.JsonWriter;

import java.util.Arrays;

/** A reusable list of copied id byte strings, for coalesced presence deltas. */
public final class IdList
{
    private byte[][] ids = new byte[8][];
    private int[] lengths = new int[8];
    private int size;

    /**
     * Append a copy of an id.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @param length length.
     */
    public void add(final byte[] src, final int offset, final int length)
    {
        if (size == ids.length)
        {
            ids = Arrays.copyOf(ids, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        byte[] slot = ids[size];
        if (null == slot || slot.length < length)
        {
            slot = new byte[Math.max(64, length)];
            ids[size] = slot;
        }
        System.arraycopy(src, offset, slot, 0, length);
        lengths[size++] = length;
    }

    /**
     * Ids held.
     *
     * @return size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Empty the list, keeping its buffers.
     */
    public void clear()
    {
        size = 0;
    }

    /**
     * Write the ids as a JSON array of strings.
     *
     * @param writer destination.
     */
    public void writeArray(final JsonWriter writer)
    {
        writer.raw((byte)'[');
        for (int i = 0; i < size; i++)
        {
            if (i > 0)
            {
                writer.raw((byte)',');
            }
            writer.quoted(ids[i], 0, lengths[i]);
        }
        writer.raw((byte)']');
    }
}
