package dev.switchboard.net.conformance;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.net.conformance.ConformanceSupport.expectAlive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats and timeouts, driven by a fake clock that the IoAgents read: no test waits for real time to pass.
 */
class TimeoutConformanceTest
{
    /** Longest wait for the server's threads to act on a clock step: an upper bound on waiting, not on speed. */
    private static final int WAIT_MS = 60_000;

    private final CachedEpochClock clock = new CachedEpochClock();
    private FrontEndServer server;

    @BeforeEach
    void start() throws Exception
    {
        clock.update(1_000_000L);
        server = new FrontEndServer(SwitchboardSettings.defaults(), null, clock);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldPingEveryPingInterval() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            expectAlive(ws, 1);
            clock.advance(20_001);
            final RawWebSocket.Frame ping = ws.readFrame();
            assertEquals(RawWebSocket.PING, ping.opcode);
        }
    }

    @Test
    void shouldCloseWith4009AfterIdleTimeout() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            expectAlive(ws, 1);
            clock.advance(45_001);
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(4009, close.closeCode());
            assertEquals("idle_timeout", close.closeReason());
            Conditions.await(WAIT_MS, () -> server.standIn().events.contains("closed:4009"),
                "the engine to hear of the idle close");
        }
    }

    @Test
    void shouldStayOpenWhileClientKeepsSendingFrames() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            for (int i = 0; i < 5; i++)
            {
                clock.advance(30_000);
                expectAlive(ws, 10 + i);
            }
        }
    }

    @Test
    void shouldDropClientThatDoesNotFinishItsHeadInTime() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.tcp(server.port()))
        {
            final String head = "GET /ws HTTP/1.1\r\nHost: x\r\n";
            ws.writeAscii(head);
            // Read, not only accepted: a head's timer starts at its first byte, stamped with the agent's clock when
            // it reads it, so the clock may only move on once the bytes are in (a read after the advance would
            // start the timer at the advanced time and it would never expire).
            Conditions.await(WAIT_MS, () -> bytesIn() >= head.length(), "the partial head to be read");
            clock.advance(10_001);
            assertTrue(ws.awaitEof(WAIT_MS), "the server must drop a slow head");
        }
    }

    @Test
    void shouldCloseTcpWhenPeerNeverAnswersTheClose() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            expectAlive(ws, 1);
            clock.advance(45_001);
            assertEquals(4009, ws.readUntilClose().closeCode());
            // We never answer the close; after the close timeout the server drops the TCP connection.
            Conditions.await(WAIT_MS, () ->
            {
                clock.advance(500);
                return server.runtime().connectedSockets() == 0;
            }, "the TCP close after the close timeout");
            assertTrue(ws.awaitEof(WAIT_MS));
        }
    }

    private long bytesIn()
    {
        long total = 0;
        for (final IoCounters counters : server.runtime().ioCounters())
        {
            total += counters.bytesIn.get();
        }
        return total;
    }
}
