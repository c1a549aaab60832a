package dev.switchboard.net.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handover's steps driven by hand with the time of each duty cycle: snapshots first, then releases, then
 * leaving, each bounded in time.
 */
class HandoverCoordinatorTest
{
    private static final long REDIS_TIMEOUT_MS = 500;
    private static final int SHARDS = 2;

    private final List<String> calls = new ArrayList<>();
    private final RecordingSteps steps = new RecordingSteps();
    private int wakes;
    private final HandoverCoordinator handover =
        new HandoverCoordinator("node-a", REDIS_TIMEOUT_MS, SHARDS, steps, () -> wakes++);

    @Test
    void shouldDoNothingUntilRequested()
    {
        assertEquals(0, handover.doWork(1_000));
        assertEquals(HandoverCoordinator.IDLE, handover.state());
        assertFalse(handover.isRequested());
        assertTrue(calls.isEmpty());
    }

    @Test
    void shouldSnapshotThenReleaseThenLeaveWhenEachStepCompletes()
    {
        handover.request();
        assertTrue(handover.isRequested());
        assertEquals(1, wakes, "the agent is woken to start");

        assertEquals(1, handover.doWork(1_000));
        assertEquals(HandoverCoordinator.SNAPSHOTTING, handover.state());
        assertEquals(List.of("requestSnapshots"), calls);

        handover.onShardHandedOver();
        assertEquals(0, handover.doWork(1_001), "one shard of two reported");
        handover.onShardHandedOver();
        steps.savesInFlight = 1;
        assertEquals(0, handover.doWork(1_002), "a snapshot is still being written");
        steps.savesInFlight = 0;

        assertEquals(1, handover.doWork(1_003));
        assertEquals(HandoverCoordinator.RELEASING, handover.state());
        assertEquals(List.of("requestSnapshots", "releaseLeases"), calls);

        steps.releasesDone = false;
        assertEquals(0, handover.doWork(1_004));
        steps.releasesDone = true;
        assertEquals(1, handover.doWork(1_005));
        assertTrue(handover.isDone());
        assertEquals(List.of("requestSnapshots", "releaseLeases", "leave"), calls);

        assertEquals(0, handover.doWork(1_006), "done stays done");
    }

    @Test
    void shouldReleaseAfterTheSnapshotDeadlineEvenWhenShardsNeverReport()
    {
        handover.request();
        handover.doWork(10_000);
        final long snapshotDeadlineMs = 10_000 + 2 * REDIS_TIMEOUT_MS + HandoverCoordinator.SNAPSHOT_GRACE_MS;

        assertEquals(0, handover.doWork(snapshotDeadlineMs - 1));
        assertEquals(HandoverCoordinator.SNAPSHOTTING, handover.state());
        assertEquals(1, handover.doWork(snapshotDeadlineMs));
        assertEquals(HandoverCoordinator.RELEASING, handover.state());
    }

    @Test
    void shouldLeaveAfterTheReleaseDeadlineEvenWhenRedisNeverAnswers()
    {
        steps.releasesDone = false;
        handover.request();
        handover.doWork(10_000);
        handover.onShardHandedOver();
        handover.onShardHandedOver();
        handover.doWork(10_010);
        final long releaseDeadlineMs = 10_010 + REDIS_TIMEOUT_MS + HandoverCoordinator.RELEASE_GRACE_MS;

        assertEquals(0, handover.doWork(releaseDeadlineMs - 1));
        assertEquals(HandoverCoordinator.RELEASING, handover.state());
        assertEquals(1, handover.doWork(releaseDeadlineMs));
        assertTrue(handover.isDone());
        assertEquals(List.of("requestSnapshots", "releaseLeases", "leave"), calls);
    }

    @Test
    void shouldIgnoreASecondRequest()
    {
        handover.request();
        handover.doWork(1_000);
        handover.request();

        assertEquals(HandoverCoordinator.SNAPSHOTTING, handover.state());
        assertEquals(1, wakes);
        handover.doWork(1_001);
        assertEquals(List.of("requestSnapshots"), calls, "snapshots are asked for once");
    }

    private final class RecordingSteps implements HandoverCoordinator.Steps
    {
        int savesInFlight;
        boolean releasesDone = true;

        @Override
        public int ownedRooms()
        {
            return 3;
        }

        @Override
        public void requestSnapshots()
        {
            calls.add("requestSnapshots");
        }

        @Override
        public boolean snapshotsSaved()
        {
            return 0 == savesInFlight;
        }

        @Override
        public int releaseLeases()
        {
            calls.add("releaseLeases");
            return 3;
        }

        @Override
        public boolean leasesReleased()
        {
            return releasesDone;
        }

        @Override
        public int leave()
        {
            calls.add("leave");
            return 3;
        }
    }
}
