package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Sent;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFairnessTest
{
    private final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().fanoutSlice(2).build());

    @Test
    void shouldServeOtherRoomsBetweenSlicesOfLargeBroadcastAndKeepPerRecipientOrder()
    {
        final Member bigHost = h.host(1, "big");
        for (int c = 2; c <= 7; c++)
        {
            h.viewer(c, "big");
        }
        final Member smallHost = h.host(20, "small");
        h.viewer(21, "small");
        h.publisher.clear();

        h.engine.onEvent(from(bigHost, MessageType.GAME_EVENT).payload("{\"n\":1}").build());
        assertEquals(2, countGameEvents(h.publisher.sent(), "big"));
        h.engine.onEvent(from(smallHost, MessageType.GAME_EVENT).payload("{\"n\":1}").build());
        final List<Sent> sent = h.publisher.sent();
        assertEquals(4, countGameEvents(sent, "big"));
        assertEquals(1, countGameEvents(sent, "small"));
        h.engine.onEvent(from(bigHost, MessageType.GAME_EVENT).payload("{\"n\":2}").build());
        h.engine.onEndOfBatch();

        assertTrue(h.publisher.sent().get(h.publisher.sent().size() - 1).message().get("roomId").equals("big"));
        for (int c = 2; c <= 7; c++)
        {
            final List<Map<String, Object>> events = h.to(c, "game_event");
            assertEquals(List.of(1L, 2L), events.stream().map(m -> m.get("rseq")).toList(), "viewer " + c);
        }
        assertEquals(0, h.to(1, "game_event").size());
    }

    @Test
    void shouldReleasePendingSlicesWhenRoomCloses()
    {
        final Member host = h.host(1, "big");
        for (int c = 2; c <= 7; c++)
        {
            h.viewer(c, "big");
        }
        h.engine.onEvent(from(host, MessageType.GAME_EVENT).payload("{}").build());
        h.engine.onEvent(SlotBuilder.connectionClosed(1, 1006).build());
        h.engine.onEndOfBatch();
        for (int c = 2; c <= 7; c++)
        {
            assertEquals(1, h.to(c, "game_event").size(), "viewer " + c);
        }
        h.advance(120_000);
        assertEquals(0, h.engine.roomCount());
        assertEquals(h.framePool.allocatedCount(), h.framePool.freeCount());
    }

    private static int countGameEvents(final List<Sent> sent, final String roomId)
    {
        int count = 0;
        for (final Sent s : sent)
        {
            if (s.type() == MessageType.GAME_EVENT && roomId.equals(s.message().get("roomId")))
            {
                count++;
            }
        }
        return count;
    }
}
