package dev.switchboard.net.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Names of the cluster's Redis keys and channels, all under the {@code sb:} prefix.
 * <pre>
 *   sb:lease:{roomId}   the room's owner node id, PX leaseTtlMillis, renewed by the owner
 *   sb:snap:{roomId}    the room's last snapshot (engine codec), written only by the lease holder
 *   sb:node:{nodeId}    a node's heartbeat, PX leaseTtlMillis
 *   sb:nodes            sorted set of node ids scored by heartbeat expiry (Redis time), the live-node list
 *   sb:relay:{nodeId}   the pub/sub channel a node receives relayed messages on
 * </pre>
 */
public final class ClusterKeys
{
    /** The sorted set of live nodes. */
    public static final byte[] NODES = ascii("sb:nodes");

    private static final byte[] LEASE = ascii("sb:lease:");
    private static final byte[] SNAPSHOT = ascii("sb:snap:");

    private ClusterKeys()
    {
    }

    /**
     * The lease key of a room.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return the key.
     */
    public static byte[] lease(final byte[] roomId, final int roomIdLength)
    {
        return concat(LEASE, roomId, roomIdLength);
    }

    /**
     * The snapshot key of a room.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength length of the room id.
     * @return the key.
     */
    public static byte[] snapshot(final byte[] roomId, final int roomIdLength)
    {
        return concat(SNAPSHOT, roomId, roomIdLength);
    }

    /**
     * The heartbeat key of a node.
     *
     * @param nodeId the node.
     * @return the key.
     */
    public static byte[] node(final String nodeId)
    {
        return ascii("sb:node:" + nodeId);
    }

    /**
     * The relay channel of a node.
     *
     * @param nodeId the node.
     * @return the channel name.
     */
    public static byte[] channel(final String nodeId)
    {
        return ascii("sb:relay:" + nodeId);
    }

    /**
     * US-ASCII bytes of a string (ids are restricted to ASCII).
     *
     * @param text the text.
     * @return its bytes.
     */
    public static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(final byte[] prefix, final byte[] id, final int length)
    {
        final byte[] key = new byte[prefix.length + length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(id, 0, key, prefix.length, length);
        return key;
    }
}
