package dev.switchboard.bench.load;

/**
 * Turns the agent's protocol steps into client messages on a socket: join, leave, game event, game state, offer or
 * answer with its ICE burst. Each message is registered with the fleet's tracker under its intended send time and
 * carries that number in its msgId. One reused message buffer; agent thread only.
 */
final class ClientMessagePublisher
{
    /** Largest client message written: room for the largest game event padding (60,000 bytes) and its envelope. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 + 1024;

    private static final int ICE_PORT_BASE = 50_000;

    private final FleetState fleet;
    private final LoadSettings settings;
    private final ConnectionCloser closer;
    private final FrameSender sender;
    private final ClientMessageWriter writer = new ClientMessageWriter(MAX_MESSAGE_BYTES);

    /**
     * Makes the publisher of one agent.
     *
     * @param fleet  the room ids, the msgId high half and the message tracker.
     * @param closer takes a leaving socket out of its room's counts.
     * @param sender writes the frames.
     */
    ClientMessagePublisher(final FleetState fleet, final ConnectionCloser closer, final FrameSender sender)
    {
        this.fleet = fleet;
        this.settings = fleet.settings;
        this.closer = closer;
        this.sender = sender;
    }

    /**
     * Sends the join of the socket's room, as host or viewer, and moves the socket to joining.
     *
     * @param connection the upgraded socket.
     * @param nowNs      the current time.
     */
    void sendJoin(final ClientConnection connection, final long nowNs)
    {
        final long n = fleet.tracker.register(MessageTracker.KIND_JOIN, 0, nowNs);
        final int length = writer.join(
            fleet.roomIds[connection.room], connection.host, fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq);
        connection.state = ClientConnection.JOINING;
        connection.stateSinceNs = nowNs;
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    /**
     * Sends the leave of the socket's room and moves the socket to leaving; it no longer counts as a receiver.
     *
     * @param connection the joined socket.
     * @param nowNs      the current time.
     */
    void sendLeave(final ClientConnection connection, final long nowNs)
    {
        closer.leaveRoom(connection);
        final long n = fleet.tracker.register(MessageTracker.KIND_LEAVE, 0, nowNs);
        final int length = writer.leave(
            fleet.roomIds[connection.room], fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq);
        connection.state = ClientConnection.LEAVING;
        connection.stateSinceNs = nowNs;
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    /**
     * Sends one scheduled game event, tracked for every other receiver of the room.
     *
     * @param connection the joined publisher.
     * @param intendedNs the event's intended send time.
     */
    void sendGameEvent(final ClientConnection connection, final long intendedNs)
    {
        final int expected = Math.max(0, fleet.receivers.get(connection.room) - (connection.inReceivers ? 1 : 0));
        final long n = fleet.tracker.register(MessageTracker.KIND_GAME_EVENT, expected, intendedNs);
        final int length = writer.gameEvent(
            fleet.roomIds[connection.room],
            fleet.msgIdHigh,
            FleetState.msgIdLow(n),
            ++connection.seq,
            intendedNs,
            connection.socketIndex,
            n,
            settings.payloadBytes);
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    /**
     * Sends one scheduled game state with the host's next version.
     *
     * @param connection the joined host.
     * @param intendedNs the state's intended send time.
     */
    void sendGameState(final ClientConnection connection, final long intendedNs)
    {
        final long n = fleet.tracker.register(MessageTracker.KIND_NON_CRITICAL, 0, intendedNs);
        final int length = writer.gameState(
            fleet.roomIds[connection.room],
            fleet.msgIdHigh,
            FleetState.msgIdLow(n),
            ++connection.seq,
            ++connection.stateVersion,
            intendedNs);
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
    }

    /**
     * Sends an offer or an answer to one peer, then the configured burst of ICE candidates to the same peer.
     *
     * @param connection the joined socket.
     * @param answer     true for an answer, false for an offer.
     * @param to         the array holding the peer's user id.
     * @param toOffset   first byte of the peer's user id.
     * @param toLength   length of the peer's user id.
     * @param intendedNs the send time carried in the SDP.
     */
    void sendSdp(
        final ClientConnection connection,
        final boolean answer,
        final byte[] to,
        final int toOffset,
        final int toLength,
        final long intendedNs)
    {
        final byte[] roomId = fleet.roomIds[connection.room];
        final long n = fleet.tracker.register(MessageTracker.KIND_SDP, 1, intendedNs);
        final int length = writer.sdp(
            answer, roomId, fleet.msgIdHigh, FleetState.msgIdLow(n), ++connection.seq, to, toOffset, toLength,
            intendedNs);
        sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), length);
        for (int i = 0; i < settings.iceBurst && null != connection.channel; i++)
        {
            final long iceN = fleet.tracker.register(MessageTracker.KIND_NON_CRITICAL, 0, intendedNs);
            final int iceLength = writer.ice(
                roomId, fleet.msgIdHigh, FleetState.msgIdLow(iceN), ++connection.seq, to, toOffset, toLength,
                ICE_PORT_BASE + i);
            sender.sendFrame(connection, ClientFrameEncoder.OPCODE_TEXT, writer.buffer(), iceLength);
        }
    }
}
