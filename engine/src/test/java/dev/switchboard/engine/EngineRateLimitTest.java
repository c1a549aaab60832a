package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Closed;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineRateLimitTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldAcceptGameEventBurstOfTenThenAnswerEachRejectedOneWithGameErrorAndRefillAtFivePerSecond()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        final int acksBefore = h.to(1, "ack").size();
        final String[] ids = new String[12];
        for (int i = 0; i < 12; i++)
        {
            final UUID id = UUID.randomUUID();
            ids[i] = id.toString();
            h.apply(from(host, MessageType.GAME_EVENT).msgId(id).seq(i + 1).payload("{\"n\":" + i + "}"));
        }
        assertEquals(acksBefore + 10, h.to(1, "ack").size());
        assertEquals(10, h.to(2, "game_event").size());
        final List<Map<String, Object>> gameErrors = h.to(1, "game_error");
        assertEquals(2, gameErrors.size());
        for (int i = 0; i < 2; i++)
        {
            final Map<String, Object> error = gameErrors.get(i);
            assertEquals(ids[10 + i], error.get("for"));
            assertTrue(error.containsKey("dseq"));
            assertEquals("rate_limited", payload(error).get("code"));
        }
        assertEquals(2, h.engine.counters().rateLimited(MessageType.GAME_EVENT));
        assertEquals(0, h.engine.counters().rateLimitedOverall());
        assertEquals(0, h.to(1, "ack").stream().filter(a -> ids[10].equals(a.get("for"))).count());

        h.clock.advance(199);
        h.apply(from(host, MessageType.GAME_EVENT).seq(20).payload("{}"));
        assertEquals(3, h.to(1, "game_error").size());
        h.clock.advance(1);
        h.apply(from(host, MessageType.GAME_EVENT).seq(21).payload("{}"));
        assertEquals(3, h.to(1, "game_error").size());
        assertEquals(acksBefore + 11, h.to(1, "ack").size());
    }

    @Test
    void shouldSendAtMostOneRateLimitedErrorPerTypePerSecondForIceCandidates()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        UUID firstLimited = null;
        for (int i = 1; i <= 150; i++)
        {
            final UUID id = UUID.randomUUID();
            if (101 == i)
            {
                firstLimited = id;
            }
            h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).msgId(id).seq(i)
                .payload("{\"candidate\":\"c" + i + "\"}"));
        }
        h.advance(16);
        assertEquals(50, h.engine.counters().rateLimited(MessageType.ICE_CANDIDATE));
        assertEquals(50, h.engine.counters().drops(MessageType.ICE_CANDIDATE, DropReason.RATE_LIMITED));
        final List<Map<String, Object>> errors = h.to(2, "error");
        assertEquals(1, errors.size());
        assertEquals(String.valueOf(firstLimited), errors.get(0).get("for"));
        assertFalse(errors.get(0).containsKey("dseq"));
        assertEquals("rate_limited", payload(errors.get(0)).get("code"));
        final List<?> delivered = (List<?>)payload(h.to(1, "ice_candidate").get(0)).get("candidates");
        assertEquals(100, delivered.size());

        h.clock.advance(500);
        for (int i = 151; i <= 180; i++)
        {
            h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).seq(i).payload("{\"candidate\":\"x\"}"));
        }
        assertEquals(55, h.engine.counters().rateLimited(MessageType.ICE_CANDIDATE));
        assertEquals(1, h.to(2, "error").size());

        h.clock.advance(500);
        for (int i = 181; i <= 210; i++)
        {
            h.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).seq(i).payload("{\"candidate\":\"x\"}"));
        }
        assertEquals(60, h.engine.counters().rateLimited(MessageType.ICE_CANDIDATE));
        assertEquals(2, h.to(2, "error").size());
    }

    @Test
    void shouldLimitGameStateSeparatelyFromIceWithItsOwnOnePerSecondError()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        for (int i = 1; i <= 125; i++)
        {
            h.apply(from(host, MessageType.GAME_STATE).seq(i).version(i).patch("k", String.valueOf(i)));
        }
        assertEquals(5, h.engine.counters().rateLimited(MessageType.GAME_STATE));
        assertEquals(1, h.to(1, "error").size());
        assertFalse(h.to(1, "error").get(0).containsKey("dseq"));
        h.advance(16);
        assertEquals(120L, payload(h.to(2, "game_state").get(0)).get("version"));
    }

    @Test
    void shouldCountEveryFrameInOverallLimitAndAnswerRejectedCriticalMessageWithErrorCarryingForAndDseqNeverAck()
    {
        final EngineHarness small = new EngineHarness(
            SwitchboardSettings.builder().messageRate(5).messageBurst(5).build());
        final Member host = small.host(1, "r");
        final Member viewer = small.viewer(2, "r");
        for (int i = 0; i < 4; i++)
        {
            small.apply(from(viewer, MessageType.PING).noMsgId().ts(i));
        }
        small.apply(from(viewer, MessageType.ICE_CANDIDATE).to(host.userId()).error(
            ErrorCode.INVALID_MESSAGE));
        assertEquals(4, small.to(2, "pong").size());
        assertEquals(1, small.to(2, "error").size());
        assertEquals("invalid_message", payload(small.to(2, "error").get(0)).get("code"));

        final UUID offerId = UUID.randomUUID();
        final int acksBefore = small.to(2, "ack").size();
        small.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).msgId(offerId).payload("{\"sdp\":\"x\"}"));
        final Map<String, Object> error = small.to(2, "error").get(1);
        assertEquals("rate_limited", payload(error).get("code"));
        assertEquals(offerId.toString(), error.get("for"));
        assertTrue(error.containsKey("dseq"));
        small.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).payload("{\"sdp\":\"y\"}"));
        small.apply(from(viewer, MessageType.PING).noMsgId());
        assertEquals(2, small.to(2, "error").size());
        assertEquals(acksBefore, small.to(2, "ack").size());
        assertEquals(0, small.to(1, "webrtc_offer").size());
        assertEquals(3, small.engine.counters().rateLimitedOverall());
        assertEquals(0, small.engine.counters().rateLimited(MessageType.WEBRTC_OFFER));

        small.clock.advance(200);
        small.apply(from(viewer, MessageType.WEBRTC_OFFER).to(host.userId()).msgId(offerId).payload("{\"sdp\":\"x\"}"));
        assertEquals(acksBefore + 1, small.to(2, "ack").size());
        assertEquals(1, small.to(1, "webrtc_offer").size());
    }

    @Test
    void shouldLimitFirstThenDedupeSoARejectedDuplicateOfAnAckedMessageGetsNoReply()
    {
        final Member host = h.host(1, "r");
        final UUID accepted = UUID.randomUUID();
        h.apply(from(host, MessageType.GAME_EVENT).msgId(accepted).payload("{}"));
        for (int i = 0; i < 9; i++)
        {
            h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        }
        final int acks = h.to(1, "ack").size();
        h.apply(from(host, MessageType.GAME_EVENT).msgId(accepted).payload("{}"));
        assertEquals(0, h.to(1, "game_error").size());
        assertEquals(acks, h.to(1, "ack").size());
        assertEquals(1, h.engine.counters().drops(MessageType.GAME_EVENT, DropReason.DUPLICATE));
        assertEquals(1, h.engine.counters().rateLimited(MessageType.GAME_EVENT));

        final UUID rejected = UUID.randomUUID();
        h.apply(from(host, MessageType.GAME_EVENT).msgId(rejected).payload("{}"));
        assertEquals(rejected.toString(), h.to(1, "game_error").get(0).get("for"));
        h.clock.advance(200);
        h.apply(from(host, MessageType.GAME_EVENT).msgId(rejected).payload("{}"));
        assertEquals(rejected.toString(), h.to(1, "ack").get(acks).get("for"));
    }

    @Test
    void shouldSpendTokensOnDuplicatesUnderTheLimit()
    {
        final Member host = h.host(1, "r");
        final UUID id = UUID.randomUUID();
        for (int i = 0; i < 12; i++)
        {
            h.apply(from(host, MessageType.GAME_EVENT).msgId(id).payload("{}"));
        }
        assertEquals(1, h.to(1, "ack").stream().filter(a -> id.toString().equals(a.get("for"))).count());
        assertEquals(0, h.to(1, "game_error").size());
        assertEquals(11, h.engine.counters().drops(MessageType.GAME_EVENT, DropReason.DUPLICATE));
        assertEquals(2, h.engine.counters().rateLimited(MessageType.GAME_EVENT));
        h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        assertEquals(1, h.to(1, "game_error").size());
    }

    @Test
    void shouldCloseWith4029OnTheTenthConsecutiveSecondOverTheOverallLimitAndKeepTheSessionResumable()
    {
        final EngineHarness small = new EngineHarness(
            SwitchboardSettings.builder().messageRate(2).messageBurst(2).build());
        small.host(1, "r");
        final Member viewer = small.viewer(2, "r");
        for (int second = 0; second < 10; second++)
        {
            for (int i = 0; i < 3; i++)
            {
                small.apply(from(viewer, MessageType.PING).noMsgId());
            }
            if (second < 9)
            {
                assertEquals(List.of(), small.publisher.closesOf(2), "second " + second);
                small.clock.advance(1000);
            }
        }
        assertEquals(List.of(new Closed(2, 4029, "rate_limit_abuse")), small.publisher.closesOf(2));
        assertEquals(1, small.engine.liveConnectionCount());
        assertEquals(2, small.engine.sessionCount());
        final int sentBefore = small.publisher.sent().size();
        small.apply(from(viewer, MessageType.PING).noMsgId());
        small.apply(from(viewer, MessageType.GAME_EVENT).payload("{}"));
        assertEquals(sentBefore, small.publisher.sent().size());
        small.apply(SlotBuilder.connectionClosed(2, 4029));

        small.clock.advance(5000);
        small.apply(SlotBuilder.message(9, MessageType.RESUME).room("r").resume(viewer.token(), 0, 0));
        assertEquals(1, small.to(9, "resume_ok").size());
        assertEquals("viewer", payload(small.to(9, "resume_ok").get(0)).get("role"));
        assertEquals(2, small.engine.liveConnectionCount());
        assertEquals(List.of(), small.publisher.closesOf(9));
        assertEquals(List.of(), small.publisher.closesOf(1));
    }

    @Test
    void shouldNotCloseWhenASecondWithoutOverallRejectionBreaksTheStreak()
    {
        final EngineHarness small = new EngineHarness(
            SwitchboardSettings.builder().messageRate(2).messageBurst(2).build());
        small.host(1, "r");
        final Member viewer = small.viewer(2, "r");
        for (int second = 0; second < 12; second++)
        {
            final int frames = 5 == second ? 1 : 3;
            for (int i = 0; i < frames; i++)
            {
                small.apply(from(viewer, MessageType.PING).noMsgId());
            }
            small.clock.advance(1000);
        }
        assertEquals(List.of(), small.publisher.closesOf(2));
    }

    @Test
    void shouldLimitASocketWithoutSessionByItsOwnConnectionLimiterAndFreeItOnClose()
    {
        final EngineHarness small = new EngineHarness(
            SwitchboardSettings.builder().messageRate(3).messageBurst(3).build());
        for (int i = 0; i < 5; i++)
        {
            small.apply(SlotBuilder.message(7, MessageType.PING).noMsgId());
        }
        assertEquals(3, small.to(7, "pong").size());
        final List<Map<String, Object>> errors = small.to(7, "error");
        assertEquals(1, errors.size());
        assertEquals("rate_limited", payload(errors.get(0)).get("code"));
        assertFalse(errors.get(0).containsKey("dseq"));
        assertEquals(2, small.engine.counters().rateLimitedOverall());
        small.apply(SlotBuilder.message(8, MessageType.PING).noMsgId());
        assertEquals(1, small.to(8, "pong").size());

        small.apply(SlotBuilder.message(7, MessageType.JOIN).room("r").role(2));
        assertEquals(0, small.to(7, "joined").size());
        small.clock.advance(400);
        final Member viewer = small.join(SlotBuilder.message(7, MessageType.JOIN).room("r").role(2));
        small.apply(from(viewer, MessageType.PING).noMsgId());
        small.apply(from(viewer, MessageType.PING).noMsgId());
        assertEquals(5, small.to(7, "pong").size());
    }

    @Test
    void shouldTreatSlowConsumerCloseAsOrdinaryAwayThatCanResume()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        h.apply(SlotBuilder.connectionClosed(2, 4008));
        assertEquals(2, h.engine.sessionCount());
        assertEquals(1, h.engine.liveConnectionCount());
        h.apply(from(host, MessageType.GAME_EVENT).payload("{\"missed\":true}"));
        h.apply(SlotBuilder.message(3, MessageType.RESUME).room("r").resume(viewer.token(), 0, 0));
        final List<Map<String, Object>> out = h.to(3);
        assertEquals("resume_ok", out.get(0).get("type"));
        assertEquals(Map.of("missed", true), payload(h.to(3, "game_event").get(0)));
    }
}
