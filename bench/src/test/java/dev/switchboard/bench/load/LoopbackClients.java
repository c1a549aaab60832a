package dev.switchboard.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real loopback sockets for the agent's parts: a listening socket, client channels registered with one selector the
 * way the agent registers them, and the server ends, which read client frames and write server bytes.
 */
final class LoopbackClients implements AutoCloseable
{
    static final long DEADLINE_MS = 10_000;

    final ServerSocketChannel server;
    final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();

    /** One frame a client sent, unmasked. */
    static final class ClientFrame
    {
        final int opcode;
        final boolean fin;
        final byte[] payload;

        ClientFrame(final int opcode, final boolean fin, final byte[] payload)
        {
            this.opcode = opcode;
            this.fin = fin;
            this.payload = payload;
        }

        String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    LoopbackClients() throws IOException
    {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        selector = Selector.open();
    }

    int port() throws IOException
    {
        return ((InetSocketAddress)server.getLocalAddress()).getPort();
    }

    /**
     * Connects the connection's channel, non-blocking and registered for reads, and returns the server's end, also
     * non-blocking.
     */
    SocketChannel connect(final ClientConnection connection) throws IOException
    {
        final SocketChannel client = SocketChannel.open(server.getLocalAddress());
        client.configureBlocking(false);
        channels.add(client);
        final SocketChannel peer = server.accept();
        peer.configureBlocking(false);
        channels.add(peer);
        connection.channel = client;
        connection.key = client.register(selector, SelectionKey.OP_READ, connection);
        return peer;
    }

    /** Accepts the next connection made to the listening socket, waiting up to the deadline. */
    SocketChannel accept() throws IOException
    {
        server.configureBlocking(false);
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (true)
        {
            final SocketChannel peer = server.accept();
            if (null != peer)
            {
                peer.configureBlocking(false);
                channels.add(peer);
                return peer;
            }
            awaitOp(server, SelectionKey.OP_ACCEPT, deadlineMs, "no connection arrived");
        }
    }

    /** Waits until the selector reports the key ready for one of {@code ops}, then clears the selection. */
    void awaitReady(final SelectionKey key, final int ops) throws IOException
    {
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (true)
        {
            selector.select(100);
            final boolean ready = selector.selectedKeys().contains(key) && 0 != (key.readyOps() & ops);
            selector.selectedKeys().clear();
            if (ready)
            {
                return;
            }
            if (System.currentTimeMillis() > deadlineMs)
            {
                fail("socket not ready for " + ops + " within " + DEADLINE_MS + " ms");
            }
        }
    }

    /** Writes every byte to the server's end. */
    static void writeAll(final SocketChannel peer, final byte[] bytes) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (buffer.hasRemaining())
        {
            if (0 == peer.write(buffer))
            {
                awaitOp(peer, SelectionKey.OP_WRITE, deadlineMs, "the client did not take the bytes");
            }
        }
    }

    /** Reads from the server's end until {@code count} bytes arrived. */
    static byte[] readBytes(final SocketChannel peer, final int count) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(count);
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (buffer.hasRemaining())
        {
            final int read = peer.read(buffer);
            if (read < 0)
            {
                fail("end of stream after " + buffer.position() + " of " + count + " bytes");
            }
            if (0 == read)
            {
                awaitOp(peer, SelectionKey.OP_READ, deadlineMs, "only " + buffer.position() + " of " + count + " bytes arrived");
            }
        }
        return buffer.array();
    }

    /** Reads from the server's end until a whole HTTP head arrived. */
    static String readHead(final SocketChannel peer) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        final ByteBuffer one = ByteBuffer.allocate(1);
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"))
        {
            one.clear();
            final int read = peer.read(one);
            if (read < 0)
            {
                fail("end of stream inside the head: " + head);
            }
            if (0 == read)
            {
                awaitOp(peer, SelectionKey.OP_READ, deadlineMs, "no whole head: " + head);
                continue;
            }
            head.write(one.get(0));
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads and unmasks {@code count} client frames from the server's end. */
    static List<ClientFrame> readClientFrames(final SocketChannel peer, final int count) throws IOException
    {
        final List<ClientFrame> frames = new ArrayList<>();
        while (frames.size() < count)
        {
            final byte[] head = readBytes(peer, 2);
            if (0 == (head[1] & 0x80))
            {
                fail("client frame not masked");
            }
            long length = head[1] & 0x7F;
            if (126 == length)
            {
                final byte[] ext = readBytes(peer, 2);
                length = ((ext[0] & 0xFF) << 8) | (ext[1] & 0xFF);
            }
            else if (127 == length)
            {
                final byte[] ext = readBytes(peer, 8);
                length = ByteBuffer.wrap(ext).getLong();
            }
            final byte[] mask = readBytes(peer, 4);
            final byte[] payload = 0 == length ? new byte[0] : readBytes(peer, (int)length);
            for (int i = 0; i < payload.length; i++)
            {
                payload[i] ^= mask[i & 3];
            }
            frames.add(new ClientFrame(head[0] & 0x0F, 0 != (head[0] & 0x80), payload));
        }
        return frames;
    }

    /** An unmasked server frame with a payload under 64 KiB. */
    static byte[] serverFrame(final int opcode, final boolean fin, final byte[] payload)
    {
        final int header = payload.length < 126 ? 2 : 4;
        final byte[] frame = new byte[header + payload.length];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        if (2 == header)
        {
            frame[1] = (byte)payload.length;
        }
        else
        {
            frame[1] = 126;
            frame[2] = (byte)(payload.length >>> 8);
            frame[3] = (byte)payload.length;
        }
        System.arraycopy(payload, 0, frame, header, payload.length);
        return frame;
    }

    /** The bytes of several frames or heads one after another. */
    static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = Arrays.copyOf(parts[0], length);
        int at = parts[0].length;
        for (int i = 1; i < parts.length; i++)
        {
            System.arraycopy(parts[i], 0, all, at, parts[i].length);
            at += parts[i].length;
        }
        return all;
    }

    /**
     * Reads and discards from the server's end until the client's close reaches it (end of stream or a reset),
     * waiting on the socket's readiness, failing at the deadline.
     */
    static void awaitEndOfStream(final SocketChannel peer, final String what) throws IOException
    {
        final ByteBuffer discard = ByteBuffer.allocate(256);
        final long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
        while (true)
        {
            discard.clear();
            final int read;
            try
            {
                read = peer.read(discard);
            }
            catch (final IOException reset)
            {
                return;
            }
            if (read < 0)
            {
                return;
            }
            if (0 == read)
            {
                awaitOp(peer, SelectionKey.OP_READ, deadlineMs, what);
            }
        }
    }

    /**
     * Blocks until a non-blocking channel is ready for {@code op} (or the deadline passes, which fails the test):
     * the wait ends when the socket changes, not after a fixed pause.
     */
    private static void awaitOp(
        final SelectableChannel channel, final int op, final long deadlineMs, final String what) throws IOException
    {
        final long remainingMs = deadlineMs - System.currentTimeMillis();
        if (remainingMs <= 0)
        {
            fail(what + " within " + DEADLINE_MS + " ms");
        }
        try (Selector waiter = Selector.open())
        {
            channel.register(waiter, op);
            waiter.select(remainingMs);
        }
    }

    @Override
    public void close() throws IOException
    {
        for (final SocketChannel channel : channels)
        {
            channel.close();
        }
        selector.close();
        server.close();
    }
}
