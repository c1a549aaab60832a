package dev.switchboard.net.cluster;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.net.ws.CloseCodes;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.MessageHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The sockets of this node whose first join or resume named a room this node did not own at the time: the records
 * the IoAgents put on the relay queue for them are published to the local shard once this node owns the room, or
 * forwarded to the room's owner through the {@link NodeBatchPublisher}.
 * <p>
 * The {@link OwnerResolver} looks the owner up (one claim per room) while the socket's records wait in order;
 * when it settles, the records are replayed and the IoAgent that paused the socket is told its route. Once per
 * renewal interval the owners of the rooms relayed elsewhere are read again, and a socket whose room moved is
 * closed with 4012 so it reconnects to the new owner. Used by the cluster agent's thread alone.
 */
final class SocketRelay implements MessageHandler, NodeBatchPublisher.UndeliveredHandler, OwnerResolver.Listener
{
    private final RedisLink link;
    private final RoomLeases leases;
    private final OwnerResolver resolver;
    private final RoomDirectory directory;
    private final ShardProxy shards;
    private final IoAgentProxy io;
    private final NodeBatchPublisher publisher;
    private final ClusterCounters counters;
    private final EnvelopeDecoder decoder;
    private final InboundSlot scratch = new InboundSlot();
    private byte[] record;

    private final Long2ObjectHashMap<RelayedSocket> relayed = new Long2ObjectHashMap<>();
    private final ArrayList<RelayedSocket> checked = new ArrayList<>();
    private RedisFuture<List<KeyValue<byte[], byte[]>>> checkFuture;

    SocketRelay(
        final ClusterContext ctx,
        final RoomLeases leases,
        final OwnerResolver resolver,
        final ShardProxy shards,
        final IoAgentProxy io,
        final NodeBatchPublisher publisher)
    {
        this.link = ctx.link();
        this.directory = ctx.directory();
        this.counters = ctx.counters();
        this.leases = leases;
        this.resolver = resolver;
        this.shards = shards;
        this.io = io;
        this.publisher = publisher;
        this.decoder = new EnvelopeDecoder(ctx.maxPayloadBytes());
        this.record = new byte[ctx.recordCapacityBytes()];
    }

    /**
     * One record of the relay queue: a message, close, flow event or route notice of a relayed socket.
     *
     * @param kind   record kind ({@link RelayRecords}).
     * @param buffer the queue's buffer.
     * @param index  where the record starts.
     * @param length record length.
     */
    @Override
    public void onMessage(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (record.length < length + 1)
        {
            record = new byte[length + 1];
        }
        record[0] = (byte)kind;
        buffer.getBytes(index, record, 1, length);
        onRecord(record, length + 1);
    }

    /**
     * Close, with 4012, a socket whose relayed messages could not be delivered to the room's owner.
     *
     * @param socketId connection id of the socket.
     */
    @Override
    public void onUndelivered(final long socketId)
    {
        final RelayedSocket r = relayed.get(socketId);
        if (null != r && RelayedSocket.REMOTE == r.state)
        {
            closeSocket(r);
        }
    }

    /**
     * Whether a close sent back by a node may close this socket: not when the socket is relayed to another owner.
     *
     * @param origin       the node the close came from.
     * @param connectionId the socket.
     * @return true when the close applies.
     */
    boolean acceptsCloseFrom(final String origin, final long connectionId)
    {
        final RelayedSocket r = relayed.get(connectionId);
        return null == r || RelayedSocket.REMOTE != r.state || origin.equals(r.owner);
    }

    private void onRecord(final byte[] rec, final int length)
    {
        final long connectionId = RelayRecords.readLong(rec, RelayRecords.CONNECTION_ID_OFFSET);
        RelayedSocket r = relayed.get(connectionId);
        if (RelayRecords.PAUSED == rec[0] || RelayRecords.DIRECT == rec[0])
        {
            if (null != r)
            {
                if (RelayRecords.PAUSED == rec[0])
                {
                    r.paused = true;
                    decideRoute(r);
                }
                else
                {
                    relayed.remove(connectionId);
                }
            }
            return;
        }
        if (null == r)
        {
            if (RelayRecords.CLOSED == rec[0])
            {
                io.close(connectionId, RelayRecords.readInt(rec, RelayRecords.BODY_OFFSET), "");
                return;
            }
            r = new RelayedSocket(connectionId);
            relayed.put(connectionId, r);
        }
        if (RelayedSocket.RESOLVING == r.state)
        {
            r.pending.add(Arrays.copyOf(rec, length));
            return;
        }
        dispatch(r, rec, length);
    }

    private void dispatch(final RelayedSocket r, final byte[] rec, final int length)
    {
        switch (rec[0])
        {
            case RelayRecords.TEXT:
                dispatchText(r, rec, length);
                break;
            case RelayRecords.CLOSED:
                relayed.remove(r.connectionId);
                if (RelayedSocket.REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else if (r.shard >= 0)
                {
                    shards.publishEvent(r.shard, SlotKind.CONNECTION_CLOSED, r.connectionId,
                        RelayRecords.readInt(rec, RelayRecords.BODY_OFFSET), 0);
                }
                else
                {
                    io.close(r.connectionId, RelayRecords.readInt(rec, RelayRecords.BODY_OFFSET), "");
                }
                break;
            case RelayRecords.FLOW:
                if (RelayedSocket.REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else if (r.shard >= 0)
                {
                    shards.publishEvent(r.shard, rec[RelayRecords.BODY_OFFSET], r.connectionId, 0,
                        RelayRecords.readLong(rec, RelayRecords.BODY_OFFSET + 1));
                }
                break;
            case RelayRecords.TOO_LARGE:
                if (RelayedSocket.REMOTE == r.state)
                {
                    forward(r, rec, length);
                }
                else
                {
                    shards.publishTooLarge(Math.max(0, r.shard), r.connectionId);
                }
                break;
            case RelayRecords.GRANTS:
                // Kept, not forwarded: the join or resume that follows carries them to wherever it goes.
                r.grants.set(rec, RelayRecords.BODY_OFFSET, length - RelayRecords.BODY_OFFSET);
                break;
            default:
                break;
        }
    }

    private void dispatchText(final RelayedSocket r, final byte[] rec, final int length)
    {
        final int authLength = rec[RelayRecords.BODY_OFFSET] & 0xFF;
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + authLength;
        final InboundSlot slot = scratch;
        decoder.decode(rec, textOffset, length - textOffset, slot);
        final boolean bindsRoom = ShardProxy.isJoinOrResume(slot.typeId) && slot.roomIdLength > 0;
        if (bindsRoom)
        {
            if (directory.isOwned(slot.roomId, slot.roomIdLength))
            {
                if (RelayedSocket.REMOTE == r.state)
                {
                    closeSocket(r);
                    return;
                }
                r.state = RelayedSocket.LOCAL;
                r.room = Arrays.copyOf(slot.roomId, slot.roomIdLength);
            }
            else if (RelayedSocket.REMOTE == r.state && sameRoom(r.room, slot.roomId, slot.roomIdLength))
            {
                forwardBinding(r, rec, length);
                return;
            }
            else if (RelayedSocket.NONE == r.state)
            {
                awaitOwner(r, rec, length, slot);
                return;
            }
            else
            {
                // Bound to another room that lives elsewhere: reconnecting gives the socket a fresh route.
                closeSocket(r);
                return;
            }
        }
        else if (RelayedSocket.REMOTE == r.state)
        {
            forward(r, rec, length);
            return;
        }
        slot.connectionId = r.connectionId;
        if (ShardProxy.isJoinOrResume(slot.typeId))
        {
            System.arraycopy(rec, RelayRecords.BODY_OFFSET + 1, slot.authUserId, 0, authLength);
            slot.authUserIdLength = authLength;
            r.grants.stamp(slot);
        }
        r.shard = shards.publishMessage(slot, r.shard);
    }

    private void awaitOwner(final RelayedSocket r, final byte[] rec, final int length, final InboundSlot slot)
    {
        r.state = RelayedSocket.RESOLVING;
        if (null == r.pending)
        {
            r.pending = new ArrayDeque<>(4);
        }
        r.pending.add(Arrays.copyOf(rec, length));
        final byte[] room = Arrays.copyOf(slot.roomId, slot.roomIdLength);
        resolver.await(room, new String(room, StandardCharsets.US_ASCII), r);
    }

    /**
     * Replay the records of the sockets that waited for the lookup, in order, now that the owner is known: relayed
     * to {@code owner} when another node owns the room, else handled here ({@code failed}: Redis did not answer,
     * the join or resume for the room is answered cluster_unavailable).
     *
     * @param room    room id bytes.
     * @param waiting the sockets whose records wait, in the order they asked.
     * @param owner   the owner node when it is another node, else null.
     * @param failed  true when the lookup failed.
     */
    @Override
    public void onResolved(
        final byte[] room, final List<RelayedSocket> waiting, final String owner, final boolean failed)
    {
        for (final RelayedSocket r : waiting)
        {
            final ArrayDeque<byte[]> pending = r.pending;
            r.pending = new ArrayDeque<>(4);
            if (null != owner)
            {
                r.state = RelayedSocket.REMOTE;
                r.owner = owner;
                r.room = room;
            }
            else
            {
                r.state = RelayedSocket.NONE;
            }
            while (!pending.isEmpty())
            {
                final byte[] rec = pending.poll();
                if (RelayedSocket.RESOLVING == r.state)
                {
                    r.pending.add(rec);
                }
                else if (failed && isBindingText(rec, room))
                {
                    answerUnavailable(r, rec);
                }
                else
                {
                    dispatch(r, rec, rec.length);
                }
            }
            decideRoute(r);
        }
    }

    /**
     * Once the IoAgent paused the socket and every record it sent before is handled, tell it the route: a
     * socket of a room this node serves goes straight to the local shard from now on (no message can overtake
     * the ones already published, since none is in flight), any other keeps being relayed.
     */
    private void decideRoute(final RelayedSocket r)
    {
        if (!r.paused || r.decided || RelayedSocket.RESOLVING == r.state)
        {
            return;
        }
        r.decided = true;
        io.route(r.connectionId, RelayedSocket.LOCAL == r.state ? r.shard : -1);
    }

    private boolean isBindingText(final byte[] rec, final byte[] room)
    {
        if (RelayRecords.TEXT != rec[0])
        {
            return false;
        }
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        decoder.decode(rec, textOffset, rec.length - textOffset, scratch);
        return ShardProxy.isJoinOrResume(scratch.typeId) && sameRoom(room, scratch.roomId, scratch.roomIdLength);
    }

    private void answerUnavailable(final RelayedSocket r, final byte[] rec)
    {
        final int textOffset = RelayRecords.BODY_OFFSET + 1 + (rec[RelayRecords.BODY_OFFSET] & 0xFF);
        final InboundSlot slot = scratch;
        decoder.decode(rec, textOffset, rec.length - textOffset, slot);
        slot.connectionId = r.connectionId;
        slot.errorCode = ErrorCode.CLUSTER_UNAVAILABLE.ordinal();
        counters.clusterUnavailable.incrementAndGet();
        r.shard = shards.shardFor(slot.roomId, slot.roomIdLength);
        shards.publish(r.shard, slot);
    }

    private void forward(final RelayedSocket r, final byte[] rec, final int length)
    {
        if (!link.isUp())
        {
            closeSocket(r);
            return;
        }
        publisher.forward(r.owner, r.connectionId, rec, length);
    }

    /**
     * Forward a join or resume to the room's owner, its socket's grants first in the same batch, so the owner never
     * serves it without them.
     */
    private void forwardBinding(final RelayedSocket r, final byte[] rec, final int length)
    {
        if (!link.isUp())
        {
            closeSocket(r);
            return;
        }
        if (r.grants.isRestricted())
        {
            publisher.forwardGrants(r.owner, r.connectionId, r.grants);
        }
        publisher.forward(r.owner, r.connectionId, rec, length);
    }

    private void closeSocket(final RelayedSocket r)
    {
        if (r.closing)
        {
            return;
        }
        r.closing = true;
        if (io.isLocal(r.connectionId))
        {
            counters.roomMovedCloses.incrementAndGet();
            io.close(r.connectionId, CloseCodes.ROOM_MOVED, "room_moved");
        }
    }

    /**
     * Timer duty: read the owners of the rooms relayed elsewhere, unless a read is in flight.
     *
     * @param redis commands.
     */
    void checkOwners(final RedisAsyncCommands<byte[], byte[]> redis)
    {
        if (null != checkFuture)
        {
            return;
        }
        checked.clear();
        for (final RelayedSocket r : relayed.values())
        {
            if (RelayedSocket.REMOTE == r.state && !r.closing)
            {
                checked.add(r);
            }
        }
        if (!checked.isEmpty())
        {
            final byte[][] keys = new byte[checked.size()][];
            for (int i = 0; i < keys.length; i++)
            {
                final byte[] room = checked.get(i).room;
                keys[i] = ClusterKeys.lease(room, room.length);
            }
            checkFuture = leases.owners(redis, keys);
        }
    }

    /**
     * Close with 4012 each relayed socket whose room's owner changed, once the read Redis answered.
     */
    void pollOwnerCheck()
    {
        if (null == checkFuture || !checkFuture.isDone())
        {
            return;
        }
        try
        {
            final List<KeyValue<byte[], byte[]>> owners = checkFuture.get();
            for (int i = 0; i < checked.size() && i < owners.size(); i++)
            {
                final RelayedSocket r = checked.get(i);
                final KeyValue<byte[], byte[]> owner = owners.get(i);
                final boolean same = owner.hasValue() && r.owner.equals(ascii(owner.getValue()));
                if (!same && relayed.get(r.connectionId) == r && RelayedSocket.REMOTE == r.state)
                {
                    closeSocket(r);
                }
            }
        }
        catch (final ExecutionException | RuntimeException ex)
        {
            counters.redisErrors.incrementAndGet();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        checked.clear();
        checkFuture = null;
    }

    static boolean sameRoom(final byte[] room, final byte[] roomId, final int roomIdLength)
    {
        return null != room && Arrays.equals(room, 0, room.length, roomId, 0, roomIdLength);
    }

    static boolean isNodeId(final byte[] bytes)
    {
        return null != bytes && RelayBatchDecoder.isNodeId(bytes, 0, bytes.length);
    }

    static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
