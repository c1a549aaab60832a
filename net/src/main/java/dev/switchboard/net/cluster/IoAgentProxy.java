package dev.switchboard.net.cluster;

import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.OutboundRing;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The cluster agent's way to the IoAgents: frames and closes into their outbound rings, room evictions and route
 * decisions into their queues, and one wake per IoAgent per duty cycle for all of it.
 * <p>
 * Used by the cluster agent's thread alone; allocation-free.
 */
final class IoAgentProxy
{
    private final OutboundRing[] ioRings;
    private final boolean[] ioDirty;
    private final ManyToOneConcurrentArrayQueue<byte[]>[] evictions;
    private final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes;

    IoAgentProxy(
        final OutboundRing[] ioRings,
        final ManyToOneConcurrentArrayQueue<byte[]>[] evictions,
        final ManyToOneConcurrentArrayQueue<RouteDecision>[] routes)
    {
        this.ioRings = ioRings;
        this.ioDirty = new boolean[ioRings.length];
        this.evictions = evictions;
        this.routes = routes;
    }

    /**
     * Whether the connection is a socket of one of this node's IoAgents.
     *
     * @param connectionId connection id.
     * @return true when its agent index names an IoAgent.
     */
    boolean isLocal(final long connectionId)
    {
        return ConnectionIds.agentIndex(connectionId) < ioRings.length;
    }

    /**
     * Close a socket of this node, if it is one.
     *
     * @param connectionId connection id.
     * @param code         close code.
     * @param reason       close reason.
     * @return true when the close was queued.
     */
    boolean close(final long connectionId, final int code, final String reason)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= ioRings.length)
        {
            return false;
        }
        ioRings[agent].close(connectionId, code, reason);
        ioDirty[agent] = true;
        return true;
    }

    /**
     * Send a frame to a socket of this node; the caller checked {@link #isLocal(long)}.
     *
     * @param connectionId connection id.
     * @param frame        sealed frame, handed over.
     */
    void send(final long connectionId, final Frame frame)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        ioRings[agent].send(connectionId, frame);
        ioDirty[agent] = true;
    }

    /**
     * Tell every IoAgent to close its sockets of a room with 4012.
     *
     * @param room room id bytes.
     */
    void evict(final byte[] room)
    {
        for (int i = 0; i < evictions.length; i++)
        {
            if (evictions[i].offer(room))
            {
                ioDirty[i] = true;
            }
        }
    }

    /**
     * Hand a route decision to the IoAgent that paused the socket; spins while its queue is full (it is sized
     * for every socket of the agent).
     *
     * @param connectionId the paused socket.
     * @param shard        the local shard to publish to from now on, or -1 to keep relaying.
     */
    void route(final long connectionId, final int shard)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= routes.length)
        {
            return;
        }
        final RouteDecision decision = new RouteDecision(connectionId, shard);
        while (!routes[agent].offer(decision))
        {
            Thread.onSpinWait();
        }
        ioDirty[agent] = true;
    }

    /**
     * Wake every IoAgent given something during this duty cycle.
     */
    void wakeDirty()
    {
        for (int i = 0; i < ioDirty.length; i++)
        {
            if (ioDirty[i])
            {
                ioDirty[i] = false;
                ioRings[i].wake();
            }
        }
    }
}
