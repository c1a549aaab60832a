package dev.switchboard.engine.test;

import dev.switchboard.engine.cluster.ClusterHooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cluster hooks that keep a copy of every notice, for engine tests of snapshots, restores and handovers.
 */
public final class RecordingClusterHooks implements ClusterHooks
{
    /** One snapshot passed to the hooks. */
    public record Snapshot(String roomId, byte[] bytes)
    {
    }

    private final long snapshotIntervalMs;
    /** Snapshots in the order they were passed. */
    public final List<Snapshot> snapshots = new ArrayList<>();
    /** Rooms reported open, in order. */
    public final List<String> opened = new ArrayList<>();
    /** Rooms reported closed, in order. */
    public final List<String> closed = new ArrayList<>();
    /** Room counts of completed handovers, in order. */
    public final List<Integer> handovers = new ArrayList<>();

    /**
     * Hooks asking for snapshots at the given interval.
     *
     * @param snapshotIntervalMs the interval, negative for none.
     */
    public RecordingClusterHooks(final long snapshotIntervalMs)
    {
        this.snapshotIntervalMs = snapshotIntervalMs;
    }

    @Override
    public long snapshotIntervalMs()
    {
        return snapshotIntervalMs;
    }

    @Override
    public void onRoomOpened(final byte[] roomId, final int roomIdLength)
    {
        opened.add(new String(roomId, 0, roomIdLength, StandardCharsets.US_ASCII));
    }

    @Override
    public void onRoomClosed(final byte[] roomId, final int roomIdLength)
    {
        closed.add(new String(roomId, 0, roomIdLength, StandardCharsets.US_ASCII));
    }

    @Override
    public void onRoomSnapshot(
        final byte[] roomId, final int roomIdLength, final byte[] snapshot, final int offset, final int length)
    {
        snapshots.add(new Snapshot(new String(roomId, 0, roomIdLength, StandardCharsets.US_ASCII),
            Arrays.copyOfRange(snapshot, offset, offset + length)));
    }

    @Override
    public void onHandoverComplete(final int roomCount)
    {
        handovers.add(roomCount);
    }

    /**
     * The last snapshot taken of a room.
     *
     * @param roomId the room.
     * @return its bytes.
     */
    public byte[] lastSnapshotOf(final String roomId)
    {
        for (int i = snapshots.size() - 1; i >= 0; i--)
        {
            if (snapshots.get(i).roomId().equals(roomId))
            {
                return snapshots.get(i).bytes();
            }
        }
        throw new AssertionError("no snapshot of " + roomId);
    }
}
