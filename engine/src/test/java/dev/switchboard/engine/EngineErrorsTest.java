package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
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

class EngineErrorsTest
{
    private final EngineHarness h = new EngineHarness();

    private Map<String, Object> lastError(final long connectionId)
    {
        final List<Map<String, Object>> errors = h.to(connectionId, "error");
        assertFalse(errors.isEmpty(), "no error sent to " + connectionId);
        return errors.get(errors.size() - 1);
    }

    private void assertError(final long connectionId, final String code, final UUID forMsgId, final boolean withDseq)
    {
        final Map<String, Object> error = lastError(connectionId);
        assertEquals(code, payload(error).get("code"));
        assertTrue(payload(error).get("message") instanceof String);
        if (null == forMsgId)
        {
            assertFalse(error.containsKey("for"));
        }
        else
        {
            assertEquals(forMsgId.toString(), error.get("for"));
        }
        assertEquals(withDseq, error.containsKey("dseq"), error.toString());
    }

    @Test
    void shouldReplyPayloadTooLargeWithoutFor()
    {
        h.apply(SlotBuilder.message(1, MessageType.UNKNOWN).error(ErrorCode.PAYLOAD_TOO_LARGE));
        assertError(1, "payload_too_large", null, false);
        assertEquals(1, h.engine.counters().errors(ErrorCode.PAYLOAD_TOO_LARGE));
    }

    @Test
    void shouldReplyEdgeInvalidMessageWithForAndRoomId()
    {
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(1, MessageType.JOIN).room("r-1").msgId(id).error(ErrorCode.INVALID_MESSAGE));
        assertError(1, "invalid_message", id, false);
        assertEquals("r-1", lastError(1).get("roomId"));
    }

    @Test
    void shouldOmitInvalidRoomIdBeforeJoin()
    {
        h.apply(SlotBuilder.message(1, MessageType.JOIN).room("bad room!").error(ErrorCode.INVALID_MESSAGE));
        assertFalse(lastError(1).containsKey("roomId"));
    }

    @Test
    void shouldReplyEdgeErrorWithDseqForCriticalTypeFromSession()
    {
        final Member host = h.host(1, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(host, MessageType.GAME_EVENT).msgId(id).error(ErrorCode.INVALID_MESSAGE));
        assertError(1, "invalid_message", id, true);
        assertEquals(3L, lastError(1).get("dseq"));
        h.apply(from(host, MessageType.UNKNOWN).msgId(id).error(ErrorCode.UNKNOWN_TYPE));
        assertError(1, "unknown_type", id, false);
        h.apply(from(host, MessageType.ICE_CANDIDATE).msgId(id).error(ErrorCode.INVALID_MESSAGE));
        assertError(1, "invalid_message", id, false);
    }

    @Test
    void shouldPassEdgeRateLimitedAndUnauthorizedThrough()
    {
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(1, MessageType.PING).msgId(id).error(ErrorCode.RATE_LIMITED));
        assertError(1, "rate_limited", id, false);
        h.apply(SlotBuilder.message(1, MessageType.JOIN).msgId(id).error(ErrorCode.UNAUTHORIZED));
        assertError(1, "unauthorized", id, false);
    }

    @Test
    void shouldReplyUnknownTypeToServerOnlyTypeWithoutDseq()
    {
        final Member host = h.host(1, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(host, MessageType.ACK).msgId(id));
        assertError(1, "unknown_type", id, false);
    }

    @Test
    void shouldReplyNotInRoomBeforeJoin()
    {
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(1, MessageType.GAME_EVENT).room("r").msgId(id).payload("{}"));
        assertError(1, "not_in_room", id, false);
        assertEquals(1, h.engine.counters().errors(ErrorCode.NOT_IN_ROOM));
    }

    @Test
    void shouldReplyNotInRoomForOtherRoomId()
    {
        final Member host = h.host(1, "r");
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(host.connectionId(), MessageType.GAME_EVENT).room("other").msgId(id)
            .payload("{}"));
        assertError(1, "not_in_room", id, true);
        assertEquals("r", lastError(1).get("roomId"));
    }

    @Test
    void shouldReplyAlreadyJoinedToSecondJoinOrResume()
    {
        final Member host = h.host(1, "r");
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(1, MessageType.JOIN).room("r2").role(InboundSlot.ROLE_VIEWER).msgId(id));
        assertError(1, "already_joined", id, true);
        final UUID id2 = UUID.randomUUID();
        h.apply(SlotBuilder.message(1, MessageType.RESUME).room("r").resume(host.token(), 0, 0).msgId(id2));
        assertError(1, "already_joined", id2, true);
    }

    @Test
    void shouldReplyHostTakenWhileRoomHasHost()
    {
        h.host(1, "r");
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(2, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST).msgId(id));
        assertError(2, "host_taken", id, false);
        assertEquals("r", lastError(2).get("roomId"));
        assertEquals(1, h.engine.sessionCount());
    }

    @Test
    void shouldReplyForbiddenWhenWhoRuleBroken()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(host, MessageType.COHOST_REQUEST).msgId(id));
        assertError(1, "forbidden", id, true);
        h.apply(from(viewer, MessageType.COHOST_ACCEPT).msgId(id));
        assertError(2, "forbidden", id, true);
        h.apply(from(viewer, MessageType.COHOST_CANCEL).msgId(id));
        assertError(2, "forbidden", id, true);
        h.apply(from(viewer, MessageType.COHOST_END).msgId(id));
        assertError(2, "forbidden", id, true);
        h.apply(from(viewer, MessageType.GAME_STATE).msgId(id).version(1).seq(1).patch("a", "1"));
        assertError(2, "forbidden", id, false);
    }

    @Test
    void shouldReplyPeerNotFound()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        final UUID id = UUID.randomUUID();
        h.apply(from(viewer, MessageType.WEBRTC_OFFER).to("nobody").msgId(id).payload("{\"sdp\":\"x\"}"));
        assertError(2, "peer_not_found", id, true);
        h.apply(from(viewer, MessageType.ICE_CANDIDATE).to("nobody").msgId(id).payload("{\"candidate\":\"x\"}"));
        assertError(2, "peer_not_found", id, false);
        h.apply(from(host, MessageType.COHOST_ACCEPT).msgId(id));
        assertError(1, "peer_not_found", id, true);
        h.apply(from(host, MessageType.COHOST_ACCEPT).userId(viewer.userId()).msgId(UUID.randomUUID()));
        assertEquals("peer_not_found", payload(lastError(1)).get("code"));
        final UUID endId = UUID.randomUUID();
        h.apply(from(host, MessageType.COHOST_END).msgId(endId));
        assertError(1, "peer_not_found", endId, true);
    }

    @Test
    void shouldReplyAlreadyQueuedAndQueueFull()
    {
        final EngineHarness small = new EngineHarness(SwitchboardSettings.builder().maxQueue(1).build());
        small.host(1, "r");
        final Member a = small.viewer(2, "r");
        final Member b = small.viewer(3, "r");
        small.apply(from(a, MessageType.COHOST_REQUEST));
        final UUID id = UUID.randomUUID();
        small.apply(from(a, MessageType.COHOST_REQUEST).msgId(id));
        final Map<String, Object> already = small.to(2, "error").get(0);
        assertEquals("already_queued", payload(already).get("code"));
        assertEquals(id.toString(), already.get("for"));
        small.apply(from(b, MessageType.COHOST_REQUEST));
        assertEquals("queue_full", payload(small.to(3, "error").get(0)).get("code"));
    }

    @Test
    void shouldReplyGuestActiveOnlyToAcceptWhileGuestActive()
    {
        final Member host = h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(b, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        final UUID id = UUID.randomUUID();
        h.apply(from(host, MessageType.COHOST_ACCEPT).msgId(id));
        assertError(1, "guest_active", id, true);
    }

    @Test
    void shouldReplyResumeFailedWithoutDseqForUnknownToken()
    {
        final UUID id = UUID.randomUUID();
        h.apply(SlotBuilder.message(9, MessageType.RESUME).room("r").resume("AAAAAAAAAAAAAAAAAAAAAAAA", 0, 0)
            .msgId(id));
        assertError(9, "resume_failed", id, false);
    }

    @Test
    void shouldReplyInvalidMessageForOversizedGameState()
    {
        final EngineHarness small = new EngineHarness(SwitchboardSettings.builder().maxGameStateBytes(1024).build());
        final Member host = small.host(1, "r");
        final UUID id = UUID.randomUUID();
        small.apply(from(host, MessageType.GAME_STATE).msgId(id).seq(1).version(1)
            .patch("k", "\"" + "x".repeat(1100) + "\""));
        final Map<String, Object> error = small.to(1, "error").get(0);
        assertEquals("invalid_message", payload(error).get("code"));
        assertFalse(error.containsKey("dseq"));
        small.apply(from(host, MessageType.GAME_STATE).seq(2).version(1).patch("k", "\"" + "x".repeat(900) + "\""));
        assertEquals(1, small.to(1, "error").size());
    }
}
