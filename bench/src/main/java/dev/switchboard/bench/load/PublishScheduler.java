package dev.switchboard.bench.load;

/**
 * Sends the agent's scheduled messages at their intended times, open loop: game events of the publishers, and in
 * mixed the hosts' game state and the viewers' offers, each group on its own round-robin schedule from the fleet's
 * traffic start. A message whose sender is not joined is counted as missed, never sent late. In churn the traffic
 * start also sets when each viewer first leaves. Agent thread only.
 */
final class PublishScheduler
{
    private static final int MAX_SENDS_PER_CYCLE = 20_000;

    private final FleetState fleet;
    private final LoadSettings settings;
    private final FleetCounters counters;
    private final ClientMessagePublisher publisher;
    private final ClientConnection[] connections;
    private final int[] publishers;
    private final int[] hosts;
    private final int[] viewers;
    private final long publishIntervalNs;
    private final long stateIntervalNs;
    private final long offerIntervalNs;
    private final long sessionNs;
    private boolean trafficStarted;
    private RoundRobinSchedule publishSchedule;
    private RoundRobinSchedule stateSchedule;
    private RoundRobinSchedule offerSchedule;

    /**
     * Makes the scheduler of one agent's sockets.
     *
     * @param fleet     the phase times, the settings and the send-lag channel.
     * @param counters  the agent's counters.
     * @param roster    the agent's sockets and their groups.
     * @param publisher writes the messages.
     */
    PublishScheduler(
        final FleetState fleet,
        final FleetCounters counters,
        final AgentRoster roster,
        final ClientMessagePublisher publisher)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.counters = counters;
        this.publisher = publisher;
        this.connections = roster.connections;
        this.publishers = roster.publishers;
        this.hosts = roster.hosts;
        this.viewers = roster.viewers;
        this.publishIntervalNs = SendSchedule.intervalNs(settings.ratePerPublisher());
        this.stateIntervalNs = SendSchedule.intervalNs(settings.stateHz);
        this.offerIntervalNs = SendSchedule.intervalNs(1.0 / settings.offerIntervalSeconds);
        this.sessionNs = (long)(settings.sessionSeconds * 1e9);
    }

    /**
     * Whether the traffic phase has begun for this agent.
     *
     * @return true once {@link #beginTraffic} ran.
     */
    boolean trafficStarted()
    {
        return trafficStarted;
    }

    /**
     * How long a churn viewer stays in its room after a join.
     *
     * @return nanoseconds.
     */
    long sessionNs()
    {
        return sessionNs;
    }

    /**
     * Starts every schedule at the fleet's traffic start; in churn, spreads the viewers' first leaves over one
     * session.
     *
     * @param startNs the first intended send time.
     */
    void beginTraffic(final long startNs)
    {
        trafficStarted = true;
        if (publishers.length > 0)
        {
            publishSchedule = new RoundRobinSchedule(publishers.length, publishIntervalNs, startNs);
        }
        if (Scenario.MIXED == settings.scenario)
        {
            if (hosts.length > 0)
            {
                stateSchedule = new RoundRobinSchedule(hosts.length, stateIntervalNs, startNs);
            }
            if (viewers.length > 0)
            {
                offerSchedule = new RoundRobinSchedule(viewers.length, offerIntervalNs, startNs);
            }
        }
        if (Scenario.CHURN == settings.scenario)
        {
            for (int i = 0; i < viewers.length; i++)
            {
                final ClientConnection connection = connections[viewers[i]];
                if (!connection.publisher)
                {
                    connection.leaveDueNs = startNs + SendSchedule.offsetNs(i, viewers.length, sessionNs);
                }
            }
        }
    }

    /**
     * The intended time of the next scheduled message, so the agent knows how long it may wait.
     *
     * @return nanoseconds, or {@link Long#MAX_VALUE} before traffic or once nothing is due before the send stop.
     */
    long nextDueNs()
    {
        if (!trafficStarted)
        {
            return Long.MAX_VALUE;
        }
        long dueNs = Long.MAX_VALUE;
        if (null != publishSchedule)
        {
            dueNs = publishSchedule.intendedNs();
        }
        if (null != stateSchedule)
        {
            dueNs = Math.min(dueNs, stateSchedule.intendedNs());
        }
        if (null != offerSchedule)
        {
            dueNs = Math.min(dueNs, offerSchedule.intendedNs());
        }
        return dueNs - fleet.sendStopNs() >= 0 ? Long.MAX_VALUE : dueNs;
    }

    /**
     * Sends every message intended at or before {@code nowNs} and before the send stop, at most
     * 20,000 per call, game events first.
     *
     * @param nowNs the current time.
     */
    void sendDue(final long nowNs)
    {
        final long stopNs = fleet.sendStopNs();
        final long measureNs = fleet.measureStartNs();
        int sends = 0;
        final RoundRobinSchedule pubs = publishSchedule;
        while (null != pubs && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = pubs.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[publishers[pubs.member()]];
            if (ClientConnection.JOINED == connection.state)
            {
                publisher.sendGameEvent(connection, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            pubs.advance();
            sends++;
        }
        final RoundRobinSchedule states = stateSchedule;
        while (null != states && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = states.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[hosts[states.member()]];
            if (ClientConnection.JOINED == connection.state)
            {
                publisher.sendGameState(connection, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            states.advance();
            sends++;
        }
        final RoundRobinSchedule offers = offerSchedule;
        while (null != offers && sends < MAX_SENDS_PER_CYCLE)
        {
            final long intendedNs = offers.intendedNs();
            if (intendedNs - nowNs > 0 || intendedNs - stopNs >= 0)
            {
                break;
            }
            final ClientConnection connection = connections[viewers[offers.member()]];
            if (ClientConnection.JOINED == connection.state && null != connection.peerId)
            {
                publisher.sendSdp(connection, false, connection.peerId, 0, connection.peerId.length, intendedNs);
                countSent(intendedNs, measureNs);
            }
            else
            {
                counters.increment(FleetCounters.MISSED);
            }
            offers.advance();
            sends++;
        }
    }

    private void countSent(final long intendedNs, final long measureNs)
    {
        fleet.sendLag.record(System.nanoTime() - intendedNs);
        counters.increment(FleetCounters.SENT);
        if (intendedNs - measureNs >= 0)
        {
            counters.increment(FleetCounters.SENT_IN_WINDOW);
        }
    }
}
