package dev.switchboard.engine.room;

import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.store.ByteKeyIndex;

import java.util.Arrays;

/**
 * The distinct keys of one game_state patch, found in O(1) expected per key through the shard's one
 * {@link ByteKeyIndex} (process-seeded hash), so a projection can count each key once (a key repeated within a patch
 * takes its last value, as the merge does). Reused for every patch of its room: the index grows to the largest patch
 * seen (bounded by {@code maxPatchEntries}) and {@link #clear(InboundSlot)} empties only the slots it used, so
 * steady state allocates nothing. Engine thread only.
 */
final class PatchKeySet
{
    private final ByteKeyIndex index = new ByteKeyIndex(8);
    private int[] patchEntries = new int[8];
    private int[] hashes = new int[8];

    /**
     * Prepare for a patch of the slot's size; forget the keys of the last one.
     *
     * @param slot the game_state slot about to be added from its last entry backwards.
     */
    void clear(final InboundSlot slot)
    {
        index.clear();
        final int entries = slot.patchEntryCount;
        if (patchEntries.length < entries)
        {
            patchEntries = new int[Math.max(entries, patchEntries.length * 2)];
            hashes = new int[patchEntries.length];
        }
    }

    /**
     * Add the key of a patch entry.
     *
     * @param slot the slot given to {@link #clear(InboundSlot)}.
     * @param e    the entry index.
     * @return true when the key was not in the set yet.
     */
    boolean add(final InboundSlot slot, final int e)
    {
        final int offset = slot.patchKeyOffset[e];
        final int length = slot.patchKeyLength[e];
        final int hash = ByteKeyIndex.hash(slot.payload, offset, length);
        hashes[e] = hash;
        final byte[] payload = slot.payload;
        int probe = index.homeSlot(hash);
        int entry;
        while ((entry = index.entryAt(probe)) >= 0)
        {
            if (index.hashAt(entry) == hash)
            {
                final int other = patchEntries[entry];
                final int otherOffset = slot.patchKeyOffset[other];
                if (Arrays.equals(
                    payload, otherOffset, otherOffset + slot.patchKeyLength[other], payload, offset, offset + length))
                {
                    return false;
                }
            }
            probe = index.nextSlot(probe);
        }
        patchEntries[index.addAt(probe, hash)] = e;
        return true;
    }

    /**
     * The hash of an entry's key, valid once {@link #add} saw that entry (since the last clear).
     *
     * @param e the entry index.
     * @return the hash.
     */
    int hash(final int e)
    {
        return hashes[e];
    }
}
