package dev.switchboard.net.io;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.net.cluster.RelayQueue;
import dev.switchboard.net.cluster.RelayRecords;
import dev.switchboard.net.cluster.RoomDirectory;
import dev.switchboard.net.cluster.RouteDecision;
import dev.switchboard.net.ws.CloseCodes;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.Arrays;

/**
 * Multi-node mode: route each socket's first join or resume by the rooms this node owns. A socket whose room this
 * node did not own is relayed, all its messages and its close going in order to the cluster agent, and its reads
 * pause until the agent's route decision comes back (a room this node claimed is then served from the local
 * shard directly). A relayed join or resume of a socket whose token carries grants is preceded by a GRANTS record,
 * so the node serving the room checks them as it would for a local socket. Rooms named in the evictions queue have their sockets closed with 4012. IoAgent thread only.
 */
final class ClusterRelayRouter implements RelayRouter
{
    private final RoomDirectory roomDirectory;
    private final RelayQueue relayQueue;
    private final ManyToOneConcurrentArrayQueue<byte[]> evictions;
    private final ManyToOneConcurrentArrayQueue<RouteDecision> routes;
    private final ConnectionTable table;
    private final PublishGuard guard;
    private final ConnectionCloser closer;
    private final byte[] packedRooms = new byte[Grants.MAX_PACKED_BYTES];

    /**
     * Route one agent's sockets.
     *
     * @param roomDirectory the rooms this node owns.
     * @param relayQueue    where relayed sockets' records go.
     * @param evictions     rooms whose sockets must reconnect elsewhere.
     * @param routes        the cluster agent's route decisions for this agent's paused sockets.
     * @param table         the agent's connections.
     * @param guard         the agent's publish guard, also held while the relay queue is full.
     * @param closer        closes sockets.
     */
    ClusterRelayRouter(
        final RoomDirectory roomDirectory,
        final RelayQueue relayQueue,
        final ManyToOneConcurrentArrayQueue<byte[]> evictions,
        final ManyToOneConcurrentArrayQueue<RouteDecision> routes,
        final ConnectionTable table,
        final PublishGuard guard,
        final ConnectionCloser closer)
    {
        this.roomDirectory = roomDirectory;
        this.relayQueue = relayQueue;
        this.evictions = evictions;
        this.routes = routes;
        this.table = table;
        this.guard = guard;
        this.closer = closer;
    }

    /** {@inheritDoc} */
    @Override
    public boolean route(
        final Connection connection, final InboundSlot slot, final byte[] buffer, final int offset, final int length)
    {
        final int type = slot.typeId;
        if ((type == MessageType.JOIN.id() || type == MessageType.RESUME.id()) && slot.roomIdLength > 0)
        {
            System.arraycopy(slot.roomId, 0, connection.roomId, 0, slot.roomIdLength);
            connection.roomIdLength = slot.roomIdLength;
            if (RelayRoute.UNDECIDED == connection.route())
            {
                connection.onFirstJoin(roomDirectory.isOwned(slot.roomId, slot.roomIdLength));
            }
        }
        if (!connection.isRelayed())
        {
            return false;
        }
        connection.onPublished();
        final Grants grants = connection.grants;
        final boolean stampsGrants = Grants.UNRESTRICTED != grants &&
            (type == MessageType.JOIN.id() || type == MessageType.RESUME.id());
        guard.enter();
        try
        {
            if (stampsGrants)
            {
                final int packedLength = grants.copyPackedRooms(packedRooms);
                while (!relayQueue.offerGrants(connection.id, grants.flags(), packedRooms, packedLength))
                {
                    guard.waitForSpace();
                }
            }
            while (!relayQueue.offerText(connection.id, connection.authUserId, connection.authUserIdLength,
                buffer, offset, length))
            {
                guard.waitForSpace();
            }
        }
        finally
        {
            guard.exit();
        }
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public void pauseForRoute(final Connection connection)
    {
        connection.onPauseRelayed();
        if (ConnectionState.OPEN != connection.state || null == connection.key || !connection.key.isValid())
        {
            return;
        }
        connection.pauseReading(Connection.PAUSE_ROUTE);
        relayControl(RelayRecords.PAUSED, connection.id, 0, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void relayClosed(final long connectionId, final int closeCode)
    {
        relayControl(RelayRecords.CLOSED, connectionId, closeCode, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void relayFlow(final long connectionId, final byte slotKind, final long dropped)
    {
        relayControl(RelayRecords.FLOW, connectionId, slotKind, dropped);
    }

    /** {@inheritDoc} */
    @Override
    public void relayTooLarge(final long connectionId)
    {
        relayControl(RelayRecords.TOO_LARGE, connectionId, 0, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void drainEvictions()
    {
        byte[] room;
        while (null != (room = evictions.poll()))
        {
            final int highWater = table.highWater();
            for (int slot = 0; slot < highWater; slot++)
            {
                final Connection connection = table.at(slot);
                if (null != connection && ConnectionState.OPEN == connection.state &&
                    Arrays.equals(connection.roomId, 0, connection.roomIdLength, room, 0, room.length))
                {
                    closer.closeWith(connection, CloseCodes.ROOM_MOVED, "room_moved");
                }
            }
        }
    }

    /**
     * {@inheritDoc} A socket whose room this node now owns is served locally from here on; reading resumes
     * either way.
     */
    @Override
    public void drainRoutes()
    {
        RouteDecision decision;
        while (null != (decision = routes.poll()))
        {
            final Connection connection = table.get(decision.connectionId);
            if (null == connection || !connection.isRouteDecisionPending())
            {
                continue;
            }
            final boolean local = ConnectionState.OPEN == connection.state && decision.shard >= 0 &&
                !connection.isClosePublished();
            connection.onRouteDecision(local);
            if (local)
            {
                connection.shard = decision.shard;
                relayControl(RelayRecords.DIRECT, connection.id, 0, 0);
            }
            connection.resumeReading(Connection.PAUSE_ROUTE);
        }
    }

    /**
     * Relay a control record of a relayed socket (its close, a drop-mode change, a too-large notice, a route
     * marker), waiting while the relay queue is full and draining outbound work meanwhile, as for the engine ring.
     */
    private void relayControl(final byte recordKind, final long connectionId, final int code, final long dropped)
    {
        guard.enter();
        try
        {
            while (!offerControl(recordKind, connectionId, code, dropped))
            {
                guard.waitForSpace();
            }
        }
        finally
        {
            guard.exit();
        }
    }

    private boolean offerControl(final byte recordKind, final long connectionId, final int code, final long dropped)
    {
        switch (recordKind)
        {
            case RelayRecords.CLOSED:
                return relayQueue.offerClosed(connectionId, code);
            case RelayRecords.FLOW:
                return relayQueue.offerFlow(connectionId, (byte)code, dropped);
            case RelayRecords.TOO_LARGE:
                return relayQueue.offerTooLarge(connectionId);
            case RelayRecords.PAUSED:
                return relayQueue.offerPaused(connectionId);
            default:
                return relayQueue.offerDirect(connectionId);
        }
    }
}
