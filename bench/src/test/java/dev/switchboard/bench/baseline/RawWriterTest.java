package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.ClientHandshake;
import dev.switchboard.bench.load.LoadGenerator;
import dev.switchboard.bench.load.LoadSettings;
import dev.switchboard.bench.load.SummaryFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the load generator against the raw NIO writer over real loopback sockets, and drives its handshake and frame
 * handling by hand.
 */
class RawWriterTest
{
    private RawWriter writer;
    private int port;

    @TempDir
    Path out;

    @BeforeEach
    void startWriter() throws IOException
    {
        writer = new RawWriter("127.0.0.1", 0);
        port = writer.start();
    }

    @AfterEach
    void stopWriter()
    {
        writer.close();
    }

    @Test
    void shouldDeliverEveryGameEventOfSmallRoomsWithoutIntegrityFaults() throws IOException
    {
        final Map<String, String> summary = run("--scenario", "small-rooms", "--rooms", "20", "--room-size", "5",
            "--rate", "20", "--duration", "1", "--warmup", "0", "--drain", "2");

        assertEquals("true", summary.get("valid"));
        assertEquals("0", summary.get("missingDeliveries"));
        assertEquals("0", summary.get("errors"));
        assertEquals("0", summary.get("connectFailures"));
        assertEquals("0", summary.get("protocolErrors"));
        assertEquals("0", summary.get("crossRoomDeliveries"));
        assertEquals("0", summary.get("mismatchedDeliveries"));
        assertEquals("0", summary.get("untrackedDeliveries"));
        assertEquals(4L * Long.parseLong(summary.get("sent")), Long.parseLong(summary.get("deliveries")));
        assertEquals(100L + Long.parseLong(summary.get("sent")), Long.parseLong(summary.get("acks")),
            "one ack per join and per game event");
    }

    @Test
    void shouldDeliverEveryGameEventOfOneHugeRoom() throws IOException
    {
        final Map<String, String> summary = run("--scenario", "huge-room", "--rooms", "1", "--room-size", "300",
            "--rate", "10", "--duration", "1", "--warmup", "0", "--drain", "2");

        assertEquals("0", summary.get("missingDeliveries"));
        assertEquals("0", summary.get("errors"));
        assertEquals("0", summary.get("crossRoomDeliveries"));
        assertEquals(299L * Long.parseLong(summary.get("sent")), Long.parseLong(summary.get("deliveries")));
    }

    @Test
    void shouldLeaveCloseAndJoinAgainInChurn() throws IOException
    {
        final Map<String, String> summary = run("--scenario", "churn", "--rooms", "2", "--room-size", "3",
            "--rate", "4", "--duration", "1", "--warmup", "0", "--drain", "1", "--session-seconds", "0.3");

        assertTrue(Long.parseLong(summary.get("churnCycles")) > 0, "viewers rejoined: " + summary.get("churnCycles"));
        assertEquals("0", summary.get("connectFailures"));
        assertEquals("0", summary.get("disconnects"));
        assertEquals("0", summary.get("errors"));
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (writer.roomCount() > 0 && System.nanoTime() - deadlineNs < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        assertEquals(0, writer.roomCount(), "every room is removed once the generator's sockets have closed");
    }

    @Test
    void shouldRelayOffersAnswersCandidatesAndGameStateInMixed() throws IOException
    {
        final Map<String, String> summary = run("--scenario", "mixed", "--rooms", "2", "--room-size", "3",
            "--rate", "2", "--state-hz", "10", "--offer-interval", "0.25", "--ice-burst", "2", "--duration", "1",
            "--warmup", "0", "--drain", "1");

        assertEquals("0", summary.get("errors"));
        assertTrue(Long.parseLong(summary.get("otherRelayed")) > 0, "offers, answers, ICE and state were relayed");
        assertTrue(Files.size(out.resolve("directed.hgrm")) > 0, "offer and answer latency recorded");
        assertTrue(Files.size(out.resolve("gameState.hgrm")) > 0, "game state latency recorded");
    }

    @Test
    void shouldAnswerPingWithPongAndCloseWith1002OnUnmaskedFrame() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5_000);
            final OutputStream output = socket.getOutputStream();
            final InputStream input = socket.getInputStream();
            final String key = ClientHandshake.key(42);
            output.write(ClientHandshake.request("127.0.0.1:" + port, "/ws", key));
            final String head = readHead(input);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: " + ClientHandshake.expectedAccept(key)), head);

            final byte[] ping = "{\"type\":\"ping\",\"ts\":123}".getBytes(StandardCharsets.US_ASCII);
            output.write(maskedText(ping));
            final byte[] pong = readFrame(input, 0x81);
            final String pongText = new String(pong, StandardCharsets.US_ASCII);
            assertTrue(pongText.startsWith("{\"type\":\"pong\",\"ts\":"), pongText);
            assertTrue(pongText.endsWith(",\"payload\":{\"ts\":123}}"), pongText);

            output.write(new byte[]{(byte)0x81, 2, '{', '}'});
            assertArrayEquals(new byte[]{0x03, (byte)0xEA}, readFrame(input, 0x88), "close 1002");
            assertEquals(-1, input.read(), "socket closed after the close frame");
        }
    }

    @Test
    void shouldAnswer404ToAnotherPath() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(ClientHandshake.request("127.0.0.1:" + port, "/other", "a2V5"));
            assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 404"));
        }
    }

    private Map<String, String> run(final String... flags) throws IOException
    {
        final String[] args = new String[flags.length + 6];
        args[0] = "--url";
        args[1] = "ws://127.0.0.1:" + port + "/ws";
        args[2] = "--connect-rate";
        args[3] = "2000";
        args[4] = "--out";
        args[5] = out.toString();
        System.arraycopy(flags, 0, args, 6, flags.length);
        assertEquals(0, new LoadGenerator(LoadSettings.parse(args), "test").run());
        return SummaryFields.read(out.resolve("summary.json"));
    }

    private static byte[] maskedText(final byte[] payload)
    {
        final byte[] mask = {1, 2, 3, 4};
        final byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte)0x81;
        frame[1] = (byte)(0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    private static String readHead(final InputStream input) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = input.read();
            if (b < 0)
            {
                break;
            }
            head.write(b);
            matched = ('\r' == b && (0 == matched || 2 == matched)) || ('\n' == b && (1 == matched || 3 == matched)) ?
                matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] readFrame(final InputStream input, final int expectedFirstByte) throws IOException
    {
        assertEquals(expectedFirstByte, input.read());
        int length = input.read();
        assertTrue(length < 0x80, "server frames are not masked");
        if (126 == length)
        {
            length = (input.read() << 8) | input.read();
        }
        final byte[] payload = input.readNBytes(length);
        assertEquals(length, payload.length);
        return payload;
    }
}
