package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Fails and reaps connections of real loopback sockets.
 */
class RawReaperTest
{
    private final RawRoomTable rooms = new RawRoomTable();
    private final RawReaper reaper = new RawReaper(rooms);

    @Test
    void shouldMarkClosedAtOnceQueueOnceAndCloseAtReap() throws IOException
    {
        try (Selector selector = Selector.open();
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            Socket peer = new Socket())
        {
            peer.setSoTimeout(10_000);
            peer.connect(server.getLocalAddress());
            final SocketChannel channel = server.accept();
            channel.configureBlocking(false);
            final RawConnection connection = new RawConnection(channel, ByteBuffer.allocate(0), 0);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            final RawRoom room = rooms.add(RawAscii.ascii("r"), 0, 1);
            rooms.join(connection, room, true);

            reaper.fail(connection);
            reaper.fail(connection);
            assertFalse(connection.open);
            assertEquals(1, reaper.pending(), "queued once");
            assertSame(room, connection.room, "still in its room until reaped");

            reaper.reap();
            selector.selectNow();
            assertEquals(0, reaper.pending());
            assertNull(connection.room);
            assertEquals(0, rooms.roomCount(), "its room closed with its last member");
            assertFalse(connection.key.isValid());
            assertFalse(channel.isOpen());
            assertEquals(-1, peer.getInputStream().read(), "the peer sees the socket closed");
        }
    }

    @Test
    void shouldGrowPastItsFirstCapacity() throws IOException
    {
        try (Selector selector = Selector.open();
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int count = 100;
            final RawConnection[] connections = new RawConnection[count];
            final SocketChannel[] peers = new SocketChannel[count];
            for (int i = 0; i < count; i++)
            {
                peers[i] = SocketChannel.open(server.getLocalAddress());
                final SocketChannel channel = server.accept();
                channel.configureBlocking(false);
                connections[i] = new RawConnection(channel, ByteBuffer.allocate(0), 0);
                connections[i].key = channel.register(selector, SelectionKey.OP_READ, connections[i]);
                reaper.fail(connections[i]);
            }
            assertEquals(count, reaper.pending());
            reaper.reap();
            for (int i = 0; i < count; i++)
            {
                assertFalse(connections[i].channel.isOpen(), "connection " + i);
                peers[i].close();
            }
        }
    }
}
