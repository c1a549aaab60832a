package dev.switchboard.net.io;

import dev.switchboard.engine.codes.MessageType;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters one IoAgent writes (single writer, lazy stores) and the metrics scrape reads from another thread.
 * <p>
 * The agent's thread is the only writer of every counter, so it adds with a plain read and an ordered store
 * ({@link #increment(AtomicLong)}), never with a read-modify-write instruction: a reader sees each value whole, a
 * little late at most. The one value with a per-interval reset, the longest loop, keeps that discipline too: the
 * metrics sampler only advances an interval number ({@link #beginInterval()}), and the agent, seeing it move,
 * publishes the maximum of the interval that ended and starts a new one itself.
 */
public final class IoCounters
{
    /** Open sockets now. */
    public final AtomicLong connected = new AtomicLong();
    /** Sockets accepted since start. */
    public final AtomicLong accepted = new AtomicLong();
    /** Sockets closed since start. */
    public final AtomicLong closed = new AtomicLong();
    /** Sockets refused because the table was full. */
    public final AtomicLong refused = new AtomicLong();
    /** Failed accept calls. */
    public final AtomicLong acceptErrors = new AtomicLong();
    /** Successful WebSocket upgrades. */
    public final AtomicLong upgrades = new AtomicLong();
    /** Sockets closed for a protocol violation. */
    public final AtomicLong protocolErrors = new AtomicLong();
    /** Sockets closed with 4401. */
    public final AtomicLong unauthorized = new AtomicLong();
    /** HTTP heads not finished in time. */
    public final AtomicLong headTimeouts = new AtomicLong();
    /** Sockets closed with 4009. */
    public final AtomicLong idleTimeouts = new AtomicLong();
    /** Sockets closed with 4008. */
    public final AtomicLong slowConsumers = new AtomicLong();
    /** Times a socket entered drop mode. */
    public final AtomicLong dropEpisodes = new AtomicLong();
    /** Times an agent stopped accepting after a failed accept (EMFILE, ENFILE...): back-off episodes. */
    public final AtomicLong acceptPauses = new AtomicLong();
    /** Sockets refused at accept (or upgrade, behind a trusted proxy) for {@code maxConnectionsPerAddress}. */
    public final AtomicLong addressConnectionRefusals = new AtomicLong();
    /** Upgrades answered 429 for {@code upgradesPerAddressPerSecond}. */
    public final AtomicLong addressUpgradeRefusals = new AtomicLong();
    /** Joins and resumes answered rate_limited for {@code joinsPerAddressPerSecond}. */
    public final AtomicLong addressJoinRefusals = new AtomicLong();
    /** Times reading paused because {@code maxPipelinedRequests} HTTP responses were waiting. */
    public final AtomicLong pipelinePauses = new AtomicLong();
    /** Times reading paused because control frames and fragments went over the overall message rate. */
    public final AtomicLong frameRatePauses = new AtomicLong();
    /** Pongs rewritten in place because an older one was still queued. */
    public final AtomicLong pongsCoalesced = new AtomicLong();
    /** Sockets closed with 1008 for a message not complete within {@code messageDeadlineSeconds}. */
    public final AtomicLong messageDeadlines = new AtomicLong();
    /** Frames dropped for backpressure. */
    public final AtomicLong droppedBackpressure = new AtomicLong();
    /** Text messages received. */
    public final AtomicLong messagesIn = new AtomicLong();
    /** Bytes read from sockets. */
    public final AtomicLong bytesIn = new AtomicLong();
    /** Bytes written to sockets. */
    public final AtomicLong bytesOut = new AtomicLong();
    /** Loop iterations. */
    public final AtomicLong loops = new AtomicLong();
    /** Unexpected loop errors. */
    public final AtomicLong errors = new AtomicLong();
    /** Sampling intervals begun; written by the metrics sampler only. */
    private final AtomicLong intervalsBegun = new AtomicLong();
    /** Longest loop of the last interval the agent saw end, ns; written by the agent only. */
    private final AtomicLong lastIntervalMaxLoopWorkNs = new AtomicLong();
    /** The interval the agent is measuring now; the agent's own. */
    private long loopWindowInterval;
    /** Longest loop of the interval the agent is measuring now, ns; the agent's own. */
    private long loopWindowMaxNs;
    /** Backpressure drops by {@link MessageType#id()}. */
    public final AtomicLongArray droppedByType = new AtomicLongArray(64);

    /**
     * Add one to a counter of this class from its single writer, with an ordered (lazy) store.
     *
     * @param counter one of this object's counters.
     * @return the new value.
     */
    static long increment(final AtomicLong counter)
    {
        final long value = counter.get() + 1;
        counter.lazySet(value);
        return value;
    }

    /**
     * Add to a counter of this class from its single writer, with an ordered (lazy) store.
     *
     * @param counter one of this object's counters.
     * @param delta   the amount to add.
     */
    static void add(final AtomicLong counter, final long delta)
    {
        counter.lazySet(counter.get() + delta);
    }

    /**
     * Account one loop iteration, from the agent's thread: its work time (select wait excluded), or 0 for a loop
     * that found nothing to do. The first loop after {@link #beginInterval()} publishes the previous interval's
     * longest loop.
     *
     * @param workNs nanoseconds the iteration worked.
     */
    void recordLoop(final long workNs)
    {
        final long interval = intervalsBegun.getAcquire();
        if (interval != loopWindowInterval)
        {
            lastIntervalMaxLoopWorkNs.lazySet(loopWindowMaxNs);
            loopWindowInterval = interval;
            loopWindowMaxNs = 0;
        }
        if (workNs > loopWindowMaxNs)
        {
            loopWindowMaxNs = workNs;
        }
    }

    /**
     * Start a new sampling interval for the longest-loop gauge; called by the metrics sampler, its only caller.
     */
    public void beginInterval()
    {
        intervalsBegun.setRelease(intervalsBegun.getPlain() + 1);
    }

    /**
     * The longest loop iteration (work only, select wait excluded) of the last sampling interval the agent has
     * seen end; an agent parked through several intervals reports the longest loop since its last one.
     *
     * @return nanoseconds.
     */
    public long intervalMaxLoopWorkNs()
    {
        return lastIntervalMaxLoopWorkNs.get();
    }

    void countDrop(final MessageType type)
    {
        final int id = type.id();
        droppedByType.lazySet(id, droppedByType.get(id) + 1);
    }
}
