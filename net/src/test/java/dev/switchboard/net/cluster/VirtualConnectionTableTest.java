package dev.switchboard.net.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.net.cluster.VirtualConnectionTable.VirtualConnection;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of sockets of other nodes served here, alone: allocation, lookup by origin and by id, freeing,
 * stale ids after reuse, and the bound on its size.
 */
class VirtualConnectionTableTest
{
    private static final int AGENT_INDEX = 3;

    @Test
    void shouldFindAnAllocatedConnectionByOriginAndById()
    {
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, 4);

        final VirtualConnection c = table.allocate("node-a", 77L);

        assertEquals(1, table.size());
        assertSame(c, table.find("node-a", 77L));
        assertNull(table.find("node-a", 78L), "another socket of the same node");
        assertNull(table.find("node-b", 77L), "the same socket id on another node");
        final long id = table.idOf(c);
        assertEquals(AGENT_INDEX, ConnectionIds.agentIndex(id));
        assertEquals(c.slot, ConnectionIds.slot(id));
        assertSame(c, table.byId(id));
        assertEquals(-1, c.shard, "no shard until its first message is published");
        assertNull(c.room);
        assertFalse(c.published);
        assertFalse(c.closing);
        assertEquals("node-a", c.node);
        assertEquals(77L, c.originConnectionId);
    }

    @Test
    void shouldForgetAFreedConnectionAndItsOrigin()
    {
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, 4);
        final VirtualConnection a1 = table.allocate("node-a", 1L);
        final VirtualConnection a2 = table.allocate("node-a", 2L);
        table.allocate("node-b", 1L);
        final long a1Id = table.idOf(a1);

        table.free(a1);

        assertNull(table.find("node-a", 1L));
        assertNull(table.byId(a1Id), "a freed slot's id names nothing");
        assertSame(a2, table.find("node-a", 2L));
        assertEquals(Set.of("node-a", "node-b"), new HashSet<>(table.origins()));
        table.free(a2);
        assertEquals(Set.of("node-b"), new HashSet<>(table.origins()), "an origin leaves with its last socket");
        assertEquals(1, table.size());

        table.free(a2);
        assertEquals(1, table.size(), "freeing twice gives nothing back twice");
    }

    @Test
    void shouldNotTakeAnOldIdForTheSlotsNextConnection()
    {
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, 1);
        final VirtualConnection first = table.allocate("node-a", 1L);
        final long firstId = table.idOf(first);
        table.free(first);

        final VirtualConnection second = table.allocate("node-b", 9L);

        assertSame(first, second, "the only slot is reused");
        final long secondId = table.idOf(second);
        assertNotEquals(firstId, secondId, "a new generation");
        assertNull(table.byId(firstId), "a reply to the old connection must not reach the new one");
        assertSame(second, table.byId(secondId));
        assertNull(table.find("node-a", 1L));
        assertFalse(second.published, "reset on reuse");
        assertEquals(-1, second.shard, "reset on reuse");
    }

    @Test
    void shouldRejectIdsOfOtherAgentsAndSlotsPastTheEnd()
    {
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, 2);
        final VirtualConnection c = table.allocate("node-a", 1L);

        assertNull(table.byId(ConnectionIds.compose(AGENT_INDEX - 1, c.generation, c.slot)));
        assertNull(table.byId(ConnectionIds.compose(AGENT_INDEX, c.generation, 2)));
        assertNull(table.byId(ConnectionIds.compose(AGENT_INDEX, c.generation, 1)), "a free slot");
    }

    @Test
    void shouldRefusePastItsCapacityAndNeverGrow()
    {
        final int capacity = 8;
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, capacity);
        for (int i = 0; i < capacity; i++)
        {
            assertNotNullConnection(table.allocate("node-" + (i % 3), i));
        }

        assertNull(table.allocate("node-x", 100L), "full");
        assertEquals(capacity, table.size());
        assertEquals(capacity, table.capacity());

        for (int round = 0; round < 1_000; round++)
        {
            final int connection = round % 3;
            table.free(table.find("node-" + connection, connection));
            assertNotNullConnection(table.allocate("node-" + connection, connection));
            assertNull(table.allocate("node-y", round), "still full after a free and an allocation");
        }
        assertEquals(capacity, table.capacity(), "the table does not grow");
        for (int v = 0; v < capacity; v++)
        {
            table.free(table.slot(v));
        }
        assertEquals(0, table.size());
        assertTrue(table.origins().isEmpty(), "no index entry outlives its connections");
    }

    @Test
    void shouldRejectACapacityOutsideTheConnectionIdSpace()
    {
        assertThrows(IllegalArgumentException.class, () -> new VirtualConnectionTable(AGENT_INDEX, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new VirtualConnectionTable(AGENT_INDEX, ConnectionIds.MAX_SLOTS + 1));
    }

    private static void assertNotNullConnection(final VirtualConnection c)
    {
        assertTrue(null != c && c.inUse, "a free slot was available");
    }

    @Test
    void shouldGiveAReusedSlotNoGrantsAndKeepItsPatternArray()
    {
        final VirtualConnectionTable table = new VirtualConnectionTable(AGENT_INDEX, 1);
        final VirtualConnection first = table.allocate("node-a", 1L);
        final byte[] body = {0, 0, 0, (byte)(Grants.ROOMS_LIMITED | Grants.DENY_COHOST), 1, 4, 'q', 'u', 'i', 'z'};
        assertTrue(GrantsRecord.isValid(body, 0, body.length));
        first.grants.set(body, 0, body.length);
        assertTrue(first.grants.isRestricted());
        final byte[] patterns = first.grants.rooms();
        table.free(first);

        final VirtualConnection reused = table.allocate("node-b", 2L);
        assertSame(first, reused);
        assertFalse(reused.grants.isRestricted(), "another socket starts unrestricted until its grants arrive");
        assertEquals(0, reused.grants.roomsLength());
        reused.grants.set(body, 0, body.length);
        assertSame(patterns, reused.grants.rooms(), "patterns that fit are copied into the slot's array");
    }
}
