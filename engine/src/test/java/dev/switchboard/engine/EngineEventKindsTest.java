package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Closed;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineEventKindsTest
{
    private final EngineHarness h = new EngineHarness();

    @Test
    void shouldRunTimersOnTickEvent()
    {
        h.viewer(2, "r");
        h.clock.advance(120_000);
        h.engine.onEvent(SlotBuilder.tick().build());
        assertEquals(0, h.engine.roomCount());
    }

    @Test
    void shouldIgnoreCloseOfUnknownConnection()
    {
        h.host(1, "r");
        h.apply(SlotBuilder.connectionClosed(77, 1006));
        assertEquals(1, h.engine.liveConnectionCount());
        assertEquals(1, h.engine.sessionCount());
    }

    @Test
    void shouldCallPublisherEndOfBatchOnEndOfBatch()
    {
        final int before = h.publisher.endOfBatchCount();
        h.engine.onEndOfBatch();
        assertEquals(before + 1, h.publisher.endOfBatchCount());
    }

    @Test
    void shouldLetAuthenticatedHostRejoinAsHostReplacingOldSession()
    {
        h.join(SlotBuilder.message(1, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST).authUser("alice"));
        h.viewer(2, "r");
        final Member again = h.join(SlotBuilder.message(3, MessageType.JOIN).room("r")
            .role(InboundSlot.ROLE_HOST).authUser("alice"));
        assertEquals(List.of(new Closed(1, 4409, "session_replaced")), h.publisher.closesOf(1));
        assertEquals("host", payload(h.to(3, "joined").get(0)).get("role"));
        assertEquals("alice", payload(h.to(3, "joined").get(0)).get("hostId"));
        assertEquals(2, h.engine.roomSize("r"));
        h.advance(200_000);
        assertEquals(1, h.engine.roomCount(), "the new host stopped the hostless clock");
        assertEquals("alice", again.userId());
    }

    @Test
    void shouldNotSendBroadcastsToAwayMembersButKeepThemForReplay()
    {
        final Member host = h.host(1, "r");
        h.viewer(2, "r");
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        final int before = h.publisher.sent().size();
        h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        assertEquals(before + 1, h.publisher.sent().size(), "only the sender's ack");
    }

    @Test
    void shouldReportRoomSizesForHealthSnapshots()
    {
        h.host(1, "a");
        h.viewer(2, "a");
        h.host(3, "b");
        final List<String> seen = new ArrayList<>();
        h.engine.forEachRoomSize((id, length, size) -> seen.add(new String(id, 0, length) + "=" + size));
        assertEquals(2, seen.size());
        assertTrue(seen.contains("a=2"));
        assertTrue(seen.contains("b=1"));
    }
}
