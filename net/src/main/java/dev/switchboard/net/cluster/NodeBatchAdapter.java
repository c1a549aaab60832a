package dev.switchboard.net.cluster;

import com.lmax.disruptor.EventPoller;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.net.cluster.VirtualConnectionTable.VirtualConnection;
import dev.switchboard.net.ws.CloseCodes;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the relay batches other nodes publish on this node's channel into calls: frames and closes for sockets of
 * this node go to their IoAgent, messages of sockets of other nodes go to the engine through a virtual connection
 * of the {@link VirtualConnectionTable}; and the engine's replies to virtual connections go back through the
 * {@link NodeBatchPublisher}.
 * <p>
 * A batch is checked whole before any of it is used: framing, then (with a secret) its tag and age; one that fails
 * is dropped, counted by reason and logged once per episode. Used by the cluster agent's thread alone.
 */
final class NodeBatchAdapter implements EventPoller.Handler<OutboundSlot>
{
    private static final Logger LOG = LogManager.getLogger(NodeBatchAdapter.class);
    private static final int DROP_LOG_UNDELIVERABLE = RelayDrop.values().length + 1;
    /** Heartbeats in a row a node may miss before its sockets served here are closed. */
    static final int MISSED_BEATS_LOST = 2;

    private final ManyToOneConcurrentArrayQueue<byte[]> inbox;
    private final ManyToOneConcurrentArrayQueue<byte[]> undeliverable;
    private final RoomDirectory directory;
    private final ClusterCounters counters;
    private final ClusterSigner signer;
    private final byte[] ownChannel;
    private final VirtualConnectionTable virtuals;
    private final ShardProxy shards;
    private final IoAgentProxy io;
    private final NodeBatchPublisher publisher;
    private final SocketRelay relay;
    private final EnvelopeDecoder decoder;
    private final InboundSlot scratch = new InboundSlot();
    private final RelayBatchDecoder batchDecoder = new RelayBatchDecoder();
    private final Map<String, Integer> missedBeats = new HashMap<>();
    private FramePool framePool;
    private long nowMs;

    NodeBatchAdapter(
        final ClusterContext ctx,
        final ClusterSigner signer,
        final VirtualConnectionTable virtuals,
        final ShardProxy shards,
        final IoAgentProxy io,
        final NodeBatchPublisher publisher,
        final SocketRelay relay)
    {
        this.inbox = ctx.inbox();
        this.undeliverable = ctx.undeliverable();
        this.directory = ctx.directory();
        this.counters = ctx.counters();
        this.ownChannel = ClusterKeys.channel(ctx.nodeId());
        this.signer = signer;
        this.virtuals = virtuals;
        this.shards = shards;
        this.io = io;
        this.publisher = publisher;
        this.relay = relay;
        this.decoder = new EnvelopeDecoder(ctx.maxPayloadBytes());
    }

    /**
     * Take the frame pool of the thread that runs the agent.
     *
     * @param framePool pool owned by the agent's thread.
     */
    void onStart(final FramePool framePool)
    {
        this.framePool = framePool;
    }

    /**
     * Whether a received batch waits.
     *
     * @return true when the inbox or the undeliverable queue holds one.
     */
    boolean hasPending()
    {
        return !inbox.isEmpty() || !undeliverable.isEmpty();
    }

    /**
     * Handle up to {@code limit} received batches, the undeliverable ones first.
     *
     * @param nowMs the time of this duty cycle.
     * @param limit most batches to handle.
     * @return number handled.
     */
    int drain(final long nowMs, final int limit)
    {
        this.nowMs = nowMs;
        int work = 0;
        byte[] message;
        while (work < limit && null != (message = undeliverable.poll()))
        {
            work++;
            onUndeliverable(message);
        }
        while (work < limit && null != (message = inbox.poll()))
        {
            work++;
            onChannelMessage(message);
        }
        return work;
    }

    /**
     * Check a received batch whole: framing and fields, then (with a secret) its tag and age. A batch that fails
     * is dropped, counted by reason and logged once per episode.
     */
    private boolean verified(final byte[] message)
    {
        final RelayBatchDecoder batch = batchDecoder;
        RelayDrop drop = null;
        if (!batch.wrap(message))
        {
            counters.relayBatchesMalformed.incrementAndGet();
            drop = RelayDrop.INVALID;
        }
        else if (signer.isEnabled())
        {
            if (!batch.isSigned())
            {
                drop = RelayDrop.UNSIGNED;
            }
            else if (!signer.verify(ownChannel, message, 0, batch.signedLength(), message, batch.signedLength()))
            {
                drop = RelayDrop.BAD_SIGNATURE;
            }
            else if (Math.abs(nowMs - batch.sentEpochMs()) > RelayDrop.MAX_AGE_MS)
            {
                drop = RelayDrop.STALE;
            }
        }
        if (null == drop)
        {
            return true;
        }
        final long total = counters.onBatchDropped(drop);
        if (counters.dropLog.due(drop.ordinal(), nowMs))
        {
            LOG.warn(LogLine.event("cluster_batch_dropped").with("reason", drop.label()).with("bytes", message.length)
                .with("droppedTotal", total));
        }
        return false;
    }

    /**
     * A batch that did not fit the inbox: deliver none of it, close every socket it concerned with 4012 so the
     * clients resume (and see a gap) instead of losing a message silently.
     */
    private void onUndeliverable(final byte[] message)
    {
        if (!verified(message))
        {
            return;
        }
        final RelayBatchDecoder batch = batchDecoder;
        final byte[] originBytes = Arrays.copyOfRange(message, batch.originOffset(),
            batch.originOffset() + batch.originLength());
        final String origin = new String(originBytes, StandardCharsets.US_ASCII);
        int closed = 0;
        while (batch.next())
        {
            final long connectionId = batch.connectionId();
            if (RelayRecords.GRANTS == batch.kind())
            {
                // Always followed in the same batch by the join or resume it is for: that record closes the socket.
                continue;
            }
            if (RelayRecords.FRAME == batch.kind() || RelayRecords.CLOSE == batch.kind())
            {
                if (io.close(connectionId, CloseCodes.ROOM_MOVED, "room_moved"))
                {
                    closed++;
                }
            }
            else
            {
                final VirtualConnection c = virtuals.find(origin, connectionId);
                if (null != c && c.published && !c.closing)
                {
                    c.closing = true;
                    shards.publishEvent(c.shard, SlotKind.CONNECTION_CLOSED, virtuals.idOf(c), CloseCodes.ROOM_MOVED,
                        0);
                }
                publisher.replyClose(origin, connectionId, CloseCodes.ROOM_MOVED, "room_moved");
                closed++;
            }
        }
        counters.undeliverableCloses.addAndGet(closed);
        if (counters.dropLog.due(DROP_LOG_UNDELIVERABLE, nowMs))
        {
            LOG.warn(LogLine.event("cluster_undeliverable").with("origin", origin).with("socketsClosed", closed)
                .with("closedTotal", counters.undeliverableCloses.get()));
        }
    }

    private void onChannelMessage(final byte[] message)
    {
        final RelayBatchDecoder batch = batchDecoder;
        if (!verified(message))
        {
            return;
        }
        counters.relayBatchesIn.incrementAndGet();
        final String origin =
            new String(message, batch.originOffset(), batch.originLength(), StandardCharsets.US_ASCII);
        final long lagMs = nowMs - batch.sentEpochMs();
        while (batch.next())
        {
            counters.recordLag(lagMs);
            final long connectionId = batch.connectionId();
            final int body = batch.bodyOffset();
            final int bodyEnd = body + batch.bodyLength();
            switch (batch.kind())
            {
                case RelayRecords.FRAME:
                    counters.repliesIn.incrementAndGet();
                    deliverFrame(connectionId, message, body, bodyEnd);
                    break;
                case RelayRecords.CLOSE:
                    counters.repliesIn.incrementAndGet();
                    deliverClose(origin, connectionId, message, body, bodyEnd);
                    break;
                case RelayRecords.GRANTS:
                    onGrants(origin, connectionId, message, body, bodyEnd);
                    break;
                default:
                    counters.relayedIn.incrementAndGet();
                    onRelayedHere(batch.kind(), origin, connectionId, message, body, bodyEnd);
                    break;
            }
        }
    }

    private void deliverFrame(final long connectionId, final byte[] message, final int body, final int bodyEnd)
    {
        if (!io.isLocal(connectionId))
        {
            return;
        }
        final int typeId = RelayRecords.readInt(message, body);
        final boolean droppable = 0 != message[body + 4];
        final int jsonOffset = body + 5;
        final int jsonLength = bodyEnd - jsonOffset;
        final Frame frame = framePool.acquire(jsonLength, MessageType.get(typeId), droppable);
        frame.ensurePayloadCapacity(jsonLength);
        System.arraycopy(message, jsonOffset, frame.buffer(), Frame.PAYLOAD_OFFSET, jsonLength);
        frame.sealText(jsonLength);
        io.send(connectionId, frame);
    }

    private void deliverClose(
        final String origin, final long connectionId, final byte[] message, final int body, final int bodyEnd)
    {
        if (!relay.acceptsCloseFrom(origin, connectionId) || !io.isLocal(connectionId))
        {
            return;
        }
        final int code = RelayRecords.readInt(message, body);
        final String reason = new String(message, body + 4, bodyEnd - body - 4, StandardCharsets.UTF_8);
        io.close(connectionId, code, reason);
    }

    private void onRelayedHere(
        final byte kind,
        final String origin,
        final long originConnection,
        final byte[] message,
        final int body,
        final int bodyEnd)
    {
        VirtualConnection c = virtuals.find(origin, originConnection);
        switch (kind)
        {
            case RelayRecords.TEXT:
                if (null == c)
                {
                    c = virtuals.allocate(origin, originConnection);
                    if (null == c)
                    {
                        publisher.replyClose(origin, originConnection, CloseCodes.ROOM_MOVED, "room_moved");
                        return;
                    }
                }
                onRelayedText(c, origin, originConnection, message, body, bodyEnd);
                break;
            case RelayRecords.CLOSED:
                if (null == c)
                {
                    publisher.replyClose(origin, originConnection, RelayRecords.readInt(message, body), "");
                }
                else if (c.published)
                {
                    c.closing = true;
                    shards.publishEvent(c.shard, SlotKind.CONNECTION_CLOSED, virtuals.idOf(c), RelayRecords.readInt(message, body),
                        0);
                }
                else
                {
                    publisher.replyClose(origin, originConnection, RelayRecords.readInt(message, body), "");
                    virtuals.free(c);
                }
                break;
            case RelayRecords.FLOW:
                if (null != c && c.published)
                {
                    shards.publishEvent(c.shard, message[body], virtuals.idOf(c), 0, RelayRecords.readLong(message, body + 1));
                }
                break;
            case RelayRecords.TOO_LARGE:
                if (null == c)
                {
                    c = virtuals.allocate(origin, originConnection);
                }
                if (null != c)
                {
                    shards.publishTooLarge(Math.max(0, c.shard), virtuals.idOf(c));
                    c.published = true;
                    c.shard = Math.max(0, c.shard);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Keep the grants of a socket of another node for the join or resume that follows in the same batch; its
     * virtual connection is set up here when this is its first record.
     */
    private void onGrants(
        final String origin, final long originConnection, final byte[] message, final int body, final int bodyEnd)
    {
        VirtualConnection c = virtuals.find(origin, originConnection);
        if (null == c)
        {
            c = virtuals.allocate(origin, originConnection);
            if (null == c)
            {
                publisher.replyClose(origin, originConnection, CloseCodes.ROOM_MOVED, "room_moved");
                return;
            }
        }
        c.grants.set(message, body, bodyEnd - body);
    }

    private void onRelayedText(
        final VirtualConnection c,
        final String origin,
        final long originConnection,
        final byte[] message,
        final int body,
        final int bodyEnd)
    {
        final int authLength = message[body] & 0xFF;
        final int textOffset = body + 1 + authLength;
        final InboundSlot slot = scratch;
        decoder.decode(message, textOffset, bodyEnd - textOffset, slot);
        if (ShardProxy.isJoinOrResume(slot.typeId) && slot.roomIdLength > 0)
        {
            if (!directory.isOwned(slot.roomId, slot.roomIdLength))
            {
                // The sender's view of the owner is stale: it reconnects and looks the room up again.
                publisher.replyClose(origin, originConnection, CloseCodes.ROOM_MOVED, "room_moved");
                return;
            }
            c.room = Arrays.copyOf(slot.roomId, slot.roomIdLength);
            System.arraycopy(message, body + 1, slot.authUserId, 0, authLength);
            slot.authUserIdLength = authLength;
            c.grants.stamp(slot);
        }
        slot.connectionId = virtuals.idOf(c);
        c.shard = shards.publishMessage(slot, c.shard);
        c.published = true;
    }

    /**
     * One slot of the agent's own outbound ring: a frame or close the engine sent to a virtual connection, relayed
     * back to the socket's node; replies to a freed or reused slot are dropped.
     *
     * @param slot       the slot.
     * @param sequence   ring sequence.
     * @param endOfBatch whether the batch ends here.
     * @return true to keep polling.
     */
    @Override
    public boolean onEvent(final OutboundSlot slot, final long sequence, final boolean endOfBatch)
    {
        final Frame frame = slot.frame;
        slot.frame = null;
        final VirtualConnection c = virtuals.byId(slot.connectionId);
        if (OutboundSlot.SEND == slot.kind)
        {
            if (null != c)
            {
                publisher.replyFrame(c.node, c.originConnectionId, frame);
            }
            if (null != frame)
            {
                frame.release();
            }
        }
        else if (OutboundSlot.CLOSE == slot.kind && null != c)
        {
            publisher.replyClose(c.node, c.originConnectionId, slot.closeCode, slot.reason);
            if (c.closing)
            {
                virtuals.free(c);
            }
        }
        return true;
    }

    /**
     * Close each virtual connection owned by the evicted room's sockets: their nodes reconnect them to the owner.
     *
     * @param room room id bytes.
     */
    void onRoomEvicted(final byte[] room)
    {
        for (int v = 0; v < virtuals.capacity(); v++)
        {
            final VirtualConnection c = virtuals.slot(v);
            if (c.inUse && null != c.room && Arrays.equals(c.room, room) && !c.closing)
            {
                counters.roomMovedCloses.incrementAndGet();
                publisher.replyClose(c.node, c.originConnectionId, CloseCodes.ROOM_MOVED, "room_moved");
            }
        }
    }

    /**
     * Sockets relayed here from a node missing from two heartbeats in a row (it died or drained) will never
     * send their close: close them as if they had, so their sessions go away and stay resumable.
     *
     * @param live the nodes with a live heartbeat.
     */
    void onLiveNodes(final List<String> live)
    {
        final Map<String, Integer> misses = new HashMap<>();
        for (final String origin : virtuals.origins())
        {
            if (!live.contains(origin))
            {
                misses.put(origin, missedBeats.getOrDefault(origin, 0) + 1);
            }
        }
        missedBeats.clear();
        missedBeats.putAll(misses);
        for (int v = 0; v < virtuals.capacity(); v++)
        {
            final VirtualConnection c = virtuals.slot(v);
            if (c.inUse && !c.closing && missedBeats.getOrDefault(c.node, 0) >= MISSED_BEATS_LOST)
            {
                LOG.info(LogLine.event("origin_node_lost").with("nodeId", c.node)
                    .with("originConnectionId", c.originConnectionId));
                if (c.published)
                {
                    c.closing = true;
                    shards.publishEvent(Math.max(0, c.shard), SlotKind.CONNECTION_CLOSED, virtuals.idOf(c),
                        CloseCodes.ROOM_MOVED, 0);
                }
                else
                {
                    virtuals.free(c);
                }
            }
        }
    }
}
