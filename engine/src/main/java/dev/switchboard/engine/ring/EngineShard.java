package dev.switchboard.engine.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import dev.switchboard.engine.log.LogLine;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine shard as an Agrona {@link Agent}: an inbound Disruptor ring of pre-allocated {@link InboundSlot}s,
 * consumed with an {@link EventPoller} inside {@link #doWork()}, and the shard's timer deadline (the tick that
 * runs coalescing flushes, resume windows, the hostless-room reaper and the frame-pool trim) checked against
 * the injected clock in the same duty cycle. No thread publishes ticks, so the ring has exactly the producers
 * the layout has: single-producer with one IoAgent and no cluster.
 * <p>
 * The consumer is the only writer of the shard's rooms and sessions. An exception escaping the consumer is
 * counted and logged once per distinct message, and the shard keeps running.
 */
public final class EngineShard implements Agent, DutyCycle, AutoCloseable
{
    /** Most slots applied in one duty cycle before the other agents of the thread get their turn. */
    public static final int MAX_BATCH = 1024;
    /** Tick interval meaning "never tick" (the stand-alone constructor: tests feed ticks themselves). */
    public static final long NO_TICK = 0;

    private static final Logger LOG = LogManager.getLogger(EngineShard.class);

    private final int index;
    private final boolean multiProducer;
    private final RingBuffer<InboundSlot> ring;
    private final EventPoller<InboundSlot> poller;
    private final NanoClock clock;
    private final long tickNs;
    private final SlotConsumer consumer;
    private final InboundSlot tickSlot = new InboundSlot();
    private final EventPoller.Handler<InboundSlot> handler = this::onSlot;
    private final AtomicLong errors = new AtomicLong();
    private final ConcurrentHashMap<String, Boolean> loggedErrors = new ConcurrentHashMap<>();
    private final AgentThread ownThread;
    private final WakeableIdleStrategy ownIdle;
    private volatile WakeableIdleStrategy idle;
    private volatile Thread runningOn;
    private long nextTickNs;
    private int batchCount;
    private boolean inDutyCycle;

    /**
     * Create a shard run by the caller's {@link AgentThread} (alone or with other agents).
     *
     * @param index         shard number.
     * @param ringSize      slots in the inbound ring, a power of two.
     * @param multiProducer whether more than one thread publishes (several IoAgents, or the cluster agent).
     * @param clock         the clock of the tick deadline (tests pass a fake one).
     * @param tickNs        the tick interval, or {@link #NO_TICK}.
     * @param owner         the thread that will run the shard, for pools that need their owner.
     * @param consumers     makes what applies each slot.
     */
    public EngineShard(
        final int index,
        final int ringSize,
        final boolean multiProducer,
        final NanoClock clock,
        final long tickNs,
        final Thread owner,
        final ConsumerFactory consumers)
    {
        this(index, ringSize, multiProducer, clock, tickNs, owner, consumers, null, null);
    }

    /**
     * Create a shard that runs alone on its own thread, started by {@link #start()} (tests, benchmarks); it never
     * ticks by itself.
     *
     * @param index         shard number.
     * @param ringSize      slots in the inbound ring, a power of two.
     * @param multiProducer whether more than one thread publishes.
     * @param waitStrategy  "blocking", "yielding" or "busy-spin".
     * @param cpu           the CPU to pin the shard's thread to, or -1 for none.
     * @param consumers     makes what applies each slot, given the shard's thread.
     */
    public EngineShard(
        final int index,
        final int ringSize,
        final boolean multiProducer,
        final String waitStrategy,
        final int cpu,
        final ConsumerFactory consumers)
    {
        this(index, ringSize, multiProducer, SystemNanoClock.INSTANCE, NO_TICK, null, consumers,
            new AgentThread("switchboard-engine-" + index, cpu), waitStrategy);
    }

    private EngineShard(
        final int index,
        final int ringSize,
        final boolean multiProducer,
        final NanoClock clock,
        final long tickNs,
        final Thread owner,
        final ConsumerFactory consumers,
        final AgentThread ownThread,
        final String ownWaitStrategy)
    {
        this.index = index;
        this.multiProducer = multiProducer;
        this.clock = clock;
        this.tickNs = tickNs;
        // Nobody waits on the ring's barrier (the poller never blocks), so the wait strategy must cost the
        // publishers nothing: the blocking one would take a lock on every publish.
        final BusySpinWaitStrategy wait = new BusySpinWaitStrategy();
        this.ring = multiProducer ?
            RingBuffer.createMultiProducer(InboundSlot::new, ringSize, wait) :
            RingBuffer.createSingleProducer(InboundSlot::new, ringSize, wait);
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        tickSlot.clear();
        tickSlot.kind = SlotKind.TICK;
        this.ownThread = ownThread;
        this.consumer = consumers.create(index, null != ownThread ? ownThread.thread() : owner);
        this.ownIdle = null != ownThread ? WakeableIdleStrategy.threadParking(ownWaitStrategy, this) : null;
        this.idle = ownIdle;
        this.nextTickNs = clock.nanoTime() + tickNs;
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
     * Say which idle strategy the shard's thread parks in, so publishers can wake it; before the thread starts.
     *
     * @param idle the idle strategy of the thread that runs this shard.
     */
    public void idleStrategy(final WakeableIdleStrategy idle)
    {
        this.idle = idle;
    }

    /**
     * Start the shard's own thread (stand-alone constructor only).
     */
    public void start()
    {
        if (null == ownThread)
        {
            throw new IllegalStateException("this shard is run by its runtime's agent thread");
        }
        ownThread.start(ownIdle, this::onError, this);
    }

    /** {@inheritDoc} */
    @Override
    public void onStart()
    {
        runningOn = Thread.currentThread();
        nextTickNs = clock.nanoTime() + tickNs;
    }

    /**
     * One duty cycle: apply up to {@link #MAX_BATCH} published slots, end the batch, and run the tick when its
     * deadline has passed.
     *
     * @return slots applied plus ticks run.
     */
    @Override
    public int doWork()
    {
        if (inDutyCycle)
        {
            return 0;
        }
        inDutyCycle = true;
        try
        {
            int work = 0;
            batchCount = 0;
            try
            {
                poller.poll(handler);
            }
            catch (final Exception ex)
            {
                onError(ex);
            }
            work += batchCount;
            final long nowNs = clock.nanoTime();
            if (tickNs > 0 && nowNs - nextTickNs >= 0)
            {
                nextTickNs += tickNs;
            if (nextTickNs - nowNs <= 0)
            {
                nextTickNs = nowNs + tickNs; // late: one run now, then a whole interval, never a burst
            }
                tickSlot.publishNs = System.nanoTime(); // the stamp of every published slot, for loop latency
                apply(tickSlot);
                work++;
            }
            if (work > 0)
            {
                endBatch();
            }
            return work;
        }
        finally
        {
            inDutyCycle = false;
        }
    }

    private boolean onSlot(final InboundSlot slot, final long sequence, final boolean endOfBatch)
    {
        apply(slot);
        return ++batchCount < MAX_BATCH;
    }

    private void apply(final InboundSlot slot)
    {
        try
        {
            consumer.onEvent(slot);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    private void endBatch()
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

    /** {@inheritDoc} */
    @Override
    public boolean hasPendingWork()
    {
        return ring.getCursor() > poller.getSequence().get();
    }

    /** {@inheritDoc} */
    @Override
    public long parkTimeoutNs()
    {
        return tickNs > 0 ? Math.max(0, nextTickNs - clock.nanoTime()) : Long.MAX_VALUE;
    }

    /**
     * Apply what is still in the ring (bounded), so events published before the close are not lost.
     */
    @Override
    public void onClose()
    {
        for (int i = 0; i < 64 && hasPendingWork(); i++)
        {
            doWork();
        }
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "engine-" + index;
    }

    /**
     * Signal the shard's thread after publishing into its ring; cheap unless the thread is parked.
     */
    public void wake()
    {
        final WakeableIdleStrategy strategy = idle;
        if (null != strategy)
        {
            strategy.wake();
        }
    }

    /**
     * Whether the calling thread is the one running this shard (shared mode: the IoAgent publishing into a full
     * ring runs the shard itself instead of waiting for a thread that is its own).
     *
     * @return true on the shard's thread.
     */
    public boolean isCurrentThread()
    {
        return Thread.currentThread() == runningOn;
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
     * Stop the shard's own thread after the slots already published have been applied (stand-alone constructor
     * only; a runtime closes its agent threads).
     */
    @Override
    public void close()
    {
        if (null != ownThread)
        {
            ownThread.close();
        }
    }

    /**
     * Count and log (once per distinct message) an exception from the consumer.
     *
     * @param ex the exception.
     */
    public void onError(final Throwable ex)
    {
        errors.incrementAndGet();
        final String key = ex.getClass().getName() + ": " + ex.getMessage();
        if (loggedErrors.size() < 1024 && null == loggedErrors.putIfAbsent(key, Boolean.TRUE))
        {
            LOG.error(LogLine.event("engine_error").with("shard", index).with("note", "logged once per distinct error"),
                ex);
        }
    }
}
