package dev.switchboard.net.support;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.ring.SlotKind;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The front end's stand-in for the room engine, so the network layer is tested alone: it answers
 * {@code ping} with {@code pong {ts}} and any other message with an {@code error}, and records the
 * connection events it sees.
 */
public final class StandInConsumer implements SlotConsumer
{
    /** Connection events seen, as "closed:&lt;code&gt;", "flow_drop", "flow_normal:&lt;dropped&gt;". */
    public final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    private final OutboundPublisher publisher;
    private final FramePool pool;

    /**
     * Create a stand-in for one shard.
     *
     * @param publisher where replies go.
     * @param thread    the shard thread, owner of the frame pool.
     */
    public StandInConsumer(final OutboundPublisher publisher, final Thread thread)
    {
        this.publisher = publisher;
        this.pool = new FramePool(1024, thread);
    }

    @Override
    public void onEvent(final InboundSlot slot)
    {
        switch (slot.kind)
        {
            case SlotKind.MESSAGE:
                onMessage(slot);
                break;
            case SlotKind.CONNECTION_CLOSED:
                events.add("closed:" + slot.closeCode);
                break;
            case SlotKind.FLOW_DROP:
                events.add("flow_drop");
                break;
            case SlotKind.FLOW_NORMAL:
                events.add("flow_normal:" + slot.dropped);
                break;
            default:
                break;
        }
    }

    private void onMessage(final InboundSlot slot)
    {
        final String json;
        if (ErrorCode.NONE.ordinal() != slot.errorCode)
        {
            json = "{\"type\":\"error\",\"payload\":{\"code\":\"" + slot.error().wireName() + "\"}}";
        }
        else if (MessageType.PING.id() == slot.typeId)
        {
            json = "{\"type\":\"pong\",\"ts\":" + System.currentTimeMillis() + ",\"payload\":{\"ts\":" +
                (slot.hasTs ? Long.toString(slot.ts) : "null") + "}}";
        }
        else
        {
            json = "{\"type\":\"error\",\"payload\":{\"code\":\"unknown_type\",\"message\":\"stand-in engine\"}}";
        }
        send(slot.connectionId, json);
    }

    /**
     * Send any JSON text to a connection.
     *
     * @param connectionId recipient.
     * @param json         text.
     */
    public void send(final long connectionId, final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final Frame frame = pool.acquire(bytes.length, MessageType.PONG, false);
        frame.ensurePayloadCapacity(bytes.length);
        System.arraycopy(bytes, 0, frame.buffer(), Frame.PAYLOAD_OFFSET, bytes.length);
        frame.sealText(bytes.length);
        publisher.send(connectionId, frame);
        frame.release();
    }

    @Override
    public void onEndOfBatch()
    {
        publisher.endOfBatch();
    }
}
