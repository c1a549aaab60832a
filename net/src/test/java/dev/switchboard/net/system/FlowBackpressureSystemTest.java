package dev.switchboard.net.system;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backpressure over real loopback sockets: a viewer that stops reading while its host floods large game_state
 * patches enters drop mode, still gets every game_event and webrtc_offer addressed to it in order once it reads
 * again, then {@code flow_control normal} with the dropped count and a snapshot, while a viewer reading
 * normally sees no drops.
 */
@SystemTest
class FlowBackpressureSystemTest
{
    private static final int KEYS = 12;
    private static final int VALUE_BYTES = 4096;
    private static final int EVENTS = 10;
    private static final int OFFERS = 5;
    private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;
    private static final int STABLE_DROPS = 40;

    @Test
    void shouldDropOnlyNonCriticalFramesForASocketThatStopsReadingAndRecoverWithASnapshot() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .gameStateRate(100_000).gameStateBurst(100_000).messageRate(100_000).messageBurst(100_000)
            .highWatermarkBytes(64 * 1024).lowWatermarkBytes(16 * 1024).build();
        try (EngineServer server = new EngineServer(settings);
            JsonClient host = JsonClient.connect(server.port());
            JsonClient reader = JsonClient.connect(server.port());
            StalledClient stalled = StalledClient.connect(server.port(), RECEIVE_BUFFER_BYTES))
        {
            host.join("room", "host");
            reader.join("room", "viewer");
            stalled.sendText("{\"type\":\"join\",\"msgId\":\"6f1c1d2e-0000-4000-8000-000000000001\"," +
                "\"roomId\":\"room\",\"seq\":1,\"payload\":{\"role\":\"viewer\"}}");
            final String joined = stalled.untilType("joined");
            final String stalledId = JsonClient.field(joined, "userId");

            final Drain readerDrain = new Drain(reader);
            final Drain hostDrain = new Drain(host);
            readerDrain.start();
            hostDrain.start();

            final IoCounters io = server.runtime().ioCounters()[0];
            final String value = "\"" + "v".repeat(VALUE_BYTES) + "\"";
            long version = 0;
            final long floodDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long episodes = io.dropEpisodes.get();
            long droppedAtEpisode = io.droppedBackpressure.get();
            while (0 == io.dropEpisodes.get() || io.droppedBackpressure.get() - droppedAtEpisode < STABLE_DROPS)
            {
                assertTrue(System.nanoTime() < floodDeadlineNs, "the stalled socket stays in drop mode");
                version = sendTick(host, version, value, readerDrain);
                if (io.dropEpisodes.get() != episodes)
                {
                    episodes = io.dropEpisodes.get();
                    droppedAtEpisode = io.droppedBackpressure.get();
                }
            }
            final List<String> expectedCritical = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++)
            {
                version = sendTick(host, version, value, readerDrain);
                host.send("game_event", "room", "", "{\"n\":" + i + "}");
                expectedCritical.add("game_event " + i);
                if (i < OFFERS)
                {
                    host.send("webrtc_offer", "room", "\"to\":\"" + stalledId + "\"", "{\"sdp\":\"offer-" + i + "\"}");
                    expectedCritical.add("webrtc_offer " + i);
                }
            }
            version++;
            host.send("game_state", "room", "", "{\"version\":" + version + ",\"patch\":{\"last\":true}}");
            final long lastVersion = version;

            final List<String> critical = new ArrayList<>();
            boolean dropMode = false;
            int drops = 0;
            String normal = null;
            String snapshot = null;
            long lastDseq = 0;
            while (critical.size() < expectedCritical.size() || dropMode)
            {
                final String text = stalled.nextText();
                if (text.startsWith("{\"type\":\"flow_control\""))
                {
                    if (text.contains("drop_non_critical"))
                    {
                        assertFalse(dropMode, "one drop_non_critical per episode");
                        assertEquals(0, JsonClient.number(text, "dropped"));
                        dropMode = true;
                        drops++;
                    }
                    else
                    {
                        assertTrue(dropMode, "normal ends an episode: " + text);
                        dropMode = false;
                        normal = text;
                        snapshot = stalled.nextText();
                        assertTrue(snapshot.startsWith("{\"type\":\"game_state\"") &&
                            snapshot.contains("\"snapshot\":true"), "a snapshot right after normal: " + snapshot);
                    }
                }
                else if (text.startsWith("{\"type\":\"game_event\""))
                {
                    critical.add("game_event " + JsonClient.number(text, "n"));
                }
                else if (text.startsWith("{\"type\":\"webrtc_offer\""))
                {
                    critical.add("webrtc_offer " + JsonClient.field(text, "sdp").substring("offer-".length()));
                    final long dseq = JsonClient.number(text, "dseq");
                    assertTrue(dseq > lastDseq, "offers in dseq order");
                    lastDseq = dseq;
                }
            }
            assertTrue(drops >= 1, "drop_non_critical was sent");
            assertEquals(expectedCritical, critical, "every critical frame, in the sender's order");
            assertTrue(null != normal && JsonClient.number(normal, "dropped") > 0, "the episode dropped: " + normal);
            String latest = snapshot;
            while (JsonClient.number(latest, "version") < lastVersion)
            {
                latest = stalled.untilType("game_state");
            }
            assertEquals(lastVersion, JsonClient.number(latest, "version"));
            assertTrue(latest.contains("\"last\":true"), "the stalled viewer catches up with the latest state");

            Conditions.await(10_000, () -> readerDrain.gameStateVersion() == lastVersion,
                "the reading viewer gets the last game_state");
            readerDrain.stop();
            hostDrain.stop();
            assertFalse(readerDrain.texts.stream().anyMatch(t -> t.startsWith("{\"type\":\"flow_control\"")),
                "the reading viewer never enters drop mode");
            final List<Long> events = readerDrain.texts.stream().filter(t -> t.startsWith("{\"type\":\"game_event\""))
                .map(t -> JsonClient.number(t, "n")).toList();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), events);
            assertEquals(drops, io.dropEpisodes.get(), "only the stalled socket had drop episodes");
        }
    }

    /**
     * One patch per key (one tick's worth, under the high watermark once merged), then wait until the reading
     * viewer has it, so the flood runs at the pace of a viewer that reads normally.
     */
    private static long sendTick(final JsonClient host, final long fromVersion, final String value, final Drain reader)
        throws IOException
    {
        long version = fromVersion;
        for (int key = 0; key < KEYS; key++)
        {
            version++;
            host.send("game_state", "room", "",
                "{\"version\":" + version + ",\"patch\":{\"k" + key + "\":" + value + "}}");
        }
        final long sent = version;
        Conditions.await(10_000, () -> reader.gameStateVersion() >= sent, "the reading viewer gets version " + sent);
        return version;
    }

    /** Reads a client's messages on its own thread, as a browser would, until stopped. */
    private static final class Drain implements Runnable
    {
        final List<String> texts = new CopyOnWriteArrayList<>();
        private final JsonClient client;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long lastGameStateVersion;

        Drain(final JsonClient client)
        {
            this.client = client;
            this.thread = new Thread(this, "drain");
            this.thread.setDaemon(true);
        }

        void start() throws IOException
        {
            client.raw().timeout(100);
            thread.start();
        }

        long gameStateVersion()
        {
            return lastGameStateVersion;
        }

        void stop() throws InterruptedException
        {
            running = false;
            thread.join(5_000);
        }

        @Override
        public void run()
        {
            while (running)
            {
                try
                {
                    final String text = client.next();
                    if (text.startsWith("{\"type\":\"game_state\""))
                    {
                        lastGameStateVersion = JsonClient.number(text, "version");
                    }
                    else
                    {
                        texts.add(text);
                    }
                }
                catch (final SocketTimeoutException ex)
                {
                    // nothing to read just now
                }
                catch (final IOException ex)
                {
                    return;
                }
            }
        }
    }

    /**
     * A WebSocket client with a small, fixed receive buffer set before connecting, so that when it stops reading
     * the kernel holds little and the server's own send queue (its bufferedAmount) grows quickly.
     */
    private static final class StalledClient implements AutoCloseable
    {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private StalledClient(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static StalledClient connect(final int port, final int receiveBufferBytes) throws IOException
        {
            final Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            final StalledClient client = new StalledClient(socket);
            final String key = Base64.getEncoder().encodeToString("flow-test-key-16".getBytes(StandardCharsets.US_ASCII));
            client.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n"))
            {
                head.write(client.in.readUnsignedByte());
            }
            if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"))
            {
                socket.close();
                throw new IOException("handshake refused: " + head);
            }
            return client;
        }

        void sendText(final String text) throws IOException
        {
            final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            final ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126)
            {
                frame.write(0x80 | payload.length);
            }
            else
            {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            }
            frame.write(new byte[4]);
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }

        String nextText() throws IOException
        {
            while (true)
            {
                final int b0 = in.readUnsignedByte();
                long length = in.readUnsignedByte() & 0x7F;
                if (126 == length)
                {
                    length = in.readUnsignedShort();
                }
                else if (127 == length)
                {
                    length = in.readLong();
                }
                final byte[] payload = new byte[(int)length];
                in.readFully(payload);
                final int opcode = b0 & 0x0F;
                if (RawWebSocket.TEXT == opcode)
                {
                    return new String(payload, StandardCharsets.UTF_8);
                }
                if (RawWebSocket.CLOSE == opcode)
                {
                    throw new IOException("closed by the server");
                }
            }
        }

        String untilType(final String type) throws IOException
        {
            while (true)
            {
                final String text = nextText();
                if (text.startsWith("{\"type\":\"" + type + "\""))
                {
                    return text;
                }
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
