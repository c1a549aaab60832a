package dev.switchboard.bench.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * The write side of the {@link RawWriter}: one shared direct arena that each frame is encoded into once, for all of
 * its recipients; each socket's queue of views into it, written with one gathering write per selector round; and
 * each socket's heap backlog of the bytes the kernel did not take, drained when the socket is writable and capped at
 * {@link #MAX_BACKLOG_BYTES}, past which the socket is failed. Owned by the serving thread.
 */
final class RawOutbound
{
    /** Size of the shared arena; it is rewound after every round's flush and whenever it is full. */
    static final int ARENA_BYTES = 4 * 1024 * 1024;

    /** Frames one socket may queue before it is written out early. */
    static final int VIEWS_PER_SOCKET = 8;

    /** Most unwritten bytes one socket may hold; one more fails it. */
    static final int MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

    private static final int MIN_BACKLOG_BYTES = 16 * 1024;

    private final ByteBuffer arena = ByteBuffer.allocateDirect(ARENA_BYTES);
    private final RawReaper reaper;
    private RawConnection[] dirty = new RawConnection[1024];
    private int dirtyCount;

    /**
     * Makes an empty outbound side.
     *
     * @param reaper where a socket that fails to write or overflows its backlog goes.
     */
    RawOutbound(final RawReaper reaper)
    {
        this.reaper = reaper;
    }

    /**
     * The shared arena, for the encoder to write frames into and for new connections to take views of.
     *
     * @return the arena.
     */
    ByteBuffer arena()
    {
        return arena;
    }

    /**
     * Makes room for a frame: flushes every queued socket and rewinds the arena when fewer bytes are left.
     *
     * @param bytes the bytes about to be written into the arena.
     */
    void ensureRemaining(final int bytes)
    {
        if (arena.remaining() < bytes)
        {
            flushAll();
            arena.clear();
        }
    }

    /**
     * Queues bytes of the arena for a socket: as a view for this round's write, or behind its backlog.
     *
     * @param connection the socket; nothing when it is closed.
     * @param start      first arena index.
     * @param end        one past the last arena index.
     */
    void enqueue(final RawConnection connection, final int start, final int end)
    {
        if (!connection.open)
        {
            return;
        }
        if (connection.backlogLength() > 0)
        {
            appendBacklog(connection, start, end);
            return;
        }
        if (VIEWS_PER_SOCKET == connection.viewCount)
        {
            flush(connection);
            if (!connection.open)
            {
                return;
            }
            if (connection.backlogLength() > 0)
            {
                appendBacklog(connection, start, end);
                return;
            }
        }
        final ByteBuffer view = connection.views[connection.viewCount++];
        view.limit(end);
        view.position(start);
        if (!connection.dirty)
        {
            connection.dirty = true;
            if (dirtyCount == dirty.length)
            {
                final RawConnection[] grown = new RawConnection[dirtyCount * 2];
                System.arraycopy(dirty, 0, grown, 0, dirtyCount);
                dirty = grown;
            }
            dirty[dirtyCount++] = connection;
        }
    }

    /**
     * Writes every socket with queued views, fails those that asked to close once flushed, and rewinds the arena.
     */
    void flushAll()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            final RawConnection connection = dirty[i];
            dirty[i] = null;
            connection.dirty = false;
            flush(connection);
            if (connection.open && connection.closeAfterFlush && 0 == connection.backlogLength())
            {
                reaper.fail(connection);
            }
        }
        dirtyCount = 0;
        arena.clear();
    }

    /**
     * Writes what the kernel takes of a socket's backlog, and stops watching for writability once it is empty.
     *
     * @param connection a socket with a backlog.
     */
    void onWritable(final RawConnection connection)
    {
        final ByteBuffer buffer = connection.backlogBuffer;
        buffer.limit(connection.backlogTail);
        buffer.position(connection.backlogHead);
        try
        {
            connection.channel.write(buffer);
        }
        catch (final IOException ex)
        {
            reaper.fail(connection);
            return;
        }
        connection.backlogHead = buffer.position();
        if (connection.backlogHead == connection.backlogTail)
        {
            connection.backlogHead = 0;
            connection.backlogTail = 0;
            connection.key.interestOps(SelectionKey.OP_READ);
            if (connection.closeAfterFlush && 0 == connection.viewCount)
            {
                reaper.fail(connection);
            }
        }
    }

    private void flush(final RawConnection connection)
    {
        final int count = connection.viewCount;
        if (0 == count)
        {
            return;
        }
        connection.viewCount = 0;
        if (!connection.open)
        {
            return;
        }
        final ByteBuffer[] views = connection.views;
        try
        {
            if (1 == count)
            {
                connection.channel.write(views[0]);
            }
            else
            {
                connection.channel.write(views, 0, count);
            }
        }
        catch (final IOException ex)
        {
            reaper.fail(connection);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            final ByteBuffer view = views[i];
            if (view.hasRemaining())
            {
                appendBacklog(connection, view.position(), view.limit());
            }
        }
    }

    private void appendBacklog(final RawConnection connection, final int start, final int end)
    {
        final int length = end - start;
        final boolean wasEmpty = 0 == connection.backlogLength();
        if (null == connection.backlog || connection.backlog.length - connection.backlogTail < length)
        {
            final int pending = connection.backlogLength();
            if (pending + length > MAX_BACKLOG_BYTES)
            {
                reaper.fail(connection);
                return;
            }
            byte[] target = connection.backlog;
            if (null == target || target.length < pending + length)
            {
                target = new byte[Math.max(MIN_BACKLOG_BYTES, Integer.highestOneBit(pending + length) << 1)];
                connection.backlogBuffer = ByteBuffer.wrap(target);
            }
            if (pending > 0)
            {
                System.arraycopy(connection.backlog, connection.backlogHead, target, 0, pending);
            }
            connection.backlog = target;
            connection.backlogHead = 0;
            connection.backlogTail = pending;
        }
        arena.get(start, connection.backlog, connection.backlogTail, length);
        connection.backlogTail += length;
        if (wasEmpty && connection.key.isValid())
        {
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }
}
