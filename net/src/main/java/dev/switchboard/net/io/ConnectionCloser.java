package dev.switchboard.net.io;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.net.ws.CloseCodes;
import dev.switchboard.net.ws.FrameEncoder;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Every way a connection ends: the WebSocket close handshake, the linger after the last write, and the abort
 * that frees the slot; IoAgent thread only.
 */
final class ConnectionCloser
{
    /** How long a closing connection waits for the peer's close frame before the TCP close. */
    static final long CLOSE_TIMEOUT_MS = 2_000;
    private static final int MAX_CLOSE_FRAME_BYTES = 2 + FrameEncoder.MAX_CONTROL_PAYLOAD_BYTES;
    private static final int MAX_REASON_BYTES = FrameEncoder.MAX_CONTROL_PAYLOAD_BYTES - 2;
    /** No number after the reason. */
    static final long NO_REASON_NUMBER = -1;

    private final IoLoop loop;
    private final ConnectionTable table;
    private final IoCounters counters;
    private final HeadBufferPool headPool;
    private final AddressAdmission admission;
    private final byte[] reasonScratch = new byte[MAX_REASON_BYTES];
    private WebSocketInbound inbound;
    private OutboundDrain drain;

    /**
     * Close one agent's connections.
     *
     * @param loop      the agent's clock and frame pool.
     * @param table     the agent's connections.
     * @param counters  the agent's counters.
     * @param headPool  where a closed socket's head buffer goes back.
     * @param admission where a closed socket stops counting under its address.
     */
    ConnectionCloser(
        final IoLoop loop,
        final ConnectionTable table,
        final IoCounters counters,
        final HeadBufferPool headPool,
        final AddressAdmission admission)
    {
        this.loop = loop;
        this.table = table;
        this.counters = counters;
        this.headPool = headPool;
        this.admission = admission;
    }

    /**
     * Connect the parts this one calls back, once, before the agent starts.
     *
     * @param inbound publishes a closed connection's event to the engine.
     * @param drain   queues the close frame.
     */
    void wire(final WebSocketInbound inbound, final OutboundDrain drain)
    {
        this.inbound = inbound;
        this.drain = drain;
    }

    /**
     * Close a connection: a WebSocket sends its close frame (once) and waits for the peer's; anything else is
     * aborted at once.
     *
     * @param connection the connection.
     * @param code       the close code.
     * @param reason     the ASCII reason, or null.
     */
    void closeWith(final Connection connection, final int code, final String reason)
    {
        closeWith(connection, code, reason, NO_REASON_NUMBER);
    }

    /**
     * Close a connection with a reason that ends in a number, such as {@code server_draining retry_after_ms=N},
     * without building the text: the digits are written straight into the close frame.
     *
     * @param connection   the connection.
     * @param code         the close code.
     * @param reason       the ASCII reason before the number, or null.
     * @param reasonNumber the number appended in decimal, or {@link #NO_REASON_NUMBER}.
     */
    void closeWith(final Connection connection, final int code, final String reason, final long reasonNumber)
    {
        if (ConnectionState.FREE == connection.state)
        {
            return;
        }
        if (ConnectionState.HTTP == connection.state || null == connection.decoder)
        {
            abort(connection, code);
            return;
        }
        inbound.publishClosed(connection, code);
        if (!connection.closeSent())
        {
            sendCloseFrame(connection, code, reason, reasonNumber);
        }
        connection.state = ConnectionState.CLOSING;
        // read the peer's answering close frame whatever paused reading before
        connection.resumeReading(Connection.PAUSE_FRAME_RATE | Connection.PAUSE_OUTBOUND);
        if (connection.closeReceived())
        {
            connection.closeAfterFlush();
        }
    }

    /**
     * Queue a close frame and start the close deadline.
     *
     * @param connection the connection.
     * @param code       the close code.
     * @param reason     the ASCII reason (cut to 123 bytes), or null.
     */
    void sendCloseFrame(final Connection connection, final int code, final String reason)
    {
        sendCloseFrame(connection, code, reason, NO_REASON_NUMBER);
    }

    private void sendCloseFrame(final Connection connection, final int code, final String reason, final long number)
    {
        connection.onCloseSent();
        connection.closeDeadlineMs = loop.nowMs() + CLOSE_TIMEOUT_MS;
        final byte[] reasonBytes = reasonScratch;
        int reasonLength = 0;
        if (null != reason)
        {
            reasonLength = Math.min(reason.length(), MAX_REASON_BYTES);
            for (int i = 0; i < reasonLength; i++)
            {
                reasonBytes[i] = (byte)reason.charAt(i);
            }
        }
        if (number >= 0)
        {
            reasonLength = appendDecimal(reasonBytes, reasonLength, number);
        }
        final Frame frame = loop.framePool().acquire(MAX_CLOSE_FRAME_BYTES, MessageType.UNKNOWN, false);
        final int n = FrameEncoder.encodeClose(frame.buffer(), 0, code, reasonBytes, 0, reasonLength);
        frame.sealRaw(0, n);
        drain.enqueueOwned(connection, frame);
    }

    /** Digits of a non-negative number after the reason, cut where the reason's room ends. */
    private static int appendDecimal(final byte[] dst, final int offset, final long number)
    {
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10)
        {
            digits++;
        }
        long rest = number;
        for (int i = digits - 1; i >= 0; i--)
        {
            final int at = offset + i;
            if (at < dst.length)
            {
                dst[at] = (byte)('0' + rest % 10);
            }
            rest /= 10;
        }
        return Math.min(dst.length, offset + digits);
    }

    /**
     * Everything is written: send FIN and read (discarding) until the peer closes or the deadline passes,
     * so that unread bytes in our receive buffer never turn the close into a reset that loses our last frames.
     *
     * @param connection a connection whose queue is empty.
     */
    void lingerThenClose(final Connection connection)
    {
        connection.onLinger();
        connection.state = ConnectionState.CLOSING;
        connection.closeDeadlineMs = loop.nowMs() + CLOSE_TIMEOUT_MS;
        try
        {
            connection.channel.shutdownOutput();
        }
        catch (final IOException ex)
        {
            abort(connection, CloseCodes.NORMAL);
        }
    }

    /**
     * Close the socket now and free the slot, telling the engine first when it knows the connection.
     *
     * @param connection the connection.
     * @param code       the close code the engine is told.
     */
    void abort(final Connection connection, final int code)
    {
        final ConnectionState state = connection.state;
        if (ConnectionState.FREE == state)
        {
            return;
        }
        if (ConnectionState.OPEN == state || ConnectionState.CLOSING == state || ConnectionState.AUTH_PENDING == state)
        {
            inbound.publishClosed(connection, code);
        }
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        closeQuietly(connection.channel);
        if (null != connection.decoder)
        {
            connection.decoder.release();
        }
        if (null != connection.headBuffer)
        {
            headPool.release(connection.headBuffer);
        }
        admission.release(connection);
        table.free(connection);
        counters.connected.lazySet(table.inUse());
        IoCounters.increment(counters.closed);
    }

    /**
     * Close a socket, ignoring errors.
     *
     * @param channel the socket, or null.
     */
    static void closeQuietly(final SocketChannel channel)
    {
        if (null == channel)
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing more to do for a socket that is going away
        }
    }
}
