package dev.switchboard.net.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;

/**
 * Node heartbeats: each beat refreshes the node's key and its entry in the live-node set (scored by expiry in
 * Redis time, so node clocks do not matter), drops expired entries, and answers the live nodes.
 */
public final class NodeHeartbeats
{
    private static final String BEAT =
        "local t = redis.call('TIME') " +
        "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) " +
        "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) " +
        "redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1]) " +
        "redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) " +
        "return redis.call('ZRANGEBYSCORE', KEYS[2], now, '+inf')";

    private static final String LEAVE =
        "redis.call('DEL', KEYS[1]) return redis.call('ZREM', KEYS[2], ARGV[1])";

    private final byte[] nodeId;
    private final byte[] nodeKey;
    private final byte[] ttlMillis;

    /**
     * Heartbeats of one node.
     *
     * @param nodeId         this node's id.
     * @param leaseTtlMillis how long a beat keeps the node alive.
     */
    public NodeHeartbeats(final String nodeId, final int leaseTtlMillis)
    {
        this.nodeId = ClusterKeys.ascii(nodeId);
        this.nodeKey = ClusterKeys.node(nodeId);
        this.ttlMillis = ClusterKeys.ascii(Integer.toString(leaseTtlMillis));
    }

    /**
     * Beat once.
     *
     * @param redis commands.
     * @return the ids (bytes) of every live node, this one included.
     */
    public RedisFuture<List<Object>> beat(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        return redis.eval(BEAT, ScriptOutputType.MULTI, new byte[][] {nodeKey, ClusterKeys.NODES}, nodeId, ttlMillis);
    }

    /**
     * Leave the live-node list at once (clean shutdown).
     *
     * @param redis commands.
     * @return 1 when the node was listed.
     */
    public RedisFuture<Long> leave(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        return redis.eval(LEAVE, ScriptOutputType.INTEGER, new byte[][] {nodeKey, ClusterKeys.NODES}, nodeId);
    }
}
