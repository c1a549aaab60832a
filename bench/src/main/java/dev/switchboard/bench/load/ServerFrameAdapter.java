package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns what a socket reads into calls: the upgrade response first, then server frames, with a partial frame kept
 * for the next read, fragmented text joined, pings answered and the server's close echoed. Whole text messages go
 * to the {@link ServerMessageAdapter} with the time the read returned. One reused read buffer; agent thread only.
 */
final class ServerFrameAdapter implements ServerFrameDecoder.FrameHandler
{
    /** Largest server frame accepted: the server's hard frame limit. */
    static final int MAX_FRAME_BYTES = 1 << 20;

    private static final int NO_STATUS_CODE = 1005;
    private static final int NORMAL_CLOSURE = 1000;

    private final FleetCounters counters;
    private final ConnectionCloser closer;
    private final FrameSender sender;
    private final ClientMessagePublisher publisher;
    private final ServerMessageAdapter messages;
    private final byte[] readArray = new byte[2 * MAX_FRAME_BYTES + 64];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(readArray);
    private final byte[] controlScratch = new byte[125];
    private ClientConnection current;
    private long receiveNs;

    /**
     * Makes the adapter of one agent.
     *
     * @param counters  the agent's counters.
     * @param closer    closes sockets that end or misbehave.
     * @param sender    answers pings and closes.
     * @param publisher sends the join once the upgrade is accepted.
     * @param messages  handles each whole text message.
     */
    ServerFrameAdapter(
        final FleetCounters counters,
        final ConnectionCloser closer,
        final FrameSender sender,
        final ClientMessagePublisher publisher,
        final ServerMessageAdapter messages)
    {
        this.counters = counters;
        this.closer = closer;
        this.sender = sender;
        this.publisher = publisher;
        this.messages = messages;
    }

    /**
     * Reads what the socket has, after what the last read left over, and handles every whole frame in it.
     *
     * @param connection the readable socket.
     * @throws IOException when the socket fails.
     */
    void onReadable(final ClientConnection connection) throws IOException
    {
        readBuffer.clear();
        if (connection.leftoverLength > 0)
        {
            readBuffer.put(connection.leftover, 0, connection.leftoverLength);
            connection.leftoverLength = 0;
        }
        final int read = null == connection.tls ?
            connection.channel.read(readBuffer) : connection.tls.read(connection.channel, readBuffer);
        receiveNs = System.nanoTime();
        connection.bytesRead += Math.max(0, read);
        if (read < 0)
        {
            closer.onBroken(connection, "end of stream");
            return;
        }
        final int limit = readBuffer.position();
        int offset = 0;
        if (ClientConnection.HANDSHAKING == connection.state)
        {
            final int head = ClientHandshake.parseResponse(readArray, 0, limit, connection.expectedAccept);
            if (ClientHandshake.INCOMPLETE == head)
            {
                keepLeftover(connection, 0, limit);
                return;
            }
            if (head < 0)
            {
                counters.increment(FleetCounters.CONNECT_FAILURES);
                ProblemLog.print("socket " + connection.socketIndex + " upgrade refused: " +
                    new String(readArray, 0, Math.min(limit, 200), StandardCharsets.ISO_8859_1).trim());
                closer.close(connection, ClientConnection.CLOSED);
                return;
            }
            offset = head;
            publisher.sendJoin(connection, receiveNs);
        }
        current = connection;
        final int consumed = ServerFrameDecoder.decode(readArray, offset, limit, MAX_FRAME_BYTES, this);
        current = null;
        if (consumed < 0)
        {
            counters.increment(FleetCounters.PROTOCOL_ERRORS);
            ProblemLog.print("socket " + connection.socketIndex + " got a bad frame, error " + consumed);
            closer.close(connection, ClientConnection.CLOSED);
            return;
        }
        if (null != connection.channel)
        {
            keepLeftover(connection, offset + consumed, limit);
        }
    }

    /**
     * Handles one decoded server frame for the socket being read.
     *
     * @param opcode        the frame opcode.
     * @param fin           whether this is the final fragment of a message.
     * @param buffer        the array holding the payload.
     * @param payloadOffset first payload byte.
     * @param payloadLength number of payload bytes.
     */
    @Override
    public void onFrame(
        final int opcode, final boolean fin, final byte[] buffer, final int payloadOffset, final int payloadLength)
    {
        final ClientConnection connection = current;
        if (null == connection || null == connection.channel)
        {
            return;
        }
        switch (opcode)
        {
            case ClientFrameEncoder.OPCODE_TEXT:
                if (fin)
                {
                    messages.onText(connection, buffer, payloadOffset, payloadOffset + payloadLength, receiveNs);
                }
                else
                {
                    connection.fragmentLength = 0;
                    appendFragment(connection, buffer, payloadOffset, payloadLength);
                }
                break;
            case ClientFrameEncoder.OPCODE_CONTINUATION:
                appendFragment(connection, buffer, payloadOffset, payloadLength);
                if (fin)
                {
                    messages.onText(connection, connection.fragment, 0, connection.fragmentLength, receiveNs);
                    connection.fragmentLength = 0;
                }
                break;
            case ClientFrameEncoder.OPCODE_PING:
                System.arraycopy(buffer, payloadOffset, controlScratch, 0, payloadLength);
                sender.sendFrame(connection, ClientFrameEncoder.OPCODE_PONG, controlScratch, payloadLength);
                break;
            case ClientFrameEncoder.OPCODE_CLOSE:
                final int code = payloadLength >= 2 ?
                    ((buffer[payloadOffset] & 0xFF) << 8) | (buffer[payloadOffset + 1] & 0xFF) : NO_STATUS_CODE;
                onServerClose(connection, code, buffer, payloadOffset, payloadLength);
                break;
            default:
                break;
        }
    }

    private void keepLeftover(final ClientConnection connection, final int from, final int limit)
    {
        final int length = limit - from;
        if (length <= 0)
        {
            return;
        }
        if (null == connection.leftover || connection.leftover.length < length)
        {
            connection.leftover = new byte[Math.max(1024, Integer.highestOneBit(length) << 1)];
        }
        System.arraycopy(readArray, from, connection.leftover, 0, length);
        connection.leftoverLength = length;
    }

    private static void appendFragment(
        final ClientConnection connection, final byte[] buffer, final int offset, final int length)
    {
        final int needed = connection.fragmentLength + length;
        if (null == connection.fragment || connection.fragment.length < needed)
        {
            final byte[] grown = new byte[Math.max(4096, Integer.highestOneBit(needed) << 1)];
            if (null != connection.fragment)
            {
                System.arraycopy(connection.fragment, 0, grown, 0, connection.fragmentLength);
            }
            connection.fragment = grown;
        }
        System.arraycopy(buffer, offset, connection.fragment, connection.fragmentLength, length);
        connection.fragmentLength = needed;
    }

    private void onServerClose(
        final ClientConnection connection, final int code, final byte[] buffer, final int offset, final int length)
    {
        final int echoed = Math.min(length, 2);
        System.arraycopy(buffer, offset, controlScratch, 0, echoed);
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_CLOSE, controlScratch, echoed);
        if (ClientConnection.LEAVING == connection.state && NORMAL_CLOSURE == code)
        {
            closer.close(connection, ClientConnection.IDLE);
            connection.reconnectDueNs = receiveNs + ConnectionCloser.RECONNECT_DELAY_NS;
            return;
        }
        counters.increment(FleetCounters.DISCONNECTS);
        ProblemLog.print("socket " + connection.socketIndex + " closed by the server with " + code + " " +
            new String(buffer, offset + echoed, length - echoed, StandardCharsets.UTF_8));
        closer.close(connection, ClientConnection.CLOSED);
    }
}
