package dev.switchboard.net.log;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.EventRoute;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The routes of a log call that finds the asynchronous queue full: lines of any level are discarded and counted
 * unless they are lifecycle lines, which wait for room, and the logging thread itself never waits on its own queue.
 */
class LifecycleQueueFullPolicyTest
{
    private static final long OTHER_THREAD_ID = -1;

    private final LifecycleQueueFullPolicy policy = new LifecycleQueueFullPolicy();

    @Test
    void shouldDiscardAndCountLinesAtInfoOrBelow()
    {
        final long before = LifecycleQueueFullPolicy.discardedLines();
        assertEquals(EventRoute.DISCARD, policy.getRoute(OTHER_THREAD_ID, Level.INFO));
        assertEquals(EventRoute.DISCARD, policy.getRoute(OTHER_THREAD_ID, Level.DEBUG));
        assertEquals(before + 2, LifecycleQueueFullPolicy.discardedLines());
    }

    @Test
    void shouldDiscardWarnAndErrorLinesTooSoThatNoHotThreadWaits()
    {
        final long before = LifecycleQueueFullPolicy.discardedLines();
        assertEquals(EventRoute.DISCARD, policy.getRoute(OTHER_THREAD_ID, Level.WARN));
        assertEquals(EventRoute.DISCARD, policy.getRoute(OTHER_THREAD_ID, Level.ERROR));
        assertEquals(before + 2, LifecycleQueueFullPolicy.discardedLines());
    }

    @Test
    void shouldMakeALifecycleErrorWaitForRoom()
    {
        final EventRoute[] route = new EventRoute[1];
        LifecycleLog.asLifecycleLine(() -> route[0] = policy.getRoute(OTHER_THREAD_ID, Level.ERROR));
        assertEquals(EventRoute.ENQUEUE, route[0]);
    }

    @Test
    void shouldMakeALifecycleLineAtInfoWaitForRoomAndCountTheWait()
    {
        final long discarded = LifecycleQueueFullPolicy.discardedLines();
        final long delayed = LifecycleQueueFullPolicy.delayedLifecycleLines();
        final EventRoute[] route = new EventRoute[1];
        LifecycleLog.asLifecycleLine(() -> route[0] = policy.getRoute(OTHER_THREAD_ID, Level.INFO));
        assertEquals(EventRoute.ENQUEUE, route[0]);
        assertEquals(delayed + 1, LifecycleQueueFullPolicy.delayedLifecycleLines());
        assertEquals(discarded, LifecycleQueueFullPolicy.discardedLines());
        assertEquals(EventRoute.DISCARD, policy.getRoute(OTHER_THREAD_ID, Level.INFO), "only inside the call");
    }

    @Test
    void shouldLetTheLoggingThreadWriteInPlace()
    {
        assertEquals(EventRoute.SYNCHRONOUS, policy.getRoute(Thread.currentThread().getId(), Level.INFO));
    }
}
