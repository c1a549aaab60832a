package dev.switchboard.net.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;

/**
 * Room leases in Redis: one key per room naming its owner node, claimed with set-if-absent and a TTL, renewed
 * by the owner for all its rooms in one script, and released by compare-and-delete so a node never removes
 * another node's lease. Every call returns the pending Lettuce future; nothing here waits.
 */
public final class RoomLeases
{
    /** {@link #claim} result: this node took the room now (the third element is the snapshot or null). */
    public static final long CLAIMED = 1;
    /** {@link #claim} result: this node already held the room (a restart with the same node id); snapshot too. */
    public static final long ALREADY_OWNED = 2;
    /** {@link #claim} result: another node holds the room (the second element names it). */
    public static final long OWNED_ELSEWHERE = 0;

    private static final String CLAIM =
        "local owner = redis.call('GET', KEYS[1]) " +
        "if not owner then " +
        "  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) " +
        "  return {1, ARGV[1], redis.call('GET', KEYS[2])} " +
        "end " +
        "if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) " +
        "  return {2, owner, redis.call('GET', KEYS[2])} end " +
        "return {0, owner, false}";

    // Renew each lease this node holds; a lease that expired meanwhile and that nobody took is taken back.
    private static final String RENEW =
        "local r = {} " +
        "for i, k in ipairs(KEYS) do " +
        "  local owner = redis.call('GET', k) " +
        "  if owner == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) r[i] = 1 " +
        "  elseif not owner then redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) r[i] = 1 " +
        "  else r[i] = 0 end " +
        "end " +
        "return r";

    private static final String RELEASE =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private static final String CLOSE_ROOM =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[2]) " +
        "return redis.call('DEL', KEYS[1]) end return 0";

    private final byte[] nodeId;
    private final byte[] ttlMillis;

    /**
     * Leases held in the name of one node.
     *
     * @param nodeId         this node's id.
     * @param leaseTtlMillis lease lifetime.
     */
    public RoomLeases(final String nodeId, final int leaseTtlMillis)
    {
        this.nodeId = ClusterKeys.ascii(nodeId);
        this.ttlMillis = ClusterKeys.ascii(Integer.toString(leaseTtlMillis));
    }

    /**
     * Take the room if nobody holds it, and read its snapshot in the same step.
     *
     * @param redis        commands.
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return {result, owner node id bytes, snapshot bytes or null}; result is {@link #CLAIMED},
     *         {@link #ALREADY_OWNED} or {@link #OWNED_ELSEWHERE}.
     */
    public RedisFuture<List<Object>> claim(
        final RedisAsyncCommands<byte[], byte[]> redis, final byte[] roomId, final int roomIdLength)
    {
        return redis.eval(CLAIM, ScriptOutputType.MULTI,
            new byte[][] {ClusterKeys.lease(roomId, roomIdLength), ClusterKeys.snapshot(roomId, roomIdLength)},
            nodeId, ttlMillis);
    }

    /**
     * Renew the leases of the given rooms in one script.
     *
     * @param redis     commands.
     * @param leaseKeys lease keys of the rooms this node believes it owns.
     * @return one 1 (still ours) or 0 (taken by another node) per key, in order.
     */
    public RedisFuture<List<Object>> renew(final RedisAsyncCommands<byte[], byte[]> redis, final byte[][] leaseKeys)
    {
        return redis.eval(RENEW, ScriptOutputType.MULTI, leaseKeys, nodeId, ttlMillis);
    }

    /**
     * Give a room up, keeping its snapshot for the next owner (handover).
     *
     * @param redis    commands.
     * @param leaseKey the room's lease key.
     * @return 1 when the lease was this node's and is gone, else 0.
     */
    public RedisFuture<Long> release(final RedisAsyncCommands<byte[], byte[]> redis, final byte[] leaseKey)
    {
        return redis.eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {leaseKey}, nodeId);
    }

    /**
     * The room was closed by its owner: drop its snapshot and its lease, if this node still holds the lease.
     *
     * @param redis        commands.
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return 1 when done, 0 when the lease was not this node's (nothing removed).
     */
    public RedisFuture<Long> closeRoom(
        final RedisAsyncCommands<byte[], byte[]> redis, final byte[] roomId, final int roomIdLength)
    {
        return redis.eval(CLOSE_ROOM, ScriptOutputType.INTEGER,
            new byte[][] {ClusterKeys.lease(roomId, roomIdLength), ClusterKeys.snapshot(roomId, roomIdLength)},
            nodeId);
    }

    /**
     * The current owners of some rooms.
     *
     * @param redis     commands.
     * @param leaseKeys lease keys.
     * @return one key-value per key; an empty value when nobody holds the room.
     */
    public RedisFuture<List<KeyValue<byte[], byte[]>>> owners(
        final RedisAsyncCommands<byte[], byte[]> redis, final byte[][] leaseKeys)
    {
        return redis.mget(leaseKeys);
    }
}
