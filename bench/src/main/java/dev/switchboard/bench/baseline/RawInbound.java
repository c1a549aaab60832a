package dev.switchboard.bench.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read side of the {@link RawWriter}: reads a readable socket into one shared direct buffer behind the bytes it
 * left over last time, answers its HTTP upgrade, hands its frames to the {@link RawFrameDecoder}, and keeps the
 * unconsumed tail in the socket's carry array for the next read. Owned by the serving thread.
 */
final class RawInbound
{
    /** Size of the shared read buffer. */
    static final int READ_BUFFER_BYTES = 256 * 1024;

    private static final int MIN_CARRY_BYTES = 1024;

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final RawFrameDecoder decoder;
    private final RawMessageEncoder encoder;
    private final RawReaper reaper;

    /**
     * Makes the read side.
     *
     * @param decoder decodes the frames of upgraded sockets.
     * @param encoder writes the HTTP responses.
     * @param reaper  where a socket that fails to read or reaches its end goes.
     */
    RawInbound(final RawFrameDecoder decoder, final RawMessageEncoder encoder, final RawReaper reaper)
    {
        this.decoder = decoder;
        this.encoder = encoder;
        this.reaper = reaper;
    }

    /**
     * Reads what the socket has and handles every complete request head or frame in it.
     *
     * @param connection an open socket.
     */
    void onReadable(final RawConnection connection)
    {
        final ByteBuffer buffer = readBuffer;
        buffer.clear();
        if (connection.carryLength > 0)
        {
            buffer.put(connection.carry, 0, connection.carryLength);
            connection.carryLength = 0;
        }
        final int read;
        try
        {
            read = connection.channel.read(buffer);
        }
        catch (final IOException ex)
        {
            reaper.fail(connection);
            return;
        }
        if (read < 0)
        {
            reaper.fail(connection);
            return;
        }
        final int limit = buffer.position();
        int consumed = 0;
        if (RawConnection.HTTP == connection.state)
        {
            consumed = onHttp(connection, limit);
        }
        if (RawConnection.OPEN == connection.state && connection.open)
        {
            consumed = decoder.onFrames(connection, buffer, consumed, limit);
        }
        final int left = limit - consumed;
        if (left > 0 && connection.open && !connection.closeAfterFlush)
        {
            if (null == connection.carry || connection.carry.length < left)
            {
                connection.carry = new byte[Math.max(MIN_CARRY_BYTES, Integer.highestOneBit(left) << 1)];
            }
            buffer.get(consumed, connection.carry, 0, left);
            connection.carryLength = left;
        }
    }

    private int onHttp(final RawConnection connection, final int limit)
    {
        final int headEnd = RawHandshake.headEnd(readBuffer, limit);
        if (headEnd < 0)
        {
            if (limit >= RawHandshake.MAX_HEAD_BYTES)
            {
                reject(connection, RawHandshake.BAD_REQUEST);
                return limit;
            }
            return 0;
        }
        final byte[] response = RawHandshake.response(readBuffer, headEnd);
        if (!RawHandshake.upgrades(response))
        {
            reject(connection, response);
            return limit;
        }
        encoder.writeHttp(connection, response);
        connection.state = RawConnection.OPEN;
        return headEnd;
    }

    private void reject(final RawConnection connection, final byte[] response)
    {
        encoder.writeHttp(connection, response);
        connection.closeAfterFlush = true;
    }
}
