package dev.switchboard.net.cluster;

import dev.switchboard.engine.hash.IdHash;

import java.util.Arrays;

/**
 * The rooms this node owns, as the IoAgents see them: the cluster agent replaces an immutable open-addressing
 * table on every change (rooms are opened and closed rarely next to messages), and an IoAgent looks a room up
 * without locks or allocation.
 */
public final class RoomDirectory
{
    private static final class Table
    {
        final byte[][] keys;
        final int mask;
        final int size;

        Table(final int capacity, final int size)
        {
            this.keys = new byte[capacity][];
            this.mask = capacity - 1;
            this.size = size;
        }
    }

    private volatile Table table = new Table(16, 0);

    /**
     * Whether this node owns the room; any thread.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return true when a join or resume for the room may go straight to the local shard.
     */
    public boolean isOwned(final byte[] roomId, final int roomIdLength)
    {
        final Table t = table;
        int i = hash(roomId, roomIdLength) & t.mask;
        byte[] key;
        while (null != (key = t.keys[i]))
        {
            if (equals(key, roomId, roomIdLength))
            {
                return true;
            }
            i = (i + 1) & t.mask;
        }
        return false;
    }

    /**
     * Number of rooms owned.
     *
     * @return count.
     */
    public int size()
    {
        return table.size;
    }

    /**
     * Add a room; cluster agent thread only.
     *
     * @param roomId the room id bytes (exact length).
     */
    public void add(final byte[] roomId)
    {
        if (isOwned(roomId, roomId.length))
        {
            return;
        }
        table = rebuild(roomId, null);
    }

    /**
     * Remove a room; cluster agent thread only.
     *
     * @param roomId the room id bytes (exact length).
     */
    public void remove(final byte[] roomId)
    {
        if (!isOwned(roomId, roomId.length))
        {
            return;
        }
        table = rebuild(null, roomId);
    }

    /**
     * Remove every room; cluster agent thread only.
     */
    public void clear()
    {
        table = new Table(16, 0);
    }

    private Table rebuild(final byte[] added, final byte[] removed)
    {
        final Table old = table;
        final int size = old.size + (null != added ? 1 : 0) - (null != removed ? 1 : 0);
        int capacity = 16;
        while (capacity < size * 2 + 2)
        {
            capacity <<= 1;
        }
        final Table next = new Table(capacity, size);
        for (final byte[] key : old.keys)
        {
            if (null != key && (null == removed || !Arrays.equals(key, removed)))
            {
                insert(next, key);
            }
        }
        if (null != added)
        {
            insert(next, added);
        }
        return next;
    }

    private static void insert(final Table t, final byte[] key)
    {
        int i = hash(key, key.length) & t.mask;
        while (null != t.keys[i])
        {
            i = (i + 1) & t.mask;
        }
        t.keys[i] = key;
    }

    private static boolean equals(final byte[] key, final byte[] roomId, final int length)
    {
        if (key.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (key[i] != roomId[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final byte[] bytes, final int length)
    {
        return IdHash.hash(bytes, 0, length);
    }
}
