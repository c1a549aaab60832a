package dev.switchboard.net;

import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.ring.SlotKind;

/**
 * Answers every {@link SlotKind#CONNECTION_CLOSED} with an outbound close once the shard has applied it.
 * <p>
 * A shard applies a connection's events in order, so this close lands in the IoAgent's outbound ring after
 * every reply to the messages the connection sent before closing: the IoAgent sends its close frame only
 * then, and no accepted message loses its answer because the client closed (or broke the protocol) right
 * after sending it.
 */
final class FencingConsumer implements SlotConsumer
{
    private final SlotConsumer delegate;
    private final OutboundPublisher publisher;

    FencingConsumer(final SlotConsumer delegate, final OutboundPublisher publisher)
    {
        this.delegate = delegate;
        this.publisher = publisher;
    }

    @Override
    public void onEvent(final InboundSlot slot)
    {
        final boolean closed = SlotKind.CONNECTION_CLOSED == slot.kind;
        final long connectionId = slot.connectionId;
        final int code = slot.closeCode;
        delegate.onEvent(slot);
        if (closed)
        {
            publisher.close(connectionId, code, "");
        }
    }

    @Override
    public void onEndOfBatch()
    {
        delegate.onEndOfBatch();
    }
}
