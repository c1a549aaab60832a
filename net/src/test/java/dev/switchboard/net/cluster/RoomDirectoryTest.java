package dev.switchboard.net.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owned-room view IoAgents route by.
 */
class RoomDirectoryTest
{
    private static byte[] room(final String id)
    {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldAnswerOwnershipByExactRoomIdBytesAsRoomsComeAndGo()
    {
        final RoomDirectory directory = new RoomDirectory();
        for (int i = 0; i < 100; i++)
        {
            directory.add(room("room-" + i));
        }
        assertEquals(100, directory.size());
        final byte[] buffer = new byte[64];
        final byte[] id = room("room-42");
        System.arraycopy(id, 0, buffer, 0, id.length);
        assertTrue(directory.isOwned(buffer, id.length), "looked up from a longer buffer by length");
        final byte[] zeta = room("zeta-room");
        directory.add(zeta);
        assertFalse(directory.isOwned(zeta, zeta.length - 1), "a prefix is another room");
        directory.remove(zeta);
        assertFalse(directory.isOwned(room("room-100"), 8));

        directory.remove(room("room-42"));
        assertFalse(directory.isOwned(id, id.length));
        assertTrue(directory.isOwned(room("room-41"), 7));
        assertEquals(99, directory.size());
        directory.add(room("room-41"));
        assertEquals(99, directory.size(), "adding an owned room again changes nothing");
        directory.clear();
        assertFalse(directory.isOwned(room("room-41"), 7));
    }
}
