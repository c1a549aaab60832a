package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendScheduleTest
{
    @Test
    void shouldTurnRateIntoInterval()
    {
        assertEquals(100_000_000L, SendSchedule.intervalNs(10.0));
        assertEquals(200_000_000L, SendSchedule.intervalNs(5.0));
        assertEquals(33_333_333L, SendSchedule.intervalNs(30.0));
        assertThrows(IllegalArgumentException.class, () -> SendSchedule.intervalNs(0.0));
    }

    @Test
    void shouldSpreadPublishersEvenlyOverTheInterval()
    {
        assertEquals(0L, SendSchedule.offsetNs(0, 4, 100));
        assertEquals(25L, SendSchedule.offsetNs(1, 4, 100));
        assertEquals(50L, SendSchedule.offsetNs(2, 4, 100));
        assertEquals(75L, SendSchedule.offsetNs(3, 4, 100));
    }

    @Test
    void shouldComputeIntendedTimesFromStartNotFromPreviousSends()
    {
        final long startNs = 1_000_000L;
        assertEquals(1_000_010L, SendSchedule.intendedNs(startNs, 10, 100, 0));
        assertEquals(1_000_510L, SendSchedule.intendedNs(startNs, 10, 100, 5));
    }

    @Test
    void shouldCountMessagesDueAtExactBoundaries()
    {
        final long startNs = 1_000L;
        assertEquals(0L, SendSchedule.dueCount(startNs, 10, 100, 1_009));
        assertEquals(1L, SendSchedule.dueCount(startNs, 10, 100, 1_010));
        assertEquals(1L, SendSchedule.dueCount(startNs, 10, 100, 1_109));
        assertEquals(2L, SendSchedule.dueCount(startNs, 10, 100, 1_110));
        assertEquals(11L, SendSchedule.dueCount(startNs, 10, 100, 2_010));
    }

    @Test
    void shouldCountPlannedMessagesInsideWindow()
    {
        assertEquals(10L, SendSchedule.plannedInWindow(0, 0, 100, 0, 1_000));
        assertEquals(10L, SendSchedule.plannedInWindow(0, 50, 100, 0, 1_000));
        assertEquals(5L, SendSchedule.plannedInWindow(0, 0, 100, 500, 1_000));
    }

    @Test
    void shouldVisitMembersInIntendedTimeOrder()
    {
        final int members = 7;
        final long intervalNs = 1_000;
        final long startNs = 5_000;
        final RoundRobinSchedule schedule = new RoundRobinSchedule(members, intervalNs, startNs);
        final long[] nextIndex = new long[members];
        long previousNs = Long.MIN_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final int member = schedule.member();
            final long intendedNs = schedule.intendedNs();
            assertTrue(intendedNs >= previousNs, "intended times never go backwards");
            assertEquals(nextIndex[member], schedule.messageIndex());
            assertEquals(
                SendSchedule.intendedNs(startNs, SendSchedule.offsetNs(member, members, intervalNs), intervalNs,
                nextIndex[member]), intendedNs);
            nextIndex[member]++;
            previousNs = intendedNs;
            schedule.advance();
        }
        assertEquals(5_000L + 14 * 1_000L + 2 * 1_000L / 7, schedule.intendedNs(), "member 2 of round 14 is next");
    }
}
