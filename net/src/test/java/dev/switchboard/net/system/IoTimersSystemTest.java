package dev.switchboard.net.system;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.RawWebSocket;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IoAgent's abuse timers and pauses over real loopback sockets, with time driven by a fake clock: the message
 * deadline, the HTTP head timer counted from each request's first byte, and the pipelining cap.
 */
@SystemTest
class IoTimersSystemTest
{
    @Test
    void shouldCloseWith1008AMessageNotCompleteWithinTheDeadlineOfItsFirstByte() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_800_000_000_000L);
        try (EngineServer server = new EngineServer(SwitchboardSettings.defaults(), null, clock);
            RawWebSocket slow = RawWebSocket.connect(server.port()))
        {
            final byte[] frame = slow.frame(true, 0, RawWebSocket.TEXT, true,
                "{\"type\":\"ping\",\"ts\":1}".getBytes(StandardCharsets.UTF_8));
            slow.write(new byte[] {frame[0], frame[1]});
            awaitOneTimerPass(server, clock);
            clock.advance(SwitchboardSettings.DEFAULT_MESSAGE_DEADLINE_SECONDS * 1000L);
            final RawWebSocket.Frame close = slow.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("message_deadline", close.closeReason());
            assertEquals(1, server.runtime().ioCounters()[0].messageDeadlines.get());
        }
    }

    @Test
    void shouldTimeAnHttpHeadFromItsOwnFirstByteOnAKeepAliveConnection() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_800_000_000_000L);
        final long headMs = SwitchboardSettings.DEFAULT_HTTP_HEAD_TIMEOUT_SECONDS * 1000L;
        try (EngineServer server = new EngineServer(SwitchboardSettings.defaults(), null, clock);
            RawWebSocket client = RawWebSocket.tcp(server.port()))
        {
            client.writeAscii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(client.readHttpResponse().startsWith("HTTP/1.1 200"));
            clock.advance(headMs - 2_000);
            awaitOneTimerPass(server, clock);
            long bytesIn = server.runtime().ioCounters()[0].bytesIn.get();
            client.writeAscii("G");
            awaitBytesInAbove(server, bytesIn);
            clock.advance(headMs - 2_000);
            awaitOneTimerPass(server, clock);
            // 16 s after the last response but 8 s after this request's first byte: still served
            client.writeAscii("ET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(client.readHttpResponse().startsWith("HTTP/1.1 200"));

            bytesIn = server.runtime().ioCounters()[0].bytesIn.get();
            client.writeAscii("GET /hea");
            awaitBytesInAbove(server, bytesIn);
            clock.advance(headMs);
            assertTrue(client.awaitEof(5_000), "a head unfinished for httpHeadTimeoutSeconds is dropped");
            assertEquals(1, server.runtime().ioCounters()[0].headTimeouts.get());
        }
    }

    @Test
    void shouldPauseReadingAtThePipelineCapAndAnswerEveryRequestOnceTheClientReads() throws Exception
    {
        final int requests = 200;
        try (EngineServer server = new EngineServer(SwitchboardSettings.builder().maxPipelinedRequests(2).build());
            AttackClient client = AttackClient.tcp(server.port(), 4096))
        {
            final StringBuilder all = new StringBuilder();
            for (int i = 0; i < requests; i++)
            {
                all.append("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            client.write(all.toString().getBytes(StandardCharsets.US_ASCII));
            final IoCounters io = server.runtime().ioCounters()[0];
            Conditions.await(10_000, () -> 0 != io.pipelinePauses.get(), "reading paused at the cap");
            final InputStream in = client.socket.getInputStream();
            final byte[] buffer = new byte[16 * 1024];
            int answered = 0;
            int matched = 0;
            final byte[] status = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
            while (answered < requests)
            {
                final int n = in.read(buffer);
                assertTrue(n > 0, "answered " + answered);
                for (int i = 0; i < n; i++)
                {
                    matched = buffer[i] == status[matched] ? matched + 1 : (buffer[i] == status[0] ? 1 : 0);
                    if (matched == status.length)
                    {
                        answered++;
                        matched = 0;
                    }
                }
            }
            assertEquals(requests, answered);
        }
    }

    /** Let the IoAgent run its timers at least once at the clock's current time. */
    private static void awaitOneTimerPass(final EngineServer server, final CachedEpochClock clock)
        throws InterruptedException
    {
        final IoCounters io = server.runtime().ioCounters()[0];
        final long loops = io.loops.get();
        // the select wait is at most the timer interval (100 ms of real time): a few loops pass it
        Conditions.await(5_000, () -> io.loops.get() >= loops + 3, "the IoAgent loops");
    }

    private static void awaitBytesInAbove(final EngineServer server, final long before) throws InterruptedException
    {
        final IoCounters io = server.runtime().ioCounters()[0];
        Conditions.await(5_000, () -> io.bytesIn.get() > before, "the server read the bytes");
    }
}
