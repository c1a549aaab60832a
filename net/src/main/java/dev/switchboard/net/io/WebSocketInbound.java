package dev.switchboard.net.io;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.ws.FrameDecoder;
import dev.switchboard.net.ws.FrameEncoder;
import dev.switchboard.net.ws.FrameHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * WebSocket bytes in: frames decoded per connection, text envelopes decoded into the engine's inbound ring (or
 * relayed), pings answered, the peer's close and protocol errors turned into the close handshake; IoAgent
 * thread only.
 */
final class WebSocketInbound implements FrameHandler
{
    private static final Logger LOG = LogManager.getLogger(WebSocketInbound.class);
    private static final int MAX_PONG_FRAME_BYTES = 2 + FrameEncoder.MAX_CONTROL_PAYLOAD_BYTES;

    private final IoLoop loop;
    private final IoCounters counters;
    private final InboundPublisher inbound;
    private final PublishGuard guard;
    private final AddressAdmission admission;
    private final EnvelopeDecoder envelopeDecoder;
    private final InboundSlot scratch = new InboundSlot();
    private final InboundSlot eventScratch = new InboundSlot();
    private ConnectionCloser closer;
    private OutboundDrain drain;
    private RelayRouter relay = NoRelayRouter.INSTANCE;
    private Connection current;

    /**
     * Decode one agent's WebSocket traffic.
     *
     * @param loop      the agent's clock and frame pool.
     * @param settings  the payload limit.
     * @param counters  the agent's counters.
     * @param inbound   the engine shards' rings, to pick a room's shard.
     * @param guard     publishes into those rings.
     * @param admission the per-address join limit.
     */
    WebSocketInbound(
        final IoLoop loop,
        final SwitchboardSettings settings,
        final IoCounters counters,
        final InboundPublisher inbound,
        final PublishGuard guard,
        final AddressAdmission admission)
    {
        this.loop = loop;
        this.counters = counters;
        this.inbound = inbound;
        this.guard = guard;
        this.admission = admission;
        this.envelopeDecoder = new EnvelopeDecoder(settings.maxPayloadBytes());
    }

    /**
     * Connect the parts this one calls back, once, before the agent starts.
     *
     * @param closer closes connections.
     * @param drain  queues pongs and close frames.
     */
    void wire(final ConnectionCloser closer, final OutboundDrain drain)
    {
        this.closer = closer;
        this.drain = drain;
    }

    /**
     * Multi-node mode, before the agent starts: route sockets through the cluster.
     *
     * @param router the cluster router.
     */
    void relayRouter(final RelayRouter router)
    {
        this.relay = router;
    }

    /**
     * Decode bytes read from a WebSocket, delivering every complete frame to this handler.
     *
     * @param connection the connection.
     * @param src        the bytes.
     * @param offset     first byte.
     * @param length     number of bytes.
     */
    void decodeFrames(final Connection connection, final byte[] src, final int offset, final int length)
    {
        final FrameDecoder decoder = connection.decoder;
        if (null == decoder || decoder.isCorrupt() || decoder.isClosed())
        {
            return;
        }
        current = connection;
        final long framesBefore = decoder.controlAndFragmentFrames();
        try
        {
            decoder.decode(src, offset, length, this);
        }
        finally
        {
            current = null;
        }
        if (ConnectionState.FREE == connection.state)
        {
            return;
        }
        trackMessageDeadline(connection, decoder);
        chargeFrames(connection, decoder.controlAndFragmentFrames() - framesBefore);
    }

    /**
     * After decoding: relay the pause marker of a socket whose first join or resume was just relayed.
     *
     * @param connection the connection just decoded.
     * @return true when reading is now paused for the route decision.
     */
    boolean pauseIfRoutePending(final Connection connection)
    {
        if (!connection.isPausePending())
        {
            return false;
        }
        relay.pauseForRoute(connection);
        return true;
    }

    /**
     * The message deadline runs from the read that brought the first byte of a frame or fragmented message to
     * the read that ends it; control frames between fragments do not stop it.
     */
    private void trackMessageDeadline(final Connection connection, final FrameDecoder decoder)
    {
        if (decoder.isMessageInProgress())
        {
            if (!connection.messageInProgress)
            {
                connection.messageInProgress = true;
                connection.messageStartMs = loop.nowMs();
            }
        }
        else
        {
            connection.messageInProgress = false;
        }
    }

    /**
     * Control frames and fragments are held to the overall message rate: past it, stop reading the socket until
     * the budget is repaid (checked by the timer), so the excess waits in the peer's socket buffer.
     */
    private void chargeFrames(final Connection connection, final long frames)
    {
        if (frames > 0 && connection.frameBudget.charge(frames, loop.nowMs()) &&
            !connection.isPaused(Connection.PAUSE_FRAME_RATE))
        {
            ConnectionLog.logSampled(LOG, IoCounters.increment(counters.frameRatePauses), "frame_rate_paused",
                connection);
            connection.pauseReading(Connection.PAUSE_FRAME_RATE);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onText(final byte[] buffer, final int offset, final int length)
    {
        final Connection connection = current;
        if (ConnectionState.OPEN != connection.state)
        {
            return;
        }
        IoCounters.increment(counters.messagesIn);
        final InboundSlot slot = scratch;
        envelopeDecoder.decode(buffer, offset, length, slot);
        slot.connectionId = connection.id;
        final int type = slot.typeId;
        final boolean join = type == MessageType.JOIN.id() || type == MessageType.RESUME.id();
        if (join)
        {
            stampJoin(connection, slot);
        }
        if (relay.route(connection, slot, buffer, offset, length))
        {
            return;
        }
        final int shard;
        if (slot.roomIdLength > 0)
        {
            shard = inbound.shardFor(slot.roomId, slot.roomIdLength);
            if (connection.shard < 0 || join)
            {
                connection.shard = shard;
            }
        }
        else
        {
            shard = Math.max(0, connection.shard);
        }
        publish(connection, shard, slot);
    }

    /**
     * A join or resume carries the authenticated user and grants, and spends the address's join budget: past it
     * the engine answers rate_limited, like any edge error, with the join's msgId.
     */
    private void stampJoin(final Connection connection, final InboundSlot slot)
    {
        System.arraycopy(connection.authUserId, 0, slot.authUserId, 0, connection.authUserIdLength);
        slot.authUserIdLength = connection.authUserIdLength;
        final Grants grants = connection.grants;
        slot.grantFlags = grants.flags();
        if (slot.grantRooms.length < grants.packedRoomsLength())
        {
            slot.grantRooms = new byte[Grants.MAX_PACKED_BYTES];
        }
        slot.grantRoomsLength = grants.copyPackedRooms(slot.grantRooms);
        if (ErrorCode.NONE.ordinal() == slot.errorCode && !admission.tryJoin(connection))
        {
            slot.errorCode = ErrorCode.RATE_LIMITED.ordinal();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onMessageTooLarge()
    {
        final Connection connection = current;
        if (ConnectionState.OPEN != connection.state)
        {
            return;
        }
        if (connection.isRelayed())
        {
            connection.onPublished();
            relay.relayTooLarge(connection.id);
            return;
        }
        final InboundSlot slot = scratch;
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.connectionId = connection.id;
        slot.errorCode = ErrorCode.PAYLOAD_TOO_LARGE.ordinal();
        publish(connection, Math.max(0, connection.shard), slot);
    }

    /** {@inheritDoc} */
    @Override
    public void onPing(final byte[] buffer, final int offset, final int length)
    {
        final Connection connection = current;
        if (connection.closeSent())
        {
            return;
        }
        final Frame pending = connection.pendingPong;
        if (null != pending && (pending != connection.peek(0) || 0 == connection.headWrittenBytes))
        {
            // Only the newest pending pong is kept: rewrite the queued one in place (its buffer holds any pong).
            final int n = FrameEncoder.encodePong(pending.buffer(), 0, buffer, offset, length);
            connection.bufferedBytes += n - pending.length();
            pending.sealRaw(0, n);
            IoCounters.increment(counters.pongsCoalesced);
            return;
        }
        final Frame frame = loop.framePool().acquire(MAX_PONG_FRAME_BYTES, MessageType.UNKNOWN, false);
        final int n = FrameEncoder.encodePong(frame.buffer(), 0, buffer, offset, length);
        frame.sealRaw(0, n);
        connection.pendingPong = frame;
        drain.enqueueOwned(connection, frame);
    }

    /** {@inheritDoc} */
    @Override
    public void onPong(final byte[] buffer, final int offset, final int length)
    {
        // Any frame counts as liveness; lastReadMs was updated on read.
    }

    /** {@inheritDoc} */
    @Override
    public void onClose(final int code, final byte[] buffer, final int reasonOffset, final int reasonLength)
    {
        final Connection connection = current;
        connection.onCloseReceived();
        if (connection.closeSent())
        {
            // The peer answered our close: the handshake is complete.
            connection.closeAfterFlush();
            drain.markDirty(connection);
            return;
        }
        // Echo the peer's code (none when it sent none) once the engine has answered every earlier message.
        closeBehindEngine(connection, code);
    }

    /** {@inheritDoc} */
    @Override
    public void onProtocolError(final int closeCode)
    {
        final Connection connection = current;
        IoCounters.increment(counters.protocolErrors);
        if (connection.closeSent())
        {
            connection.closeAfterFlush();
            drain.markDirty(connection);
            return;
        }
        closeBehindEngine(connection, closeCode);
    }

    /**
     * Close after the engine has answered every message this connection sent before the close: the engine
     * applies a connection's events in order, so its answer to the CONNECTION_CLOSED event (an outbound close,
     * the fence) comes after its replies to earlier messages. Without anything in flight, close at once.
     */
    private void closeBehindEngine(final Connection connection, final int code)
    {
        connection.state = ConnectionState.CLOSING;
        connection.pendingCloseCode = code;
        connection.closeDeadlineMs = loop.nowMs() + ConnectionCloser.CLOSE_TIMEOUT_MS;
        if (connection.awaitFence())
        {
            publishClosedEvent(connection, code);
        }
        else
        {
            closer.sendCloseFrame(connection, code, null);
            connection.closeAfterFlush();
        }
    }

    private void publish(final Connection connection, final int shard, final InboundSlot slot)
    {
        connection.onPublished();
        guard.publish(shard, slot);
    }

    /**
     * Publish an operator request (or any event with no connection state) into a shard's ring.
     *
     * @param shard the shard.
     * @param slot  the event.
     */
    void publishToEngine(final int shard, final InboundSlot slot)
    {
        guard.publish(shard, slot);
    }

    /**
     * Tell the engine (or the cluster agent) that a connection closed, once, and only when it ever heard of it.
     *
     * @param connection the connection.
     * @param code       its close code.
     */
    void publishClosed(final Connection connection, final int code)
    {
        if (connection.onClosePublished())
        {
            publishClosedEvent(connection, code);
        }
    }

    private void publishClosedEvent(final Connection connection, final int code)
    {
        if (connection.isRelayed())
        {
            relay.relayClosed(connection.id, code);
            return;
        }
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = SlotKind.CONNECTION_CLOSED;
        slot.connectionId = connection.id;
        slot.closeCode = code;
        guard.publish(Math.max(0, connection.shard), slot);
    }

    /**
     * Tell the engine that a connection entered or left drop mode, while it can still hear of the connection.
     *
     * @param connection the connection.
     * @param kind       {@link SlotKind#FLOW_DROP} or {@link SlotKind#FLOW_NORMAL}.
     * @param dropped    frames dropped in the episode that ends.
     */
    void publishFlow(final Connection connection, final byte kind, final long dropped)
    {
        if (!connection.isEngineLinkOpen())
        {
            return;
        }
        if (connection.isRelayed())
        {
            relay.relayFlow(connection.id, kind, dropped);
            return;
        }
        final InboundSlot slot = eventScratch;
        slot.clear();
        slot.kind = kind;
        slot.connectionId = connection.id;
        slot.dropped = dropped;
        guard.publish(Math.max(0, connection.shard), slot);
    }
}
