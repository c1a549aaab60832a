package dev.switchboard.net.system;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stalled log collector: the test stops reading the server's stdout, so the pipe fills, the log appender blocks
 * and the asynchronous log queue (128 slots here) fills with per-message {@code relay} lines, which are then
 * discarded. A SIGTERM in that state must still produce the lifecycle lines {@code draining} and {@code drained}
 * (never discarded: the drain thread waits for room instead), and the process must not exit before its log is
 * written out.
 */
@SystemTest
class LogQueueFullSystemTest
{
    private static final int OFFERS = 3_000;
    /** Longest wait for each step: an upper bound on waiting, not on speed. */
    private static final long WAIT_MS = 120_000;

    @Test
    void shouldWriteTheLifecycleLinesWhileThePerMessageLinesAreDiscarded() throws Exception
    {
        try (ServerProcess server = stalledServer();
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            final AtomicInteger hostClose = stallTheLogAndFloodIt(server, host, viewer);

            assertTrue(server.process.toHandle().destroy(), "SIGTERM");
            // Either the drain went on without waiting for the log (its draining line was discarded: the host is
            // closed with 4000), or the drain thread is waiting for room in the full queue (counted in /metrics).
            Conditions.await(WAIT_MS, () -> 0 != hostClose.get() || !server.process.isAlive() ||
                sample(server, "log_lifecycle_lines_delayed_total") >= 1,
                "the drain began, or its first line waits for room in the log queue");
            server.resumeOutput();

            assertTrue(server.process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "the server drains and exits");
            server.awaitOutputEnd(WAIT_MS);
            assertEquals(0, server.process.exitValue(), String.join("\n", server.lines));
            assertTrue(server.logged("draining"), "draining is never discarded: " + tail(server));
            assertTrue(server.logged("drained"), "drained is never discarded: " + tail(server));
            final Map<String, Object> drained = ProcessProbe.events(server, "drained").get(0);
            assertTrue(((Number)drained.get("logLinesDiscarded")).longValue() > 0,
                "per-message lines were discarded meanwhile (the queue really was full): " + drained);
            assertTrue(ProcessProbe.events(server, "relay").size() < OFFERS, "some relay lines were discarded");
        }
    }

    @Test
    void shouldExitAtOnceOnASecondSignalWhileTheLifecycleLinesWaitForTheStalledLog() throws Exception
    {
        try (ServerProcess server = stalledServer();
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            stallTheLogAndFloodIt(server, host, viewer);
            assertTrue(server.process.toHandle().destroy(), "SIGTERM");
            Conditions.await(WAIT_MS, () -> sample(server, "log_lifecycle_lines_delayed_total") >= 1,
                "the drain's first line waits for room in the log queue");

            assertTrue(server.process.toHandle().destroy(), "a second SIGTERM");
            assertTrue(server.process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS),
                "a second signal exits at once, without waiting for the stalled log");
            assertEquals(143, server.process.exitValue());
            server.resumeOutput();
        }
    }

    @Test
    void shouldKeepServingWhenAClientProvokesAWarningIntoTheStalledLog() throws Exception
    {
        try (ServerProcess server = stalledServer("--max-connections-per-address", "4");
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            stallTheLogAndFloodIt(server, host, viewer);
            try (Socket third = new Socket("127.0.0.1", server.port());
                Socket fourth = new Socket("127.0.0.1", server.port());
                Socket overLimit = new Socket("127.0.0.1", server.port()))
            {
                // The fifth socket from this address is closed at accept, and the IoAgent logs address_limit at WARN
                // into the full queue: a WARN that waited for room would stop the IoAgent, and every room with it.
                assertTrue(third.isConnected() && fourth.isConnected(), "the third and fourth are within the limit");
                overLimit.setSoTimeout((int)WAIT_MS);
                assertEquals(-1, readOrEnd(overLimit), "the socket over the address limit is closed");
            }
            // The server frees the two slots once it reads their ends; until then a new socket is still over the limit.
            Conditions.await(WAIT_MS, () -> joins(server.port(), "another-room"),
                "the IoAgent still accepts, upgrades and relays to the engine while the log is stalled");
            server.resumeOutput();
        }
    }

    private static boolean joins(final int port, final String roomId)
    {
        try (JsonClient client = JsonClient.connect(port))
        {
            return "joined".equals(JsonClient.field(client.join(roomId, "host"), "type"));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int readOrEnd(final Socket socket) throws IOException
    {
        try
        {
            return socket.getInputStream().read();
        }
        catch (final SocketException ex)
        {
            return -1; // a reset is a close too
        }
    }

    private static ServerProcess stalledServer(final String... flags) throws IOException, InterruptedException
    {
        final List<String> args = new ArrayList<>(
            List.of("--message-rate", "100000", "--message-burst", "100000", "--drain-seconds", "1"));
        args.addAll(List.of(flags));
        return new ServerProcess(Map.of(), List.of("-Dlog4j2.asyncLoggerRingBufferSize=128"), args.toArray(new String[0]));
    }

    /**
     * Stop reading the server's stdout and relay {@value #OFFERS} offers, each logging a relay line, so that the pipe
     * and the log queue are full; the host's close code is kept (0 while it is open).
     */
    private static AtomicInteger stallTheLogAndFloodIt(
        final ServerProcess server, final JsonClient host, final JsonClient viewer) throws IOException
    {
        host.join("stalled-log", "host");
        final String viewerId = JsonClient.field(viewer.join("stalled-log", "viewer"), "userId");
        final AtomicInteger offersSeen = new AtomicInteger();
        final AtomicInteger hostClose = new AtomicInteger();
        readUntilClose(viewer.raw(), offersSeen, new AtomicInteger());
        readUntilClose(host.raw(), new AtomicInteger(), hostClose);

        server.pauseOutput();
        for (int i = 0; i < OFFERS; i++)
        {
            host.send("webrtc_offer", "stalled-log", "\"to\":\"" + viewerId + "\"", "{\"sdp\":\"v=0 " + i + "\"}");
        }
        Conditions.await(WAIT_MS, () -> offersSeen.get() >= OFFERS,
            "every offer relayed (each one logs a relay line into the stalled log)");
        return hostClose;
    }

    private static double sample(final ServerProcess server, final String series)
    {
        try
        {
            return ProcessProbe.sample(server, series);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static String tail(final ServerProcess server)
    {
        final List<String> lines = server.lines;
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static void readUntilClose(final RawWebSocket socket, final AtomicInteger offers, final AtomicInteger close)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                socket.timeout(0);
                while (true)
                {
                    final RawWebSocket.Frame frame = socket.readNonPing();
                    if (RawWebSocket.CLOSE == frame.opcode)
                    {
                        close.set(frame.closeCode());
                        return;
                    }
                    if (frame.text().contains("\"webrtc_offer\""))
                    {
                        offers.incrementAndGet();
                    }
                }
            }
            catch (final IOException ex)
            {
                close.compareAndSet(0, -1);
            }
        }, "log-queue-test-reader");
        thread.setDaemon(true);
        thread.start();
    }
}
