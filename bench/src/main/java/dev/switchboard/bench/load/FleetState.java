package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all selector threads share: the settings, the run's phase times, the per-room receiver counts, the message
 * tracker and the latency channels. Phase times are written by the main thread and read by the agents.
 */
public final class FleetState
{
    /** Value of a phase time that has not been set yet. */
    public static final long NOT_SET = Long.MAX_VALUE;

    /** Mask of the bits of a msgId's low half that carry the message number. */
    public static final long NUMBER_MASK = 0x0FFF_FFFF_FFFF_FFFFL;

    /** The variant bits of a msgId's low half. */
    public static final long VARIANT_BITS = 0x8000_0000_0000_0000L;

    /** The run's settings. */
    public final LoadSettings settings;

    /** The high half of every msgId of this run: random bits with the UUID version 4 nibble. */
    public final long msgIdHigh;

    /** Room id bytes per room index. */
    public final byte[][] roomIds;

    /** Sockets per room that are joined and expected to receive broadcasts. */
    public final AtomicIntegerArray receivers;

    /** Tracks every message the fleet sends. */
    public final MessageTracker tracker;

    /** Latency from intended send time to the first recipient of each game event. */
    public final LatencyChannel firstRecipient = new LatencyChannel("firstRecipient");

    /** Latency from intended send time to the last expected recipient of each game event. */
    public final LatencyChannel lastRecipient = new LatencyChannel("lastRecipient");

    /** Latency from intended send time to every recipient of every game event. */
    public final LatencyChannel all = new LatencyChannel("all");

    /** Latency from intended send time to the ack, for the sender of each game event, offer and answer. */
    public final LatencyChannel ack = new LatencyChannel("ack");

    /** Latency from intended send time to the relayed game state that carried the latest patch (mixed). */
    public final LatencyChannel state = new LatencyChannel("gameState");

    /** Latency from send time to the relayed offer or answer (mixed). */
    public final LatencyChannel directed = new LatencyChannel("directed");

    /** How late the generator sent each scheduled message after its intended time: the generator's own lag. */
    public final LatencyChannel sendLag = new LatencyChannel("sendLag");

    private volatile long trafficStartNs = NOT_SET;
    private volatile long measureStartNs = NOT_SET;
    private volatile long sendStopNs = NOT_SET;
    private volatile long connectStartNs = NOT_SET;
    private volatile boolean stopping;
    private final AtomicLong cyclesClaimed = new AtomicLong();

    /**
     * Makes the shared state for a run.
     *
     * @param settings  the run's settings.
     * @param runId     a random number that keeps this run's rooms and msgIds apart from earlier runs.
     */
    public FleetState(final LoadSettings settings, final long runId)
    {
        this.settings = settings;
        this.msgIdHigh = (runId & 0xFFFF_FFFF_FFFF_0FFFL) | 0x0000_0000_0000_4000L;
        this.roomIds = new byte[settings.rooms][];
        final String prefix = "lg" + Long.toHexString(runId & 0xFFFFFFL) + "-";
        for (int i = 0; i < settings.rooms; i++)
        {
            roomIds[i] = (prefix + i).getBytes(StandardCharsets.US_ASCII);
        }
        this.receivers = new AtomicIntegerArray(settings.rooms);
        this.tracker = new MessageTracker(1 << 20);
    }

    /**
     * All latency channels, in summary order.
     *
     * @return the channels.
     */
    public LatencyChannel[] channels()
    {
        return new LatencyChannel[]{firstRecipient, lastRecipient, all, ack, state, directed, sendLag};
    }

    /**
     * Sets when sockets start connecting.
     *
     * @param nowNs the start time.
     */
    public void startConnecting(final long nowNs)
    {
        connectStartNs = nowNs;
    }

    /**
     * Sets the traffic phase: scheduled sends begin at {@code startNs}, recording at {@code measureNs}, and sends
     * stop at {@code stopNs}.
     *
     * @param startNs   first intended send time.
     * @param measureNs start of the measurement window.
     * @param stopNs    end of the measurement window; no send is intended at or after it.
     */
    public void startTraffic(final long startNs, final long measureNs, final long stopNs)
    {
        measureStartNs = measureNs;
        sendStopNs = stopNs;
        trafficStartNs = startNs;
    }

    /**
     * Claims one churn cycle (a leave and the rejoin after it) for a viewer about to leave; with {@code --cycles N}
     * exactly N claims succeed over the whole fleet, without it every claim does.
     *
     * @return true when the viewer may leave, false when the fleet has done its cycles.
     */
    public boolean claimCycle()
    {
        final long limit = settings.cycles;
        if (0 == limit)
        {
            cyclesClaimed.incrementAndGet();
            return true;
        }
        while (true)
        {
            final long claimed = cyclesClaimed.get();
            if (claimed >= limit)
            {
                return false;
            }
            if (cyclesClaimed.compareAndSet(claimed, claimed + 1))
            {
                return true;
            }
        }
    }

    /**
     * Churn cycles claimed so far: leaves sent or about to be sent.
     *
     * @return claimed cycles.
     */
    public long cyclesClaimed()
    {
        return cyclesClaimed.get();
    }

    /**
     * Asks the agents to close their sockets and return.
     */
    public void stop()
    {
        stopping = true;
    }

    /**
     * When sockets start connecting.
     *
     * @return nanoseconds, or {@link #NOT_SET}.
     */
    public long connectStartNs()
    {
        return connectStartNs;
    }

    /**
     * When scheduled sends begin.
     *
     * @return nanoseconds, or {@link #NOT_SET}.
     */
    public long trafficStartNs()
    {
        return trafficStartNs;
    }

    /**
     * Start of the measurement window.
     *
     * @return nanoseconds, or {@link #NOT_SET}.
     */
    public long measureStartNs()
    {
        return measureStartNs;
    }

    /**
     * End of the measurement window.
     *
     * @return nanoseconds, or {@link #NOT_SET}.
     */
    public long sendStopNs()
    {
        return sendStopNs;
    }

    /**
     * Whether the agents should stop.
     *
     * @return true once {@link #stop} was called.
     */
    public boolean stopping()
    {
        return stopping;
    }

    /**
     * The room of a socket.
     *
     * @param socketIndex the socket's global index.
     * @return the room index.
     */
    public int roomOf(final int socketIndex)
    {
        return socketIndex / settings.roomSize;
    }

    /**
     * The socket's position in its room; position zero is the host.
     *
     * @param socketIndex the socket's global index.
     * @return the member position.
     */
    public int memberOf(final int socketIndex)
    {
        return socketIndex % settings.roomSize;
    }

    /**
     * Whether the socket publishes game events: the first {@code publishersPerRoom} members of each room.
     *
     * @param socketIndex the socket's global index.
     * @return true for a publisher.
     */
    public boolean isPublisher(final int socketIndex)
    {
        return memberOf(socketIndex) < settings.publishersPerRoom;
    }

    /**
     * Whether the socket stops reading once traffic starts: an even share of the non-publishers.
     *
     * @param socketIndex the socket's global index.
     * @return true for a slow consumer.
     */
    public boolean isSlow(final int socketIndex)
    {
        if (isPublisher(socketIndex) || settings.slowShare <= 0.0)
        {
            return false;
        }
        final int viewersPerRoom = settings.roomSize - settings.publishersPerRoom;
        final long ordinal = (long)roomOf(socketIndex) * viewersPerRoom + memberOf(socketIndex) -
            settings.publishersPerRoom;
        return evenShare(ordinal, settings.slowShare);
    }

    /**
     * Whether item {@code ordinal} is picked when an exact share of a sequence is picked evenly.
     *
     * @param ordinal the item's position, from zero.
     * @param share   the share picked, in [0, 1].
     * @return true when picked.
     */
    public static boolean evenShare(final long ordinal, final double share)
    {
        return (long)Math.floor((ordinal + 1) * share) > (long)Math.floor(ordinal * share);
    }

    /**
     * The msgId low half carrying a message number.
     *
     * @param n the message number.
     * @return the low 64 bits of the msgId.
     */
    public static long msgIdLow(final long n)
    {
        return VARIANT_BITS | (n & NUMBER_MASK);
    }
}
