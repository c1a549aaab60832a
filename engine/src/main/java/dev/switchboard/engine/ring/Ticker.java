package dev.switchboard.engine.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a {@link SlotKind#TICK} into every shard every {@code tickMillis}, so timers and coalescing run
 * whatever the wait strategy and whether or not messages arrive. A tick is skipped when a ring is full.
 */
public final class Ticker implements AutoCloseable
{
    private final EngineShard[] shards;
    private final long tickNs;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Create a ticker; call {@link #start()} to run it.
     *
     * @param shards     the shards to tick.
     * @param tickMillis the interval.
     */
    public Ticker(final EngineShard[] shards, final int tickMillis)
    {
        this.shards = shards.clone();
        this.tickNs = tickMillis * 1_000_000L;
        this.thread = new Thread(this::run, "switchboard-ticker");
        this.thread.setDaemon(true);
    }

    /**
     * Start ticking.
     */
    public void start()
    {
        thread.start();
    }

    private void run()
    {
        long nextNs = System.nanoTime() + tickNs;
        while (running)
        {
            final long waitNs = nextNs - System.nanoTime();
            if (waitNs > 0)
            {
                LockSupport.parkNanos(waitNs);
                continue;
            }
            for (final EngineShard shard : shards)
            {
                shard.ring().tryPublishEvent(SlotTranslators.TICK);
            }
            nextNs += tickNs;
            final long nowNs = System.nanoTime();
            if (nextNs < nowNs)
            {
                nextNs = nowNs + tickNs;
            }
        }
    }

    /**
     * Stop ticking and wait for the thread.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(1_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
