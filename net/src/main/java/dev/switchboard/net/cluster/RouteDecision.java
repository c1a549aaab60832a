package dev.switchboard.net.cluster;

/**
 * The cluster agent's answer to an IoAgent about a socket whose first join or resume it routed: serve it from
 * a local shard from now on, or keep relaying it. Sent once per such socket, after the agent has handled every
 * record the IoAgent relayed for it before pausing its reads.
 */
public final class RouteDecision
{
    /** The socket. */
    public final long connectionId;
    /** The local shard that now serves the socket, or -1 to keep relaying it. */
    public final int shard;

    /**
     * A decision.
     *
     * @param connectionId the socket.
     * @param shard        the local shard, or -1 to keep relaying.
     */
    public RouteDecision(final long connectionId, final int shard)
    {
        this.connectionId = connectionId;
        this.shard = shard;
    }
}
