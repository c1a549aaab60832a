package dev.switchboard.engine;

import com.sun.management.ThreadMXBean;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SlotBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineSnapshotAllocationTest
{
    private static final int ROOMS = 20;

    private static final class CountingPublisher implements OutboundPublisher
    {
        @Override
        public void send(final long connectionId, final Frame frame)
        {
        }

        @Override
        public void close(final long connectionId, final int closeCode, final String reason)
        {
        }

        @Override
        public void endOfBatch()
        {
        }
    }

    private static final class CountingHooks implements ClusterHooks
    {
        long snapshots;
        long snapshotBytes;

        @Override
        public long snapshotIntervalMs()
        {
            return 0;
        }

        @Override
        public void onRoomOpened(final byte[] roomId, final int roomIdLength)
        {
        }

        @Override
        public void onRoomClosed(final byte[] roomId, final int roomIdLength)
        {
        }

        @Override
        public void onRoomSnapshot(
            final byte[] roomId, final int roomIdLength, final byte[] snapshot, final int offset, final int length)
        {
            snapshots++;
            snapshotBytes += length;
        }

        @Override
        public void onHandoverComplete(final int roomCount)
        {
        }
    }

    private final ThreadMXBean threads =
        (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final CountingHooks hooks = new CountingHooks();
    private final Engine engine;
    private final InboundSlot[] events = new InboundSlot[ROOMS];

    EngineSnapshotAllocationTest()
    {
        clock.update(1_000_000);
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .gameEventRate(1_000_000).gameEventBurst(1_000_000).messageRate(1_000_000).messageBurst(1_000_000).build();
        engine = new Engine(new EngineContext(settings, clock, new CountingPublisher(), new FramePool(64, null),
            new Random(1), 0, new EventLog(64 * 1024), hooks));
        for (int r = 0; r < ROOMS; r++)
        {
            final String room = "room-" + r;
            engine.onEvent(SlotBuilder.message(r * 10 + 1, MessageType.JOIN).room(room).authUser("host-" + r)
                .role(InboundSlot.ROLE_HOST).build());
            engine.onEvent(SlotBuilder.message(r * 10 + 2, MessageType.JOIN).room(room).authUser("viewer-" + r)
                .role(InboundSlot.ROLE_VIEWER).build());
            events[r] = SlotBuilder.message(r * 10 + 2, MessageType.GAME_EVENT).room(room).payload("{\"n\":1}").build();
        }
        engine.onEndOfBatch();
    }

    @Test
    void shouldNotAllocateOnSnapshotTicksWithNothingChanged()
    {
        tick(10);
        final long before = hooks.snapshots;
        final long threadId = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long start = threads.getThreadAllocatedBytes(threadId);
            tick(5_000);
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(threadId) - start);
        }
        assertEquals(before, hooks.snapshots);
        assertTrue(allocated < 5_000 / 10, "bytes allocated by idle snapshot ticks: " + allocated);
    }

    @Test
    void shouldNotAllocatePerSnapshotOfChangedRoomsInSteadyState()
    {
        changeAndTick(2_000);
        final long threadId = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long start = threads.getThreadAllocatedBytes(threadId);
            changeAndTick(2_000);
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(threadId) - start);
        }
        assertEquals(4 * 2_000 * ROOMS, hooks.snapshots);
        final int snapshots = 2_000 * ROOMS;
        assertTrue(allocated < snapshots / 10, "bytes allocated by " + snapshots + " snapshots: " + allocated);
    }

    private void tick(final int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            clock.advance(16);
            engine.onTick();
            engine.onEndOfBatch();
        }
    }

    private void changeAndTick(final int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            for (int r = 0; r < ROOMS; r++)
            {
                final InboundSlot event = events[r];
                event.msgIdLo++;
                event.seq++;
                engine.onEvent(event);
            }
            clock.advance(16);
            engine.onTick();
            engine.onEndOfBatch();
        }
    }
}
