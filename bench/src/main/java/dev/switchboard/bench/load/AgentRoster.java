package dev.switchboard.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The sockets one agent owns, in the order they connect, and which of them publish, host or only view: the groups
 * hold indexes into {@link #connections}. Built once; the agent thread owns the connections afterwards.
 */
final class AgentRoster
{
    /** This agent's sockets, by ascending global socket index. */
    final ClientConnection[] connections;

    /** Indexes of the sockets that publish game events. */
    final int[] publishers;

    /** Indexes of the sockets that host their room (member zero). */
    final int[] hosts;

    /** Indexes of the sockets that do not host their room. */
    final int[] viewers;

    /**
     * Takes the sockets whose global index modulo {@code agentCount} is {@code agentIndex}.
     *
     * @param fleet      the fleet's layout of rooms, hosts, publishers and slow consumers.
     * @param agentIndex this agent's index.
     * @param agentCount number of agents.
     */
    AgentRoster(final FleetState fleet, final int agentIndex, final int agentCount)
    {
        final List<ClientConnection> mine = new ArrayList<>();
        for (int i = agentIndex; i < fleet.settings.totalSockets(); i += agentCount)
        {
            mine.add(new ClientConnection(
                i, fleet.roomOf(i), 0 == fleet.memberOf(i), fleet.isPublisher(i), fleet.isSlow(i)));
        }
        connections = mine.toArray(new ClientConnection[0]);
        int publisherCount = 0;
        int hostCount = 0;
        for (final ClientConnection connection : connections)
        {
            publisherCount += connection.publisher ? 1 : 0;
            hostCount += connection.host ? 1 : 0;
        }
        publishers = new int[publisherCount];
        hosts = new int[hostCount];
        viewers = new int[connections.length - hostCount];
        int p = 0;
        int h = 0;
        int v = 0;
        for (int i = 0; i < connections.length; i++)
        {
            if (connections[i].publisher)
            {
                publishers[p++] = i;
            }
            if (connections[i].host)
            {
                hosts[h++] = i;
            }
            else
            {
                viewers[v++] = i;
            }
        }
    }
}
