package dev.switchboard.net.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Room snapshots in Redis: written only while the writer holds the room's lease (checked in the same script),
 * with a TTL long enough to outlive every session's resume window, and read by the node that takes the room
 * over.
 */
public final class SnapshotStore
{
    private static final String SAVE =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) " +
        "return 1 end return 0";

    private final byte[] nodeId;
    private final byte[] ttlMillis;

    /**
     * Snapshots written in the name of one node.
     *
     * @param nodeId            this node's id.
     * @param snapshotTtlMillis how long a snapshot outlives its last write.
     */
    public SnapshotStore(final String nodeId, final long snapshotTtlMillis)
    {
        this.nodeId = ClusterKeys.ascii(nodeId);
        this.ttlMillis = ClusterKeys.ascii(Long.toString(snapshotTtlMillis));
    }

    /**
     * Store a room's snapshot if this node holds its lease.
     *
     * @param redis        commands.
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @param snapshot     the snapshot bytes (owned by the call from now on).
     * @return 1 when stored, 0 when the lease is not this node's.
     */
    public RedisFuture<Long> save(
        final RedisAsyncCommands<byte[], byte[]> redis,
        final byte[] roomId,
        final int roomIdLength,
        final byte[] snapshot)
    {
        return redis.eval(SAVE, ScriptOutputType.INTEGER,
            new byte[][] {ClusterKeys.lease(roomId, roomIdLength), ClusterKeys.snapshot(roomId, roomIdLength)},
            nodeId, snapshot, ttlMillis);
    }

    /**
     * Read a room's snapshot.
     *
     * @param redis        commands.
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return the snapshot, or null when there is none.
     */
    public RedisFuture<byte[]> load(
        final RedisAsyncCommands<byte[], byte[]> redis, final byte[] roomId, final int roomIdLength)
    {
        return redis.get(ClusterKeys.snapshot(roomId, roomIdLength));
    }
}
