package dev.switchboard.bench.load;

import dev.switchboard.engine.protocol.Uuids;

import java.nio.charset.StandardCharsets;

/**
 * Turns each whole text message from the server into the agent's bookkeeping: latencies from the intended send time
 * of game events, acks, game state and offers or answers, deliveries checked against the tracker and the
 * publisher's room, the join that completes a socket's setup, and errors. Scans the JSON in place; only a join and
 * a viewer's first game event copy out an id. Agent thread only.
 */
final class ServerMessageAdapter
{
    private static final byte[] Q_TYPE = JsonScan.quotedName("type");
    private static final byte[] Q_T = JsonScan.quotedName("t");
    private static final byte[] Q_N = JsonScan.quotedName("n");
    private static final byte[] Q_FOR = JsonScan.quotedName("for");
    private static final byte[] Q_USER_ID = JsonScan.quotedName("userId");
    private static final byte[] Q_HOST_ID = JsonScan.quotedName("hostId");
    private static final byte[] Q_SENDER_ID = JsonScan.quotedName("senderId");
    private static final byte[] Q_MSG_ID = JsonScan.quotedName("msgId");
    private static final byte[] Q_PUB = JsonScan.quotedName("pub");
    private static final byte[] V_GAME_EVENT = JsonScan.quotedValue("game_event");
    private static final byte[] V_ACK = JsonScan.quotedValue("ack");
    private static final byte[] V_JOINED = JsonScan.quotedValue("joined");
    private static final byte[] V_ERROR = JsonScan.quotedValue("error");
    private static final byte[] V_GAME_ERROR = JsonScan.quotedValue("game_error");
    private static final byte[] V_GAME_STATE = JsonScan.quotedValue("game_state");
    private static final byte[] V_OFFER = JsonScan.quotedValue("webrtc_offer");
    private static final byte[] V_ANSWER = JsonScan.quotedValue("webrtc_answer");
    private static final byte[] V_ICE = JsonScan.quotedValue("ice_candidate");
    private static final byte[] V_FLOW_CONTROL = JsonScan.quotedValue("flow_control");
    private static final byte[] SDP_TIME = "lg t=".getBytes(StandardCharsets.US_ASCII);

    private final FleetState fleet;
    private final LoadSettings settings;
    private final FleetCounters counters;
    private final ConnectionCloser closer;
    private final ClientMessagePublisher publisher;
    private final PublishScheduler scheduler;

    /**
     * Makes the adapter of one agent.
     *
     * @param fleet     the tracker, the latency channels and the per-room receiver counts.
     * @param counters  the agent's counters.
     * @param closer    closes a socket whose join fails.
     * @param publisher answers offers.
     * @param scheduler says whether traffic has begun, and the churn session length.
     */
    ServerMessageAdapter(
        final FleetState fleet,
        final FleetCounters counters,
        final ConnectionCloser closer,
        final ClientMessagePublisher publisher,
        final PublishScheduler scheduler)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.counters = counters;
        this.closer = closer;
        this.publisher = publisher;
        this.scheduler = scheduler;
    }

    /**
     * Handles one whole text message read by the socket.
     *
     * @param connection the socket that read it.
     * @param buffer     the array holding the message.
     * @param offset     first byte of the message.
     * @param limit      one past the last byte of the message.
     * @param receiveNs  when the read that completed the message returned.
     */
    void onText(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final long receiveNs)
    {
        counters.increment(FleetCounters.RECEIVED);
        connection.messagesRead++;
        final int typeAt = JsonScan.valueIndex(buffer, offset, limit, Q_TYPE);
        if (typeAt < 0)
        {
            return;
        }
        if (JsonScan.matches(buffer, typeAt, limit, V_GAME_EVENT))
        {
            onGameEvent(connection, buffer, offset, limit, receiveNs);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ACK))
        {
            onAck(buffer, offset, limit, receiveNs);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_GAME_STATE))
        {
            counters.increment(FleetCounters.OTHER_RELAYED);
            final long sentNs = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_T), limit,
                Long.MIN_VALUE);
            if (Long.MIN_VALUE != sentNs && !connection.slow)
            {
                fleet.state.record(receiveNs - sentNs);
            }
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_JOINED))
        {
            onJoined(connection, buffer, offset, limit, receiveNs);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_GAME_ERROR))
        {
            counters.increment(FleetCounters.RATE_LIMITED);
            if (counters.get(FleetCounters.RATE_LIMITED) == 1)
            {
                ProblemLog.print("first game_error: " +
                    new String(buffer, offset, limit - offset, StandardCharsets.UTF_8));
            }
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ERROR))
        {
            onError(connection, buffer, offset, limit);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_OFFER) || JsonScan.matches(buffer, typeAt, limit, V_ANSWER))
        {
            onSdp(connection, buffer, offset, limit, JsonScan.matches(buffer, typeAt, limit, V_OFFER), receiveNs);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_ICE))
        {
            counters.increment(FleetCounters.OTHER_RELAYED);
        }
        else if (JsonScan.matches(buffer, typeAt, limit, V_FLOW_CONTROL))
        {
            counters.increment(FleetCounters.FLOW_CONTROL);
        }
    }

    private void onGameEvent(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final long receiveNs)
    {
        if (null == connection.peerId && !connection.host)
        {
            connection.peerId = stringValue(buffer, offset, limit, Q_SENDER_ID);
        }
        if (connection.slow)
        {
            return;
        }
        final long sentNs = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_T), limit,
            Long.MIN_VALUE);
        final long n = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_N), limit, -1);
        if (Long.MIN_VALUE == sentNs || n < 0)
        {
            counters.increment(FleetCounters.UNTRACKED);
            return;
        }
        checkIntegrity(connection, buffer, offset, limit, n);
        final long latencyNs = receiveNs - sentNs;
        counters.increment(FleetCounters.DELIVERIES);
        fleet.all.record(latencyNs);
        final int outcome = fleet.tracker.onDelivery(n);
        if (0 != (outcome & MessageTracker.FIRST))
        {
            fleet.firstRecipient.record(latencyNs);
        }
        if (0 != (outcome & MessageTracker.LAST))
        {
            fleet.lastRecipient.record(latencyNs);
        }
        if (MessageTracker.UNTRACKED == outcome || MessageTracker.EXTRA == outcome)
        {
            counters.increment(FleetCounters.UNTRACKED);
            ProblemLog.print("socket " + connection.socketIndex + " got game event " + n +
                " beyond its expected recipients (" + (MessageTracker.EXTRA == outcome ? "extra" : "untracked") + ")");
        }
    }

    private void checkIntegrity(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final long n)
    {
        final long publisher = JsonScan.parseLong(buffer, JsonScan.valueIndex(buffer, offset, limit, Q_PUB), limit, -1);
        if (publisher >= 0 && fleet.roomOf((int)publisher) != connection.room)
        {
            counters.increment(FleetCounters.CROSS_ROOM);
            ProblemLog.print("socket " + connection.socketIndex + " of room " + connection.room + " got game event " +
                n + " of publisher " + publisher + " from room " + fleet.roomOf((int)publisher));
        }
        final int msgIdAt = JsonScan.valueIndex(buffer, offset, limit, Q_MSG_ID);
        if (msgIdAt >= 0 && limit - msgIdAt >= Uuids.CANONICAL_LENGTH + 2 &&
            Uuids.isCanonical(buffer, msgIdAt + 1, Uuids.CANONICAL_LENGTH) &&
            Uuids.parseHigh(buffer, msgIdAt + 1) == fleet.msgIdHigh)
        {
            final long msgIdNumber = Uuids.parseLow(buffer, msgIdAt + 1) & FleetState.NUMBER_MASK;
            if (msgIdNumber != n)
            {
                counters.increment(FleetCounters.MISMATCHED);
                ProblemLog.print("socket " + connection.socketIndex + " got game event with msgId number " +
                    msgIdNumber + " but payload number " + n + ": " +
                    new String(buffer, offset, Math.min(limit - offset, 400), StandardCharsets.UTF_8));
            }
        }
    }

    private void onAck(final byte[] buffer, final int offset, final int limit, final long receiveNs)
    {
        counters.increment(FleetCounters.ACKS);
        final int forAt = JsonScan.valueIndex(buffer, offset, limit, Q_FOR);
        if (forAt < 0 || limit - forAt < Uuids.CANONICAL_LENGTH + 2 ||
            !Uuids.isCanonical(buffer, forAt + 1, Uuids.CANONICAL_LENGTH) ||
            Uuids.parseHigh(buffer, forAt + 1) != fleet.msgIdHigh)
        {
            return;
        }
        final long n = Uuids.parseLow(buffer, forAt + 1) & FleetState.NUMBER_MASK;
        final int kind = fleet.tracker.kind(n);
        if (MessageTracker.KIND_GAME_EVENT == kind || MessageTracker.KIND_SDP == kind)
        {
            fleet.ack.record(receiveNs - fleet.tracker.intendedNs(n));
        }
    }

    private void onJoined(
        final ClientConnection connection, final byte[] buffer, final int offset, final int limit, final long receiveNs)
    {
        if (ClientConnection.JOINING != connection.state)
        {
            return;
        }
        connection.state = ClientConnection.JOINED;
        connection.stateSinceNs = receiveNs;
        connection.userId = stringValue(buffer, offset, limit, Q_USER_ID);
        if (!connection.host)
        {
            final byte[] hostId = stringValue(buffer, offset, limit, Q_HOST_ID);
            if (null != hostId)
            {
                connection.peerId = hostId;
            }
        }
        if (!connection.slow)
        {
            fleet.receivers.incrementAndGet(connection.room);
            connection.inReceivers = true;
        }
        connection.joinedCounted = true;
        counters.increment(FleetCounters.JOINED);
        if (Scenario.CHURN == settings.scenario && scheduler.trafficStarted() && !connection.publisher)
        {
            connection.leaveDueNs = receiveNs + scheduler.sessionNs();
            if (connection.attempts > 1)
            {
                counters.increment(FleetCounters.CHURN_CYCLES);
            }
        }
    }

    private void onError(final ClientConnection connection, final byte[] buffer, final int offset, final int limit)
    {
        counters.increment(FleetCounters.ERRORS);
        ProblemLog.print("socket " + connection.socketIndex + " error: " +
            new String(buffer, offset, Math.min(limit - offset, 300), StandardCharsets.UTF_8));
        if (ClientConnection.JOINING == connection.state)
        {
            counters.increment(FleetCounters.CONNECT_FAILURES);
            closer.close(connection, ClientConnection.CLOSED);
        }
    }

    private void onSdp(
        final ClientConnection connection,
        final byte[] buffer,
        final int offset,
        final int limit,
        final boolean offer,
        final long receiveNs)
    {
        counters.increment(FleetCounters.OTHER_RELAYED);
        int at = -1;
        for (int i = offset; i <= limit - SDP_TIME.length; i++)
        {
            if (JsonScan.matches(buffer, i, limit, SDP_TIME))
            {
                at = i + SDP_TIME.length;
                break;
            }
        }
        final long sentNs = JsonScan.parseLong(buffer, at, limit, Long.MIN_VALUE);
        if (Long.MIN_VALUE != sentNs)
        {
            fleet.directed.record(receiveNs - sentNs);
        }
        if (offer && ClientConnection.JOINED == connection.state)
        {
            final int senderAt = JsonScan.valueIndex(buffer, offset, limit, Q_SENDER_ID);
            final int senderEnd = JsonScan.stringEnd(buffer, senderAt, limit);
            if (senderEnd > senderAt)
            {
                publisher.sendSdp(connection, true, buffer, senderAt + 1, senderEnd - senderAt - 1, receiveNs);
            }
        }
    }

    private static byte[] stringValue(final byte[] buffer, final int offset, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(buffer, offset, limit, quotedName);
        final int end = JsonScan.stringEnd(buffer, at, limit);
        if (end < 0)
        {
            return null;
        }
        final byte[] value = new byte[end - at - 1];
        System.arraycopy(buffer, at + 1, value, 0, value.length);
        return value;
    }
}
