package dev.switchboard.net.system;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits over real loopback sockets with the real engine and the system clock: an ICE flood is limited
 * with about one rate_limited error per second and label, the flooding socket still answers ping, its
 * candidates arrive coalesced, and another room keeps getting answers meanwhile.
 */
@SystemTest
class FlowRateLimitSystemTest
{
    private static final int CANDIDATES = 500;
    /** A generous deadline, not a speed goal (that is measured by the load generator): a stalled room fails it. */
    private static final long ROUND_TRIP_DEADLINE_MS = 10_000;
    private static final String CANDIDATE_PREFIX = "\"candidate\":\"candidate:";

    @Test
    void shouldLimitAnIceFloodWithAboutOneErrorPerSecondWhileThePingAndAnotherRoomStayResponsive() throws Exception
    {
        try (EngineServer server = new EngineServer();
            JsonClient hostA = JsonClient.connect(server.port());
            JsonClient flooder = JsonClient.connect(server.port());
            JsonClient hostB = JsonClient.connect(server.port());
            JsonClient viewerB = JsonClient.connect(server.port()))
        {
            final String hostAId = JsonClient.field(hostA.join("room-a", "host"), "userId");
            flooder.join("room-a", "viewer");
            hostB.join("room-b", "host");
            viewerB.join("room-b", "viewer");

            final long startNs = System.nanoTime();
            final AtomicReference<Throwable> floodFailure = new AtomicReference<>();
            final Thread flood = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < CANDIDATES; i++)
                    {
                        flooder.send("ice_candidate", "room-a", "\"to\":\"" + hostAId + "\"",
                            "{\"candidate\":\"candidate:" + i + " 1 udp 1 127.0.0.1 " + (5000 + i) + " typ host\"}");
                    }
                }
                catch (final Throwable ex)
                {
                    floodFailure.set(ex);
                }
            }, "ice-flood");
            flood.start();
            final List<Long> roundTripsMs = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                final long sentNs = System.nanoTime();
                final String msgId = hostB.send("game_event", "room-b", "", "{\"probe\":" + i + "}");
                hostB.until(t -> t.contains("\"type\":\"ack\"") && msgId.equals(JsonClient.field(t, "for")));
                roundTripsMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs));
            }
            flood.join(10_000);
            assertNull(floodFailure.get());
            for (final long roundTripMs : roundTripsMs)
            {
                assertTrue(roundTripMs < ROUND_TRIP_DEADLINE_MS, "room-b round trips during the flood: " + roundTripsMs);
            }

            flooder.raw().timeout(300);
            String pong = null;
            int rateLimitedErrors = 0;
            int extraSends = 0; // pings and "final" candidates, reported with the counts
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long pingTs = 0;
            while (null == pong && System.nanoTime() < deadlineNs)
            {
                pingTs++;
                extraSends++;
                flooder.sendText("{\"type\":\"ping\",\"ts\":" + pingTs + "}");
                try
                {
                    while (null == pong)
                    {
                        final String text = flooder.next();
                        if (text.startsWith("{\"type\":\"error\"") && text.contains("\"code\":\"rate_limited\""))
                        {
                            rateLimitedErrors++;
                        }
                        else if (text.startsWith("{\"type\":\"pong\"") &&
                            text.contains("\"payload\":{\"ts\":" + pingTs + "}"))
                        {
                            pong = text;
                        }
                    }
                }
                catch (final SocketTimeoutException ex)
                {
                    // the ping itself was over the limit without a reply: try again
                }
            }
            final long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs);
            assertTrue(null != pong, "the flooding socket answers ping");
            assertTrue(rateLimitedErrors >= 1 && rateLimitedErrors <= 2 + elapsedSeconds,
                rateLimitedErrors + " rate_limited errors in " + elapsedSeconds + " s");

            hostA.raw().timeout(300);
            int candidates = 0;
            int batches = 0;
            long lastIndex = -1;
            boolean finalSeen = false;
            while (!finalSeen && System.nanoTime() < deadlineNs)
            {
                final String text;
                try
                {
                    text = hostA.next();
                }
                catch (final SocketTimeoutException ex)
                {
                    flooder.send("ice_candidate", "room-a", "\"to\":\"" + hostAId + "\"", "{\"candidate\":\"final\"}");
                    extraSends++;
                    continue;
                }
                if (!text.startsWith("{\"type\":\"ice_candidate\""))
                {
                    continue;
                }
                batches++;
                finalSeen = text.contains("\"candidate\":\"final\"");
                for (int i = text.indexOf(CANDIDATE_PREFIX); i >= 0; i = text.indexOf(CANDIDATE_PREFIX, i + 1))
                {
                    final int from = i + CANDIDATE_PREFIX.length();
                    final long index = Long.parseLong(text.substring(from, text.indexOf(' ', from)));
                    assertTrue(index > lastIndex, "candidates in the sender's order");
                    lastIndex = index;
                    candidates++;
                }
            }
            assertTrue(finalSeen, "a candidate sent after the flood arrives");
            final EngineCounters counters = server.engine().counters();
            final long iceLimited = counters.rateLimited(MessageType.ICE_CANDIDATE);
            final long floodSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs) + 1;
            assertTrue(iceLimited + counters.rateLimitedOverall() >= CANDIDATES - 100 - 50 * floodSeconds,
                "limited " + iceLimited + " + " + counters.rateLimitedOverall() + " in " + floodSeconds + " s");
            assertTrue(candidates <= CANDIDATES - iceLimited, candidates + " delivered, " + iceLimited + " limited");
            long iceDropped = 0;
            for (final DropReason reason : DropReason.values())
            {
                iceDropped += counters.drops(MessageType.ICE_CANDIDATE, reason);
            }
            // Every candidate of the 500 is delivered or counted: limited, or dropped for another reason.
            assertTrue(candidates >= CANDIDATES - iceLimited - counters.rateLimitedOverall() - iceDropped,
                candidates + " delivered, " + iceLimited + " + " + counters.rateLimitedOverall() + " limited, " +
                iceDropped + " dropped, " + extraSends + " extra frames sent");
            assertTrue(batches < candidates, batches + " batches for " + candidates + " candidates");
        }
    }

}
