package dev.switchboard.engine.cluster;

/**
 * What an engine shard tells the cluster layer about the rooms it owns, in multi-node mode.
 * <p>
 * Called only on the engine thread, so implementations must never block: they copy what they need and hand it
 * to the cluster agent (a bounded queue), and count a drop when that queue is full. The byte ranges passed in
 * are valid only for the duration of the call. A single node uses {@link #NONE}, which does nothing and asks for
 * no snapshots.
 */
public interface ClusterHooks
{
    /** Single-node mode: no snapshots, every notice ignored. */
    ClusterHooks NONE = new ClusterHooks()
    {
        @Override
        public long snapshotIntervalMs()
        {
            return -1;
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
        }

        @Override
        public void onHandoverComplete(final int roomCount)
        {
        }
    };

    /**
     * Least time between two snapshots of the same changed room; negative turns snapshots off.
     *
     * @return the interval in milliseconds, or a negative value for none.
     */
    long snapshotIntervalMs();

    /**
     * The shard opened a room: a first join, or a restore from a snapshot.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     */
    void onRoomOpened(byte[] roomId, int roomIdLength);

    /**
     * The shard closed a room and freed its state (last member gone, host timeout, or room_closed).
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     */
    void onRoomClosed(byte[] roomId, int roomIdLength);

    /**
     * A snapshot of one room, in the format of the engine's room snapshot codec ({@link RoomSnapshotCodec}), taken
     * after the room changed and at most once per {@link #snapshotIntervalMs()}, and for every room on a handover.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @param snapshot     buffer holding the snapshot.
     * @param offset       where the snapshot starts in the buffer.
     * @param length       snapshot length in bytes.
     */
    void onRoomSnapshot(byte[] roomId, int roomIdLength, byte[] snapshot, int offset, int length);

    /**
     * A {@link dev.switchboard.engine.ring.SlotKind#HANDOVER} slot was applied: every open room of the shard has
     * been passed to {@link #onRoomSnapshot} just before this call.
     *
     * @param roomCount how many rooms were snapshotted.
     */
    void onHandoverComplete(int roomCount);
}
