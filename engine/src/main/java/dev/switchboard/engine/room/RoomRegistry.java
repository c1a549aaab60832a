package dev.switchboard.engine.room;

import dev.switchboard.engine.store.IdIndex;
import dev.switchboard.engine.store.ReplayBytes;

import java.util.Arrays;

/**
 * The shard's open rooms: a dense list for iteration (owning {@link Room#listIndex}), an index by room id, and a
 * bounded pool of released rooms for reuse.
 */
public final class RoomRegistry
{
    private static final int MAX_POOLED_ROOMS = 256;

    private final int maxQueue;
    private final int replayWindow;
    private final int roomReplayWindowBytes;
    private final ReplayBytes replayBytes;
    private final IdIndex<Room> byId = new IdIndex<>(256)
    {
        @Override
        protected byte[] keyBytes(final Room value)
        {
            return value.roomId;
        }

        @Override
        protected int keyLength(final Room value)
        {
            return value.roomIdLength;
        }
    };
    private Room[] rooms = new Room[64];
    private int count;
    private Room[] pool = new Room[16];
    private int poolCount;

    /**
     * A registry creating rooms with these limits.
     *
     * @param maxQueue              co-host queue capacity.
     * @param replayWindow          broadcast replay window in frames.
     * @param roomReplayWindowBytes broadcast replay window in bytes.
     * @param replayBytes           the shard's gauge of bytes held by room replay windows.
     */
    public RoomRegistry(
        final int maxQueue, final int replayWindow, final int roomReplayWindowBytes, final ReplayBytes replayBytes)
    {
        this.maxQueue = maxQueue;
        this.replayWindow = replayWindow;
        this.roomReplayWindowBytes = roomReplayWindowBytes;
        this.replayBytes = replayBytes;
    }

    /**
     * The open room with this id.
     *
     * @param id     bytes holding the id.
     * @param offset where it starts.
     * @param length its length.
     * @return the room, or null.
     */
    public Room get(final byte[] id, final int offset, final int length)
    {
        return byId.get(id, offset, length);
    }

    /**
     * The room at a position of the dense list (the order changes as rooms close).
     *
     * @param index from 0 to {@link #count()} - 1.
     * @return the room.
     */
    public Room at(final int index)
    {
        return rooms[index];
    }

    /**
     * Rooms open now.
     *
     * @return count.
     */
    public int count()
    {
        return count;
    }

    /**
     * Open a room with this id (not open yet), hostless since now.
     *
     * @param roomId       bytes of the id.
     * @param roomIdLength its length.
     * @param nowMs        the engine's time.
     * @return the new room.
     */
    public Room open(final byte[] roomId, final int roomIdLength, final long nowMs)
    {
        final Room room = poolCount > 0 ?
            pool[--poolCount] : new Room(maxQueue, replayWindow, roomReplayWindowBytes, replayBytes);
        pool[poolCount] = null;
        room.assignId(roomId, roomIdLength);
        room.hostlessSinceMs = nowMs;
        room.viewerPresenceSentMs = nowMs;
        byId.put(room);
        if (count == rooms.length)
        {
            rooms = Arrays.copyOf(rooms, count * 2);
        }
        room.listIndex = count;
        rooms[count++] = room;
        return room;
    }

    /**
     * Close a room: out of the list and index, reset, and pooled when the pool has space.
     *
     * @param room an open room with no pending broadcasts.
     */
    public void release(final Room room)
    {
        byId.remove(room);
        final int index = room.listIndex;
        final int last = count - 1;
        rooms[index] = rooms[last];
        rooms[index].listIndex = index;
        rooms[last] = null;
        count = last;
        room.reset();
        if (poolCount >= MAX_POOLED_ROOMS)
        {
            return;
        }
        if (poolCount == pool.length)
        {
            pool = Arrays.copyOf(pool, poolCount * 2);
        }
        pool[poolCount++] = room;
    }
}
