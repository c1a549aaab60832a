package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRosterTest
{
    @Test
    void shouldOwnTheSocketsOfItsResidueAndGroupThemByRole()
    {
        final FleetState fleet = new FleetState(
            LoadSettings.parse(new String[]{"--rooms", "3", "--room-size", "4", "--publishers", "2"}), 7);

        final AgentRoster roster = new AgentRoster(fleet, 1, 3);

        assertEquals(4, roster.connections.length);
        assertEquals(1, roster.connections[0].socketIndex);
        assertEquals(4, roster.connections[1].socketIndex);
        assertEquals(7, roster.connections[2].socketIndex);
        assertEquals(10, roster.connections[3].socketIndex);
        assertEquals(1, roster.connections[1].room);
        assertTrue(roster.connections[1].host, "socket 4 is member zero of room 1");
        assertArrayEquals(new int[]{0, 1}, roster.publishers, "sockets 1 and 4 are among their rooms' first two");
        assertArrayEquals(new int[]{1}, roster.hosts);
        assertArrayEquals(new int[]{0, 2, 3}, roster.viewers);
        for (final ClientConnection connection : roster.connections)
        {
            assertEquals(ClientConnection.IDLE, connection.state);
        }
    }

    @Test
    void shouldSplitTheFleetWithoutOverlapOrGap()
    {
        final FleetState fleet = new FleetState(LoadSettings.parse(new String[]{
            "--scenario", "slow-consumers", "--rooms", "5", "--room-size", "7", "--slow-share", "0.5"}), 7);
        final boolean[] seen = new boolean[35];
        int slow = 0;

        for (int agent = 0; agent < 4; agent++)
        {
            final AgentRoster roster = new AgentRoster(fleet, agent, 4);
            assertEquals(roster.connections.length, roster.hosts.length + roster.viewers.length);
            for (final ClientConnection connection : roster.connections)
            {
                assertEquals(agent, connection.socketIndex % 4);
                assertFalse(seen[connection.socketIndex], "socket " + connection.socketIndex + " owned twice");
                seen[connection.socketIndex] = true;
                assertEquals(fleet.isSlow(connection.socketIndex), connection.slow);
                slow += connection.slow ? 1 : 0;
            }
        }

        for (int i = 0; i < seen.length; i++)
        {
            assertTrue(seen[i], "socket " + i + " owned by no agent");
        }
        assertEquals(15, slow, "half of the 30 viewers that do not publish");
    }
}
