package dev.switchboard.engine.room;

import dev.switchboard.engine.hash.IdHash;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.ring.InboundSlot;

import java.util.Arrays;

/**
 * A room's merged game state: top-level key to JSON value bytes, with its version; entry buffers are reused
 * so steady-state merges allocate nothing.
 */
public final class GameState
{
    /** Least time between two logged refusals of one room's patches: one line per episode. */
    public static final long REFUSAL_LOG_INTERVAL_MS = 10_000;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final ByteEntries entries = new ByteEntries();
    private final PatchKeySet patchKeys = new PatchKeySet();
    private long version;
    private long encodedBytes = 2;
    private int projectedEntries;
    private InboundSlot hashedSlot;
    private byte[] hashedPayload;
    private long hashedVersion;
    private int hashedCount;
    private long refusalLoggedMs = Long.MIN_VALUE / 2;

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
        return entries.count();
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
     * Encoded length the state would have after merging the slot's patch; also sets {@link #projectedEntries()}.
     * Exact (a key repeated in the patch counts once, with its last value) and O(1) expected per patch entry.
     *
     * @param slot a game_state slot with its patch index.
     * @return bytes.
     */
    public long projectedBytes(final InboundSlot slot)
    {
        final int count = entries.count();
        long bytes = encodedBytes - 2 - (count > 1 ? count - 1 : 0);
        int size = count;
        patchKeys.clear(slot);
        for (int e = slot.patchEntryCount - 1; e >= 0; e--)
        {
            if (!patchKeys.add(slot, e))
            {
                continue;
            }
            final int keyLength = slot.patchKeyLength[e];
            final int found = entries.find(patchKeys.hash(e), slot.payload, slot.patchKeyOffset[e], keyLength);
            if (found >= 0)
            {
                bytes -= entries.keyLength(found) + 3 + entries.valueLength(found);
                size--;
            }
            if (!isNull(slot, e))
            {
                bytes += keyLength + 3 + slot.patchValueLength[e];
                size++;
            }
        }
        projectedEntries = size;
        hashedSlot = slot;
        hashedPayload = slot.payload;
        hashedVersion = slot.version;
        hashedCount = slot.patchEntryCount;
        return 2 + bytes + (size > 1 ? size - 1 : 0);
    }

    /**
     * Number of keys the state would hold after the patch given to the last {@link #projectedBytes} call.
     *
     * @return entries.
     */
    public int projectedEntries()
    {
        return projectedEntries;
    }

    /**
     * Check a patch against the room's bounds before merging it: its own key count first (O(1), so an oversized
     * patch costs no per-key work), then the projected key count and encoded size of the merged state.
     *
     * @param slot            a game_state slot with its patch index.
     * @param maxPatchEntries most keys one patch may carry.
     * @param maxEntries      most keys the state may hold.
     * @param maxBytes        largest encoded state.
     * @return the bound the patch would cross, or null when it may be merged.
     */
    public GameStateRefusal admit(final InboundSlot slot, final int maxPatchEntries, final int maxEntries,
        final long maxBytes)
    {
        if (slot.patchEntryCount > maxPatchEntries)
        {
            return GameStateRefusal.PATCH_ENTRIES;
        }
        final long bytes = projectedBytes(slot);
        if (projectedEntries > maxEntries)
        {
            return GameStateRefusal.STATE_ENTRIES;
        }
        return bytes > maxBytes ? GameStateRefusal.STATE_BYTES : null;
    }

    /**
     * Whether a refusal at {@code nowMs} starts a new episode worth one log line (none logged in the last
     * {@value #REFUSAL_LOG_INTERVAL_MS} ms); records it when so.
     *
     * @param nowMs engine clock in milliseconds.
     * @return true when the caller should log.
     */
    public boolean refusalLogDue(final long nowMs)
    {
        if (nowMs - refusalLoggedMs < REFUSAL_LOG_INTERVAL_MS)
        {
            return false;
        }
        refusalLoggedMs = nowMs;
        return true;
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
            if (isNull(slot, e))
            {
                final int found = entries.find(keyHash(slot, e), slot.payload, keyOffset, keyLength);
                if (found >= 0)
                {
                    entries.removeAt(found);
                }
            }
            else
            {
                entries.put(keyHash(slot, e), slot.payload, keyOffset, keyLength, slot.patchValueOffset[e],
                    slot.patchValueLength[e]);
            }
        }
        version = slot.version;
        encodedBytes = entries.encodedBytes();
    }

    /**
     * Write the state as a JSON object.
     *
     * @param writer destination.
     */
    public void writeObject(final JsonWriter writer)
    {
        entries.writeObject(writer);
    }

    /**
     * The key bytes of an entry (escaped, without quotes), valid for {@link #keyLength(int)}.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return the key buffer.
     */
    public byte[] keyBytes(final int index)
    {
        return entries.key(index);
    }

    /**
     * Length of an entry's key.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return bytes.
     */
    public int keyLength(final int index)
    {
        return entries.keyLength(index);
    }

    /**
     * The JSON value bytes of an entry, valid for {@link #valueLength(int)}.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return the value buffer.
     */
    public byte[] valueBytes(final int index)
    {
        return entries.value(index);
    }

    /**
     * Length of an entry's value.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return bytes.
     */
    public int valueLength(final int index)
    {
        return entries.valueLength(index);
    }

    /**
     * Start restoring a state taken elsewhere: forget the content and take the version; entries follow through
     * {@link #restoreEntry}.
     *
     * @param restoredVersion the snapshot's version.
     */
    public void restore(final long restoredVersion)
    {
        hashedSlot = null;
        entries.clear();
        version = restoredVersion;
        encodedBytes = 2;
    }

    /**
     * Set one entry of a state being restored (a key seen twice keeps the last value).
     *
     * @param src         buffer holding key and value.
     * @param keyOffset   first byte of the key's escaped bytes.
     * @param keyLength   key length.
     * @param valueOffset first byte of the value's JSON bytes.
     * @param valueLength value length.
     */
    public void restoreEntry(
        final byte[] src, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
    {
        entries.put(src, keyOffset, keyLength, valueOffset, valueLength);
        encodedBytes = entries.encodedBytes();
    }

    /**
     * Back to {@code {version:0, state:{}}}, keeping buffers.
     */
    public void reset()
    {
        hashedSlot = null;
        hashedPayload = null;
        entries.clear();
        version = 0;
        encodedBytes = 2;
        refusalLoggedMs = Long.MIN_VALUE / 2;
    }

    /**
     * The {@link IdHash} of a patch entry's key: the one {@link #projectedBytes} computed when the slot is the one it
     * last projected (the engine checks, then merges, then coalesces the same slot), else computed now.
     */
    int keyHash(final InboundSlot slot, final int e)
    {
        if (slot == hashedSlot && slot.payload == hashedPayload && slot.version == hashedVersion &&
            slot.patchEntryCount == hashedCount)
        {
            return patchKeys.hash(e);
        }
        return IdHash.hash(slot.payload, slot.patchKeyOffset[e], slot.patchKeyLength[e]);
    }

    private static boolean isNull(final InboundSlot slot, final int e)
    {
        return 4 == slot.patchValueLength[e] &&
            Arrays.equals(slot.payload, slot.patchValueOffset[e], slot.patchValueOffset[e] + 4, NULL, 0, 4);
    }
}
