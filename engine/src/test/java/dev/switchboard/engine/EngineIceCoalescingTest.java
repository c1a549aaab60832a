package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineIceCoalescingTest
{
    private final EngineHarness h = new EngineHarness();

    private void ice(final Member from, final Member to, final long seq, final String candidate, final String ufrag)
    {
        final SlotBuilder b = from(from, MessageType.ICE_CANDIDATE).to(to.userId()).seq(seq)
            .payload("{\"candidate\":\"" + candidate + "\"" +
                (null == ufrag ? "" : ",\"usernameFragment\":\"" + ufrag + "\"") + "}");
        if (null != ufrag)
        {
            final byte[] bytes = ufrag.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, b.build().ufrag, 0, bytes.length);
            b.build().ufragLength = bytes.length;
        }
        h.apply(b);
    }

    private static List<Object> candidates(final Map<String, Object> message)
    {
        @SuppressWarnings("unchecked")
        final List<Object> list = (List<Object>)payload(message).get("candidates");
        return list.stream().map(c -> ((Map<?, ?>)c).get("candidate")).map(Object.class::cast).toList();
    }

    @Test
    void shouldSendOneSendersCandidatesToOneTargetWithinATickAsOneBatchCarryingTheLastMsgIdAndSeq()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        ice(viewer, host, 1, "a", null);
        ice(viewer, host, 2, "b", null);
        final UUID last = UUID.randomUUID();
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).seq(3).msgId(last)
            .payload("{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"));
        assertEquals(0, h.to(1, "ice_candidate").size());

        h.advance(16);
        final List<Map<String, Object>> batches = h.to(1, "ice_candidate");
        assertEquals(1, batches.size());
        final Map<String, Object> batch = batches.get(0);
        assertEquals(last.toString(), batch.get("msgId"));
        assertEquals(3L, batch.get("seq"));
        assertEquals(viewer.userId(), batch.get("senderId"));
        assertEquals(Map.of("candidates", List.of(Map.of("candidate", "a"), Map.of("candidate", "b"),
            Map.of("candidate", "c", "sdpMid", "0", "sdpMLineIndex", 0L))), payload(batch));

        h.advance(16);
        assertEquals(1, h.to(1, "ice_candidate").size());
        ice(viewer, host, 4, "d", null);
        h.advance(16);
        assertEquals(List.of("d"), candidates(h.to(1, "ice_candidate").get(1)));
    }

    @Test
    void shouldKeepSeparateBatchesPerSenderAndTarget()
    {
        final Member host = h.host(1, "r");
        final Member v1 = h.viewer(2, "r");
        final Member v2 = h.viewer(3, "r");
        ice(v1, host, 1, "1a", null);
        ice(host, v1, 1, "h1", null);
        ice(v2, host, 1, "2a", null);
        ice(v1, host, 2, "1b", null);
        ice(host, v2, 2, "h2", null);
        h.advance(16);
        final List<Map<String, Object>> toHost = h.to(1, "ice_candidate");
        assertEquals(2, toHost.size());
        assertEquals(List.of("1a", "1b"), candidates(toHost.get(0)));
        assertEquals(v1.userId(), toHost.get(0).get("senderId"));
        assertEquals(List.of("2a"), candidates(toHost.get(1)));
        assertEquals(List.of("h1"), candidates(h.to(2, "ice_candidate").get(0)));
        assertEquals(List.of("h2"), candidates(h.to(3, "ice_candidate").get(0)));
    }

    @Test
    void shouldDropCandidatesOfAnOlderUfragGenerationAfterAnIceRestartAsStale()
    {
        final Member host = h.host(1, "r");
        final Member v1 = h.viewer(2, "r");
        final Member v2 = h.viewer(3, "r");
        ice(v1, host, 1, "old1", "u1");
        ice(v1, host, 2, "new1", "u2");
        ice(v1, host, 3, "old2", "u1");
        ice(v1, host, 4, "plain", null);
        ice(v1, host, 5, "new2", "u2");
        ice(v1, v2, 6, "other", "u1");
        h.advance(16);
        assertEquals(List.of("old1", "new1", "plain", "new2"), candidates(h.to(1, "ice_candidate").get(0)));
        assertEquals(List.of("other"), candidates(h.to(3, "ice_candidate").get(0)));
        assertEquals(1, h.engine.counters().drops(MessageType.ICE_CANDIDATE, DropReason.STALE));

        h.advance(16);
        ice(v1, host, 7, "late", "u1");
        h.advance(16);
        assertEquals(1, h.to(1, "ice_candidate").size());
        assertEquals(2, h.engine.counters().drops(MessageType.ICE_CANDIDATE, DropReason.STALE));
    }

    @Test
    void shouldDeliverPendingCandidatesBeforeALaterOfferFromTheSameSender()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        ice(viewer, host, 1, "a", null);
        h.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).seq(2).payload("{\"sdp\":\"v=0\"}"));
        h.advance(16);
        final List<Object> types = h.to(1).stream().map(m -> m.get("type"))
            .filter(t -> "ice_candidate".equals(t) || "webrtc_offer".equals(t)).map(Object.class::cast).toList();
        assertEquals(List.of("ice_candidate", "webrtc_offer"), types);
    }

    @Test
    void shouldDropABatchWhoseTargetWentAwayBeforeTheTickAsPeerAway()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        ice(host, viewer, 1, "a", null);
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        h.advance(16);
        assertEquals(0, h.to(2, "ice_candidate").size());
        assertEquals(1, h.engine.counters().drops(MessageType.ICE_CANDIDATE, DropReason.PEER_AWAY));
    }

    @Test
    void shouldFlushTheLeaversCandidatesInOrderBeforeItsLeave()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        ice(viewer, host, 1, "a", null);
        h.apply(from(viewer, MessageType.LEAVE).seq(2));
        h.advance(16);
        assertEquals(List.of("a"), candidates(h.to(1, "ice_candidate").get(0)));
        assertEquals(1, h.to(1, "ice_candidate").size());
    }

    @Test
    void shouldDiscardPendingBatchesFromAndToASessionReplacedWithinTheTick()
    {
        final Member host = h.host(1, "r");
        final Member bob = h.join(SlotBuilder.message(2, MessageType.JOIN).room("r").role(2).authUser("bob"));
        ice(bob, host, 1, "from-old-bob", null);
        ice(host, bob, 1, "to-old-bob", null);
        h.join(SlotBuilder.message(5, MessageType.JOIN).room("r").role(2).authUser("bob"));
        h.advance(16);
        assertEquals(0, h.to(1, "ice_candidate").size());
        assertEquals(0, h.to(2, "ice_candidate").size());
        assertEquals(0, h.to(5, "ice_candidate").size());
        ice(host, new Member(5, "r", "bob", ""), 2, "to-new-bob", null);
        h.advance(16);
        assertEquals(List.of("to-new-bob"), candidates(h.to(5, "ice_candidate").get(0)));
    }
}
