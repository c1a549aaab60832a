package dev.switchboard.engine.outbound;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * The outbound ring of one IoAgent: engine shards publish, the IoAgent polls between selects.
 * <p>
 * A publisher that finds the ring full waits for the IoAgent, which never blocks on the engine while draining,
 * so the two cannot deadlock. The IoAgent is woken through its {@link Waker} when a batch lands.
 */
public final class OutboundRing
{
    /** Wakes the IoAgent that polls a ring. */
    @FunctionalInterface
    public interface Waker
    {
        /**
         * Make the agent poll soon; cheap when it is already awake.
         */
        void wake();
    }

    private static final EventTranslatorOneArg<OutboundSlot, Frame> SEND_FRAME = (slot, sequence, frame) ->
    {
        slot.kind = OutboundSlot.SEND;
        slot.frame = frame;
        slot.reason = null;
    };

    private final RingBuffer<OutboundSlot> ring;
    private final EventPoller<OutboundSlot> poller;
    private volatile Waker waker = () -> { };

    /**
     * Create a ring.
     *
     * @param size          slots, a power of two.
     * @param multiProducer whether more than one engine shard publishes.
     */
    public OutboundRing(final int size, final boolean multiProducer)
    {
        ring = multiProducer ?
            RingBuffer.createMultiProducer(OutboundSlot::new, size, new YieldingWaitStrategy()) :
            RingBuffer.createSingleProducer(OutboundSlot::new, size, new YieldingWaitStrategy());
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    /**
     * Set who is woken after a batch lands.
     *
     * @param waker the IoAgent's waker.
     */
    public void waker(final Waker waker)
    {
        this.waker = waker;
    }

    /**
     * Wake the consuming agent.
     */
    public void wake()
    {
        waker.wake();
    }

    /**
     * Publish a frame for a connection; the caller has already retained it for this slot.
     *
     * @param connectionId the recipient.
     * @param frame        a sealed, retained frame.
     */
    public void send(final long connectionId, final Frame frame)
    {
        // The connection id travels in the slot: set it through a second field write inside the claim.
        final RingBuffer<OutboundSlot> ring = this.ring;
        final long sequence = claim();
        final OutboundSlot slot = ring.get(sequence);
        SEND_FRAME.translateTo(slot, sequence, frame);
        slot.connectionId = connectionId;
        ring.publish(sequence);
    }

    /**
     * Claim the next slot, waking the consumer and spinning while the ring is full: the engine never drops a frame
     * here, and the IoAgent drains this ring every loop.
     */
    private long claim()
    {
        while (true)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                waker.wake();
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Publish a close for a connection.
     *
     * @param connectionId the connection.
     * @param code         close code.
     * @param reason       reason text.
     */
    public void close(final long connectionId, final int code, final String reason)
    {
        // Claimed and filled by hand: the generic three-argument translator would box the id and the code.
        final RingBuffer<OutboundSlot> ring = this.ring;
        final long sequence = claim();
        final OutboundSlot slot = ring.get(sequence);
        slot.kind = OutboundSlot.CLOSE;
        slot.connectionId = connectionId;
        slot.closeCode = code;
        slot.reason = reason;
        slot.frame = null;
        ring.publish(sequence);
    }

    /**
     * Whether slots are waiting to be polled.
     *
     * @return true when the IoAgent has work here.
     */
    public boolean hasPending()
    {
        return ring.getCursor() > poller.getSequence().get();
    }

    /**
     * Poll every available slot into the handler, on the IoAgent thread.
     *
     * @param handler receives each slot; return true to keep going.
     * @return whether anything was polled.
     */
    public boolean poll(final EventPoller.Handler<OutboundSlot> handler)
    {
        try
        {
            return EventPoller.PollState.PROCESSING == poller.poll(handler);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("outbound poll failed", ex);
        }
    }
}
