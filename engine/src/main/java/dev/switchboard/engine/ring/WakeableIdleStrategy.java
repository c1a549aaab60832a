package dev.switchboard.engine.ring;

import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle strategy of one agent thread that producers on other threads can wake, and only when it is parked.
 * <p>
 * The thread announces it is parking (a volatile store), then checks its {@link DutyCycle} for work published
 * meanwhile, and only then parks until its next deadline. A producer publishes, then (after a full fence, since
 * the rings publish with release stores) reads the announcement and signals only when it is set, taking it
 * with a compare-and-set so that one park costs at most one signal. Either the consumer sees the publication or
 * the producer sees the announcement: no wake-up is lost, and a thread that is running costs its producers one
 * fence and one read. {@code waitStrategy} maps here: "blocking" parks (in {@code selector.select} for an
 * IoAgent's thread, {@link LockSupport#parkNanos} otherwise), "yielding" and "busy-spin" never park, so
 * nothing ever signals them.
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    /** Longest single park, so a thread with no deadline still looks at its running flag. */
    public static final long MAX_PARK_NS = 1_000_000_000L;

    private static final VarHandle PARKED;

    static
    {
        try
        {
            PARKED = MethodHandles.lookup().findVarHandle(WakeableIdleStrategy.class, "parked", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** How a parking thread sleeps and how a producer signals it. */
    public interface Parker
    {
        /**
         * On the parking thread, before it announces it is parking: make {@link #unpark()} able to reach it.
         */
        default void beforePark()
        {
        }

        /**
         * Sleep at most this long, returning early when {@link #unpark()} was called (before or during).
         *
         * @param timeoutNs upper bound, positive.
         */
        void park(long timeoutNs);

        /**
         * Make the current or next {@link #park(long)} return; any thread.
         */
        void unpark();
    }

    private final String waitStrategy;
    private final boolean parks;
    private final boolean yields;
    private final Parker parker;
    private final AtomicLong wakeups = new AtomicLong();
    private DutyCycle cycle;
    @SuppressWarnings("unused") // read and written through PARKED
    private volatile int parked;

    /**
     * An idle strategy for one thread.
     *
     * @param waitStrategy "blocking", "yielding" or "busy-spin".
     * @param cycle        the duty cycle of the agents on the thread (may be set later with {@link #dutyCycle}).
     * @param parker       how to park; used for "blocking" only.
     */
    public WakeableIdleStrategy(final String waitStrategy, final DutyCycle cycle, final Parker parker)
    {
        switch (waitStrategy)
        {
            case "blocking":
                parks = true;
                yields = false;
                break;
            case "yielding":
                parks = false;
                yields = true;
                break;
            case "busy-spin":
                parks = false;
                yields = false;
                break;
            default:
                throw new IllegalArgumentException("waitStrategy must be blocking, yielding or busy-spin, got " +
                    waitStrategy);
        }
        this.waitStrategy = waitStrategy;
        this.cycle = cycle;
        this.parker = parker;
    }

    /**
     * An idle strategy that parks the thread with {@link LockSupport} (engine shards, housekeeping agents).
     *
     * @param waitStrategy "blocking", "yielding" or "busy-spin".
     * @param cycle        the duty cycle of the agents on the thread.
     * @return the strategy.
     */
    public static WakeableIdleStrategy threadParking(final String waitStrategy, final DutyCycle cycle)
    {
        return new WakeableIdleStrategy(waitStrategy, cycle, new ThreadParker());
    }

    /**
     * Set the duty cycle, before the thread starts.
     *
     * @param cycle the duty cycle of the agents on the thread.
     */
    public void dutyCycle(final DutyCycle cycle)
    {
        this.cycle = cycle;
    }

    /** {@inheritDoc} */
    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void idle()
    {
        if (!parks)
        {
            if (yields)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
            return;
        }
        parker.beforePark();
        PARKED.setVolatile(this, 1);
        try
        {
            if (!cycle.hasPendingWork())
            {
                final long timeoutNs = Math.min(MAX_PARK_NS, cycle.parkTimeoutNs());
                if (timeoutNs > 0)
                {
                    parker.park(timeoutNs);
                }
            }
        }
        finally
        {
            PARKED.setVolatile(this, 0);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void reset()
    {
    }

    /**
     * On the parking thread, when its park turns into work before it returns (an IoAgent handles the sockets that
     * woke it inside {@code select}): withdraw the announcement, so what that work publishes to the thread's own
     * agents, or another producer meanwhile, sends no signal to a thread that is running and will run its duty
     * cycle as soon as the park returns.
     */
    public void awake()
    {
        // Called for every socket handled inside a park: store (release order is enough, the thread runs its duty
        // cycle next whatever a producer does) only while the announcement still stands.
        if (0 != (int)PARKED.getOpaque(this))
        {
            PARKED.setRelease(this, 0);
        }
    }

    /**
     * Signal the thread if, and only if, it announced it is parking; call after publishing its work. Any thread.
     */
    public void wake()
    {
        VarHandle.fullFence();
        if (0 != (int)PARKED.getVolatile(this) && PARKED.compareAndSet(this, 1, 0))
        {
            wakeups.incrementAndGet();
            parker.unpark();
        }
    }

    /**
     * Signals sent since start: how often a producer found this thread parked.
     *
     * @return count.
     */
    public long wakeups()
    {
        return wakeups.get();
    }

    /**
     * Whether this strategy ever parks ("blocking").
     *
     * @return true when producers may have to signal.
     */
    public boolean parks()
    {
        return parks;
    }

    /** {@inheritDoc} */
    @Override
    public String alias()
    {
        return "wakeable-" + waitStrategy;
    }

    /** Parks the thread that idles with {@link LockSupport#parkNanos(long)}. */
    public static final class ThreadParker implements Parker
    {
        private volatile Thread owner;

        /**
         * Record the parking thread before the announcement, so a producer that sees the announcement can unpark
         * it (recorded inside {@link #park} instead, the first wake-up could find no thread and be lost).
         */
        @Override
        public void beforePark()
        {
            if (null == owner)
            {
                owner = Thread.currentThread();
            }
        }

        /** {@inheritDoc} */
        @Override
        public void park(final long timeoutNs)
        {
            LockSupport.parkNanos(this, timeoutNs);
        }

        /** {@inheritDoc} */
        @Override
        public void unpark()
        {
            final Thread thread = owner;
            if (null != thread)
            {
                LockSupport.unpark(thread);
            }
        }
    }
}
