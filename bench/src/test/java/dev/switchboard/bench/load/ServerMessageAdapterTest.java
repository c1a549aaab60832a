package dev.switchboard.bench.load;

import dev.switchboard.engine.protocol.Uuids;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerMessageAdapterTest
{
    private static final long SENT_NS = 7_000_000_000L;
    private static final long LATENCY_NS = 250_000L;

    private final FleetCounters counters = new FleetCounters();
    private FleetState fleet;
    private AgentRoster roster;
    private PublishScheduler scheduler;
    private ServerMessageAdapter adapter;

    @Test
    void shouldJoinTheSocketCountItAsReceiverAndLearnItsHost()
    {
        build("--rooms", "2", "--room-size", "3");
        final ClientConnection viewer = roster.connections[4];
        viewer.state = ClientConnection.JOINING;

        text(viewer, "{\"type\":\"joined\",\"roomId\":\"r\",\"userId\":\"u-4\",\"hostId\":\"u-3\"}", SENT_NS);

        assertEquals(ClientConnection.JOINED, viewer.state);
        assertEquals(SENT_NS, viewer.stateSinceNs);
        assertArrayEquals(ascii("u-4"), viewer.userId);
        assertArrayEquals(ascii("u-3"), viewer.peerId);
        assertEquals(1, fleet.receivers.get(1));
        assertEquals(1, counters.get(FleetCounters.JOINED));
        assertEquals(1, counters.get(FleetCounters.RECEIVED));

        text(viewer, "{\"type\":\"joined\",\"roomId\":\"r\",\"userId\":\"again\"}", SENT_NS);
        assertEquals(1, counters.get(FleetCounters.JOINED), "a second joined is ignored");
        assertArrayEquals(ascii("u-4"), viewer.userId);
    }

    @Test
    void shouldRecordTheLatencyOfEachTrackedDeliveryFromItsIntendedTime()
    {
        build("--rooms", "2", "--room-size", "3");
        final long n = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, 2, SENT_NS);

        text(roster.connections[1], gameEvent(n, n, 0), SENT_NS + LATENCY_NS);
        assertEquals(1, sample(fleet.firstRecipient).getTotalCount());
        assertEquals(0, sample(fleet.lastRecipient).getTotalCount(), "one of two recipients so far");
        text(roster.connections[2], gameEvent(n, n, 0), SENT_NS + 2 * LATENCY_NS);

        assertEquals(2, counters.get(FleetCounters.DELIVERIES));
        final Histogram all = sample(fleet.all);
        assertEquals(2, all.getTotalCount());
        assertTrue(all.valuesAreEquivalent(2 * LATENCY_NS, all.getMaxValue()), "max " + all.getMaxValue());
        final Histogram last = sample(fleet.lastRecipient);
        assertEquals(1, last.getTotalCount());
        assertTrue(last.valuesAreEquivalent(2 * LATENCY_NS, last.getMaxValue()));
        assertEquals(0, counters.get(FleetCounters.UNTRACKED));
        assertEquals(0, counters.get(FleetCounters.CROSS_ROOM));
        assertEquals(0, counters.get(FleetCounters.MISMATCHED));

        text(roster.connections[2], gameEvent(n, n, 0), SENT_NS + 3 * LATENCY_NS);
        assertEquals(1, counters.get(FleetCounters.UNTRACKED), "a third copy is beyond the two expected");
    }

    @Test
    void shouldCountAGameEventFromAnotherRoomOrWithAnotherMsgId()
    {
        build("--rooms", "2", "--room-size", "3");
        final long n = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, 5, SENT_NS);

        text(roster.connections[1], gameEvent(n, n, 3), SENT_NS + LATENCY_NS);
        assertEquals(1, counters.get(FleetCounters.CROSS_ROOM), "publisher 3 is in room 1, the reader in room 0");

        text(roster.connections[2], gameEvent(n, n + 1, 0), SENT_NS + LATENCY_NS);
        assertEquals(1, counters.get(FleetCounters.MISMATCHED));
        assertEquals(2, counters.get(FleetCounters.DELIVERIES), "both still count as deliveries");
    }

    @Test
    void shouldLearnTheSenderFromTheFirstGameEventButRecordNothingOnASlowConsumer()
    {
        build("--scenario", "slow-consumers", "--rooms", "1", "--room-size", "3", "--slow-share", "0.5");
        final ClientConnection slow = roster.connections[1].slow ? roster.connections[1] : roster.connections[2];
        final long n = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, 1, SENT_NS);

        text(slow, gameEvent(n, n, 0), SENT_NS + LATENCY_NS);

        assertTrue(slow.slow);
        assertArrayEquals(ascii("u-0"), slow.peerId);
        assertEquals(0, counters.get(FleetCounters.DELIVERIES));
        assertEquals(0, sample(fleet.all).getTotalCount());
    }

    @Test
    void shouldRecordAckLatencyOnlyForGameEventsAndSdp()
    {
        build("--rooms", "1", "--room-size", "3");
        final long event = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, 2, SENT_NS);
        final long join = fleet.tracker.register(MessageTracker.KIND_JOIN, 0, SENT_NS);

        text(roster.connections[0], "{\"type\":\"ack\",\"for\":\"" + msgId(event) + "\"}", SENT_NS + LATENCY_NS);
        text(roster.connections[0], "{\"type\":\"ack\",\"for\":\"" + msgId(join) + "\"}", SENT_NS + LATENCY_NS);
        text(roster.connections[0], "{\"type\":\"ack\",\"for\":\"not-a-uuid\"}", SENT_NS + LATENCY_NS);

        assertEquals(3, counters.get(FleetCounters.ACKS));
        final Histogram ack = sample(fleet.ack);
        assertEquals(1, ack.getTotalCount());
        assertTrue(ack.valuesAreEquivalent(LATENCY_NS, ack.getMaxValue()));
    }

    @Test
    void shouldFailAJoinThatTheServerRefuses()
    {
        build("--rooms", "1", "--room-size", "3");
        final ClientConnection joining = roster.connections[1];
        joining.state = ClientConnection.JOINING;
        final ClientConnection joined = roster.connections[2];
        joined.state = ClientConnection.JOINED;
        final String error = "{\"type\":\"error\",\"code\":\"room_full\"}";

        text(joining, error, SENT_NS);
        text(joined, error, SENT_NS);

        assertEquals(2, counters.get(FleetCounters.ERRORS));
        assertEquals(1, counters.get(FleetCounters.CONNECT_FAILURES));
        assertEquals(ClientConnection.CLOSED, joining.state);
        assertEquals(ClientConnection.JOINED, joined.state, "an error after the join does not end the socket");
    }

    @Test
    void shouldAnswerAnOfferWithItsIceBurstAndRecordTheDirectedLatency() throws IOException
    {
        build("--scenario", "mixed", "--rooms", "1", "--room-size", "3", "--ice-burst", "3");
        final ClientConnection host = roster.connections[0];
        host.state = ClientConnection.JOINED;
        final long firstNumber = fleet.tracker.nextNumber();
        try (LoopbackClients loopback = new LoopbackClients())
        {
            final SocketChannel peer = loopback.connect(host);

            text(host, "{\"type\":\"webrtc_offer\",\"senderId\":\"u-1\",\"payload\":{\"sdp\":\"v=0 lg t=" + SENT_NS +
                "\"}}", SENT_NS + LATENCY_NS);

            final List<LoopbackClients.ClientFrame> frames = LoopbackClients.readClientFrames(peer, 4);
            assertTrue(frames.get(0).text().contains("\"type\":\"webrtc_answer\""), frames.get(0).text());
            assertTrue(frames.get(0).text().contains("\"to\":\"u-1\""), frames.get(0).text());
            for (int i = 1; i < 4; i++)
            {
                assertTrue(frames.get(i).text().contains("\"type\":\"ice_candidate\""), frames.get(i).text());
                assertTrue(frames.get(i).text().contains("\"to\":\"u-1\""), frames.get(i).text());
            }
        }
        assertEquals(1, counters.get(FleetCounters.OTHER_RELAYED));
        final Histogram directed = sample(fleet.directed);
        assertEquals(1, directed.getTotalCount());
        assertTrue(directed.valuesAreEquivalent(LATENCY_NS, directed.getMaxValue()));
        assertEquals(MessageTracker.KIND_SDP, fleet.tracker.kind(firstNumber), "the answer");
        assertEquals(SENT_NS + LATENCY_NS, fleet.tracker.intendedNs(firstNumber), "sent when the offer arrived");
        assertEquals(1 + 3, fleet.tracker.nextNumber() - firstNumber, "the answer and its ICE burst");
        assertEquals(4, host.seq);
    }

    @Test
    void shouldCountTheOtherMessageTypes()
    {
        build("--rooms", "1", "--room-size", "3");
        final ClientConnection viewer = roster.connections[1];

        text(viewer, "{\"type\":\"game_state\",\"payload\":{\"patch\":{\"t\":" + SENT_NS + "}}}", SENT_NS + LATENCY_NS);
        text(viewer, "{\"type\":\"ice_candidate\",\"payload\":{}}", SENT_NS);
        text(viewer, "{\"type\":\"flow_control\",\"state\":\"paused\"}", SENT_NS);
        text(viewer, "{\"type\":\"game_error\",\"code\":\"rate_limited\"}", SENT_NS);
        text(viewer, "{\"no_type\":1}", SENT_NS);

        assertEquals(5, counters.get(FleetCounters.RECEIVED));
        assertEquals(5, viewer.messagesRead);
        assertEquals(2, counters.get(FleetCounters.OTHER_RELAYED));
        assertEquals(1, counters.get(FleetCounters.FLOW_CONTROL));
        assertEquals(1, counters.get(FleetCounters.RATE_LIMITED));
        assertEquals(1, sample(fleet.state).getTotalCount());
        assertNull(viewer.peerId);
    }

    @Test
    void shouldSetTheNextLeaveAndCountTheCycleOfARejoinDuringChurn()
    {
        build("--scenario", "churn", "--rooms", "1", "--room-size", "3", "--session-seconds", "2");
        scheduler.beginTraffic(SENT_NS);
        final ClientConnection viewer = roster.connections[1];
        viewer.state = ClientConnection.JOINING;
        viewer.attempts = 2;

        text(viewer, "{\"type\":\"joined\",\"userId\":\"u-1\",\"hostId\":\"u-0\"}", SENT_NS + LATENCY_NS);

        assertEquals(SENT_NS + LATENCY_NS + 2_000_000_000L, viewer.leaveDueNs);
        assertEquals(1, counters.get(FleetCounters.CHURN_CYCLES));
    }

    private void build(final String... args)
    {
        fleet = new FleetState(LoadSettings.parse(args), 7);
        roster = new AgentRoster(fleet, 0, 1);
        final ConnectionCloser closer = new ConnectionCloser(fleet, counters);
        final FrameSender sender = new FrameSender(counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 1);
        final ClientMessagePublisher publisher = new ClientMessagePublisher(fleet, closer, sender);
        scheduler = new PublishScheduler(fleet, counters, roster, publisher);
        adapter = new ServerMessageAdapter(fleet, counters, closer, publisher, scheduler);
    }

    private void text(final ClientConnection connection, final String json, final long receiveNs)
    {
        final byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        adapter.onText(connection, bytes, 2, bytes.length - 2, receiveNs);
    }

    private String gameEvent(final long n, final long msgIdNumber, final int publisher)
    {
        return "{\"type\":\"game_event\",\"msgId\":\"" + msgId(msgIdNumber) + "\",\"senderId\":\"u-" + publisher +
            "\",\"payload\":{\"t\":" + SENT_NS + ",\"pub\":" + publisher + ",\"n\":" + n + "}}";
    }

    private String msgId(final long n)
    {
        final byte[] id = new byte[Uuids.CANONICAL_LENGTH];
        Uuids.write(fleet.msgIdHigh, FleetState.msgIdLow(n), id, 0);
        return new String(id, StandardCharsets.US_ASCII);
    }

    private static Histogram sample(final LatencyChannel channel)
    {
        return channel.sample(false);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
