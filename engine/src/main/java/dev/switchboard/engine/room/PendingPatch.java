package dev.switchboard.engine.room;

import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.ring.InboundSlot;

/**
 * The game_state patches of one room within the current coalescing tick, merged into one patch: a later value
 * of a key replaces an earlier one, and a {@code null} value is kept (it tells recipients to delete the key);
 * keys keep the order of their first appearance. Entry buffers are reused, so steady state allocates nothing.
 */
public final class PendingPatch
{
    private byte[][] keys = new byte[8][];
    private int[] keyLengths = new int[8];
    private byte[][] values = new byte[8][];
    private int[] valueLengths = new int[8];
    private int count;
    private long version;
    private long senderSerial;
    private boolean pending;

    /**
     * Whether a patch waits to be sent.
     *
     * @return true after {@link #add} and before {@link #clear()}.
     */
    public boolean isPending()
    {
        return pending;
    }

    /**
     * Version of the last patch merged in.
     *
     * @return version.
     */
    public long version()
    {
        return version;
    }

    /**
     * Serial of the session that sent the patches (it is not echoed its own patch).
     *
     * @return the sender's serial, 0 when nothing is pending.
     */
    public long senderSerial()
    {
        return senderSerial;
    }

    /**
     * Number of keys in the merged patch.
     *
     * @return count.
     */
    public int size()
    {
        return count;
    }

    /**
     * Length of the merged patch encoded as a JSON object.
     *
     * @return bytes.
     */
    public int encodedBytes()
    {
        int bytes = 2;
        for (int i = 0; i < count; i++)
        {
            bytes += keyLengths[i] + 3 + valueLengths[i] + (i > 0 ? 1 : 0);
        }
        return bytes;
    }

    /**
     * Merge a game_state slot's patch over the pending one and take its version.
     *
     * @param slot         a game_state slot with its patch index.
     * @param senderSerial serial of the sending session.
     */
    public void add(final InboundSlot slot, final long senderSerial)
    {
        for (int e = 0; e < slot.patchEntryCount; e++)
        {
            final int keyOffset = slot.patchKeyOffset[e];
            final int keyLength = slot.patchKeyLength[e];
            final int found = find(slot.payload, keyOffset, keyLength);
            if (found >= 0)
            {
                setValue(found, slot.payload, slot.patchValueOffset[e], slot.patchValueLength[e]);
            }
            else
            {
                append(slot.payload, keyOffset, keyLength, slot.patchValueOffset[e], slot.patchValueLength[e]);
            }
        }
        version = slot.version;
        this.senderSerial = senderSerial;
        pending = true;
    }

    /**
     * Write the merged patch as a JSON object.
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
     * Forget the pending patch, keeping buffers.
     */
    public void clear()
    {
        count = 0;
        version = 0;
        senderSerial = 0;
        pending = false;
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
