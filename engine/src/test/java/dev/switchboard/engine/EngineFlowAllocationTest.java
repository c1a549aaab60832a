package dev.switchboard.engine;

import com.sun.management.ThreadMXBean;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SlotBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFlowAllocationTest
{
    private static final class CountingPublisher implements OutboundPublisher
    {
        long sends;
        long closes;

        @Override
        public void send(final long connectionId, final Frame frame)
        {
            sends++;
        }

        @Override
        public void close(final long connectionId, final int closeCode, final String reason)
        {
            closes++;
        }

        @Override
        public void endOfBatch()
        {
        }
    }

    @Test
    void shouldNotAllocateOnCoalescedIceGameStateMergeTickFlushOrRateLimitedGameEventInSteadyState()
    {
        final ThreadMXBean threads =
            (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final CountingPublisher publisher = new CountingPublisher();
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        final Engine engine = new Engine(new EngineContext(
            SwitchboardSettings.defaults(), clock, publisher, new FramePool(64, null), new Random(1), 0));
        for (int c = 1; c <= 10; c++)
        {
            engine.onEvent(SlotBuilder.message(c, MessageType.JOIN).room("r").authUser("user-" + c)
                .role(1 == c ? InboundSlot.ROLE_HOST : InboundSlot.ROLE_VIEWER).build());
        }
        final InboundSlot ice = SlotBuilder.message(2, MessageType.ICE_CANDIDATE).room("r").to("user-1")
            .payload("{\"candidate\":\"candidate:1 1 udp 1 203.0.113.7 5000 typ host\",\"sdpMid\":\"0\"}").build();
        final byte[] ufrag = "a1b2".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ufrag, 0, ice.ufrag, 0, ufrag.length);
        ice.ufragLength = ufrag.length;
        final InboundSlot state = SlotBuilder.message(1, MessageType.GAME_STATE).room("r")
            .patch("score", "17").patch("turn", "\"p2\"").patch("gone", "null").build();
        final InboundSlot event = SlotBuilder.message(3, MessageType.GAME_EVENT).room("r")
            .payload("{\"move\":1}").build();

        run(engine, clock, ice, state, event, 2_000);
        final long threadId = Thread.currentThread().getId();
        // A per-message object shows in every round; a JVM one-off (late JIT or OSR under load) in one only.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long start = threads.getThreadAllocatedBytes(threadId);
            run(engine, clock, ice, state, event, 2_000);
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(threadId) - start);
        }
        assertTrue(publisher.sends > 0);
        final int operations = 2_000 * 8;
        assertTrue(allocated < operations / 10, "bytes allocated on the flow-control paths: " + allocated);
    }

    private static void run(
        final Engine engine,
        final CachedEpochClock clock,
        final InboundSlot ice,
        final InboundSlot state,
        final InboundSlot event,
        final int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                ice.seq++;
                ice.msgIdLo++;
                engine.onEvent(ice);
            }
            for (int i = 0; i < 2; i++)
            {
                state.seq++;
                state.version++;
                engine.onEvent(state);
            }
            for (int i = 0; i < 2; i++)
            {
                event.msgIdLo++;
                event.seq++;
                engine.onEvent(event);
            }
            engine.onEndOfBatch();
            clock.advance(16);
            engine.onTick();
            engine.onEndOfBatch();
        }
    }
}
