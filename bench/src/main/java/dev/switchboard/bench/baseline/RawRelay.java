package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.JsonScan;

import static dev.switchboard.bench.baseline.RawAscii.ascii;

/**
 * The message rules of the {@link RawWriter}, the subset the {@link NettyRelay} serves: join, leave and ping, game
 * events and state broadcast to the rest of the room, offers, answers and ICE candidates relayed to one member, and
 * an {@code error} with a code for anything else; ping control frames are answered and close frames echoed. Owned by
 * the serving thread; allocates nothing per message.
 */
final class RawRelay implements RawFrameListener
{
    private static final byte[] V_GAME_EVENT = JsonScan.quotedValue("game_event");
    private static final byte[] V_GAME_STATE = JsonScan.quotedValue("game_state");
    private static final byte[] V_OFFER = JsonScan.quotedValue("webrtc_offer");
    private static final byte[] V_ANSWER = JsonScan.quotedValue("webrtc_answer");
    private static final byte[] V_ICE = JsonScan.quotedValue("ice_candidate");
    private static final byte[] V_JOIN = JsonScan.quotedValue("join");
    private static final byte[] V_PING = JsonScan.quotedValue("ping");
    private static final byte[] V_LEAVE = JsonScan.quotedValue("leave");

    private static final byte[] CODE_INVALID = ascii("invalid_message");
    private static final byte[] CODE_UNKNOWN_TYPE = ascii("unknown_type");
    private static final byte[] CODE_NOT_IN_ROOM = ascii("not_in_room");
    private static final byte[] CODE_ALREADY_JOINED = ascii("already_joined");
    private static final byte[] CODE_HOST_TAKEN = ascii("host_taken");
    private static final byte[] CODE_PEER_NOT_FOUND = ascii("peer_not_found");

    private final RawEnvelope envelope = new RawEnvelope();
    private final RawRoomTable rooms;
    private final RawMessageEncoder encoder;
    private final RawOutbound outbound;

    /**
     * Makes the rules over the writer's rooms and outbound side.
     *
     * @param rooms    the rooms and members.
     * @param encoder  writes the replies and relayed frames.
     * @param outbound queues a relayed frame to each recipient.
     */
    RawRelay(final RawRoomTable rooms, final RawMessageEncoder encoder, final RawOutbound outbound)
    {
        this.rooms = rooms;
        this.encoder = encoder;
        this.outbound = outbound;
    }

    /** {@inheritDoc} */
    @Override
    public void onText(final RawConnection connection, final byte[] payload, final int length)
    {
        final RawEnvelope envelope = this.envelope;
        envelope.wrap(payload, length);
        if (!envelope.hasType())
        {
            encoder.writeError(connection, envelope, CODE_INVALID);
            return;
        }
        if (envelope.typeIs(V_GAME_EVENT))
        {
            onBroadcast(connection, true);
        }
        else if (envelope.typeIs(V_GAME_STATE))
        {
            onBroadcast(connection, false);
        }
        else if (envelope.typeIs(V_OFFER) || envelope.typeIs(V_ANSWER))
        {
            onDirected(connection, true);
        }
        else if (envelope.typeIs(V_ICE))
        {
            onDirected(connection, false);
        }
        else if (envelope.typeIs(V_JOIN))
        {
            onJoin(connection);
        }
        else if (envelope.typeIs(V_PING))
        {
            encoder.writePongMessage(connection, envelope);
        }
        else if (envelope.typeIs(V_LEAVE))
        {
            onLeave(connection);
        }
        else
        {
            encoder.writeError(connection, envelope, CODE_UNKNOWN_TYPE);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onPing(final RawConnection connection, final byte[] payload, final int length)
    {
        encoder.writePongFrame(connection, payload, length);
    }

    /** {@inheritDoc} */
    @Override
    public void onClose(final RawConnection connection, final int closeCode)
    {
        encoder.closeWith(connection, closeCode);
    }

    private void onJoin(final RawConnection connection)
    {
        final RawEnvelope envelope = this.envelope;
        if (null != connection.room)
        {
            encoder.writeError(connection, envelope, CODE_ALREADY_JOINED);
            return;
        }
        final int roomIdStart = envelope.roomIdStart();
        if (roomIdStart < 0 || envelope.msgIdStart() < 0)
        {
            encoder.writeError(connection, envelope, CODE_INVALID);
            return;
        }
        final boolean host = envelope.roleIsHost();
        final byte[] in = envelope.bytes();
        final int roomIdLength = envelope.roomIdEnd() - roomIdStart;
        RawRoom room = rooms.find(in, roomIdStart, roomIdLength);
        if (host && null != room && null != room.host)
        {
            encoder.writeError(connection, envelope, CODE_HOST_TAKEN);
            return;
        }
        if (null == room)
        {
            room = rooms.add(in, roomIdStart, roomIdLength);
        }
        rooms.join(connection, room, host);
        encoder.writeAck(connection, envelope);
        encoder.writeJoined(connection, room, host);
    }

    private void onBroadcast(final RawConnection connection, final boolean critical)
    {
        final RawRoom room = connection.room;
        if (!isFromRoom(connection, room))
        {
            return;
        }
        if (critical)
        {
            encoder.writeAck(connection, envelope);
        }
        final int frameStart = encoder.encodeRelayed(connection, envelope, false);
        final int frameEnd = encoder.frameEnd();
        final RawConnection[] members = room.members;
        for (int i = 0, size = room.size; i < size; i++)
        {
            final RawConnection member = members[i];
            if (member != connection)
            {
                outbound.enqueue(member, frameStart, frameEnd);
            }
        }
    }

    private void onDirected(final RawConnection connection, final boolean critical)
    {
        final RawRoom room = connection.room;
        if (!isFromRoom(connection, room))
        {
            return;
        }
        final RawEnvelope envelope = this.envelope;
        final int toStart = envelope.toStart();
        final RawConnection target = toStart < 0 ? null : rooms.user(envelope.bytes(), toStart, envelope.toEnd());
        if (null == target || target.room != room || !target.open)
        {
            encoder.writeError(connection, envelope, CODE_PEER_NOT_FOUND);
            return;
        }
        if (critical)
        {
            encoder.writeAck(connection, envelope);
        }
        final int frameStart = encoder.encodeRelayed(connection, envelope, !critical);
        outbound.enqueue(target, frameStart, encoder.frameEnd());
    }

    private boolean isFromRoom(final RawConnection connection, final RawRoom room)
    {
        final RawEnvelope envelope = this.envelope;
        final int roomIdStart = envelope.roomIdStart();
        if (null == room || envelope.msgIdStart() < 0 || roomIdStart < 0 ||
            !room.idEquals(envelope.bytes(), roomIdStart, envelope.roomIdEnd() - roomIdStart))
        {
            encoder.writeError(connection, envelope, null == room ? CODE_NOT_IN_ROOM : CODE_INVALID);
            return false;
        }
        return true;
    }

    private void onLeave(final RawConnection connection)
    {
        if (null == connection.room)
        {
            encoder.writeError(connection, envelope, CODE_NOT_IN_ROOM);
            return;
        }
        encoder.writeAck(connection, envelope);
        rooms.leave(connection);
        encoder.closeWith(connection, 1000);
    }
}
