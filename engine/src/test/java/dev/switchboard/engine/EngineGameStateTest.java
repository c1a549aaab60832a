package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EngineGameStateTest
{
    private final EngineHarness h = new EngineHarness();

    @SuppressWarnings("unchecked")
    private Map<String, Object> joinedGameState(final long connectionId)
    {
        return (Map<String, Object>)payload(h.to(connectionId, "joined").get(0)).get("gameState");
    }

    @Test
    void shouldMergePatchesWithNullDeletingAndCarrySnapshotInJoined()
    {
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1)
            .patch("a", "1").patch("b", "{\"x\":[1,2]}").patch("c", "\"s\""));
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(2).patch("a", "null").patch("c", "true"));
        h.viewer(2, "r");
        assertEquals(Map.of("version", 2L, "state", Map.of("b", Map.of("x", List.of(1L, 2L)), "c", true)),
            joinedGameState(2));
    }

    @Test
    void shouldBroadcastPatchToEveryoneButHost()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.viewer(3, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(5).patch("k", "[1]"));
        h.advance(16);
        assertEquals(0, h.to(1, "game_state").size());
        for (final long c : new long[]{2, 3})
        {
            final Map<String, Object> m = h.to(c, "game_state").get(0);
            assertEquals(Map.of("version", 5L, "patch", Map.of("k", List.of(1L))), payload(m));
            assertFalse(m.containsKey("rseq"));
            assertFalse(m.containsKey("dseq"));
        }
        assertEquals(0, h.to(1, "ack").stream().filter(m -> m.get("dseq").equals(3L)).count());
    }

    @Test
    void shouldDropStaleVersionSilently()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(3).patch("k", "1"));
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(3).patch("k", "2"));
        h.apply(from(host, MessageType.GAME_STATE).seq(3).version(2).patch("k", "3"));
        h.advance(16);
        assertEquals(1, h.to(2, "game_state").size());
        assertEquals(0, h.to(1, "error").size());
        assertEquals(2, h.engine.counters().drops(MessageType.GAME_STATE, DropReason.STALE));
        h.viewer(3, "r");
        assertEquals(Map.of("version", 3L, "state", Map.of("k", 1L)), joinedGameState(3));
    }

    @Test
    void shouldSendSnapshotWithVersionAfterResume()
    {
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(4).patch("k", "1"));
        h.apply(SlotBuilder.connectionClosed(1, 1006));
        h.apply(SlotBuilder.message(9, MessageType.RESUME).room("r")
            .resume(host.token(), 2, 0));
        final List<Map<String, Object>> out = h.to(9);
        assertEquals(4L, payload(out.get(0)).get("gameStateVersion"));
        assertEquals(Map.of("version", 4L, "state", Map.of("k", 1L), "snapshot", true),
            payload(out.get(out.size() - 1)));
    }
}
