package dev.switchboard.bench.baseline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes through the outbound side to peers over real loopback sockets: gathering writes, the backlog of what the
 * kernel does not take, its cap, and closing once flushed.
 */
class RawOutboundTest
{
    private static final int SMALL_SOCKET_BUFFER_BYTES = 64 * 1024;
    private static final int CHUNK_BYTES = 1024 * 1024;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    private final RawRoomTable rooms = new RawRoomTable();
    private final RawReaper reaper = new RawReaper(rooms);
    private final RawOutbound outbound = new RawOutbound(reaper);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Selector selector;
    private ServerSocketChannel server;

    @AfterEach
    void closeAll() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    @Test
    void shouldWriteTheFramesQueuedForEachSocketInOrder() throws IOException
    {
        final Socket firstPeer = new Socket();
        final RawConnection first = connect(firstPeer);
        final Socket secondPeer = new Socket();
        final RawConnection second = connect(secondPeer);

        final int shared = put("shared;");
        final int sharedEnd = outbound.arena().position();
        outbound.enqueue(first, shared, sharedEnd);
        outbound.enqueue(second, shared, sharedEnd);
        for (int i = 0; i < RawOutbound.VIEWS_PER_SOCKET + 3; i++)
        {
            final int start = put("f" + i + ";");
            outbound.enqueue(first, start, outbound.arena().position());
        }
        outbound.flushAll();

        assertEquals(0, outbound.arena().position(), "the arena is rewound after the flush");
        final String expected = "shared;f0;f1;f2;f3;f4;f5;f6;f7;f8;f9;f10;";
        assertEquals(expected, read(firstPeer, expected.length()));
        assertEquals("shared;", read(secondPeer, 7));
        assertTrue(first.open && second.open);
        assertEquals(0, first.backlogLength());
    }

    @Test
    void shouldKeepWhatTheKernelDoesNotTakeAndWriteItWhenWritable() throws Exception
    {
        final Socket peer = new Socket();
        peer.setReceiveBufferSize(SMALL_SOCKET_BUFFER_BYTES);
        final RawConnection connection = connect(peer);
        final int total = 6 * CHUNK_BYTES;
        for (int at = 0; at < total; at += CHUNK_BYTES)
        {
            enqueuePattern(connection, at, CHUNK_BYTES);
            outbound.flushAll();
        }
        assertTrue(connection.backlogLength() > 0, "the kernel took everything");
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, connection.key.interestOps());

        final CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readFully(peer, total));
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (connection.backlogLength() > 0 && System.nanoTime() - deadlineNs < 0)
        {
            selector.select(
                key ->
                {
                    if (key.isWritable())
                    {
                        outbound.onWritable((RawConnection)key.attachment());
                    }
                },
                100);
        }
        final byte[] bytes = received.get(20, TimeUnit.SECONDS);

        assertEquals(0, connection.backlogLength());
        assertEquals(SelectionKey.OP_READ, connection.key.interestOps(), "no longer waiting to write");
        for (int i = 0; i < total; i++)
        {
            if (bytes[i] != patternByte(i))
            {
                assertEquals(patternByte(i), bytes[i], "byte " + i);
            }
        }
        assertTrue(connection.open);
    }

    @Test
    void shouldFailASocketWhoseBacklogWouldPassTheCap() throws IOException
    {
        final Socket peer = new Socket();
        peer.setReceiveBufferSize(SMALL_SOCKET_BUFFER_BYTES);
        final RawConnection connection = connect(peer);
        int at = 0;
        while (connection.open && at < RawOutbound.MAX_BACKLOG_BYTES + 4 * CHUNK_BYTES)
        {
            enqueuePattern(connection, at, CHUNK_BYTES);
            outbound.flushAll();
            at += CHUNK_BYTES;
        }

        assertFalse(connection.open, "failed once the backlog would pass " + RawOutbound.MAX_BACKLOG_BYTES);
        assertTrue(at > RawOutbound.MAX_BACKLOG_BYTES, "not before the cap: " + at);
        assertTrue(connection.backlogLength() <= RawOutbound.MAX_BACKLOG_BYTES);
        assertEquals(1, reaper.pending());
        reaper.reap();
        assertFalse(connection.channel.isOpen());
    }

    @Test
    void shouldCloseTheSocketOnceItsLastFrameIsFlushed() throws IOException
    {
        final Socket peer = new Socket();
        final RawConnection connection = connect(peer);
        final int start = put("bye");
        outbound.enqueue(connection, start, outbound.arena().position());
        connection.closeAfterFlush = true;
        outbound.flushAll();

        assertFalse(connection.open);
        assertEquals(1, reaper.pending());
        reaper.reap();
        selector.selectNow();
        assertEquals("bye", read(peer, 3));
        assertEquals(-1, peer.getInputStream().read(), "closed after the frame");
    }

    @Test
    void shouldQueueNothingForAClosedSocket() throws IOException
    {
        final RawConnection connection = connect(new Socket());
        reaper.fail(connection);
        final int start = put("late");
        outbound.enqueue(connection, start, outbound.arena().position());

        assertEquals(0, connection.viewCount);
        assertFalse(connection.dirty);
    }

    private RawConnection connect(final Socket peer) throws IOException
    {
        if (null == selector)
        {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            closeables.add(selector);
            closeables.add(server);
        }
        closeables.add(peer);
        peer.setSoTimeout(20_000);
        peer.connect(server.getLocalAddress());
        final SocketChannel channel = server.accept();
        closeables.add(channel);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_SOCKET_BUFFER_BYTES);
        channel.configureBlocking(false);
        final RawConnection connection = new RawConnection(channel, outbound.arena(), RawOutbound.VIEWS_PER_SOCKET);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        return connection;
    }

    private int put(final String text)
    {
        final int start = outbound.arena().position();
        outbound.arena().put(RawAscii.ascii(text));
        return start;
    }

    private void enqueuePattern(final RawConnection connection, final int offset, final int length)
    {
        outbound.ensureRemaining(length);
        final ByteBuffer arena = outbound.arena();
        final int start = arena.position();
        for (int i = 0; i < length; i++)
        {
            arena.put(patternByte(offset + i));
        }
        outbound.enqueue(connection, start, arena.position());
    }

    private static byte patternByte(final int index)
    {
        return (byte)(index * 31 + (index >>> 13));
    }

    private static String read(final Socket peer, final int length) throws IOException
    {
        return new String(peer.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static byte[] readFully(final Socket peer, final int length)
    {
        try
        {
            final InputStream input = peer.getInputStream();
            final ByteArrayOutputStream out = new ByteArrayOutputStream(length);
            final byte[] chunk = new byte[64 * 1024];
            while (out.size() < length)
            {
                final int read = input.read(chunk, 0, Math.min(chunk.length, length - out.size()));
                if (read < 0)
                {
                    break;
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
