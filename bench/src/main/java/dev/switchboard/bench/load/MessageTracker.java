package dev.switchboard.bench.load;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Tracks each sent message by a number: its intended send time, its kind, and how many recipients are still
 * expected, so the first and the last delivery of a broadcast can be told apart across receiver threads.
 * <p>
 * Slots form a ring indexed by the number; a slot is reused after {@code capacity} newer messages, which only
 * loses the tracking of messages still undelivered that long.
 */
public final class MessageTracker
{
    /** The delivery matched no tracked message (its slot was reused, or it was never tracked). */
    public static final int UNTRACKED = 0;

    /** The delivery was the first of its message. */
    public static final int FIRST = 1;

    /** The delivery was the last expected one of its message. */
    public static final int LAST = 2;

    /** The delivery was neither first nor last. */
    public static final int MIDDLE = 4;

    /** The delivery came after every expected recipient had already received the message. */
    public static final int EXTRA = 8;

    /** Kind of a tracked game_event. */
    public static final int KIND_GAME_EVENT = 1;

    /** Kind of a tracked join. */
    public static final int KIND_JOIN = 2;

    /** Kind of a tracked leave. */
    public static final int KIND_LEAVE = 3;

    /** Kind of a tracked webrtc_offer or webrtc_answer. */
    public static final int KIND_SDP = 4;

    /** Kind of a tracked non-critical message, which gets no ack. */
    public static final int KIND_NON_CRITICAL = 5;

    private final int mask;
    private final AtomicLong nextNumber = new AtomicLong(1);
    private final AtomicLongArray numbers;
    private final AtomicIntegerArray remaining;
    private final int[] expected;
    private final long[] intendedNs;
    private final byte[] kinds;

    /**
     * Makes a tracker with a power-of-two number of slots.
     *
     * @param capacity slots; rounded up to a power of two.
     */
    public MessageTracker(final int capacity)
    {
        final int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        mask = size - 1;
        numbers = new AtomicLongArray(size);
        remaining = new AtomicIntegerArray(size);
        expected = new int[size];
        intendedNs = new long[size];
        kinds = new byte[size];
    }

    /**
     * Registers a message before it is sent.
     *
     * @param kind               one of the {@code KIND_} constants.
     * @param expectedRecipients how many sockets should receive it; zero for a message nobody else receives.
     * @param intendedSendNs     its intended send time.
     * @return its number, greater than zero; put it in the message so receivers can report it.
     */
    public long register(final int kind, final int expectedRecipients, final long intendedSendNs)
    {
        final long n = nextNumber.getAndIncrement();
        final int slot = (int)(n & mask);
        expected[slot] = expectedRecipients;
        intendedNs[slot] = intendedSendNs;
        kinds[slot] = (byte)kind;
        remaining.set(slot, expectedRecipients);
        numbers.set(slot, n);
        return n;
    }

    /**
     * Counts one delivery of a message to one expected recipient.
     *
     * @param n the message number carried by the message.
     * @return {@link #FIRST} and/or {@link #LAST}, {@link #MIDDLE}, {@link #EXTRA} or {@link #UNTRACKED}.
     */
    public int onDelivery(final long n)
    {
        final int slot = (int)(n & mask);
        if (numbers.get(slot) != n)
        {
            return UNTRACKED;
        }
        final int expectedCount = expected[slot];
        final int left = remaining.decrementAndGet(slot);
        if (left < 0)
        {
            return EXTRA;
        }
        int result = 0;
        if (left == expectedCount - 1)
        {
            result |= FIRST;
        }
        if (0 == left)
        {
            result |= LAST;
        }
        return 0 == result ? MIDDLE : result;
    }

    /**
     * The intended send time of a tracked message, for ack latency.
     *
     * @param n the message number.
     * @return the intended send time, or {@link Long#MIN_VALUE} when the slot holds another message.
     */
    public long intendedNs(final long n)
    {
        final int slot = (int)(n & mask);
        return numbers.get(slot) == n ? intendedNs[slot] : Long.MIN_VALUE;
    }

    /**
     * The kind of a tracked message.
     *
     * @param n the message number.
     * @return one of the {@code KIND_} constants, or zero when the slot holds another message.
     */
    public int kind(final long n)
    {
        final int slot = (int)(n & mask);
        return numbers.get(slot) == n ? kinds[slot] : 0;
    }

    /**
     * The next number {@link #register} will hand out.
     *
     * @return the next message number.
     */
    public long nextNumber()
    {
        return nextNumber.get();
    }

    /**
     * Sums the deliveries still missing for the messages numbered {@code [fromNumber, toNumber)} of a kind that
     * are still tracked.
     *
     * @param kind       the kind to count.
     * @param fromNumber first number, inclusive.
     * @param toNumber   last number, exclusive.
     * @return missing deliveries.
     */
    public long missingDeliveries(final int kind, final long fromNumber, final long toNumber)
    {
        long missing = 0;
        final long from = Math.max(fromNumber, toNumber - mask - 1);
        for (long n = from; n < toNumber; n++)
        {
            final int slot = (int)(n & mask);
            if (numbers.get(slot) == n && kinds[slot] == kind)
            {
                missing += Math.max(0, remaining.get(slot));
            }
        }
        return missing;
    }

    /**
     * Counts the messages numbered {@code [fromNumber, toNumber)} of a kind still waiting for a delivery.
     *
     * @param kind       the kind to count.
     * @param fromNumber first number, inclusive.
     * @param toNumber   last number, exclusive.
     * @return messages not yet delivered to every expected recipient.
     */
    public long incompleteMessages(final int kind, final long fromNumber, final long toNumber)
    {
        long incomplete = 0;
        final long from = Math.max(fromNumber, toNumber - mask - 1);
        for (long n = from; n < toNumber; n++)
        {
            final int slot = (int)(n & mask);
            if (numbers.get(slot) == n && kinds[slot] == kind && remaining.get(slot) > 0)
            {
                incomplete++;
            }
        }
        return incomplete;
    }
}
