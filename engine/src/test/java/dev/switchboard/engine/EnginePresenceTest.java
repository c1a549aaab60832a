package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
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

class EnginePresenceTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldCoalescePresenceForHostOncePerTick()
    {
        h.host(1, "r");
        h.advance(16);
        h.publisher.clear();
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        final Member c = h.viewer(4, "r");
        assertEquals(0, h.to(1, "presence").size());
        h.apply(from(c, MessageType.LEAVE));
        h.advance(16);
        final List<Map<String, Object>> presence = h.to(1, "presence");
        assertEquals(1, presence.size());
        assertEquals(Map.of("joined", List.of(a.userId(), b.userId(), c.userId()), "left", List.of(c.userId()),
            "roomSize", 3L), payload(presence.get(0)));
        assertFalse(presence.get(0).containsKey("rseq"));
        h.advance(16);
        assertEquals(1, h.to(1, "presence").size());
    }

    @Test
    void shouldSendGuestPresenceDeltas()
    {
        final Member host = h.host(1, "r");
        final Member g = h.viewer(2, "r");
        h.apply(from(g, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.advance(16);
        h.publisher.clear();
        final Member v = h.viewer(3, "r");
        h.advance(16);
        assertEquals(Map.of("joined", List.of(v.userId()), "left", List.of(), "roomSize", 3L),
            payload(h.to(2, "presence").get(0)));
    }

    @Test
    void shouldSendViewersRoomSizeAtMostOncePerSecond()
    {
        h.host(1, "r");
        h.viewer(2, "r");
        h.advance(1_000);
        h.publisher.clear();
        h.viewer(3, "r");
        h.advance(16);
        h.viewer(4, "r");
        h.advance(16);
        assertEquals(0, h.to(2, "presence").size());
        h.advance(1_000);
        final List<Map<String, Object>> presence = h.to(2, "presence");
        assertEquals(1, presence.size());
        assertEquals(Map.of("roomSize", 4L), payload(presence.get(0)));
        h.advance(1_000);
        assertEquals(1, h.to(2, "presence").size());
    }

    @Test
    void shouldCountAwaySessionsInRoomSize()
    {
        h.host(1, "r");
        h.viewer(2, "r");
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        h.advance(2_000);
        final Member late = h.viewer(3, "r");
        assertEquals(3L, payload(h.to(3, "joined").get(0)).get("roomSize"));
        assertEquals("r", late.roomId());
    }
}
