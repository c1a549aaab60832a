package dev.switchboard.engine.room;

import dev.switchboard.engine.hash.IdHash;
import dev.switchboard.engine.ring.InboundSlot;

/**
 * The distinct keys of one game_state patch, found in O(1) expected per key with the process-seeded
 * {@link IdHash}, so a projection can count each key once (a key repeated within a patch takes its last value,
 * as the merge does). Reused for every patch of its room: the table grows to the largest patch seen (bounded by
 * {@code maxPatchEntries}) and {@link #clear(InboundSlot)} empties only the slots it used, so steady state
 * allocates nothing. Engine thread only.
 */
final class PatchKeySet
{
    private static final int EMPTY = -1;

    private int[] table = emptyTable(16);
    private int mask = 15;
    private int[] used = new int[8];
    private int usedCount;
    private int[] hashes = new int[8];

    /**
     * Prepare for a patch of the slot's size; forget the keys of the last one.
     *
     * @param slot the game_state slot about to be added from its last entry backwards.
     */
    void clear(final InboundSlot slot)
    {
        for (int i = 0; i < usedCount; i++)
        {
            table[used[i]] = EMPTY;
        }
        usedCount = 0;
        final int entries = slot.patchEntryCount;
        if (entries * 2 > table.length)
        {
            int capacity = table.length;
            while (capacity < entries * 2)
            {
                capacity <<= 1;
            }
            table = emptyTable(capacity);
            mask = capacity - 1;
        }
        if (used.length < entries)
        {
            used = new int[Math.max(entries, used.length * 2)];
            hashes = new int[used.length];
        }
    }

    /**
     * Add the key of a patch entry.
     *
     * @param slot the slot given to {@link #clear(InboundSlot)}.
     * @param e    the entry index.
     * @return false when an equal key was added before (since the last clear).
     */
    boolean add(final InboundSlot slot, final int e)
    {
        final byte[] payload = slot.payload;
        final int offset = slot.patchKeyOffset[e];
        final int length = slot.patchKeyLength[e];
        final int hash = IdHash.hash(payload, offset, length);
        hashes[e] = hash;
        int i = hash & mask;
        int other;
        while (EMPTY != (other = table[i]))
        {
            final int otherOffset = slot.patchKeyOffset[other];
            if (java.util.Arrays.equals(
                payload, otherOffset, otherOffset + slot.patchKeyLength[other], payload, offset, offset + length))
            {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = e;
        used[usedCount++] = i;
        return true;
    }

    /**
     * The hash of an entry's key, valid once {@link #add} saw that entry (since the last clear).
     *
     * @param e the entry index.
     * @return the key's {@link IdHash}.
     */
    int hash(final int e)
    {
        return hashes[e];
    }

    private static int[] emptyTable(final int capacity)
    {
        final int[] table = new int[capacity];
        java.util.Arrays.fill(table, EMPTY);
        return table;
    }
}
