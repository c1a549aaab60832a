package dev.switchboard.bench.baseline;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import static dev.switchboard.bench.baseline.RawAscii.ascii;

/**
 * The rooms and members of the {@link RawWriter}: rooms keyed by the FNV-1a hash of their id bytes (chained on a
 * collision) and members by their user number, so a join or a lookup by {@code u-N} never builds a String. Owned by
 * the serving thread; only the room count is read from other threads.
 */
final class RawRoomTable
{
    private static final byte[] USER_PREFIX = ascii("u-");

    private final Long2ObjectHashMap<RawRoom> rooms = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<RawConnection> users = new Int2ObjectHashMap<>();
    private final byte[] digits = new byte[RawAscii.MAX_LONG_DIGITS];
    private int nextUserNumber = 1;
    private volatile int roomCount;

    /**
     * Number of rooms open now, as last written by the serving thread.
     *
     * @return rooms.
     */
    int roomCount()
    {
        return roomCount;
    }

    /**
     * The room with this id.
     *
     * @param id     the bytes holding the id.
     * @param offset where the id starts.
     * @param length its length.
     * @return the room, or null when none is open.
     */
    RawRoom find(final byte[] id, final int offset, final int length)
    {
        RawRoom room = rooms.get(hash(id, offset, length));
        while (null != room && !room.idEquals(id, offset, length))
        {
            room = room.next;
        }
        return room;
    }

    /**
     * Opens an empty room with this id, which must not be open already.
     *
     * @param id     the bytes holding the id, copied.
     * @param offset where the id starts.
     * @param length its length.
     * @return the new room.
     */
    RawRoom add(final byte[] id, final int offset, final int length)
    {
        final long hash = hash(id, offset, length);
        final RawRoom room = new RawRoom(id, offset, length);
        room.next = rooms.get(hash);
        rooms.put(hash, room);
        roomCount++;
        return room;
    }

    /**
     * Gives a connection the next user id {@code u-N} and makes it a member of the room, and its host if asked.
     *
     * @param connection a connection in no room.
     * @param room       the room to join.
     * @param host       whether it becomes the room's host.
     */
    void join(final RawConnection connection, final RawRoom room, final boolean host)
    {
        connection.userNumber = nextUserNumber++;
        System.arraycopy(USER_PREFIX, 0, connection.userId, 0, USER_PREFIX.length);
        final int numberLength = RawAscii.formatLong(connection.userNumber, digits);
        System.arraycopy(digits, 0, connection.userId, USER_PREFIX.length, numberLength);
        connection.userIdLength = USER_PREFIX.length + numberLength;
        connection.room = room;
        room.add(connection);
        if (host)
        {
            room.host = connection;
        }
        users.put(connection.userNumber, connection);
    }

    /**
     * The member with this user id.
     *
     * @param in    the bytes holding the id, {@code u-N}.
     * @param start where the id starts.
     * @param end   one past its end.
     * @return the member, or null when the id is malformed or nobody has it.
     */
    RawConnection user(final byte[] in, final int start, final int end)
    {
        return users.get(parseUserNumber(in, start, end));
    }

    /**
     * Takes a connection out of its room, and closes the room when it was the last member; nothing when in no room.
     *
     * @param connection the connection.
     */
    void leave(final RawConnection connection)
    {
        final RawRoom room = connection.room;
        if (null == room)
        {
            return;
        }
        connection.room = null;
        users.remove(connection.userNumber);
        room.remove(connection);
        if (0 == room.size)
        {
            remove(room);
        }
    }

    private void remove(final RawRoom room)
    {
        final long hash = hash(room.id, 0, room.id.length);
        RawRoom head = rooms.get(hash);
        if (head == room)
        {
            if (null == room.next)
            {
                rooms.remove(hash);
            }
            else
            {
                rooms.put(hash, room.next);
            }
        }
        else
        {
            while (null != head && head.next != room)
            {
                head = head.next;
            }
            if (null != head)
            {
                head.next = room.next;
            }
        }
        room.next = null;
        roomCount--;
    }

    private static long hash(final byte[] id, final int offset, final int length)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++)
        {
            h ^= id[offset + i];
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static int parseUserNumber(final byte[] in, final int start, final int end)
    {
        if (end - start < 3 || 'u' != in[start] || '-' != in[start + 1])
        {
            return 0;
        }
        int value = 0;
        for (int i = start + 2; i < end; i++)
        {
            final byte b = in[i];
            if (b < '0' || b > '9' || value > 100_000_000)
            {
                return 0;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
