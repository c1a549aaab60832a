package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineJoinAndRelayTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldAckThenAnswerJoinedWithRoomSnapshot()
    {
        final UUID msgId = UUID.fromString("0B7D1E3C-6A8E-4A55-9D3E-3F1C2A9B7E10");
        h.apply(SlotBuilder.message(1, MessageType.JOIN).room("room-42").role(InboundSlot.ROLE_HOST).msgId(msgId));
        final List<Map<String, Object>> out = h.to(1);
        assertEquals(2, out.size());
        final Map<String, Object> ack = out.get(0);
        assertEquals("ack", ack.get("type"));
        assertEquals("room-42", ack.get("roomId"));
        assertEquals(EngineHarness.START_MS, ack.get("ts"));
        assertEquals("0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10", ack.get("for"));
        assertEquals(1L, ack.get("dseq"));
        final Map<String, Object> joined = out.get(1);
        assertEquals("joined", joined.get("type"));
        assertEquals(2L, joined.get("dseq"));
        final Map<String, Object> p = payload(joined);
        assertEquals("host", p.get("role"));
        assertTrue(((String)p.get("userId")).matches("guest-[A-Za-z0-9_-]{12}"));
        assertTrue(((String)p.get("sessionToken")).matches("[A-Za-z0-9_-]{24}"));
        assertEquals(p.get("userId"), p.get("hostId"));
        assertNull(p.get("activeGuest"));
        assertEquals(List.of(), p.get("queue"));
        assertEquals(1L, p.get("roomSize"));
        assertEquals(Map.of("version", 0L, "state", Map.of()), p.get("gameState"));
        assertEquals(1, h.engine.roomCount());
        assertEquals(1, h.engine.sessionCount());
        assertEquals(1, h.engine.liveConnectionCount());
    }

    @Test
    void shouldUseAuthenticatedUserIdAndUniqueGuestIds()
    {
        final Member alice = h.join(SlotBuilder.message(1, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST)
            .authUser("alice"));
        assertEquals("alice", alice.userId());
        final Member g1 = h.viewer(2, "r");
        final Member g2 = h.viewer(3, "r");
        assertFalse(g1.userId().equals(g2.userId()));
        assertFalse(g1.token().equals(g2.token()));
        assertEquals(3, h.engine.roomSize("r"));
    }

    @Test
    void shouldRelayOfferWithOriginalSenderFieldsAndRecipientDseq()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final UUID msgId = UUID.randomUUID();
        h.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).msgId(msgId).seq(7)
            .payload("{\"sdp\":\"v=0\\r\\n\"}"));
        final Map<String, Object> offer = h.to(1, "webrtc_offer").get(0);
        assertEquals(msgId.toString(), offer.get("msgId"));
        assertEquals(7L, offer.get("seq"));
        assertEquals(viewer.userId(), offer.get("senderId"));
        assertEquals(3L, offer.get("dseq"));
        assertEquals(Map.of("sdp", "v=0\r\n"), payload(offer));
        final Map<String, Object> ack = h.to(2).get(h.to(2).size() - 1);
        assertEquals("ack", ack.get("type"));
        assertEquals(msgId.toString(), ack.get("for"));
        assertEquals(3L, ack.get("dseq"));
    }

    @Test
    void shouldProcessDuplicateOfferOnceAndAcceptRetryWithNewMsgId()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final UUID msgId = UUID.randomUUID();
        final SlotBuilder offer = from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).msgId(msgId)
            .payload("{\"sdp\":\"x\"}");
        h.apply(offer);
        h.apply(offer);
        assertEquals(1, h.to(1, "webrtc_offer").size());
        assertEquals(2, h.to(2, "ack").size()); // join ack + offer ack

        h.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).seq(2).payload("{\"sdp\":\"x\"}"));
        assertEquals(2, h.to(1, "webrtc_offer").size());
        assertEquals(3, h.to(2, "ack").size());
        assertEquals(1, h.engine.counters().drops(MessageType.WEBRTC_OFFER, DropReason.DUPLICATE));
    }

    @Test
    void shouldAckOnceAndIgnoreFourRepeatsOfOneMsgId()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        final UUID msgId = UUID.randomUUID();
        for (int i = 0; i < 5; i++)
        {
            h.apply(from(host, MessageType.GAME_EVENT).msgId(msgId).payload("{\"n\":1}"));
        }
        assertEquals(1, h.to(1, "ack").stream().filter(m -> msgId.toString().equals(m.get("for"))).count());
        assertEquals(1, h.to(2, "game_event").size());
        assertEquals(4, h.engine.counters().drops(MessageType.GAME_EVENT, DropReason.DUPLICATE));
    }

    @Test
    void shouldCompareMsgIdsAsValuesRegardlessOfCase()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        final UUID msgId = UUID.fromString("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE");
        h.apply(from(host, MessageType.GAME_EVENT).msgId(msgId).payload("{}"));
        h.apply(from(host, MessageType.GAME_EVENT)
            .msgId(UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")).payload("{}"));
        assertEquals(1, h.to(2, "game_event").size());
    }

    @Test
    void shouldIgnoreRetriedJoinOnSameSocketAfterSuccess()
    {
        final SlotBuilder join = SlotBuilder.message(1, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST);
        h.apply(join);
        h.apply(join);
        assertEquals(2, h.to(1).size());
        assertEquals(0, h.to(1, "error").size());
        assertEquals(1, h.engine.counters().drops(MessageType.JOIN, DropReason.DUPLICATE));
    }

    @Test
    void shouldNotDedupeNonCriticalTypes()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final UUID msgId = UUID.randomUUID();
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).msgId(msgId).seq(1)
            .payload("{\"candidate\":\"a\"}"));
        h.advance(16);
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).msgId(msgId).seq(2)
            .payload("{\"candidate\":\"b\"}"));
        h.advance(16);
        assertEquals(2, h.to(1, "ice_candidate").size());
    }

    @Test
    void shouldRelayIceCandidateAsBatchWithoutDseqOrAck()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final int acksBefore = h.to(2, "ack").size();
        final UUID msgId = UUID.randomUUID();
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).msgId(msgId).seq(4)
            .payload("{\"candidate\":\"c\",\"sdpMid\":\"0\"}"));
        h.advance(16);
        final Map<String, Object> ice = h.to(1, "ice_candidate").get(0);
        assertEquals(msgId.toString(), ice.get("msgId"));
        assertEquals(4L, ice.get("seq"));
        assertEquals(viewer.userId(), ice.get("senderId"));
        assertFalse(ice.containsKey("dseq"));
        assertEquals(Map.of("candidates", List.of(Map.of("candidate", "c", "sdpMid", "0"))), payload(ice));
        assertEquals(acksBefore, h.to(2, "ack").size());
        assertTrue(h.publisher.sent().stream().filter(s -> s.type() == MessageType.ICE_CANDIDATE)
            .allMatch(s -> s.droppable()));
    }

    @Test
    void shouldDropIceCandidateWithStaleSeq()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).seq(5).payload("{\"candidate\":\"a\"}"));
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).seq(5).payload("{\"candidate\":\"b\"}"));
        h.advance(16);
        assertEquals(1, h.to(1, "ice_candidate").size());
        assertEquals(1, ((List<?>)payload(h.to(1, "ice_candidate").get(0)).get("candidates")).size());
        assertEquals(1, h.engine.counters().drops(MessageType.ICE_CANDIDATE, DropReason.STALE));
    }

    @Test
    void shouldBroadcastGameEventToRestOfRoomEncodedOnce()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.viewer(3, "r");
        h.publisher.clear();
        final UUID msgId = UUID.randomUUID();
        h.apply(from(host, MessageType.GAME_EVENT).msgId(msgId).seq(9).payload("{\"move\":[1,2]}"));
        assertEquals(0, h.to(1, "game_event").size());
        final Map<String, Object> e2 = h.to(2, "game_event").get(0);
        final Map<String, Object> e3 = h.to(3, "game_event").get(0);
        assertEquals(e2, e3);
        assertEquals(msgId.toString(), e2.get("msgId"));
        assertEquals(host.userId(), e2.get("senderId"));
        assertEquals(1L, e2.get("rseq"));
        assertFalse(e2.containsKey("dseq"));
        assertEquals(Map.of("move", List.of(1L, 2L)), payload(e2));
        assertEquals("ack", h.to(1).get(0).get("type"));
    }

    @Test
    void shouldAnswerPingWithPongEchoingTs()
    {
        h.apply(SlotBuilder.message(5, MessageType.PING).room("elsewhere").noMsgId().ts(1234));
        final Map<String, Object> pong = h.to(5).get(0);
        assertEquals("pong", pong.get("type"));
        assertFalse(pong.containsKey("roomId"));
        assertFalse(pong.containsKey("dseq"));
        assertEquals(Map.of("ts", 1234L), payload(pong));

        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.PING).noMsgId().ts(99));
        final Map<String, Object> pong2 = h.to(1, "pong").get(0);
        assertEquals("r", pong2.get("roomId"));
        assertEquals(Map.of("ts", 99L), payload(pong2));
    }

    @Test
    void shouldSendFlowControlAndSnapshotOnFlowEvents()
    {
        final Member host = h.host(1, "r");
        h.publisher.clear();
        h.apply(SlotBuilder.flow(host.connectionId(), true, 0));
        h.apply(SlotBuilder.flow(host.connectionId(), false, 17));
        final List<Map<String, Object>> out = h.to(1);
        assertEquals(3, out.size());
        assertEquals(Map.of("mode", "drop_non_critical", "dropped", 0L), payload(out.get(0)));
        assertEquals(Map.of("mode", "normal", "dropped", 17L), payload(out.get(1)));
        assertFalse(out.get(0).containsKey("dseq"));
        assertEquals("game_state", out.get(2).get("type"));
        assertEquals(Boolean.TRUE, payload(out.get(2)).get("snapshot"));
        assertTrue(h.publisher.sent().stream().filter(s -> s.type() == MessageType.FLOW_CONTROL)
            .noneMatch(s -> s.droppable()));
    }

    @Test
    void shouldCountMessagesInAndOut()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        assertEquals(2, h.engine.counters().msgsIn(MessageType.JOIN));
        assertEquals(1, h.engine.counters().msgsIn(MessageType.GAME_EVENT));
        assertEquals(h.publisher.sent().size(), h.engine.counters().msgsOut());
        assertEquals(1, h.engine.counters().rooms());
        assertEquals(2, h.engine.counters().sessions());
    }
}
