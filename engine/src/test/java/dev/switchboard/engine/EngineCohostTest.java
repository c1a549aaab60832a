package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EngineCohostTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldQueueRequestAndBroadcastQueueUpdateAtEndOfBatch()
    {
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        h.apply(from(v, MessageType.COHOST_REQUEST));
        final List<Map<String, Object>> updates = h.to(1, "cohost_queue_updated");
        assertEquals(1, updates.size());
        assertEquals(Map.of("queue", List.of(v.userId()), "queueLength", 1L),
            without(payload(updates.get(0)), "activeGuest"));
        assertNull(payload(updates.get(0)).get("activeGuest"));
        assertEquals(1L, updates.get(0).get("rseq"));
        assertEquals(1, h.to(2, "cohost_queue_updated").size());
        assertEquals(host.userId(), payload(h.to(2, "joined").get(0)).get("hostId"));
    }

    @Test
    void shouldSendQueueUpdateAtMostOncePerTickWithLatestQueue()
    {
        h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        final Member c = h.viewer(4, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(b, MessageType.COHOST_REQUEST));
        h.apply(from(c, MessageType.COHOST_REQUEST));
        assertEquals(1, h.to(1, "cohost_queue_updated").size());
        h.advance(16);
        final List<Map<String, Object>> updates = h.to(1, "cohost_queue_updated");
        assertEquals(2, updates.size());
        assertEquals(List.of(a.userId(), b.userId(), c.userId()), payload(updates.get(1)).get("queue"));
        assertEquals(3L, payload(updates.get(1)).get("queueLength"));
        h.advance(16);
        assertEquals(2, h.to(1, "cohost_queue_updated").size());
    }

    @Test
    void shouldAcceptHeadOfQueueAsGuest()
    {
        final Member host = h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.advance(16);
        h.apply(from(b, MessageType.COHOST_REQUEST));
        h.advance(16);
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        final Map<String, Object> roleChanged = h.to(2, "role_changed").get(0);
        assertEquals(Map.of("role", "guest", "reason", "accepted"), payload(roleChanged));
        final List<Map<String, Object>> updates = h.to(3, "cohost_queue_updated");
        final Map<String, Object> last = payload(updates.get(updates.size() - 1));
        assertEquals(a.userId(), last.get("activeGuest"));
        assertEquals(List.of(b.userId()), last.get("queue"));
    }

    @Test
    void shouldAcceptNamedQueuedUser()
    {
        final Member host = h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(b, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT).userId(b.userId()));
        assertEquals(1, h.to(3, "role_changed").size());
        assertEquals(0, h.to(2, "role_changed").size());
    }

    @Test
    void shouldReturnGuestToViewerOnCohostEndByHostOrGuest()
    {
        final Member host = h.host(1, "r");
        final Member a = h.viewer(2, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.apply(from(host, MessageType.COHOST_END));
        final List<Map<String, Object>> changes = h.to(2, "role_changed");
        assertEquals(Map.of("role", "viewer", "reason", "ended"), payload(changes.get(1)));

        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.COHOST_ACCEPT));
        h.apply(from(a, MessageType.COHOST_END));
        assertEquals(4, h.to(2, "role_changed").size());
        assertEquals("viewer", payload(h.to(2, "role_changed").get(3)).get("role"));
    }

    @Test
    void shouldLeaveQueueOnCancel()
    {
        h.host(1, "r");
        final Member a = h.viewer(2, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.advance(16);
        h.apply(from(a, MessageType.COHOST_CANCEL));
        final List<Map<String, Object>> updates = h.to(1, "cohost_queue_updated");
        assertEquals(List.of(), payload(updates.get(updates.size() - 1)).get("queue"));
    }

    @Test
    void shouldRemoveQueuedViewerWhoLeavesFromQueue()
    {
        h.host(1, "r");
        final Member a = h.viewer(2, "r");
        final Member b = h.viewer(3, "r");
        h.apply(from(a, MessageType.COHOST_REQUEST));
        h.apply(from(b, MessageType.COHOST_REQUEST));
        h.advance(16);
        h.apply(from(a, MessageType.LEAVE));
        h.advance(16);
        final List<Map<String, Object>> updates = h.to(1, "cohost_queue_updated");
        assertEquals(List.of(b.userId()), payload(updates.get(updates.size() - 1)).get("queue"));
    }

    private static Map<String, Object> without(final Map<String, Object> map, final String key)
    {
        final Map<String, Object> copy = new HashMap<>(map);
        copy.remove(key);
        return copy;
    }
}
