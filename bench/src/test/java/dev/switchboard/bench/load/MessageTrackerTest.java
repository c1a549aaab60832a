package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessageTrackerTest
{
    @Test
    void shouldTellFirstMiddleAndLastRecipient()
    {
        final MessageTracker tracker = new MessageTracker(16);
        final long n = tracker.register(MessageTracker.KIND_GAME_EVENT, 3, 1_000);
        assertEquals(MessageTracker.FIRST, tracker.onDelivery(n));
        assertEquals(MessageTracker.MIDDLE, tracker.onDelivery(n));
        assertEquals(MessageTracker.LAST, tracker.onDelivery(n));
        assertEquals(MessageTracker.EXTRA, tracker.onDelivery(n));
    }

    @Test
    void shouldReportFirstAndLastTogetherForSingleRecipient()
    {
        final MessageTracker tracker = new MessageTracker(16);
        final long n = tracker.register(MessageTracker.KIND_GAME_EVENT, 1, 1_000);
        assertEquals(MessageTracker.FIRST | MessageTracker.LAST, tracker.onDelivery(n));
    }

    @Test
    void shouldKeepIntendedTimeAndKindForAcks()
    {
        final MessageTracker tracker = new MessageTracker(16);
        final long n = tracker.register(MessageTracker.KIND_SDP, 1, 42_000);
        assertEquals(42_000L, tracker.intendedNs(n));
        assertEquals(MessageTracker.KIND_SDP, tracker.kind(n));
    }

    @Test
    void shouldForgetMessagesWhoseSlotWasReused()
    {
        final MessageTracker tracker = new MessageTracker(4);
        final long old = tracker.register(MessageTracker.KIND_GAME_EVENT, 2, 1);
        for (int i = 0; i < 4; i++)
        {
            tracker.register(MessageTracker.KIND_GAME_EVENT, 2, 1);
        }
        assertEquals(MessageTracker.UNTRACKED, tracker.onDelivery(old));
        assertEquals(Long.MIN_VALUE, tracker.intendedNs(old));
        assertEquals(0, tracker.kind(old));
    }

    @Test
    void shouldCountMissingDeliveriesAndIncompleteMessagesOfOneKind()
    {
        final MessageTracker tracker = new MessageTracker(64);
        final long first = tracker.nextNumber();
        final long a = tracker.register(MessageTracker.KIND_GAME_EVENT, 4, 1);
        final long b = tracker.register(MessageTracker.KIND_GAME_EVENT, 2, 1);
        tracker.register(MessageTracker.KIND_SDP, 1, 1);
        tracker.onDelivery(a);
        tracker.onDelivery(b);
        tracker.onDelivery(b);
        final long end = tracker.nextNumber();
        assertEquals(3L, tracker.missingDeliveries(MessageTracker.KIND_GAME_EVENT, first, end));
        assertEquals(1L, tracker.incompleteMessages(MessageTracker.KIND_GAME_EVENT, first, end));
        assertEquals(1L, tracker.missingDeliveries(MessageTracker.KIND_SDP, first, end));
    }
}
