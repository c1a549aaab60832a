package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Closed;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineSessionTest
{
    private final EngineHarness h = new EngineHarness();

    private void disconnect(final Member member)
    {
        h.apply(SlotBuilder.connectionClosed(member.connectionId(), 1006));
    }

    private SlotBuilder resume(final long connectionId, final Member member, final long lastDseq, final long lastRseq)
    {
        return SlotBuilder.message(connectionId, MessageType.RESUME).room(member.roomId())
            .resume(member.token(), lastDseq, lastRseq);
    }

    private static long lastDseq(final List<Map<String, Object>> messages)
    {
        long dseq = 0;
        for (final Map<String, Object> m : messages)
        {
            if (m.containsKey("dseq"))
            {
                dseq = (Long)m.get("dseq");
            }
        }
        return dseq;
    }

    private static long lastRseq(final List<Map<String, Object>> messages)
    {
        long rseq = 0;
        for (final Map<String, Object> m : messages)
        {
            if (m.containsKey("rseq"))
            {
                rseq = (Long)m.get("rseq");
            }
        }
        return rseq;
    }

    @Test
    void shouldAckLeaveThenCloseWith1000AndEndSessionForGood()
    {
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(v, MessageType.LEAVE).msgId(id));
        final List<Map<String, Object>> out = h.to(2);
        assertEquals("ack", out.get(out.size() - 1).get("type"));
        assertEquals(id.toString(), out.get(out.size() - 1).get("for"));
        assertEquals(List.of(new Closed(2, 1000, "")), h.publisher.closesOf(2));
        assertEquals(1, h.engine.sessionCount());
        h.apply(resume(3, v, 0, 0));
        assertEquals("resume_failed", payload(h.to(3, "error").get(0)).get("code"));
        assertEquals(1, h.engine.roomSize(host.roomId()));
    }

    @Test
    void shouldFreeRoomWhenLastSessionLeaves()
    {
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.LEAVE));
        assertEquals(0, h.engine.roomCount());
        assertEquals(0, h.engine.sessionCount());
        assertEquals(0, h.engine.liveConnectionCount());
    }

    @Test
    void shouldEndGuestWithHostLeftAndFlushQueueAtOnceWhenHostDisconnects()
    {
        final Member host = h.host(1, "r");
        final Member g = h.viewer(2, "r");
        final Member q = h.viewer(3, "r");
        h.apply(from(g, MessageType.COHOST_REQUEST));
        h.apply(from(q, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.advance(16);
        h.publisher.clear();
        h.engine.onEvent(SlotBuilder.connectionClosed(host.connectionId(), 1006).build());
        // at once: before the end of the batch
        assertEquals(Map.of("role", "viewer", "reason", "host_left"), payload(h.to(2, "role_changed").get(0)));
        final Map<String, Object> update = payload(h.to(3, "cohost_queue_updated").get(0));
        assertNull(update.get("activeGuest"));
        assertEquals(List.of(), update.get("queue"));
        assertEquals(0L, update.get("queueLength"));
        assertEquals(3, h.engine.roomSize("r"));
    }

    @Test
    void shouldEndGuestWithHostLeftFlushQueueAndStartHostlessClockWhenHostLeaves()
    {
        final Member host = h.host(1, "r");
        final Member g = h.viewer(2, "r");
        final Member q = h.viewer(3, "r");
        h.apply(from(g, MessageType.COHOST_REQUEST));
        h.apply(from(q, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.advance(16);
        h.publisher.clear();
        h.apply(from(host, MessageType.LEAVE));
        assertEquals(Map.of("role", "viewer", "reason", "host_left"), payload(h.to(2, "role_changed").get(0)));
        assertEquals(List.of(), payload(h.to(3, "cohost_queue_updated").get(0)).get("queue"));
        assertEquals(List.of(new Closed(1, 1000, "")), h.publisher.closesOf(1));
        assertEquals(2, h.engine.roomSize("r"));
        h.apply(SlotBuilder.message(4, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST));
        assertEquals(1, h.to(4, "joined").size(), "the host slot is free after the host left for good");
        h.apply(from(new Member(4, "r", "", ""), MessageType.LEAVE));
        h.advance(119_000);
        assertEquals(1, h.engine.roomCount());
        h.advance(1_000);
        assertEquals(0, h.engine.roomCount());
    }

    @Test
    void shouldCloseHostlessRoomAfterHostlessRoomSeconds()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.viewer(3, "r");
        disconnect(host);
        h.advance(119_000);
        assertEquals(1, h.engine.roomCount());
        h.publisher.clear();
        h.advance(1_000);
        for (final long c : new long[]{2, 3})
        {
            final List<Map<String, Object>> closed = h.to(c, "room_closed");
            assertEquals(1, closed.size());
            assertEquals(Map.of("reason", "host_timeout"), payload(closed.get(0)));
            assertTrue(closed.get(0).containsKey("rseq"));
            assertEquals(List.of(new Closed(c, 1000, "")), h.publisher.closesOf(c));
        }
        assertEquals(0, h.engine.roomCount());
        assertEquals(0, h.engine.sessionCount());
        assertEquals(0, h.engine.liveConnectionCount());
    }

    @Test
    void shouldCloseRoomCreatedByViewerWhenNoHostArrives()
    {
        h.viewer(2, "r");
        h.advance(60_000);
        assertEquals(1, h.engine.roomCount());
        h.advance(60_000);
        assertEquals(0, h.engine.roomCount());
        assertEquals(1, h.to(2, "room_closed").size());
    }

    @Test
    void shouldStopHostlessClockWhenHostResumesInTime()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        disconnect(host);
        h.advance(60_000);
        h.apply(resume(5, host, 2, 0));
        final Map<String, Object> ok = h.to(5, "resume_ok").get(0);
        assertEquals("host", payload(ok).get("role"));
        h.advance(120_000);
        assertEquals(1, h.engine.roomCount());
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(6, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST).msgId(id));
        assertEquals("host_taken", payload(h.to(6, "error").get(0)).get("code"));
    }

    @Test
    void shouldGiveHostTakenWhileHostIsAway()
    {
        final Member host = h.host(1, "r");
        disconnect(host);
        h.apply(SlotBuilder.message(6, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST));
        assertEquals("host_taken", payload(h.to(6, "error").get(0)).get("code"));
    }

    @Test
    void shouldRestoreRoleAndQueuePositionOnResume()
    {
        h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(b, MessageType.COHOST_REQUEST));
        disconnect(b);
        h.advance(5_000);
        final UUID id = UUID.randomUUID();
        h.apply(resume(7, b, lastDseq(h.to(3)), lastRseq(h.to(3))).msgId(id));
        final Map<String, Object> ok = h.to(7).get(0);
        assertEquals("resume_ok", ok.get("type"));
        assertEquals(id.toString(), ok.get("for"));
        assertFalse(ok.containsKey("dseq"));
        final Map<String, Object> p = payload(ok);
        assertEquals(b.userId(), p.get("userId"));
        assertEquals("viewer", p.get("role"));
        assertEquals(2L, p.get("position"));
        assertEquals(0L, p.get("gameStateVersion"));
        assertEquals(Boolean.FALSE, p.get("gap"));
        final Map<String, Object> snapshot = h.to(7).get(h.to(7).size() - 1);
        assertEquals("game_state", snapshot.get("type"));
        assertEquals(Map.of("version", 0L, "state", Map.of(), "snapshot", true), payload(snapshot));
        assertEquals(3, h.engine.liveConnectionCount());
    }

    @Test
    void shouldResumeGuestAsGuestWithoutRequestingAgain()
    {
        final Member host = h.host(1, "r");
        final Member g = h.viewer(2, "r");
        h.apply(from(g, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        disconnect(g);
        h.apply(resume(8, g, lastDseq(h.to(2)), lastRseq(h.to(2))));
        final Map<String, Object> ok = h.to(8).get(0);
        assertEquals("resume_ok", ok.get("type"));
        assertEquals("guest", payload(ok).get("role"));
        assertNull(payload(ok).get("position"));
        h.apply(from(host, MessageType.COHOST_END));
        assertEquals(Map.of("role", "viewer", "reason", "ended"), payload(h.to(8, "role_changed").get(0)));
    }

    @Test
    void shouldAnswerResumeMigratedWhenGuestWasEndedWhileAway()
    {
        final Member host = h.host(1, "r");
        final Member g = h.viewer(2, "r");
        h.apply(from(g, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        final long seenDseq = lastDseq(h.to(2));
        final long seenRseq = lastRseq(h.to(2));
        disconnect(g);
        disconnect(host);
        h.apply(resume(8, g, seenDseq, seenRseq));
        final List<Map<String, Object>> out = h.to(8);
        assertEquals("resume_migrated", out.get(0).get("type"));
        assertEquals("viewer", payload(out.get(0)).get("role"));
        assertEquals("host_left", payload(out.get(0)).get("reason"));
        assertEquals(2L, payload(out.get(0)).get("replayed"));
        assertEquals("role_changed", out.get(1).get("type"));
        assertEquals(seenDseq + 1, out.get(1).get("dseq"));
        assertEquals("cohost_queue_updated", out.get(2).get("type"));
        assertEquals("game_state", out.get(3).get("type"));
    }

    @Test
    void shouldFailResumeAfterWindowExpiry()
    {
        h.host(1, "r");
        final Member v = h.viewer(2, "r");
        disconnect(v);
        h.advance(119_999);
        assertEquals(2, h.engine.sessionCount());
        h.advance(1);
        assertEquals(1, h.engine.sessionCount());
        final UUID id = UUID.randomUUID();
        h.apply(resume(9, v, 0, 0).msgId(id));
        final Map<String, Object> error = h.to(9, "error").get(0);
        assertEquals("resume_failed", payload(error).get("code"));
        assertEquals(id.toString(), error.get("for"));
        assertFalse(error.containsKey("dseq"));
    }

    @Test
    void shouldFailResumeForOtherRoomOrForeignUser()
    {
        final Member host = h.join(SlotBuilder.message(1, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST)
            .authUser("alice"));
        h.viewer(2, "r");
        disconnect(host);
        h.apply(SlotBuilder.message(9, MessageType.RESUME).room("other").resume(host.token(), 0, 0));
        h.apply(resume(9, host, 0, 0).authUser("mallory"));
        h.apply(resume(9, host, 0, 0));
        assertEquals(3, h.to(9, "error").size());
        assertTrue(h.to(9, "error").stream().allMatch(e -> "resume_failed".equals(payload(e).get("code"))));
        h.apply(resume(10, host, 0, 0).authUser("alice"));
        assertEquals(1, h.to(10, "resume_ok").size());
    }

    @Test
    void shouldDeliverOfferToAwayUserAfterResumeExactlyOnceInOrder()
    {
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final long seenDseq = lastDseq(h.to(2));
        final long seenRseq = lastRseq(h.to(2));
        disconnect(v);
        final UUID offerId = UUID.randomUUID();
        h.apply(from(host, MessageType.GAME_EVENT).seq(1).payload("{\"n\":1}"));
        h.apply(from(host, MessageType.WEBRTC_OFFER).to(v.userId()).msgId(offerId).seq(2)
            .payload("{\"sdp\":\"o\"}"));
        h.apply(from(host, MessageType.GAME_EVENT).seq(3).payload("{\"n\":2}"));
        assertEquals(1, h.to(1, "ack").stream().filter(m -> offerId.toString().equals(m.get("for"))).count());
        assertTrue(h.to(2, "webrtc_offer").isEmpty());

        final UUID resumeId = UUID.randomUUID();
        h.apply(resume(5, v, seenDseq, seenRseq).msgId(resumeId));
        final List<Map<String, Object>> out = h.to(5);
        assertEquals(List.of("resume_ok", "game_event", "webrtc_offer", "game_event", "game_state"),
            out.stream().map(m -> m.get("type")).toList());
        assertEquals(3L, payload(out.get(0)).get("replayed"));
        assertEquals(Boolean.FALSE, payload(out.get(0)).get("gap"));
        assertEquals(offerId.toString(), out.get(2).get("msgId"));
        assertEquals(seenDseq + 1, out.get(2).get("dseq"));
        assertEquals(1L, out.get(1).get("rseq"));
        assertEquals(2L, out.get(3).get("rseq"));

        h.apply(resume(5, v, seenDseq, seenRseq).msgId(resumeId));
        assertEquals(out.size(), h.to(5).size(), "a retried resume on the same socket is ignored");
    }

    @Test
    void shouldNotReplayOwnGameEventsOrBroadcastsFromBeforeJoin()
    {
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.GAME_EVENT).payload("{\"before\":1}"));
        final Member v = h.viewer(2, "r");
        final long seenDseq = lastDseq(h.to(2));
        h.apply(from(v, MessageType.GAME_EVENT).payload("{\"mine\":1}"));
        disconnect(v);
        h.apply(from(host, MessageType.GAME_EVENT).payload("{\"after\":1}"));
        h.apply(resume(5, v, seenDseq + 1, 0));
        final List<Map<String, Object>> events = h.to(5, "game_event");
        assertEquals(1, events.size());
        assertEquals(Map.of("after", 1L), payload(events.get(0)));
    }

    @Test
    void shouldSetGapWhenMissedFramesLeftTheWindow()
    {
        final EngineHarness small = new EngineHarness(SwitchboardSettings.builder().replayWindow(2).build());
        final Member host = small.host(1, "r");
        final Member v = small.viewer(2, "r");
        small.apply(SlotBuilder.connectionClosed(2, 1006));
        for (int i = 0; i < 3; i++)
        {
            small.apply(from(host, MessageType.GAME_EVENT).payload("{\"i\":" + i + "}"));
        }
        small.apply(SlotBuilder.message(5, MessageType.RESUME).room("r").resume(v.token(), 2, 0));
        final Map<String, Object> ok = small.to(5, "resume_ok").get(0);
        assertEquals(Boolean.TRUE, payload(ok).get("gap"));
        assertEquals(2L, payload(ok).get("replayed"));
        assertEquals(List.of(2L, 3L), small.to(5, "game_event").stream().map(m -> m.get("rseq")).toList());
    }

    @Test
    void shouldCloseOldSocketWith4409WhenResumedElsewhere()
    {
        h.host(1, "r");
        final Member v = h.viewer(2, "r");
        h.apply(resume(3, v, 2, 0));
        assertEquals(List.of(new Closed(2, 4409, "session_replaced")), h.publisher.closesOf(2));
        assertEquals(1, h.to(3, "resume_ok").size());
        h.apply(SlotBuilder.connectionClosed(2, 4409));
        assertEquals(2, h.engine.liveConnectionCount());
        h.apply(from(new Member(3, "r", v.userId(), v.token()), MessageType.COHOST_REQUEST));
        assertEquals(1, h.to(3, "ack").size());
    }

    @Test
    void shouldEndPreviousSessionWith4409WhenSameUserJoinsAgain()
    {
        final Member host = h.host(1, "r");
        final Member first = h.join(SlotBuilder.message(2, MessageType.JOIN).room("r")
            .role(InboundSlot.ROLE_VIEWER).authUser("bob"));
        final Member second = h.join(SlotBuilder.message(3, MessageType.JOIN).room("r")
            .role(InboundSlot.ROLE_VIEWER).authUser("bob"));
        assertEquals(List.of(new Closed(2, 4409, "session_replaced")), h.publisher.closesOf(2));
        assertEquals("bob", second.userId());
        assertEquals(2, h.engine.roomSize("r"));
        h.apply(SlotBuilder.message(4, MessageType.RESUME).room("r").resume(first.token(), 0, 0));
        assertEquals("resume_failed", payload(h.to(4, "error").get(0)).get("code"));
        assertEquals(host.userId(), payload(h.to(3, "joined").get(0)).get("hostId"));
    }

    @Test
    void shouldKeepDedupeWindowAcrossResume()
    {
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(v, MessageType.GAME_EVENT).msgId(id).payload("{}"));
        disconnect(v);
        h.apply(resume(5, v, 3, 0));
        h.apply(SlotBuilder.message(5, MessageType.GAME_EVENT).room("r").msgId(id).payload("{}"));
        assertEquals(1, h.to(1, "game_event").size());
        assertTrue(h.to(5, "ack").isEmpty());
        assertEquals(host.roomId(), v.roomId());
    }

    @Test
    void shouldKeepDseqAndRseqContiguous()
    {
        final Member host = h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        h.apply(from(host, MessageType.WEBRTC_OFFER).to(a.userId()).payload("{\"sdp\":\"o\"}"));
        h.apply(from(b, MessageType.GAME_EVENT).payload("{}"));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.advance(16);
        h.apply(from(a, MessageType.COHOST_END));
        h.advance(16);
        h.apply(from(a, MessageType.WEBRTC_ANSWER).to(host.userId()).payload("{\"sdp\":\"a\"}"));
        for (final long c : new long[]{1, 2, 3})
        {
            final List<Long> dseqs = new ArrayList<>();
            final List<Long> rseqs = new ArrayList<>();
            for (final Map<String, Object> m : h.to(c))
            {
                if (m.containsKey("dseq"))
                {
                    dseqs.add((Long)m.get("dseq"));
                }
                if (m.containsKey("rseq"))
                {
                    rseqs.add((Long)m.get("rseq"));
                }
            }
            for (int i = 0; i < dseqs.size(); i++)
            {
                assertEquals(i + 1, dseqs.get(i), "dseq of " + c + ": " + dseqs);
            }
            for (int i = 1; i < rseqs.size(); i++)
            {
                assertTrue(rseqs.get(i) > rseqs.get(i - 1), "rseq of " + c + ": " + rseqs);
            }
            assertTrue(dseqs.size() >= 3);
        }
        final List<Long> all = h.to(3).stream().filter(m -> m.containsKey("rseq"))
            .map(m -> (Long)m.get("rseq")).toList();
        final List<Long> hostSeen = h.to(1).stream().filter(m -> m.containsKey("rseq"))
            .map(m -> (Long)m.get("rseq")).toList();
        final TreeSet<Long> union = new TreeSet<>(all);
        union.addAll(hostSeen);
        assertEquals(union.last(), (long)union.size());
    }
}
