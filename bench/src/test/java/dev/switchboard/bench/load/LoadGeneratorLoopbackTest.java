package dev.switchboard.bench.load;

import dev.switchboard.bench.baseline.NettyRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole generator for a second against the Netty relay over real loopback sockets: handshake, join,
 * masked frames out, server frames in, acks and first/last recipient tracking.
 */
class LoadGeneratorLoopbackTest
{
    private NettyRelay relay;
    private int port;

    @TempDir
    Path out;

    @BeforeEach
    void startRelay() throws InterruptedException
    {
        relay = new NettyRelay("127.0.0.1", 0, 1);
        port = relay.start();
    }

    @AfterEach
    void stopRelay()
    {
        relay.close();
    }

    @Test
    void shouldDeliverEveryGameEventToEveryOtherMemberAndAckIt() throws IOException
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:" + port + "/ws", "--scenario", "small-rooms", "--rooms", "3",
            "--room-size", "4", "--rate", "20", "--duration", "1", "--warmup", "0", "--drain", "2",
            "--connect-rate", "1000", "--threads", "2", "--out", out.toString()});

        assertEquals(0, new LoadGenerator(settings, "test").run());

        final Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("true", summary.get("valid"));
        final long sentInWindow = Long.parseLong(summary.get("sentInWindow"));
        assertTrue(sentInWindow >= 57, "about 60 game events planned in the window, sent " + sentInWindow);
        assertEquals("0", summary.get("missingDeliveries"));
        assertEquals("0", summary.get("errors"));
        assertEquals("0", summary.get("connectFailures"));
        assertEquals("0", summary.get("protocolErrors"));
        assertEquals(3L * Long.parseLong(summary.get("sent")), Long.parseLong(summary.get("deliveries")));
        assertEquals(12L + Long.parseLong(summary.get("sent")), Long.parseLong(summary.get("acks")),
            "one ack per join and per game event");
        assertTrue(Files.size(out.resolve("firstRecipient.hgrm")) > 0);
        assertTrue(Files.size(out.resolve("lastRecipient.hgrm")) > 0);
        assertTrue(Files.size(out.resolve("ack.hgrm")) > 0);
    }

    @Test
    void shouldLeaveAndJoinAgainInChurn() throws IOException
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:" + port + "/ws", "--scenario", "churn", "--rooms", "2", "--room-size", "3",
            "--rate", "4", "--duration", "1", "--warmup", "0", "--drain", "1", "--session-seconds", "0.3",
            "--connect-rate", "1000", "--out", out.toString()});

        assertEquals(0, new LoadGenerator(settings, "test").run());

        final Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertTrue(Long.parseLong(summary.get("churnCycles")) > 0, "viewers rejoined: " + summary.get("churnCycles"));
        assertEquals("0", summary.get("connectFailures"));
        assertEquals("0", summary.get("errors"));
    }

    @Test
    void shouldStopChurnAfterExactlyTheConfiguredCycles() throws IOException
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:" + port + "/ws", "--scenario", "churn", "--rooms", "2", "--room-size", "3",
            "--rate", "4", "--duration", "2", "--warmup", "0", "--drain", "1", "--session-seconds", "0.2",
            "--cycles", "5", "--connect-rate", "1000", "--out", out.toString()});

        assertEquals(0, new LoadGenerator(settings, "test").run());

        final Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("5", summary.get("churnCycles"), "four viewers could do about 36 cycles in 2 s; 5 were asked");
        assertEquals("0", summary.get("connectFailures"));
        assertEquals("0", summary.get("errors"));
    }

    @Test
    void shouldRelayOffersAnswersAndGameStateInMixed() throws IOException
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:" + port + "/ws", "--scenario", "mixed", "--rooms", "2", "--room-size", "3",
            "--rate", "2", "--state-hz", "10", "--offer-interval", "0.25", "--ice-burst", "2", "--duration", "1",
            "--warmup", "0", "--drain", "1", "--connect-rate", "1000", "--out", out.toString()});

        assertEquals(0, new LoadGenerator(settings, "test").run());

        final Map<String, String> summary = SummaryFields.read(out.resolve("summary.json"));
        assertEquals("0", summary.get("errors"));
        assertTrue(Long.parseLong(summary.get("otherRelayed")) > 0, "offers, answers, ICE and state were relayed");
        assertTrue(Files.size(out.resolve("directed.hgrm")) > 0, "offer and answer latency recorded");
        assertTrue(Files.size(out.resolve("gameState.hgrm")) > 0, "game state latency recorded");
    }

    @Test
    void shouldConnectViewersToTheViewerUrlAndPublishersToTheUrl() throws InterruptedException
    {
        final NettyRelay viewerRelay = new NettyRelay("127.0.0.1", 0, 1);
        final int viewerPort = viewerRelay.start();
        try
        {
            final LoadSettings settings = LoadSettings.parse(new String[]{
                "--url", "ws://127.0.0.1:" + port + "/ws", "--viewer-url", "ws://127.0.0.1:" + viewerPort + "/ws",
                "--scenario", "small-rooms", "--rooms", "3", "--room-size", "4", "--rate", "5", "--duration", "1",
                "--warmup", "0", "--drain", "0", "--connect-rate", "1000", "--threads", "1", "--out", out.toString()});

            final int[] most = new int[2];
            final Thread generator = new Thread(() -> new LoadGenerator(settings, "test").run(), "generator");
            generator.start();
            final long deadlineNs = System.nanoTime() + 20_000_000_000L;
            while (generator.isAlive() && System.nanoTime() < deadlineNs)
            {
                most[0] = Math.max(most[0], relay.roomCount());
                most[1] = Math.max(most[1], viewerRelay.roomCount());
                LockSupport.parkNanos(1_000_000L);
            }
            generator.join(20_000);

            // Each room's host joined the first relay and its three viewers the second: both held every room.
            assertEquals(3, most[0]);
            assertEquals(3, most[1]);
        }
        finally
        {
            viewerRelay.close();
        }
    }
}
