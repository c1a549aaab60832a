package dev.switchboard.net.system;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner's definition of done for the room engine, over real loopback sockets against the whole server,
 * with a fake clock so the 120-second timers take no time.
 */
@SystemTest
class RoomSystemTest
{
    private final CachedEpochClock clock = new CachedEpochClock();
    private EngineServer server;

    @BeforeEach
    void start() throws Exception
    {
        clock.update(1_800_000_000_000L);
        server = new EngineServer(SwitchboardSettings.builder().idleTimeoutSeconds(86_400).build(), null, clock);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private static Map<String, Object> json(final String text)
    {
        return Json.object(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(final String text)
    {
        return (Map<String, Object>)json(text).get("payload");
    }

    private static String offerPayload(final String sdp)
    {
        return "{\"sdp\":\"" + sdp + "\"}";
    }

    @Test
    void shouldProcessDuplicatedOfferOnceAndAcceptRetryWithNewMsgId() throws Exception
    {
        try (JsonClient host = JsonClient.connect(server.port()); JsonClient viewer = JsonClient.connect(server.port()))
        {
            host.join("dup", "host");
            final String viewerId = (String)payload(viewer.join("dup", "viewer")).get("userId");
            final String msgId = UUID.randomUUID().toString();
            for (int i = 0; i < 5; i++)
            {
                host.sendWithId(msgId, "webrtc_offer", "dup", "\"to\":\"" + viewerId + "\"", offerPayload("v=0 a"));
            }
            final String retryId = host.send("webrtc_offer", "dup", "\"to\":\"" + viewerId + "\"",
                offerPayload("v=0 a"));
            host.send("ping", "dup", "\"ts\":1", null);
            final List<String> acks = new ArrayList<>();
            String reply;
            while (!(reply = host.next()).startsWith("{\"type\":\"pong\""))
            {
                if (reply.startsWith("{\"type\":\"ack\""))
                {
                    acks.add((String)json(reply).get("for"));
                }
            }
            assertEquals(List.of(msgId, retryId), acks, "one ack for the five copies, one for the retry");

            final List<String> offers = new ArrayList<>();
            viewer.send("ping", "dup", "\"ts\":2", null);
            while (!(reply = viewer.next()).startsWith("{\"type\":\"pong\""))
            {
                if (reply.startsWith("{\"type\":\"webrtc_offer\""))
                {
                    offers.add((String)json(reply).get("msgId"));
                }
            }
            assertEquals(List.of(msgId, retryId), offers, "the viewer gets the offer once, then the retry");
            Conditions.await(5_000, () -> server.engine().counters().drops(
                MessageType.WEBRTC_OFFER,
                DropReason.DUPLICATE) == 4, "four duplicates counted");
        }
    }

    @Test
    void shouldTearDownRoomAfterHostlessTimeoutAndSendRoomClosed() throws Exception
    {
        try (JsonClient host = JsonClient.connect(server.port()); JsonClient viewer = JsonClient.connect(server.port()))
        {
            host.join("reap", "host");
            viewer.join("reap", "viewer");
            host.raw().close(); // abrupt: the host's socket closes without leave
            // The engine has applied the close (and started the hostless clock) once it flushed the queue.
            viewer.untilType("cohost_queue_updated");
            clock.advance(119_000);
            viewer.send("ping", "reap", "\"ts\":3", null);
            viewer.untilType("pong");
            assertEquals(1, server.engine().counters().rooms(), "still open before hostlessRoomSeconds");
            clock.advance(2_000);
            final String closed = viewer.untilType("room_closed");
            assertEquals("host_timeout", payload(closed).get("reason"));
            assertTrue(json(closed).containsKey("rseq"));
            final RawWebSocket.Frame close = viewer.raw().readUntilClose();
            assertEquals(1000, close.closeCode());
            Conditions.await(5_000, () -> server.engine().counters().rooms() == 0 &&
                server.engine().counters().sessions() == 0, "every room and session freed");
        }
    }

    @Test
    void shouldResumeGuestAsGuestWithQueuePositionsAndDeliverMissedOfferOnce() throws Exception
    {
        try (JsonClient host = JsonClient.connect(server.port());
            JsonClient guest = JsonClient.connect(server.port());
            JsonClient queued = JsonClient.connect(server.port()))
        {
            host.join("res", "host");
            final Map<String, Object> guestJoined = payload(guest.join("res", "viewer"));
            final String guestId = (String)guestJoined.get("userId");
            final String guestToken = (String)guestJoined.get("sessionToken");
            final Map<String, Object> queuedJoined = payload(queued.join("res", "viewer"));
            final String queuedToken = (String)queuedJoined.get("sessionToken");

            guest.send("cohost_request", "res", "", null);
            guest.untilType("ack");
            queued.send("cohost_request", "res", "", null);
            queued.untilType("ack");
            host.send("cohost_accept", "res", "", "{\"userId\":\"" + guestId + "\"}");
            host.untilType("ack");
            assertEquals("guest", payload(guest.untilType("role_changed")).get("role"));
            long guestDseq = json(guest.seen().get(guest.seen().size() - 1)).get("dseq") instanceof Long ?
                (Long)json(guest.seen().get(guest.seen().size() - 1)).get("dseq") : 0;

            // Both drop their sockets; the host sends the guest an offer while it is away.
            guest.raw().close();
            queued.raw().close();
            Conditions.await(5_000, () -> server.runtime().connectedSockets() == 1, "two sockets to close");
            final String offerId = host.send("webrtc_offer", "res", "\"to\":\"" + guestId + "\"",
                offerPayload("v=0 away"));
            host.until(t -> t.contains("\"for\":\"" + offerId + "\""));

            try (JsonClient back = JsonClient.connect(server.port()))
            {
                back.send("resume", "res", "",
                    "{\"sessionToken\":\"" + guestToken + "\",\"lastDseq\":" + guestDseq + ",\"lastRseq\":0}");
                final String ok = back.untilType("resume_ok");
                final Map<String, Object> resumed = payload(ok);
                assertEquals("guest", resumed.get("role"), "the guest resumes as guest without asking again");
                assertEquals(guestId, resumed.get("userId"));
                assertNull(json(ok).get("dseq"));
                final List<String> offers = new ArrayList<>();
                back.send("ping", "res", "\"ts\":9", null);
                String message;
                while (!(message = back.next()).startsWith("{\"type\":\"pong\""))
                {
                    if (message.startsWith("{\"type\":\"webrtc_offer\""))
                    {
                        offers.add((String)json(message).get("msgId"));
                    }
                }
                assertEquals(List.of(offerId), offers, "the offer sent while away arrives once");
                assertTrue(back.seen().stream().anyMatch(t -> t.contains("\"snapshot\":true")),
                    "the game state snapshot follows the replay");
            }
            try (JsonClient back = JsonClient.connect(server.port()))
            {
                back.send("resume", "res", "",
                    "{\"sessionToken\":\"" + queuedToken + "\",\"lastDseq\":0,\"lastRseq\":0}");
                final Map<String, Object> resumed = payload(back.untilType("resume_ok"));
                assertEquals("viewer", resumed.get("role"));
                assertEquals(1L, resumed.get("position"), "queue position restored");
            }
        }
    }

    @Test
    void shouldReplaceOldSocketWith4409OnResume() throws Exception
    {
        try (JsonClient first = JsonClient.connect(server.port()))
        {
            final String token = (String)payload(first.join("rep", "viewer")).get("sessionToken");
            try (JsonClient second = JsonClient.connect(server.port()))
            {
                second.send("resume", "rep", "",
                    "{\"sessionToken\":\"" + token + "\",\"lastDseq\":2,\"lastRseq\":0}");
                second.untilType("resume_ok");
                final RawWebSocket.Frame close = first.raw().readUntilClose();
                assertEquals(4409, close.closeCode());
                assertEquals("session_replaced", close.closeReason());
            }
        }
    }

    @Test
    void shouldFailResumeWithUnknownToken() throws Exception
    {
        try (JsonClient client = JsonClient.connect(server.port()))
        {
            final String msgId = client.send("resume", "x", "",
                "{\"sessionToken\":\"nope\",\"lastDseq\":0,\"lastRseq\":0}");
            final String error = client.untilType("error");
            assertEquals("resume_failed", payload(error).get("code"));
            assertEquals(msgId, json(error).get("for"));
        }
    }

    @Test
    void shouldLeaveEveryCountWhereItWasAfterOneThousandJoinLeaveCycles() throws Exception
    {
        try (JsonClient host = JsonClient.connect(server.port()))
        {
            host.join("churn", "host");
            final long roomsBefore = server.engine().counters().rooms();
            final long sessionsBefore = server.engine().counters().sessions();
            for (int i = 0; i < 1_000; i++)
            {
                try (JsonClient viewer = JsonClient.connect(server.port()))
                {
                    viewer.join(0 == i % 2 ? "churn" : "churn-" + i, "viewer");
                    viewer.send("leave", 0 == i % 2 ? "churn" : "churn-" + i, "", null);
                    viewer.untilType("ack");
                    assertEquals(1000, viewer.raw().readUntilClose().closeCode());
                }
            }
            Conditions.await(10_000, () -> server.engine().counters().rooms() == roomsBefore &&
                server.engine().counters().sessions() == sessionsBefore &&
                server.runtime().connectedSockets() == 1, "counts back to where they were");
        }
    }
}
