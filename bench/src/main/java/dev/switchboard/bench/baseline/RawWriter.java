package dev.switchboard.bench.baseline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The kernel floor: one thread, a plain java.nio {@link Selector}, a minimal HTTP upgrade and the message subset of
 * the {@link NettyRelay}, written with pre-encoded templates into one shared arena so that each broadcast is encoded
 * once for all its recipients and each socket gets one gathering write per selector round.
 * <p>
 * This class runs the selector loop and composes the parts, each owned by the serving thread: {@link RawInbound}
 * reads (with {@link RawHandshake} and {@link RawFrameDecoder}), {@link RawRelay} applies the message rules over the
 * {@link RawRoomTable}, {@link RawMessageEncoder} writes frames into the arena of {@link RawOutbound}, which writes
 * the sockets, and {@link RawReaper} closes the sockets that failed, at the end of each round.
 */
public final class RawWriter implements AutoCloseable
{
    /** The usage text. */
    public static final String USAGE = "usage: RawWriter [--port 8090] [--bind 127.0.0.1]";

    /** Largest message payload accepted; a longer frame closes the socket with 1009. */
    public static final int MAX_PAYLOAD_BYTES = RawFrameDecoder.MAX_PAYLOAD_BYTES;

    private static final int ACCEPT_BACKLOG = 4096;
    private static final long JOIN_TIMEOUT_MS = 5_000;

    private final String bindAddress;
    private final int port;
    private final RawRoomTable rooms = new RawRoomTable();
    private final RawReaper reaper = new RawReaper(rooms);
    private final RawOutbound outbound = new RawOutbound(reaper);
    private final RawInbound inbound;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private Selector selector;
    private ServerSocketChannel server;
    private Thread thread;
    private volatile boolean running;

    /**
     * Makes a writer that is not listening yet.
     *
     * @param bindAddress the address to listen on.
     * @param port        the port to listen on, 0 for any free port.
     */
    public RawWriter(final String bindAddress, final int port)
    {
        this.bindAddress = bindAddress;
        this.port = port;
        final RawMessageEncoder encoder = new RawMessageEncoder(outbound);
        final RawRelay relay = new RawRelay(rooms, encoder, outbound);
        inbound = new RawInbound(new RawFrameDecoder(relay), encoder, reaper);
    }

    /**
     * Entry point: {@code --port 8090 --bind 127.0.0.1}.
     *
     * @param args command-line flags.
     * @throws IOException if the port cannot be bound.
     */
    public static void main(final String[] args) throws IOException
    {
        final BaselineFlags flags = BaselineFlags.parseOrExit(args, USAGE, "port", "bind");
        final int port = flags.intValue("port", 8090);
        final String bind = flags.value("bind", "127.0.0.1");
        final RawWriter writer = new RawWriter(bind, port);
        final int bound = writer.bind();
        System.out.println("raw-writer: listening on ws://" + bind + ":" + bound + "/ws with one selector thread");
        Runtime.getRuntime().addShutdownHook(new Thread(writer::stopFromHook, "raw-writer-shutdown"));
        writer.thread = Thread.currentThread();
        writer.run();
    }

    /**
     * Binds and starts serving on a new thread.
     *
     * @return the bound port.
     * @throws IOException if the port cannot be bound.
     */
    public int start() throws IOException
    {
        final int bound = bind();
        thread = new Thread(this::run, "raw-writer");
        thread.setDaemon(true);
        thread.start();
        return bound;
    }

    /**
     * Number of rooms open now, as last written by the serving thread.
     *
     * @return rooms.
     */
    public int roomCount()
    {
        return rooms.roomCount();
    }

    /**
     * Stops serving, closes every socket and waits for the serving thread.
     */
    @Override
    public void close()
    {
        running = false;
        if (null != selector)
        {
            selector.wakeup();
        }
        if (null != thread && thread != Thread.currentThread())
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopFromHook()
    {
        running = false;
        if (null != selector)
        {
            selector.wakeup();
        }
    }

    private int bind() throws IOException
    {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.configureBlocking(false);
        server.bind(new InetSocketAddress(bindAddress, port), ACCEPT_BACKLOG);
        server.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        return ((InetSocketAddress)server.getLocalAddress()).getPort();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(onSelected);
                outbound.flushAll();
                reaper.reap();
            }
        }
        catch (final IOException ex)
        {
            System.err.println("raw-writer: selector failed: " + ex);
        }
        finally
        {
            closeAll();
        }
    }

    private void closeAll()
    {
        for (final SelectionKey key : selector.keys())
        {
            try
            {
                key.channel().close();
            }
            catch (final IOException ignore)
            {
                // Closing on the way out: nothing left to do with the error.
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Closing on the way out: nothing left to do with the error.
        }
    }

    private void onSelected(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (null == attachment)
        {
            accept();
            return;
        }
        final RawConnection connection = (RawConnection)attachment;
        final int ready = key.readyOps();
        if (0 != (ready & SelectionKey.OP_WRITE) && connection.open)
        {
            outbound.onWritable(connection);
        }
        if (0 != (ready & SelectionKey.OP_READ) && connection.open)
        {
            inbound.onReadable(connection);
        }
    }

    private void accept()
    {
        while (true)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
                if (null == channel)
                {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                final RawConnection connection =
                    new RawConnection(channel, outbound.arena(), RawOutbound.VIEWS_PER_SOCKET);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }
}
