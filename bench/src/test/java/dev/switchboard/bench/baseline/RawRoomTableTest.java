package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RawRoomTableTest
{
    private final RawRoomTable rooms = new RawRoomTable();

    @Test
    void shouldFindARoomByItsIdBytesAtAnyOffset()
    {
        final RawRoom room = add("room-1");

        assertSame(room, find("room-1"));
        final byte[] framed = "xx\"room-1\"yy".getBytes(StandardCharsets.US_ASCII);
        assertSame(room, rooms.find(framed, 3, 6));
        assertNull(find("room-2"));
        assertNull(find("room-"));
        assertEquals(1, rooms.roomCount());
    }

    @Test
    void shouldGiveEachJoinTheNextUserIdAndFindItsConnectionByThatId()
    {
        final RawRoom room = add("r");
        final RawConnection first = connection();
        final RawConnection second = connection();
        rooms.join(first, room, true);
        rooms.join(second, room, false);

        assertEquals("u-1", userId(first));
        assertEquals("u-2", userId(second));
        assertSame(room, first.room);
        assertSame(first, room.host);
        assertEquals(2, room.size);
        assertSame(second, user("u-2"));
        assertSame(first, user("\"u-1\"", 1, 4));
    }

    @Test
    void shouldFindNobodyForAMalformedOrUnknownUserId()
    {
        rooms.join(connection(), add("r"), false);

        assertNull(user("u-"));
        assertNull(user("u-0"));
        assertNull(user("x-1"));
        assertNull(user("u-1a"));
        assertNull(user("u--1"));
        assertNull(user("u-2"));
        assertNull(user("u-99999999999"));
    }

    @Test
    void shouldCloseTheRoomWhenItsLastMemberLeaves()
    {
        final RawRoom room = add("r");
        final RawConnection host = connection();
        final RawConnection viewer = connection();
        rooms.join(host, room, true);
        rooms.join(viewer, room, false);

        rooms.leave(host);
        assertNull(host.room);
        assertNull(room.host, "the host left");
        assertNull(user("u-1"));
        assertSame(room, find("r"));
        assertEquals(1, rooms.roomCount());

        rooms.leave(viewer);
        assertNull(find("r"));
        assertEquals(0, rooms.roomCount());

        rooms.leave(viewer);
        assertEquals(0, rooms.roomCount(), "leaving again changes nothing");
    }

    @Test
    void shouldKeepManyRoomsApartAndRemoveEach()
    {
        final int count = 2_000;
        final RawConnection[] members = new RawConnection[count];
        for (int i = 0; i < count; i++)
        {
            members[i] = connection();
            rooms.join(members[i], add("room-" + i), false);
        }
        assertEquals(count, rooms.roomCount());
        for (int i = 0; i < count; i++)
        {
            assertSame(members[i], find("room-" + i).members[0], "room-" + i);
            assertSame(members[i], user("u-" + (i + 1)));
        }
        for (int i = 0; i < count; i += 2)
        {
            rooms.leave(members[i]);
        }
        for (int i = 0; i < count; i++)
        {
            assertEquals(0 == i % 2, null == find("room-" + i), "room-" + i);
        }
        assertEquals(count / 2, rooms.roomCount());
    }

    private RawRoom add(final String id)
    {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        return rooms.add(bytes, 0, bytes.length);
    }

    private RawRoom find(final String id)
    {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        return rooms.find(bytes, 0, bytes.length);
    }

    private RawConnection user(final String id)
    {
        return user(id, 0, id.length());
    }

    private RawConnection user(final String text, final int start, final int end)
    {
        return rooms.user(text.getBytes(StandardCharsets.US_ASCII), start, end);
    }

    private static String userId(final RawConnection connection)
    {
        return new String(connection.userId, 0, connection.userIdLength, StandardCharsets.US_ASCII);
    }

    private static RawConnection connection()
    {
        return new RawConnection(null, ByteBuffer.allocate(0), 0);
    }
}
