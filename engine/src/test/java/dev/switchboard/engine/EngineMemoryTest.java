package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import static dev.switchboard.engine.test.EngineHarness.from;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineMemoryTest
{
    @Test
    void shouldReturnToStartingSizeAfterThousandJoinLeaveCycles()
    {
        final EngineHarness h = new EngineHarness();
        final Member host = h.host(1, "stay");
        for (int i = 0; i < 2 * h.settings.replayWindow(); i++)
        {
            // fill the long-lived room's bounded replay windows first: they legitimately hold frames
            cycle(h, 10_000 + i);
            h.publisher.clear();
        }
        final int rooms = h.engine.roomCount();
        final int sessions = h.engine.sessionCount();
        final int connections = h.engine.liveConnectionCount();
        final long allocated = h.framePool.allocatedCount();
        final int free = h.framePool.freeCount();
        for (int i = 1; i <= 1_000; i++)
        {
            cycle(h, i);
            h.publisher.clear();
        }
        assertEquals(rooms, h.engine.roomCount());
        assertEquals(sessions, h.engine.sessionCount());
        assertEquals(connections, h.engine.liveConnectionCount());
        assertEquals(allocated, h.framePool.allocatedCount());
        assertEquals(free, h.framePool.freeCount());
        h.apply(from(host, MessageType.LEAVE));
        assertEquals(0, h.engine.roomCount());
        assertEquals(0, h.engine.sessionCount());
        assertEquals(h.framePool.allocatedCount(), h.framePool.freeCount());
    }

    @Test
    void shouldReleaseEveryFrameWhenRoomsCloseAndSessionsExpire()
    {
        final EngineHarness h = new EngineHarness();
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        h.apply(from(v, MessageType.COHOST_REQUEST));
        h.apply(from(host, MessageType.GAME_EVENT).payload("{}"));
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        h.apply(from(host, MessageType.WEBRTC_OFFER).to(v.userId()).payload("{\"sdp\":\"x\"}"));
        h.apply(SlotBuilder.connectionClosed(1, 1006));
        h.advance(120_000);
        assertEquals(0, h.engine.roomCount());
        assertEquals(0, h.engine.sessionCount());
        assertEquals(h.framePool.allocatedCount(), h.framePool.freeCount());
    }

    private static void cycle(final EngineHarness h, final int i)
    {
        final long connection = 100 + i;
        final Member viewer = h.viewer(connection, "stay");
        h.apply(from(viewer, MessageType.GAME_EVENT).payload("{\"i\":1}"));
        h.apply(from(viewer, MessageType.LEAVE));
        final Member other = h.host(connection + 5_000, "room-" + i);
        h.apply(from(other, MessageType.GAME_STATE).seq(1).version(1).patch("k", "1"));
        h.apply(from(other, MessageType.LEAVE));
        h.apply(SlotBuilder.connectionClosed(connection, 1000));
        h.apply(SlotBuilder.connectionClosed(connection + 5_000, 1000));
        h.advance(16);
    }
}
