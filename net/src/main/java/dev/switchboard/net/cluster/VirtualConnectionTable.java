package dev.switchboard.net.cluster;

import dev.switchboard.engine.outbound.ConnectionIds;
import org.agrona.collections.Long2LongHashMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sockets of other nodes served here: one pre-allocated {@link VirtualConnection} per slot, a free list, and
 * an index from (origin node, origin connection id) to the slot.
 * <p>
 * A slot's connection id carries this node's agent index and the slot's generation, bumped on every allocation,
 * so a reply the engine sends to a freed and reused slot is recognised as stale. The table never grows: it holds
 * at most its capacity, and {@link #allocate} answers null when full. The index holds one map per origin node
 * that has a connection here, removed with its last connection.
 * <p>
 * Used by the cluster agent's thread alone.
 */
final class VirtualConnectionTable
{
    /** One socket of another node served here. */
    static final class VirtualConnection
    {
        final int slot;
        int generation;
        boolean inUse;
        String node;
        long originConnectionId;
        int shard;
        byte[] room;
        boolean published;
        boolean closing;
        /** What the socket's token allows, from the GRANTS record before its join or resume. */
        final CarriedGrants grants = new CarriedGrants();

        VirtualConnection(final int slot)
        {
            this.slot = slot;
        }
    }

    private final int agentIndex;
    private final VirtualConnection[] connections;
    private final int[] free;
    private int freeCount;
    private final Map<String, Long2LongHashMap> byOrigin = new HashMap<>();

    /**
     * An empty table.
     *
     * @param agentIndex agent index in the connection ids of its slots.
     * @param capacity   number of slots, at most {@link ConnectionIds#MAX_SLOTS}.
     */
    VirtualConnectionTable(final int agentIndex, final int capacity)
    {
        if (capacity < 1 || capacity > ConnectionIds.MAX_SLOTS)
        {
            throw new IllegalArgumentException("capacity must be 1.." + ConnectionIds.MAX_SLOTS + ", got " + capacity);
        }
        this.agentIndex = agentIndex;
        this.connections = new VirtualConnection[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            connections[i] = new VirtualConnection(i);
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * The connection serving a socket of another node.
     *
     * @param origin           the socket's node.
     * @param originConnection the socket's connection id on that node.
     * @return the connection, or null when none serves it.
     */
    VirtualConnection find(final String origin, final long originConnection)
    {
        final Long2LongHashMap byConnection = byOrigin.get(origin);
        if (null == byConnection)
        {
            return null;
        }
        final long slot = byConnection.get(originConnection);
        return slot < 0 ? null : connections[(int)slot];
    }

    /**
     * Take a free slot for a socket of another node: unpublished, no shard, no room, not closing, no grants.
     *
     * @param origin           the socket's node.
     * @param originConnection the socket's connection id on that node.
     * @return the connection, or null when the table is full.
     */
    VirtualConnection allocate(final String origin, final long originConnection)
    {
        if (0 == freeCount)
        {
            return null;
        }
        final VirtualConnection c = connections[free[--freeCount]];
        c.inUse = true;
        c.generation++;
        c.node = origin;
        c.originConnectionId = originConnection;
        c.shard = -1;
        c.room = null;
        c.published = false;
        c.closing = false;
        c.grants.clear();
        byOrigin.computeIfAbsent(origin, k -> new Long2LongHashMap(-1)).put(originConnection, c.slot);
        return c;
    }

    /**
     * Give a slot back; freeing a free slot does nothing.
     *
     * @param c the connection.
     */
    void free(final VirtualConnection c)
    {
        if (!c.inUse)
        {
            return;
        }
        c.inUse = false;
        final Long2LongHashMap byConnection = byOrigin.get(c.node);
        if (null != byConnection)
        {
            byConnection.remove(c.originConnectionId);
            if (byConnection.isEmpty())
            {
                byOrigin.remove(c.node);
            }
        }
        c.node = null;
        c.room = null;
        free[freeCount++] = c.slot;
    }

    /**
     * The connection a connection id names, if it is still the one that id was given to.
     *
     * @param connectionId a connection id the engine replied to.
     * @return the connection, or null when the id is another agent's, out of range, free or of an older generation.
     */
    VirtualConnection byId(final long connectionId)
    {
        final int slot = ConnectionIds.slot(connectionId);
        if (ConnectionIds.agentIndex(connectionId) != agentIndex || slot >= connections.length)
        {
            return null;
        }
        final VirtualConnection c = connections[slot];
        return c.inUse && c.generation == ConnectionIds.generation(connectionId) ? c : null;
    }

    /**
     * The connection id the engine knows a connection by.
     *
     * @param c the connection.
     * @return id with this table's agent index, the slot and its generation.
     */
    long idOf(final VirtualConnection c)
    {
        return ConnectionIds.compose(agentIndex, c.generation, c.slot);
    }

    /**
     * The connection in a slot, in use or not, for a scan over {@code 0 .. capacity() - 1}.
     *
     * @param slot slot index.
     * @return the connection.
     */
    VirtualConnection slot(final int slot)
    {
        return connections[slot];
    }

    /**
     * Number of slots.
     *
     * @return capacity.
     */
    int capacity()
    {
        return connections.length;
    }

    /**
     * Number of slots in use.
     *
     * @return count.
     */
    int size()
    {
        return connections.length - freeCount;
    }

    /**
     * The nodes with at least one connection here; a live view, do not modify.
     *
     * @return node ids.
     */
    Set<String> origins()
    {
        return byOrigin.keySet();
    }
}
