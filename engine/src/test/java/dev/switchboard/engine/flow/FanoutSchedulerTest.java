package dev.switchboard.engine.flow;

import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.protocol.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutSchedulerTest
{
    private static final long ROOM_A = 1;
    private static final long ROOM_B = 2;

    private final FramePool pool = new FramePool(1024, null);
    private final CapturingPublisher publisher = new CapturingPublisher();
    private final FanoutScheduler scheduler = new FanoutScheduler(100);

    @Test
    void shouldServeOtherRoomAfterFirstSliceOfLargeBroadcast()
    {
        final Frame big = frame(MessageType.GAME_EVENT);
        final Frame small = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(ROOM_A, big, recipients(0, 1000), 0, 1000);
        scheduler.enqueueBroadcast(ROOM_B, small, new long[]{5000}, 0, 1);
        big.release();
        small.release();

        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(1, scheduler.doWork(publisher));

        assertEquals(101, publisher.sent.size());
        assertEquals(5000, publisher.sent.get(100).connectionId);
        assertSame(small, publisher.sent.get(100).frame);
        assertFalse(scheduler.hasPendingWork(ROOM_B));
        assertTrue(scheduler.hasPendingWork(ROOM_A));
    }

    @Test
    void shouldHandOutLargeBroadcastInSlicesAndThenGoIdle()
    {
        final Frame big = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(ROOM_A, big, recipients(0, 1000), 0, 1000);
        big.release();

        int calls = 0;
        int served;
        while ((served = scheduler.doWork(publisher)) > 0)
        {
            assertTrue(served <= 100);
            calls++;
        }

        assertEquals(10, calls);
        assertEquals(1000, publisher.sent.size());
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, publisher.sent.get(i).connectionId);
        }
        assertFalse(scheduler.hasPendingWork());
        assertEquals(0, scheduler.pendingJobs());
        assertEquals(0, scheduler.doWork(publisher));
    }

    @Test
    void shouldAlternateRoomsRoundRobin()
    {
        enqueueAndRelease(ROOM_A, recipients(0, 250));
        enqueueAndRelease(ROOM_B, recipients(1000, 150));

        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(50, scheduler.doWork(publisher));
        assertEquals(50, scheduler.doWork(publisher));
        assertEquals(0, scheduler.doWork(publisher));

        assertEquals(0, publisher.sent.get(0).connectionId);
        assertEquals(1000, publisher.sent.get(100).connectionId);
        assertEquals(100, publisher.sent.get(200).connectionId);
        assertEquals(1100, publisher.sent.get(300).connectionId);
        assertEquals(200, publisher.sent.get(350).connectionId);
    }

    @Test
    void shouldKeepPerRecipientOrderWhenDirectedFrameFollowsPendingBroadcast()
    {
        final Frame broadcast = frame(MessageType.GAME_EVENT);
        final Frame directed = frame(MessageType.ACK);
        scheduler.enqueueBroadcast(ROOM_A, broadcast, recipients(0, 300), 0, 300);
        broadcast.release();
        scheduler.doWork(publisher);
        assertTrue(scheduler.hasPendingWork(ROOM_A));

        assertEquals(0, scheduler.direct(ROOM_A, 250, directed, publisher));
        directed.release();
        drain();

        final int broadcastIndex = publisher.indexOf(250, broadcast);
        final int directedIndex = publisher.indexOf(250, directed);
        assertTrue(broadcastIndex >= 0 && directedIndex > broadcastIndex);
        assertEquals(301, publisher.sent.size());
    }

    @Test
    void shouldSendAtOnceWhenRoomHasNoPendingWork()
    {
        final Frame small = frame(MessageType.GAME_EVENT);
        final Frame directed = frame(MessageType.ACK);

        assertEquals(3, scheduler.broadcast(ROOM_A, small, new long[]{1, 2, 3}, 0, 3, publisher));
        assertEquals(1, scheduler.direct(ROOM_A, 9, directed, publisher));

        assertEquals(4, publisher.sent.size());
        assertFalse(scheduler.hasPendingWork());
        small.release();
        directed.release();
        publisher.releaseAll();
        assertEquals(0, small.refCount());
        assertEquals(0, directed.refCount());
    }

    @Test
    void shouldQueueBroadcastLargerThanOneSlice()
    {
        final Frame big = frame(MessageType.GAME_EVENT);

        assertEquals(0, scheduler.broadcast(ROOM_A, big, recipients(0, 101), 0, 101, publisher));
        big.release();

        assertTrue(scheduler.hasPendingWork(ROOM_A));
        assertEquals(0, publisher.sent.size());
        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(1, scheduler.doWork(publisher));
    }

    @Test
    void shouldQueueSmallBroadcastBehindPendingWorkOfItsRoom()
    {
        final Frame big = frame(MessageType.GAME_EVENT);
        final Frame small = frame(MessageType.GAME_STATE);
        scheduler.enqueueBroadcast(ROOM_A, big, recipients(0, 150), 0, 150);
        big.release();

        assertEquals(0, scheduler.broadcast(ROOM_A, small, recipients(0, 2), 0, 2, publisher));
        small.release();
        drain();

        assertEquals(152, publisher.sent.size());
        assertSame(small, publisher.sent.get(150).frame);
        assertSame(small, publisher.sent.get(151).frame);
    }

    @Test
    void shouldContinueIntoNextJobsOfTheRoomWithinOneSlice()
    {
        enqueueAndRelease(ROOM_A, recipients(0, 150));
        final Frame directed = frame(MessageType.ACK);
        scheduler.enqueueDirected(ROOM_A, 7, directed);
        scheduler.enqueueDirected(ROOM_A, 8, directed);
        directed.release();

        assertEquals(100, scheduler.doWork(publisher));
        assertEquals(52, scheduler.doWork(publisher));
        assertEquals(0, scheduler.pendingJobs());
    }

    @Test
    void shouldSkipExcludedConnection()
    {
        final Frame small = frame(MessageType.GAME_EVENT);
        assertEquals(2, scheduler.broadcastExcept(ROOM_A, small, new long[]{1, 2, 3}, 0, 3, 2, publisher));
        final Frame big = frame(MessageType.GAME_EVENT);
        assertEquals(0, scheduler.broadcastExcept(ROOM_A, big, recipients(0, 200), 0, 200, 10, publisher));
        small.release();
        big.release();
        drain();

        assertEquals(2 + 199, publisher.sent.size());
        assertEquals(-1, publisher.indexOf(2, small));
        assertEquals(-1, publisher.indexOf(10, big));
    }

    @Test
    void shouldReturnEveryFrameReferenceAfterCompletion()
    {
        final Frame big = frame(MessageType.GAME_EVENT);
        final Frame directed = frame(MessageType.ACK);
        scheduler.enqueueBroadcast(ROOM_A, big, recipients(0, 1000), 0, 1000);
        scheduler.enqueueDirected(ROOM_A, 3, directed);
        scheduler.enqueueBroadcast(ROOM_B, big, recipients(0, 10), 0, 10);
        assertEquals(3, big.refCount(), "the caller's reference plus one per job");
        big.release();
        directed.release();

        drain();
        assertEquals(1011, publisher.sent.size());
        publisher.releaseAll();

        assertEquals(0, big.refCount());
        assertEquals(0, directed.refCount());
        assertEquals(2, pool.freeCount());
    }

    @Test
    void shouldReleaseEveryFrameReferenceOnCancel()
    {
        final Frame big = frame(MessageType.GAME_EVENT);
        final Frame directed = frame(MessageType.ACK);
        final Frame other = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(ROOM_A, big, recipients(0, 1000), 0, 1000);
        scheduler.enqueueBroadcast(ROOM_B, other, recipients(0, 300), 0, 300);
        scheduler.enqueueDirected(ROOM_A, 3, directed);
        big.release();
        directed.release();
        other.release();
        scheduler.doWork(publisher);

        assertEquals(2, scheduler.cancel(ROOM_A));
        assertFalse(scheduler.hasPendingWork(ROOM_A));
        assertEquals(0, scheduler.cancel(ROOM_A));
        publisher.releaseAll();
        assertEquals(0, big.refCount());
        assertEquals(0, directed.refCount());

        drain();
        assertEquals(300, publisher.sent.size());
        publisher.releaseAll();
        assertEquals(0, other.refCount());
        assertEquals(3, pool.freeCount());
    }

    @Test
    void shouldReleaseEverythingOnCancelAll()
    {
        final Frame a = frame(MessageType.GAME_EVENT);
        final Frame b = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(ROOM_A, a, recipients(0, 500), 0, 500);
        scheduler.enqueueBroadcast(ROOM_B, b, recipients(0, 500), 0, 500);
        a.release();
        b.release();

        assertEquals(2, scheduler.cancelAll());

        assertFalse(scheduler.hasPendingWork());
        assertEquals(0, a.refCount());
        assertEquals(0, b.refCount());
        assertEquals(0, scheduler.doWork(publisher));
    }

    @Test
    void shouldKeepRoundRobinOrderAfterCancelInTheMiddle()
    {
        for (long room = 1; room <= 20; room++)
        {
            enqueueAndRelease(room, recipients(room * 1000, 150));
        }
        scheduler.cancel(5);

        for (long room = 1; room <= 20; room++)
        {
            if (5 != room)
            {
                assertEquals(100, scheduler.doWork(publisher));
                assertEquals(room * 1000, publisher.sent.get(publisher.sent.size() - 100).connectionId);
            }
        }
        assertEquals(19, scheduler.pendingRooms());
        drain();
        assertEquals(19 * 150, publisher.sent.size());
    }

    @Test
    void shouldNotQueueEmptyBroadcast()
    {
        final Frame frame = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(ROOM_A, frame, new long[0], 0, 0);
        scheduler.broadcastExcept(ROOM_A, frame, recipients(0, 101), 0, 0, 1, publisher);

        assertFalse(scheduler.hasPendingWork());
        assertEquals(1, frame.refCount());
        frame.release();
    }

    @Test
    void shouldReuseJobsAndRoomsAcrossManyBroadcasts()
    {
        for (int round = 0; round < 200; round++)
        {
            enqueueAndRelease(ROOM_A + round % 3, recipients(0, 250));
            drain();
            publisher.releaseAll();
        }
        assertEquals(200 * 250, publisher.total);
        assertEquals(1, pool.allocatedCount(), "each round's frame came back to the pool and was reused");
        assertEquals(1, pool.freeCount());
    }

    private void enqueueAndRelease(final long room, final long[] recipients)
    {
        final Frame frame = frame(MessageType.GAME_EVENT);
        scheduler.enqueueBroadcast(room, frame, recipients, 0, recipients.length);
        frame.release();
    }

    private void drain()
    {
        int guard = 0;
        while (scheduler.doWork(publisher) > 0)
        {
            assertTrue(++guard < 100_000);
        }
    }

    private Frame frame(final MessageType type)
    {
        final Frame frame = pool.acquire(16, type, !type.isCritical());
        frame.buffer()[Frame.PAYLOAD_OFFSET] = '{';
        frame.buffer()[Frame.PAYLOAD_OFFSET + 1] = '}';
        return frame.sealText(2);
    }

    private static long[] recipients(final long first, final int count)
    {
        final long[] ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = first + i;
        }
        return ids;
    }

    private record Sent(long connectionId, Frame frame)
    {
    }

    private static final class CapturingPublisher implements OutboundPublisher
    {
        final List<Sent> sent = new ArrayList<>();
        private final List<Frame> held = new ArrayList<>();
        long total;

        @Override
        public void send(final long connectionId, final Frame frame)
        {
            frame.retain();
            held.add(frame);
            sent.add(new Sent(connectionId, frame));
            total++;
        }

        @Override
        public void close(final long connectionId, final int closeCode, final String reason)
        {
            throw new UnsupportedOperationException("the scheduler never closes");
        }

        @Override
        public void endOfBatch()
        {
        }

        void releaseAll()
        {
            for (final Frame frame : held)
            {
                frame.release();
            }
            held.clear();
            sent.clear();
        }

        int indexOf(final long connectionId, final Frame frame)
        {
            for (int i = 0; i < sent.size(); i++)
            {
                if (sent.get(i).connectionId == connectionId && sent.get(i).frame == frame)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
