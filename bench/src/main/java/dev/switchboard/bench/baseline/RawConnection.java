package dev.switchboard.bench.baseline;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One socket of the {@link RawWriter}, owned by its single thread: read carry-over, the frames queued for the next
 * gathering write as views of the shared arena, and the backlog of bytes the kernel did not take yet.
 */
final class RawConnection
{
    /** Waiting for the HTTP upgrade request. */
    static final int HTTP = 0;

    /** Upgraded: reading WebSocket frames. */
    static final int OPEN = 1;

    final SocketChannel channel;
    final ByteBuffer[] views;
    final byte[] userId = new byte[16];
    SelectionKey key;
    int state = HTTP;
    boolean open = true;
    boolean closeAfterFlush;
    boolean dirty;
    int viewCount;

    byte[] carry;
    int carryLength;

    byte[] backlog;
    ByteBuffer backlogBuffer;
    int backlogHead;
    int backlogTail;

    RawRoom room;
    int memberIndex = -1;
    int userNumber;
    int userIdLength;

    RawConnection(final SocketChannel channel, final ByteBuffer arena, final int viewCapacity)
    {
        this.channel = channel;
        this.views = new ByteBuffer[viewCapacity];
        for (int i = 0; i < viewCapacity; i++)
        {
            views[i] = arena.duplicate();
        }
    }

    int backlogLength()
    {
        return backlogTail - backlogHead;
    }
}
