package dev.switchboard.engine.ring;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine shard: an inbound Disruptor ring of pre-allocated {@link InboundSlot}s and the single thread that
 * applies them through a {@link SlotConsumer}.
 * <p>
 * The consumer is the only writer of the shard's rooms and sessions. An exception escaping the consumer is
 * counted and logged once per distinct message, and the shard keeps running: Disruptor's default handler
 * would halt it.
 */
public final class EngineShard implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(EngineShard.class);

    private final int index;
    private final boolean multiProducer;
    private final RingBuffer<InboundSlot> ring;
    private final BatchEventProcessor<InboundSlot> processor;
    private final Thread thread;
    private final AtomicLong errors = new AtomicLong();
    private final ConcurrentHashMap<String, Boolean> loggedErrors = new ConcurrentHashMap<>();

    /**
     * Create a shard; call {@link #start()} to run it.
     *
     * @param index        shard number.
     * @param ringSize     slots in the inbound ring, a power of two.
     * @param multiProducer whether more than one thread publishes; the {@link Ticker} counts as one, so a shard
     *                      that is ticked and fed by an IoAgent needs true.
     * @param waitStrategy "blocking", "yielding" or "busy-spin".
     * @param cpu          the CPU to pin the shard's thread to, or -1 for none.
     * @param consumers    makes what applies each slot, given the shard's thread (pools need their owner).
     */
    public EngineShard(
        final int index,
        final int ringSize,
        final boolean multiProducer,
        final String waitStrategy,
        final int cpu,
        final ConsumerFactory consumers)
    {
        this.index = index;
        this.multiProducer = multiProducer;
        final WaitStrategy wait = waitStrategy(waitStrategy);
        this.ring = multiProducer ?
            RingBuffer.createMultiProducer(InboundSlot::new, ringSize, wait) :
            RingBuffer.createSingleProducer(InboundSlot::new, ringSize, wait);
        final Handler handler = new Handler(cpu);
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        this.processor.setExceptionHandler(new CountingExceptionHandler());
        ring.addGatingSequences(processor.getSequence());
        this.thread = new Thread(processor, "switchboard-engine-" + index);
        handler.consumer = consumers.create(index, thread);
    }

    /** Makes a shard's consumer once its thread exists. */
    @FunctionalInterface
    public interface ConsumerFactory
    {
        /**
         * Make the consumer of one shard.
         *
         * @param shardIndex the shard.
         * @param thread     the thread that will run it (not started yet).
         * @return the consumer.
         */
        SlotConsumer create(int shardIndex, Thread thread);
    }

    /**
     * Parse a wait strategy name.
     *
     * @param name "blocking", "yielding" or "busy-spin".
     * @return the strategy.
     */
    public static WaitStrategy waitStrategy(final String name)
    {
        switch (name)
        {
            case "blocking":
                return new BlockingWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "busy-spin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("waitStrategy must be blocking, yielding or busy-spin, got " + name);
        }
    }

    /**
     * Start the shard's thread.
     */
    public void start()
    {
        thread.start();
    }

    /**
     * The inbound ring, for publishers.
     *
     * @return the ring.
     */
    public RingBuffer<InboundSlot> ring()
    {
        return ring;
    }

    /**
     * The shard's thread, for pinning and for pools that need their owner.
     *
     * @return the thread (not yet started before {@link #start()}).
     */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Whether the ring accepts publishers on more than one thread.
     *
     * @return true for a multi-producer ring.
     */
    public boolean isMultiProducer()
    {
        return multiProducer;
    }

    /**
     * Shard number.
     *
     * @return index.
     */
    public int index()
    {
        return index;
    }

    /**
     * Slots published and not yet applied.
     *
     * @return occupancy of the inbound ring.
     */
    public long occupancy()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /**
     * Exceptions that escaped the consumer since start.
     *
     * @return count.
     */
    public long errorCount()
    {
        return errors.get();
    }

    /**
     * Halt after the slots already published have been applied, and wait for the thread.
     */
    @Override
    public void close()
    {
        final long deadlineNs = System.nanoTime() + 2_000_000_000L;
        while (processor.getSequence().get() < ring.getCursor() && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        processor.halt();
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private final class Handler implements EventHandler<InboundSlot>
    {
        private final int cpu;
        private SlotConsumer consumer;

        Handler(final int cpu)
        {
            this.cpu = cpu;
        }

        @Override
        public void onStart()
        {
            ThreadAffinity.pinCurrentThread(cpu);
        }

        @Override
        public void onEvent(final InboundSlot slot, final long sequence, final boolean endOfBatch)
        {
            try
            {
                consumer.onEvent(slot);
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
            if (endOfBatch)
            {
                try
                {
                    consumer.onEndOfBatch();
                }
                catch (final Throwable ex)
                {
                    onError(ex);
                }
            }
        }
    }

    private void onError(final Throwable ex)
    {
        errors.incrementAndGet();
        final String key = ex.getClass().getName() + ": " + ex.getMessage();
        if (loggedErrors.size() < 1024 && null == loggedErrors.putIfAbsent(key, Boolean.TRUE))
        {
            LOG.error(LogLine.event("engine_error").with("shard", index).with("note", "logged once per distinct error"),
                ex);
        }
    }

    private final class CountingExceptionHandler implements ExceptionHandler<InboundSlot>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final InboundSlot event)
        {
            onError(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            onError(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            onError(ex);
        }
    }
}
