package dev.switchboard.net.io;

import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.settings.SwitchboardSettings;

/**
 * The slots of one IoAgent's connections: an array indexed by slot, a free stack, and a generation per slot
 * so that a reused slot gets a new connection id.
 */
final class ConnectionTable
{
    private final int agentIndex;
    private final SwitchboardSettings settings;
    private final Connection[] slots;
    private final int[] free;
    private int freeCount;
    private int highWater;
    private int inUse;

    ConnectionTable(final int agentIndex, final int capacity, final SwitchboardSettings settings)
    {
        this.agentIndex = agentIndex;
        this.settings = settings;
        this.slots = new Connection[capacity];
        this.free = new int[capacity];
        for (int i = capacity - 1; i >= 0; i--)
        {
            free[freeCount++] = i;
        }
    }

    /** A free connection with a fresh id, or null when full. */
    Connection allocate()
    {
        if (0 == freeCount)
        {
            return null;
        }
        final int slot = free[--freeCount];
        Connection connection = slots[slot];
        if (null == connection)
        {
            connection = new Connection(slot, settings);
            slots[slot] = connection;
        }
        connection.generation++;
        connection.id = ConnectionIds.compose(agentIndex, connection.generation, slot);
        highWater = Math.max(highWater, slot + 1);
        inUse++;
        return connection;
    }

    /** The live connection with this id, or null when the id is stale or foreign. */
    Connection get(final long connectionId)
    {
        final int slot = ConnectionIds.slot(connectionId);
        if (slot >= slots.length)
        {
            return null;
        }
        final Connection connection = slots[slot];
        return null != connection && connection.id == connectionId && ConnectionState.FREE != connection.state ?
            connection : null;
    }

    void free(final Connection connection)
    {
        connection.reset();
        free[freeCount++] = connection.slot;
        inUse--;
    }

    /** Slot index bound for scans: every live connection has a slot below it. */
    int highWater()
    {
        return highWater;
    }

    Connection at(final int slot)
    {
        return slots[slot];
    }

    int inUse()
    {
        return inUse;
    }

    int capacity()
    {
        return slots.length;
    }
}
