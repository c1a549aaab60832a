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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ServerFrameAdapterTest
{
    private final FleetCounters counters = new FleetCounters();
    private final FleetState fleet = new FleetState(
        LoadSettings.parse(new String[]{"--rooms", "1", "--room-size", "3"}), 7);
    private final AgentRoster roster = new AgentRoster(fleet, 0, 1);
    private final ClientConnection connection = roster.connections[1];
    private ServerFrameAdapter adapter;
    private LoopbackClients loopback;
    private SocketChannel peer;

    @BeforeEach
    void connect() throws IOException
    {
        final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
        final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 5);
        final ClientMessagePublisher publisher = new ClientMessagePublisher(fleet, closer, sender);
        final PublishScheduler scheduler = new PublishScheduler(fleet, counters, roster, publisher);
        adapter = new ServerFrameAdapter(counters, closer, sender, publisher,
            new ServerMessageAdapter(fleet, counters, closer, publisher, scheduler));
        loopback = new LoopbackClients();
        peer = loopback.connect(connection);
    }

    @AfterEach
    void closeLoopback() throws IOException
    {
        loopback.close();
    }

    @Test
    void shouldSendTheJoinOnceTheUpgradeIsAcceptedAndReadTheFramesBehindIt() throws IOException
    {
        final String key = ClientHandshake.key(1);
        connection.expectedAccept = ClientHandshake.expectedAccept(key);
        connection.state = ClientConnection.HANDSHAKING;

        LoopbackClients.writeAll(peer, LoopbackClients.concat(
            ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + connection.expectedAccept + "\r\n\r\n"),
            text("{\"type\":\"joined\",\"userId\":\"u-1\",\"hostId\":\"u-0\"}")));
        readUntil(() -> ClientConnection.JOINED == connection.state);

        final String join = LoopbackClients.readClientFrames(peer, 1).get(0).text();
        assertTrue(join.startsWith("{\"type\":\"join\""), join);
        assertEquals(1, counters.get(FleetCounters.JOINED));
        assertEquals(0, connection.leftoverLength);
    }

    @Test
    void shouldCloseASocketWhoseUpgradeIsRefused() throws IOException
    {
        connection.expectedAccept = ClientHandshake.expectedAccept(ClientHandshake.key(1));
        connection.state = ClientConnection.HANDSHAKING;

        LoopbackClients.writeAll(peer, ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
        readUntil(() -> ClientConnection.CLOSED == connection.state);

        assertEquals(1, counters.get(FleetCounters.CONNECT_FAILURES));
    }

    @Test
    void shouldKeepAPartialFrameUntilTheRestArrives() throws IOException
    {
        connection.state = ClientConnection.JOINED;
        final byte[] frame = text("{\"type\":\"ice_candidate\",\"payload\":{\"candidate\":\"" + "c".repeat(300) + "\"}}");

        LoopbackClients.writeAll(peer, Arrays.copyOf(frame, 100));
        readUntil(() -> 100 == connection.leftoverLength);
        assertEquals(0, counters.get(FleetCounters.RECEIVED));

        LoopbackClients.writeAll(peer, Arrays.copyOfRange(frame, 100, frame.length));
        readUntil(() -> 1 == counters.get(FleetCounters.RECEIVED));
        assertEquals(1, counters.get(FleetCounters.OTHER_RELAYED));
        assertEquals(0, connection.leftoverLength);
    }

    @Test
    void shouldJoinFragmentsIntoOneMessage() throws IOException
    {
        connection.state = ClientConnection.JOINED;

        LoopbackClients.writeAll(peer, LoopbackClients.concat(
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_TEXT, false, ascii("{\"type\":\"flow_")),
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_CONTINUATION, false, ascii("control\",")),
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_PING, true, ascii("p")),
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_CONTINUATION, true, ascii("\"state\":\"paused\"}"))));
        readUntil(() -> 1 == counters.get(FleetCounters.RECEIVED));

        assertEquals(1, counters.get(FleetCounters.FLOW_CONTROL), "one message of three fragments");
        assertEquals(0, connection.fragmentLength);
        final LoopbackClients.ClientFrame pong = LoopbackClients.readClientFrames(peer, 1).get(0);
        assertEquals(ClientFrameEncoder.OPCODE_PONG, pong.opcode, "a ping between fragments is answered");
    }

    @Test
    void shouldAnswerAPingWithAPongOfTheSamePayload() throws IOException
    {
        connection.state = ClientConnection.JOINED;

        final List<LoopbackClients.ClientFrame> frames = serveAndReadReplies(
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_PING, true, ascii("abc")), 1);

        assertEquals(ClientFrameEncoder.OPCODE_PONG, frames.get(0).opcode);
        assertArrayEquals(ascii("abc"), frames.get(0).payload);
    }

    @Test
    void shouldEchoANormalCloseAfterALeaveAndConnectAgainAfterThePause() throws IOException
    {
        connection.state = ClientConnection.LEAVING;
        final long beforeNs = System.nanoTime();

        final List<LoopbackClients.ClientFrame> frames = serveAndReadReplies(LoopbackClients.serverFrame(
            ClientFrameEncoder.OPCODE_CLOSE, true, new byte[]{0x03, (byte)0xE8}), 1);

        assertEquals(ClientFrameEncoder.OPCODE_CLOSE, frames.get(0).opcode);
        assertArrayEquals(new byte[]{0x03, (byte)0xE8}, frames.get(0).payload);
        assertEquals(ClientConnection.IDLE, connection.state);
        assertTrue(connection.reconnectDueNs - beforeNs >= ConnectionCloser.RECONNECT_DELAY_NS);
        assertEquals(0, counters.get(FleetCounters.DISCONNECTS));
    }

    @Test
    void shouldCountAnyOtherCloseByTheServerAsADisconnect() throws IOException
    {
        connection.state = ClientConnection.JOINED;
        final byte[] payload = LoopbackClients.concat(new byte[]{0x03, (byte)0xE9}, ascii("going away"));

        final List<LoopbackClients.ClientFrame> frames = serveAndReadReplies(
            LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_CLOSE, true, payload), 1);

        assertArrayEquals(new byte[]{0x03, (byte)0xE9}, frames.get(0).payload, "only the code is echoed");
        assertEquals(ClientConnection.CLOSED, connection.state);
        assertEquals(1, counters.get(FleetCounters.DISCONNECTS));
    }

    @Test
    void shouldDropASocketThatSendsAMaskedFrame() throws IOException
    {
        connection.state = ClientConnection.JOINED;
        final byte[] frame = text("{}");
        frame[1] |= (byte)0x80;

        LoopbackClients.writeAll(peer, LoopbackClients.concat(frame, new byte[4]));
        readUntil(() -> ClientConnection.CLOSED == connection.state);

        assertEquals(1, counters.get(FleetCounters.PROTOCOL_ERRORS));
    }

    @Test
    void shouldCountTheEndOfStreamOfAJoinedSocketAsADisconnect() throws IOException
    {
        connection.state = ClientConnection.JOINED;

        peer.close();
        readUntil(() -> ClientConnection.CLOSED == connection.state);

        assertEquals(1, counters.get(FleetCounters.DISCONNECTS));
    }

    private void readUntil(final BooleanSupplier condition) throws IOException
    {
        for (int reads = 0; !condition.getAsBoolean(); reads++)
        {
            if (reads > 1_000)
            {
                fail("condition not met after " + reads + " reads");
            }
            loopback.awaitReady(connection.key, SelectionKey.OP_READ);
            adapter.onReadable(connection);
        }
    }

    private List<LoopbackClients.ClientFrame> serveAndReadReplies(final byte[] bytes, final int replies)
        throws IOException
    {
        final long bytesBefore = connection.bytesRead;
        LoopbackClients.writeAll(peer, bytes);
        readUntil(() -> connection.bytesRead - bytesBefore >= bytes.length);
        return LoopbackClients.readClientFrames(peer, replies);
    }

    private static byte[] text(final String json)
    {
        return LoopbackClients.serverFrame(ClientFrameEncoder.OPCODE_TEXT, true, ascii(json));
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
