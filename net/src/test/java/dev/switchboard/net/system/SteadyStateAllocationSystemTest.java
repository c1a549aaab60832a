package dev.switchboard.net.system;

import com.sun.management.ThreadMXBean;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.BoxCacheCheck;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, item 5: the running server's hot threads allocate (almost) nothing in steady state. A real server on
 * loopback sockets gets a realistic mix from plain RFC 6455 clients: in each room a host publishes game events
 * (acked, broadcast to four viewers) and game state patches (coalesced per tick), viewers send offers that the host
 * answers (relayed both ways, acked), ICE candidates (coalesced per tick) and pings, every viewer gets presence,
 * and every few thousand messages a viewer leaves and a new socket joins. After a warm-up, the bytes allocated by
 * the engine and IoAgent threads ({@code ThreadMXBean.getThreadAllocatedBytes}) over a window of client messages
 * must stay under one byte per message. This is an allocation gate, not a timing assertion: the traffic is paced by
 * acks and nothing depends on how long it takes. With {@code -Dswitchboard.allocationJfr=FILE} the measured window is
 * also recorded with JFR ({@code jdk.ObjectAllocationSample}) into FILE.
 * <p>
 * The server's sockets get file descriptors above 127, as in production (the test opens pipes first): the JDK's
 * epoll selector boxes each ready socket's descriptor, which allocates unless the JVM's Integer cache covers it
 * ({@code -XX:AutoBoxCacheMax}, set by the launcher and by the build's test JVMs).
 */
@SystemTest
class SteadyStateAllocationSystemTest
{
    private static final int ROOMS = 6;
    private static final int VIEWERS = 4;
    private static final int WARMUP_ROUNDS = 2_500;
    private static final int MEASURED_ROUNDS = 5_000;
    private static final int ROUNDS_PER_CHURN = Integer.getInteger("churn", 1_250);
    private static final int ROUNDS_IN_FLIGHT = 8;
    private static final long WAIT_MS = 60_000;
    /** System property naming a file: the measured window is recorded there with JFR's allocation samples. */
    private static final String JFR_PROPERTY = "switchboard.allocationJfr";
    /** Pipes opened before the server starts, two descriptors each, so its sockets are numbered like production's. */
    private static final int BALLAST_PIPES = 100;

    /** One client socket with a reader thread that counts what arrives. */
    private static final class Peer implements AutoCloseable
    {
        final RawWebSocket ws;
        final String room;
        final String userId;
        final AtomicLong acks = new AtomicLong();
        final AtomicLong frames = new AtomicLong();
        final Thread reader;
        long acksExpected;
        long seq;
        volatile String failure;

        Peer(final int port, final String room, final String role) throws IOException
        {
            this.room = room;
            ws = RawWebSocket.connect(port);
            ws.timeout((int)WAIT_MS);
            send("join", "", "{\"role\":\"" + role + "\"}");
            acksExpected = 1;
            String joined;
            do
            {
                joined = ws.readNonPing().text();
                if (joined.startsWith("{\"type\":\"ack\""))
                {
                    acks.incrementAndGet();
                }
            }
            while (!joined.startsWith("{\"type\":\"joined\""));
            userId = JsonClient.field(joined, "userId");
            reader = new Thread(this::read, "alloc-test-reader-" + userId);
            reader.setDaemon(true);
            reader.start();
        }

        void send(final String type, final String extraFields, final String payload) throws IOException
        {
            final StringBuilder json = new StringBuilder(256).append("{\"type\":\"").append(type)
                .append("\",\"msgId\":\"").append(UUID.randomUUID()).append("\",\"roomId\":\"").append(room)
                .append("\",\"seq\":").append(++seq);
            if (!extraFields.isEmpty())
            {
                json.append(',').append(extraFields);
            }
            ws.sendText(json.append(",\"payload\":").append(payload).append('}').toString());
        }

        void sendCritical(final String type, final String extraFields, final String payload) throws IOException
        {
            acksExpected++;
            send(type, extraFields, payload);
        }

        private void read()
        {
            try
            {
                while (true)
                {
                    final RawWebSocket.Frame frame = ws.readFrame();
                    if (RawWebSocket.CLOSE == frame.opcode)
                    {
                        return;
                    }
                    frames.incrementAndGet();
                    final byte[] p = frame.payload;
                    // {"type":"ack" : the 10th byte is the first of the type name
                    if (p.length > 12 && 'a' == p[9] && 'c' == p[10] && 'k' == p[11] && '"' == p[12])
                    {
                        acks.incrementAndGet();
                    }
                    else if (p.length > 14 && 'e' == p[9] && 'r' == p[10] && 'r' == p[11])
                    {
                        failure = frame.text();
                    }
                }
            }
            catch (final IOException ex)
            {
                // socket closed by the test or by the server after leave
            }
        }

        boolean caughtUp()
        {
            return acks.get() >= acksExpected;
        }

        @Override
        public void close() throws IOException
        {
            ws.close();
        }
    }

    /** One room: a host and its viewers. */
    private static final class Room
    {
        final Peer host;
        final Peer[] viewers = new Peer[VIEWERS];
        long stateVersion;

        Room(final int port, final String id) throws IOException
        {
            host = new Peer(port, id, "host");
            for (int v = 0; v < VIEWERS; v++)
            {
                viewers[v] = new Peer(port, id, "viewer");
            }
        }
    }

    @Test
    void shouldAllocateUnderOneBytePerMessageOnEngineAndIoThreadsAfterWarmUp() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .idleTimeoutSeconds(86_400).pingIntervalSeconds(3_600)
            .gameEventRate(1_000_000).gameEventBurst(1_000_000).gameStateRate(1_000_000).gameStateBurst(1_000_000)
            .iceRate(1_000_000).iceBurst(1_000_000).messageRate(1_000_000).messageBurst(1_000_000)
            .build();
        assertTrue(BoxCacheCheck.warnIfTooSmall(settings.maxConnections()),
            "this JVM's Integer cache must cover the server's descriptors, as the launcher's does " +
            "(-XX:AutoBoxCacheMax=65536 in the Surefire argLine)");
        final List<Pipe> ballast = openPipes(BALLAST_PIPES);
        try (EngineServer server = new EngineServer(settings))
        {
            final List<Room> rooms = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++)
            {
                rooms.add(new Room(server.port(), "alloc-" + r));
            }
            final EngineCounters counters = server.engine().counters();
            final ThreadMXBean threads =
                (ThreadMXBean)ManagementFactory.getThreadMXBean();
            assertTrue(threads.isThreadAllocatedMemorySupported());
            threads.setThreadAllocatedMemoryEnabled(true);
            final long[] hotThreads = hotThreadIds();
            // dedicated: an engine and an IoAgent thread; shared: the one thread that runs both.
            assertTrue(hotThreads.length >= ("shared".equals(server.runtime().settings().threadingMode()) ? 1 : 2),
                "the engine's and the IoAgent's threads");

            run(server, rooms, 0, WARMUP_ROUNDS);

            final String jfrFile = System.getProperty(JFR_PROPERTY);
            // Only the allocation samples: other events (socket I/O in particular) allocate in the measured threads.
            final Recording recording = null == jfrFile ? null : new Recording();
            if (null != recording)
            {
                recording.enable("jdk.ObjectAllocationSample").with("throttle", "10000/s");
                recording.start();
            }
            final long inBefore = messagesIn(counters);
            final long outBefore = counters.msgsOut();
            final long[] allocatedBefore = threads.getThreadAllocatedBytes(hotThreads);
            run(server, rooms, WARMUP_ROUNDS, MEASURED_ROUNDS);
            final long[] allocatedAfter = threads.getThreadAllocatedBytes(hotThreads);
            final long messagesIn = messagesIn(counters) - inBefore;
            final long messagesOut = counters.msgsOut() - outBefore;
            if (null != recording)
            {
                recording.stop();
                recording.dump(Path.of(jfrFile));
                recording.close();
            }

            long allocated = 0;
            final StringBuilder perThread = new StringBuilder();
            for (int i = 0; i < hotThreads.length; i++)
            {
                final long bytes = allocatedAfter[i] - allocatedBefore[i];
                allocated += bytes;
                perThread.append(' ').append(threadName(hotThreads[i])).append('=').append(bytes);
            }
            final double perMessage = (double)allocated / messagesIn;
            final String report = String.format(Locale.ROOT,
                "%d client messages in, %d frames out, %d bytes allocated by the hot threads (%s): %.4f bytes per " +
                "message in, %.4f per message in or out", messagesIn, messagesOut, allocated, perThread.toString().trim(),
                perMessage, (double)allocated / (messagesIn + messagesOut));
            System.out.println("SteadyStateAllocationSystemTest: " + report);
            assertTrue(messagesIn >= (long)MEASURED_ROUNDS * ROOMS * 6, "the window saw the whole mix: " + report);
            assertTrue(perMessage < 1.0, report);
            assertNoErrorAndClose(rooms);
        }
        finally
        {
            for (final Pipe pipe : ballast)
            {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    private static List<Pipe> openPipes(final int count) throws IOException
    {
        final List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            pipes.add(Pipe.open());
        }
        return pipes;
    }

    private static void assertNoErrorAndClose(final List<Room> rooms) throws IOException
    {
        for (final Room room : rooms)
        {
            assertEquals(null, room.host.failure, "no error reply");
            for (final Peer viewer : room.viewers)
            {
                assertEquals(null, viewer.failure, "no error reply");
            }
        }
        for (final Room room : rooms)
        {
            room.host.close();
            for (final Peer viewer : room.viewers)
            {
                viewer.close();
            }
        }
    }

    private static void run(final EngineServer server, final List<Room> rooms, final int firstRound, final int count)
        throws IOException, InterruptedException
    {
        for (int round = firstRound; round < firstRound + count; round++)
        {
            for (final Room room : rooms)
            {
                final Peer host = room.host;
                final int k = round % VIEWERS;
                Peer viewer = room.viewers[k];
                if (round > 0 && 0 == round % ROUNDS_PER_CHURN && 0 == k)
                {
                    viewer.sendCritical("leave", "", "{}");
                    awaitCaughtUp(viewer);
                    viewer.close();
                    viewer = new Peer(server.port(), room.host.room, "viewer");
                    room.viewers[k] = viewer;
                }
                host.sendCritical("game_event", "", "{\"kind\":\"move\",\"round\":" + round + "}");
                viewer.sendCritical("webrtc_offer", "\"to\":\"" + host.userId + "\"",
                    "{\"sdp\":\"v=0 o=- " + round + " 2 IN IP4 127.0.0.1 s=- t=0 0\"}");
                host.sendCritical("webrtc_answer", "\"to\":\"" + viewer.userId + "\"",
                    "{\"sdp\":\"v=0 o=- " + round + " 3 IN IP4 127.0.0.1 s=- t=0 0\"}");
                viewer.send("ice_candidate", "\"to\":\"" + host.userId + "\"",
                    "{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0." + k + " 5000" +
                    " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"uf" + k + "\"}");
                room.stateVersion++;
                host.send("game_state", "", "{\"version\":" + room.stateVersion + ",\"patch\":{\"score" + k +
                    "\":" + round + "}}");
                viewer.send("ping", "\"ts\":" + round, "{}");
            }
            if (0 == round % ROUNDS_IN_FLIGHT)
            {
                for (final Room room : rooms)
                {
                    awaitCaughtUp(room.host);
                    for (final Peer viewer : room.viewers)
                    {
                        awaitCaughtUp(viewer);
                    }
                }
            }
        }
        for (final Room room : rooms)
        {
            awaitCaughtUp(room.host);
            for (final Peer viewer : room.viewers)
            {
                awaitCaughtUp(viewer);
            }
        }
    }

    private static void awaitCaughtUp(final Peer peer) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!peer.caughtUp())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("acks of " + peer.userId + ": " + peer.acks.get() + " of " +
                    peer.acksExpected + (null == peer.failure ? "" : ", last error " + peer.failure));
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static long messagesIn(final EngineCounters counters)
    {
        long total = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                total += counters.msgsIn(type);
            }
        }
        return total;
    }

    private static long[] hotThreadIds()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("switchboard-engine-") || t.getName().startsWith("switchboard-io-") ||
                t.getName().startsWith("switchboard-shared-"))
            .mapToLong(Thread::getId).toArray();
    }

    private static String threadName(final long id)
    {
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getId() == id)
            {
                return t.getName();
            }
        }
        return Long.toString(id);
    }
}
