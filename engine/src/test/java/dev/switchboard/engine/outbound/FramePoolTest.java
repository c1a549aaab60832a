package dev.switchboard.engine.outbound;

import dev.switchboard.engine.codes.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramePoolTest
{
    private static final long START_MS = 1_764_160_000_000L;

    private static List<Frame> acquire(final FramePool pool, final int count, final int payloadBytes)
    {
        final List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            frames.add(pool.acquire(payloadBytes, MessageType.GAME_EVENT, false));
        }
        return frames;
    }

    private static void releaseAll(final List<Frame> frames)
    {
        frames.forEach(Frame::release);
    }

    @Test
    void shouldServeAcksAndSmallEventsFromThe128And256ByteClasses()
    {
        final FramePool pool = new FramePool(16, null);
        assertEquals(128, pool.acquire(100, MessageType.ACK, false).buffer().length);
        assertEquals(128, pool.acquire(118, MessageType.ACK, false).buffer().length);
        assertEquals(256, pool.acquire(119, MessageType.ACK, false).buffer().length);
        assertEquals(512, pool.acquire(300, MessageType.GAME_EVENT, false).buffer().length);
        assertEquals(1 << 20, pool.acquire((1 << 20) - Frame.PAYLOAD_OFFSET, MessageType.JOINED, false)
            .buffer().length);
        assertEquals((1 << 20) + 1 + Frame.PAYLOAD_OFFSET,
            pool.acquire((1 << 20) + 1, MessageType.JOINED, false).buffer().length, "made to measure past 1 MiB");
    }

    @Test
    void shouldReuseAReleasedFrameAndCountBytesFreeAndInUse()
    {
        final FramePool pool = new FramePool(16, null);
        final Frame a = pool.acquire(200, MessageType.GAME_EVENT, false);
        assertEquals(256, pool.inUseBytes());
        assertEquals(0, pool.freeBytes());
        a.release();
        assertEquals(0, pool.inUseBytes());
        assertEquals(256, pool.freeBytes());
        assertSame(a, pool.acquire(150, MessageType.GAME_EVENT, false));
        assertEquals(1, pool.allocatedCount());
    }

    @Test
    void shouldKeepAtMostRetainedBytesOfFreeFrames()
    {
        final FramePool pool = new FramePool(16, null, 4096);
        final List<Frame> frames = acquire(pool, 100, 500);
        assertEquals(100 * 512, pool.inUseBytes());
        releaseAll(frames);
        assertEquals(4096, pool.freeBytes(), "eight 512-byte frames kept, the rest left to the collector");
        assertEquals(0, pool.inUseBytes());
        assertEquals(8, pool.freeCount());
        assertEquals(8, pool.liveCount());
    }

    @Test
    void shouldTrimHalfOfTheIdleFramesEachIntervalOnTheInjectedClock()
    {
        final FramePool pool = new FramePool(16, null, 1 << 20);
        long nowMs = START_MS;
        pool.trim(nowMs);
        final int burst = 4 * FramePool.RESERVE_FRAMES;
        final int reserve = FramePool.RESERVE_FRAMES;
        releaseAll(acquire(pool, burst, 200));
        assertEquals(burst * 256, pool.freeBytes());

        pool.trim(nowMs + FramePool.TRIM_INTERVAL_MS - 1);
        assertEquals(burst, pool.freeCount(), "nothing before the interval is over");
        nowMs += FramePool.TRIM_INTERVAL_MS;
        pool.trim(nowMs);
        assertEquals(burst, pool.freeCount(), "the burst's frames were in use during the first interval");

        int expected = burst;
        for (int i = 0; i < 9; i++)
        {
            nowMs += FramePool.TRIM_INTERVAL_MS;
            pool.trim(nowMs);
            expected -= (expected - reserve + 1) / 2;
            assertEquals(expected, pool.freeCount(), "idle frames beyond the reserve halve each interval, " + i);
        }
        assertEquals(reserve, pool.freeCount(), "a reserve of small frames stays");
        assertEquals(reserve * 256, pool.freeBytes(), "the rest of the burst's memory is given back");
        assertEquals(reserve, pool.liveCount());

        releaseAll(acquire(pool, 8, 60_000));
        for (int i = 0; i < 10; i++)
        {
            nowMs += FramePool.TRIM_INTERVAL_MS;
            pool.trim(nowMs);
        }
        assertEquals(reserve + FramePool.RESERVE_BYTES / (64 * 1024), pool.freeCount(),
            "the reserve of the 64 KiB class is bounded by RESERVE_BYTES");
    }

    @Test
    void shouldKeepTheFramesASteadyLoadReusesWhenTrimming()
    {
        final FramePool pool = new FramePool(16, null, 1 << 20);
        long nowMs = START_MS;
        pool.trim(nowMs);
        releaseAll(acquire(pool, FramePool.RESERVE_FRAMES + 40, 200));
        for (int interval = 0; interval < 10; interval++)
        {
            for (int step = 0; step < 20; step++)
            {
                nowMs += FramePool.TRIM_INTERVAL_MS / 20;
                releaseAll(acquire(pool, 10, 200));
                pool.trim(nowMs);
            }
        }
        assertEquals(10 + FramePool.RESERVE_FRAMES, pool.freeCount(),
            "the ten frames used every step and the reserve stay, the rest went");
        final long allocated = pool.allocatedCount();
        for (int step = 0; step < 100; step++)
        {
            nowMs += FramePool.TRIM_INTERVAL_MS / 20;
            releaseAll(acquire(pool, 10, 200));
            pool.trim(nowMs);
        }
        assertEquals(allocated, pool.allocatedCount(), "steady state allocates nothing");
    }

    @Test
    void shouldNotReuseAFrameThatGrewWhileWritingAndAccountItsGrowth()
    {
        final FramePool pool = new FramePool(16, null);
        final Frame frame = pool.acquire(100, MessageType.GAME_EVENT, false);
        frame.ensurePayloadCapacity(1000);
        assertEquals(Frame.PAYLOAD_OFFSET + 1000, frame.buffer().length);
        frame.ensurePayloadCapacity(3000);
        assertEquals(pool.inUseBytes(), frame.buffer().length);
        frame.release();
        assertEquals(0, pool.inUseBytes());
        assertEquals(0, pool.freeBytes());
        assertNotSame(frame, pool.acquire(100, MessageType.GAME_EVENT, false));
    }

    @Test
    void shouldLeaveAFrameToTheCollectorInsteadOfSpinningWhenTheReturnQueueIsFull() throws Exception
    {
        final FramePool pool = new FramePool(2, Thread.currentThread());
        final List<Frame> frames = acquire(pool, 8, 200);
        final Thread io = new Thread(() -> releaseAll(frames));
        io.start();
        io.join(10_000);
        assertFalse(io.isAlive(), "the releasing thread never waits for the owner");
        assertTrue(pool.freeCount() >= 2, "what fitted in the queue came back: " + pool.freeCount());
        assertEquals(0, pool.inUseBytes());
        assertEquals(pool.freeCount(), pool.liveCount());
    }
}
