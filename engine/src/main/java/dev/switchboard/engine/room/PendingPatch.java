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
    private final ByteEntries entries = new ByteEntries();
    private final GameState hashes;
    private long version;
    private long senderSerial;
    private boolean pending;

    /**
     * A pending patch that hashes every key itself.
     */
    public PendingPatch()
    {
        this(new GameState());
    }

    /**
     * A pending patch that takes the key hashes its room's state computed when it checked the same slot.
     *
     * @param hashes the room's game state.
     */
    public PendingPatch(final GameState hashes)
    {
        this.hashes = hashes;
    }

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
        return entries.count();
    }

    /**
     * Length of the merged patch encoded as a JSON object.
     *
     * @return bytes.
     */
    public int encodedBytes()
    {
        return (int)entries.encodedBytes();
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
            entries.put(hashes.keyHash(slot, e), slot.payload, slot.patchKeyOffset[e], slot.patchKeyLength[e],
                slot.patchValueOffset[e], slot.patchValueLength[e]);
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
        entries.writeObject(writer);
    }

    /**
     * Forget the pending patch, keeping buffers.
     */
    public void clear()
    {
        entries.clear();
        version = 0;
        senderSerial = 0;
        pending = false;
    }
}
