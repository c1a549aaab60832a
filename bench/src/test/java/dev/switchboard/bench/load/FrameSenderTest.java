package dev.switchboard.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSenderTest
{
    private static final int PAYLOAD_BYTES = 60_000;

    private final FleetCounters counters = new FleetCounters();
    private final FleetState fleet = new FleetState(LoadSettings.parse(new String[0]), 7);
    private final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
    private final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 99);
    private final ClientConnection connection = new ClientConnection(0, 0, true, true, false);
    private LoopbackClients loopback;
    private volatile int framesRead;

    @BeforeEach
    void openLoopback() throws IOException
    {
        loopback = new LoopbackClients();
    }

    @AfterEach
    void closeLoopback() throws IOException
    {
        loopback.close();
    }

    @Test
    void shouldWriteEachFrameMaskedWithAFreshKey() throws IOException
    {
        final SocketChannel peer = loopback.connect(connection);
        final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);

        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, hello, hello.length);
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_PONG, hello, 2);
        final byte[] first = LoopbackClients.readBytes(peer, 2 + 4 + 5);
        final byte[] second = LoopbackClients.readBytes(peer, 2 + 4 + 2);

        assertEquals(0x81, first[0] & 0xFF);
        assertEquals(0x8A, second[0] & 0xFF);
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, 2, 6), Arrays.copyOfRange(second, 2, 6)),
            "every frame gets its own masking key");
        final byte[] unmasked = new byte[5];
        for (int i = 0; i < 5; i++)
        {
            unmasked[i] = (byte)(first[6 + i] ^ first[2 + (i & 3)]);
        }
        assertArrayEquals(hello, unmasked);
        assertFalse(connection.hasPending());
    }

    @Test
    void shouldKeepWhatTheSocketDoesNotTakeAndFlushItInOrderWhenWritable() throws IOException, InterruptedException
    {
        final SocketChannel peer = loopback.connect(connection);
        final byte[] payload = new byte[PAYLOAD_BYTES];
        int frames = 0;
        while (!connection.hasPending())
        {
            Arrays.fill(payload, (byte)frames);
            sender.sendFrame(connection, ClientFrameEncoder.OPCODE_BINARY, payload, payload.length);
            frames++;
        }
        for (int i = 0; i < 3; i++)
        {
            Arrays.fill(payload, (byte)frames);
            sender.sendFrame(connection, ClientFrameEncoder.OPCODE_BINARY, payload, payload.length);
            frames++;
        }
        assertNotEquals(0, connection.key.interestOps() & SelectionKey.OP_WRITE, "asks to be told when writable");

        final int total = frames;
        final Thread reader = new Thread(() -> readFrames(peer, total));
        reader.start();
        while (connection.hasPending())
        {
            loopback.awaitReady(connection.key, SelectionKey.OP_WRITE);
            sender.flushPending(connection);
        }
        reader.join(LoopbackClients.DEADLINE_MS);
        assertFalse(reader.isAlive(), "the peer read every frame within " + LoopbackClients.DEADLINE_MS + " ms");

        assertEquals(0, connection.key.interestOps() & SelectionKey.OP_WRITE, "stops asking once the backlog is empty");
        assertEquals(ClientConnection.IDLE, connection.state);
        assertEquals(0, counters.get(FleetCounters.BACKLOG_OVERFLOWS));
        assertEquals(total, framesRead, "every frame arrived whole and in order");
    }

    @Test
    void shouldDropASocketWhoseBacklogPassesTheLimit() throws IOException
    {
        final SocketChannel peer = loopback.connect(connection);
        connection.state = ClientConnection.JOINED;
        final byte[] payload = new byte[PAYLOAD_BYTES];
        int frames = 0;
        while (null != connection.channel)
        {
            sender.sendFrame(connection, ClientFrameEncoder.OPCODE_BINARY, payload, payload.length);
            frames++;
            assertTrue(frames < 4 * FrameSender.MAX_PENDING_BYTES / PAYLOAD_BYTES, "dropped well before four times the limit");
        }

        assertEquals(1, counters.get(FleetCounters.BACKLOG_OVERFLOWS));
        assertEquals(ClientConnection.CLOSED, connection.state);
        assertTrue(frames > FrameSender.MAX_PENDING_BYTES / (PAYLOAD_BYTES + 8), "not before the limit: " + frames);
        assertEquals(0, connection.pending.position(), "the backlog is let go");
        assertTrue(peer.isOpen());
    }

    @Test
    void shouldSkipASocketThatIsAlreadyClosed()
    {
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, new byte[3], 3);

        assertNull(connection.pending);
        assertEquals(0, counters.get(FleetCounters.BACKLOG_OVERFLOWS));
    }

    private void readFrames(final SocketChannel peer, final int count)
    {
        try
        {
            final List<LoopbackClients.ClientFrame> frames = LoopbackClients.readClientFrames(peer, count);
            int good = 0;
            for (int i = 0; i < frames.size(); i++)
            {
                final LoopbackClients.ClientFrame frame = frames.get(i);
                if (frame.payload.length == PAYLOAD_BYTES && frame.payload[0] == (byte)i &&
                    frame.payload[PAYLOAD_BYTES - 1] == (byte)i)
                {
                    good++;
                }
            }
            framesRead = good;
        }
        catch (final IOException ex)
        {
            framesRead = -1;
        }
    }
}
