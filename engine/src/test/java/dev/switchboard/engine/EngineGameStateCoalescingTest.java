package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EngineGameStateCoalescingTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldMergePatchesWithinATickIntoOneFrameWithTheLastVersionKeepingNullDeletesAndNotEchoToHost()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.viewer(3, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1).patch("a", "1").patch("b", "2"));
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(2).patch("a", "3").patch("c", "null"));
        h.apply(from(host, MessageType.GAME_STATE).seq(3).version(7).patch("d", "{\"x\":[4]}").patch("b", "null"));
        assertEquals(0, h.to(2, "game_state").size());

        h.advance(16);
        for (final long c : new long[]{2, 3})
        {
            final List<Map<String, Object>> frames = h.to(c, "game_state");
            assertEquals(1, frames.size());
            final Map<String, Object> expectedPatch = new HashMap<>();
            expectedPatch.put("a", 3L);
            expectedPatch.put("b", null);
            expectedPatch.put("c", null);
            expectedPatch.put("d", Map.of("x", List.of(4L)));
            assertEquals(Map.of("version", 7L, "patch", expectedPatch), payload(frames.get(0)));
            assertFalse(frames.get(0).containsKey("rseq"));
        }
        assertEquals(0, h.to(1, "game_state").size());
        h.advance(16);
        assertEquals(1, h.to(2, "game_state").size());
    }

    @Test
    void shouldUpdateRoomStateAtOnceSoAJoinWithinTheTickSeesTheMergedState()
    {
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1).patch("a", "1").patch("b", "2"));
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(2).patch("a", "null"));
        h.viewer(2, "r");
        @SuppressWarnings("unchecked")
        final Map<String, Object> state = (Map<String, Object>)payload(h.to(2, "joined").get(0)).get("gameState");
        assertEquals(Map.of("version", 2L, "state", Map.of("b", 2L)), state);
    }

    @Test
    void shouldSendNullDeletingPatchInTheNextTick()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1).patch("x", "1"));
        h.advance(16);
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(2).patch("x", "null"));
        h.advance(16);
        final List<Map<String, Object>> frames = h.to(2, "game_state");
        assertEquals(2, frames.size());
        final Map<String, Object> deleted = new HashMap<>();
        deleted.put("x", null);
        assertEquals(Map.of("version", 2L, "patch", deleted), payload(frames.get(1)));
    }

    @Test
    void shouldSendThePendingPatchBeforeALaterGameEventOfTheHost()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1).patch("x", "1"));
        h.apply(from(host, MessageType.GAME_EVENT).seq(2).payload("{}"));
        h.apply(from(host, MessageType.GAME_STATE).seq(3).version(2).patch("x", "2"));
        h.advance(16);
        final List<Object> types = h.to(2).stream().map(m -> m.get("type"))
            .filter(t -> "game_state".equals(t) || "game_event".equals(t)).map(Object.class::cast).toList();
        assertEquals(List.of("game_state", "game_event", "game_state"), types);
        assertEquals(2L, payload(h.to(2, "game_state").get(1)).get("version"));
    }

    @Test
    void shouldSendFlowControlNormalThenASnapshotWhenLeavingDropMode()
    {
        final Member host = h.host(1, "r");
        final Member viewer = h.viewer(2, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(3).patch("k", "1"));
        h.apply(SlotBuilder.flow(viewer.connectionId(), true, 0));
        final Map<String, Object> drop = h.to(2, "flow_control").get(0);
        assertEquals(Map.of("mode", "drop_non_critical", "dropped", 0L), payload(drop));
        assertFalse(drop.containsKey("dseq"));
        h.publisher.clear();
        h.apply(SlotBuilder.flow(viewer.connectionId(), false, 42));
        final List<Map<String, Object>> out = h.to(2);
        assertEquals(2, out.size());
        assertEquals(Map.of("mode", "normal", "dropped", 42L), payload(out.get(0)));
        assertEquals(Map.of("version", 3L, "state", Map.of("k", 1L), "snapshot", true), payload(out.get(1)));
    }
}
