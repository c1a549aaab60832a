package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublishSchedulerTest
{
    private static final long MS = 1_000_000L;
    private static final long START_NS = 5_000_000_000L;

    private final FleetCounters counters = new FleetCounters();
    private FleetState fleet;
    private AgentRoster roster;
    private PublishScheduler scheduler;

    @Test
    void shouldWaitForTheTrafficStartBeforeAnythingIsDue()
    {
        build("--rooms", "2", "--room-size", "3", "--rate", "10");

        assertEquals(Long.MAX_VALUE, scheduler.nextDueNs());
    }

    @Test
    void shouldSendEveryDueGameEventOnTimeAndCountAbsentPublishersAsMissed()
    {
        build("--rooms", "2", "--room-size", "3", "--rate", "10");
        fleet.startTraffic(START_NS, START_NS + 100 * MS, START_NS + 1_000 * MS);
        scheduler.beginTraffic(START_NS);
        final ClientConnection joined = roster.connections[roster.publishers[0]];
        final ClientConnection joining = roster.connections[roster.publishers[1]];
        joined.state = ClientConnection.JOINED;
        joining.state = ClientConnection.JOINING;
        final long firstNumber = fleet.tracker.nextNumber();

        scheduler.sendDue(START_NS + 149 * MS);

        assertEquals(2, counters.get(FleetCounters.SENT), "the joined publisher's events at 0 and 100 ms");
        assertEquals(1, counters.get(FleetCounters.MISSED), "the joining publisher's event at 50 ms");
        assertEquals(1, counters.get(FleetCounters.SENT_IN_WINDOW), "only the event at 100 ms is in the window");
        assertEquals(2, joined.seq);
        assertEquals(START_NS, fleet.tracker.intendedNs(firstNumber), "tracked under its intended time");
        assertEquals(START_NS + 100 * MS, fleet.tracker.intendedNs(firstNumber + 1));
        assertEquals(START_NS + 150 * MS, scheduler.nextDueNs(), "the joining publisher's second event");
    }

    @Test
    void shouldSendNothingIntendedAtOrAfterTheSendStop()
    {
        build("--rooms", "2", "--room-size", "3", "--rate", "10");
        fleet.startTraffic(START_NS, START_NS, START_NS + 200 * MS);
        scheduler.beginTraffic(START_NS);
        roster.connections[roster.publishers[0]].state = ClientConnection.JOINED;
        roster.connections[roster.publishers[1]].state = ClientConnection.JOINED;

        scheduler.sendDue(START_NS + 10_000 * MS);

        assertEquals(4, counters.get(FleetCounters.SENT), "events at 0, 50, 100 and 150 ms");
        assertEquals(0, counters.get(FleetCounters.MISSED));
        assertEquals(Long.MAX_VALUE, scheduler.nextDueNs(), "nothing is due before the stop any more");
    }

    @Test
    void shouldScheduleGameStateFromHostsAndOffersFromViewersWhoKnowTheirHostInMixed()
    {
        build("--scenario", "mixed", "--rooms", "1", "--room-size", "3", "--rate", "1", "--state-hz", "1",
            "--offer-interval", "5", "--ice-burst", "2");
        fleet.startTraffic(START_NS, START_NS, START_NS + 10_000 * MS);
        scheduler.beginTraffic(START_NS);
        for (final ClientConnection connection : roster.connections)
        {
            connection.state = ClientConnection.JOINED;
        }
        roster.connections[roster.viewers[0]].peerId = "host-user".getBytes(StandardCharsets.US_ASCII);
        final long firstNumber = fleet.tracker.nextNumber();

        scheduler.sendDue(START_NS + 2_500 * MS);

        assertEquals(3 + 3 + 1, counters.get(FleetCounters.SENT),
            "game events and game state at 0, 1 and 2 s, and the first viewer's offer at 0 s");
        assertEquals(1, counters.get(FleetCounters.MISSED), "the second viewer knows no host to offer to at 2.5 s");
        assertEquals(3 + 3 + 1, fleet.tracker.nextNumber() - firstNumber,
            "no ICE burst follows an offer whose socket is closed");
        assertEquals(3, roster.connections[roster.hosts[0]].stateVersion);
        assertEquals(START_NS + 3_000 * MS, scheduler.nextDueNs());
    }

    @Test
    void shouldSpreadTheViewersFirstLeavesOverOneSessionInChurn()
    {
        build("--scenario", "churn", "--rooms", "1", "--room-size", "5", "--session-seconds", "4");

        scheduler.beginTraffic(START_NS);

        assertEquals(Long.MAX_VALUE, roster.connections[0].leaveDueNs, "the publishing host never leaves");
        for (int i = 1; i < 5; i++)
        {
            assertEquals(START_NS + (i - 1) * 1_000 * MS, roster.connections[i].leaveDueNs, "viewer " + i);
        }
    }

    private void build(final String... args)
    {
        fleet = new FleetState(LoadSettings.parse(args), 7);
        roster = new AgentRoster(fleet, 0, 1);
        final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
        final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 1);
        scheduler = new PublishScheduler(fleet, counters, roster, new ClientMessagePublisher(fleet, closer, sender));
    }
}
