package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * Turns one agent's outgoing messages into masked frames on its sockets: each frame is written at once, and what a
 * socket does not take waits in the socket's own backlog until the selector says it is writable. A backlog past
 * {@link #MAX_PENDING_BYTES} drops the socket. One reused frame buffer; agent thread only.
 */
final class FrameSender
{
    /** Largest unsent backlog per socket before the socket is dropped. */
    static final int MAX_PENDING_BYTES = 16 << 20;

    private final FleetCounters counters;
    private final ConnectionCloser closer;
    private final byte[] frameOut;
    private final ByteBuffer outBuffer;
    private int maskState;

    /**
     * Makes the sender of one agent.
     *
     * @param counters        the agent's counters.
     * @param closer          drops sockets that break or fall too far behind.
     * @param maxPayloadBytes largest payload of one frame.
     * @param maskSeed        first state of the masking-key sequence, distinct per agent.
     */
    FrameSender(
        final FleetCounters counters, final ConnectionCloser closer, final int maxPayloadBytes, final int maskSeed)
    {
        this.counters = counters;
        this.closer = closer;
        this.frameOut = new byte[maxPayloadBytes + ClientFrameEncoder.MAX_HEADER_BYTES];
        this.outBuffer = ByteBuffer.wrap(frameOut);
        this.maskState = maskSeed;
    }

    /**
     * Masks one frame and writes it to the socket; a socket already closed is skipped and one that breaks is
     * handed to the closer.
     *
     * @param connection the socket.
     * @param opcode     the frame opcode.
     * @param payload    the payload, from index zero.
     * @param length     number of payload bytes.
     */
    void sendFrame(final ClientConnection connection, final int opcode, final byte[] payload, final int length)
    {
        if (null == connection.channel)
        {
            return;
        }
        maskState = ClientFrameEncoder.nextMaskKey(maskState);
        final int frameLength = ClientFrameEncoder.encode(opcode, payload, 0, length, maskState, frameOut, 0);
        outBuffer.clear();
        outBuffer.limit(frameLength);
        try
        {
            write(connection, outBuffer);
        }
        catch (final IOException ex)
        {
            closer.onBroken(connection, ex.toString());
        }
    }

    /**
     * Writes bytes to the socket, behind its backlog if it has one, and keeps what the socket does not take.
     *
     * @param connection the socket, open.
     * @param data       the bytes; consumed.
     * @throws IOException when the socket fails.
     */
    void write(final ClientConnection connection, final ByteBuffer data) throws IOException
    {
        if (null != connection.tls)
        {
            // TLS encrypts everything at once; what the socket does not take waits, encrypted, in the session.
            connection.tls.write(connection.channel, data);
            if (connection.tls.pendingOutputBytes() > MAX_PENDING_BYTES)
            {
                overflow(connection);
            }
            else if (connection.tls.hasPendingOutput())
            {
                connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
            }
            return;
        }
        if (!connection.hasPending())
        {
            connection.channel.write(data);
            if (!data.hasRemaining())
            {
                return;
            }
        }
        final int needed = (null == connection.pending ? 0 : connection.pending.position()) + data.remaining();
        if (needed > MAX_PENDING_BYTES)
        {
            overflow(connection);
            return;
        }
        if (null == connection.pending || connection.pending.capacity() < needed)
        {
            final ByteBuffer grown = ByteBuffer.allocate(Math.max(4096, Integer.highestOneBit(needed) << 1));
            if (null != connection.pending)
            {
                connection.pending.flip();
                grown.put(connection.pending);
            }
            connection.pending = grown;
        }
        connection.pending.put(data);
        connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
    }

    /**
     * Writes as much of the socket's backlog as it takes, and stops asking for writability once it is empty.
     *
     * @param connection the writable socket.
     * @throws IOException when the socket fails.
     */
    void flushPending(final ClientConnection connection) throws IOException
    {
        if (null != connection.tls)
        {
            connection.tls.flush(connection.channel);
        }
        final ByteBuffer pending = connection.pending;
        if (null != pending)
        {
            pending.flip();
            connection.channel.write(pending);
            pending.compact();
        }
        if (!connection.hasPending() && null != connection.key && connection.key.isValid())
        {
            connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private void overflow(final ClientConnection connection)
    {
        counters.increment(FleetCounters.BACKLOG_OVERFLOWS);
        ProblemLog.print("socket " + connection.socketIndex + " send backlog over " + MAX_PENDING_BYTES + " bytes");
        closer.close(connection, ClientConnection.CLOSED);
    }
}
