package dev.switchboard.net.cluster;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;

/**
 * The cluster agent's way into the engine shards: messages of relayed and virtual connections, their events,
 * room restores and handovers, published into the inbound rings.
 * <p>
 * Used by the cluster agent's thread alone; allocation-free. While a ring is full it drains the agent's own
 * outbound ring, so a shard blocked on that ring can make progress.
 */
final class ShardProxy
{
    private final InboundPublisher inbound;
    private final Runnable whileFull;
    private final InboundSlot eventSlot = new InboundSlot();

    ShardProxy(final InboundPublisher inbound, final Runnable whileFull)
    {
        this.inbound = inbound;
        this.whileFull = whileFull;
    }

    /**
     * Number of engine shards.
     *
     * @return count.
     */
    int shardCount()
    {
        return inbound.shardCount();
    }

    /**
     * The shard of a room.
     *
     * @param roomId       room id bytes.
     * @param roomIdLength room id length.
     * @return shard index.
     */
    int shardFor(final byte[] roomId, final int roomIdLength)
    {
        return inbound.shardFor(roomId, roomIdLength);
    }

    /**
     * Publish a decoded message to the shard of its room, or to the connection's shard when it names no room.
     *
     * @param slot         decoded message.
     * @param currentShard the connection's shard so far, or -1.
     * @return the connection's shard from now on.
     */
    int publishMessage(final InboundSlot slot, final int currentShard)
    {
        int shard = currentShard;
        final int target;
        if (slot.roomIdLength > 0)
        {
            target = inbound.shardFor(slot.roomId, slot.roomIdLength);
            if (shard < 0 || isJoinOrResume(slot.typeId))
            {
                shard = target;
            }
        }
        else
        {
            target = Math.max(0, shard);
            shard = target;
        }
        inbound.publish(target, slot, whileFull);
        return shard;
    }

    /**
     * Publish a prepared slot to one shard.
     *
     * @param shard shard index.
     * @param slot  the slot, copied.
     */
    void publish(final int shard, final InboundSlot slot)
    {
        inbound.publish(shard, slot, whileFull);
    }

    /**
     * Publish a connection event (a close or a flow event).
     *
     * @param shard        shard index.
     * @param kind         slot kind.
     * @param connectionId connection id.
     * @param code         close code, or 0.
     * @param dropped      frames dropped, or 0.
     */
    void publishEvent(final int shard, final byte kind, final long connectionId, final int code, final long dropped)
    {
        final InboundSlot slot = eventSlot;
        slot.clear();
        slot.kind = kind;
        slot.connectionId = connectionId;
        slot.closeCode = code;
        slot.dropped = dropped;
        inbound.publish(shard, slot, whileFull);
    }

    /**
     * Publish a payload_too_large error for a connection.
     *
     * @param shard        shard index.
     * @param connectionId connection id.
     */
    void publishTooLarge(final int shard, final long connectionId)
    {
        final InboundSlot slot = eventSlot;
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.connectionId = connectionId;
        slot.errorCode = ErrorCode.PAYLOAD_TOO_LARGE.ordinal();
        inbound.publish(shard, slot, whileFull);
    }

    /**
     * Publish a room restore from a snapshot to the room's shard.
     *
     * @param room     room id bytes.
     * @param snapshot snapshot bytes.
     */
    void publishRestore(final byte[] room, final byte[] snapshot)
    {
        final InboundSlot slot = eventSlot;
        slot.fillRoomRestore(room, room.length, snapshot, 0, snapshot.length);
        inbound.publish(inbound.shardFor(room, room.length), slot, whileFull);
    }

    /**
     * Ask every shard to snapshot its rooms for a handover.
     */
    void publishHandover()
    {
        final InboundSlot slot = eventSlot;
        for (int shard = 0; shard < inbound.shardCount(); shard++)
        {
            slot.fillHandover();
            inbound.publish(shard, slot, whileFull);
        }
    }

    /**
     * Whether a message type binds its socket to a room.
     *
     * @param typeId message type id.
     * @return true for join and resume.
     */
    static boolean isJoinOrResume(final int typeId)
    {
        return MessageType.JOIN.id() == typeId || MessageType.RESUME.id() == typeId;
    }
}
