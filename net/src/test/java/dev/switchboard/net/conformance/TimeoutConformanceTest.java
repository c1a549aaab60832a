package dev.switchboard.net.conformance;

import dev.switchboard.engine.settings.SwitchboardSettings;
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
            Conditions.await(5_000, () -> server.standIn().events.contains("closed:4009"),
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
            ws.writeAscii("GET /ws HTTP/1.1\r\nHost: x\r\n");
            Conditions.await(5_000, () -> server.runtime().connectedSockets() == 1, "the socket to be accepted");
            clock.advance(10_001);
            assertTrue(ws.awaitEof(5_000), "the server must drop a slow head");
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
            Conditions.await(5_000, () ->
            {
                clock.advance(500);
                return server.runtime().connectedSockets() == 0;
            }, "the TCP close after the close timeout");
            assertTrue(ws.awaitEof(3_000));
        }
    }
}
