package dev.switchboard.engine.session;

import dev.switchboard.engine.outbound.Frame;

/**
 * The last N sequenced frames (directed frames of a session or broadcasts of a room), each holding one frame
 * reference and remembering its sequence, its shard-wide emit stamp and the session that caused it.
 */
public final class ReplayWindow
{
    private final int capacity;
    private final Frame[] frames;
    private final long[] seqs;
    private final long[] stamps;
    private final long[] senders;
    private int head;
    private int size;

    /**
     * Create a window of the given capacity.
     *
     * @param capacity frames kept, at least 1.
     */
    public ReplayWindow(final int capacity)
    {
        this.capacity = Math.max(1, capacity);
        frames = new Frame[this.capacity];
        seqs = new long[this.capacity];
        stamps = new long[this.capacity];
        senders = new long[this.capacity];
    }

    /**
     * Keep a frame, taking a reference to it and releasing the oldest when full.
     *
     * @param frame         the sealed frame.
     * @param seq           its dseq or rseq.
     * @param emitStamp     the shard-wide emit order of the frame.
     * @param senderSerial  serial of the session that caused it, 0 when none.
     */
    public void add(final Frame frame, final long seq, final long emitStamp, final long senderSerial)
    {
        final int slot;
        if (size == capacity)
        {
            slot = head;
            frames[slot].release();
            head = (head + 1) % capacity;
        }
        else
        {
            slot = (head + size) % capacity;
            size++;
        }
        frame.retain();
        frames[slot] = frame;
        seqs[slot] = seq;
        stamps[slot] = emitStamp;
        senders[slot] = senderSerial;
    }

    /**
     * Frames held.
     *
     * @return size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Sequence of the oldest frame held, or -1 when empty.
     *
     * @return the oldest sequence.
     */
    public long firstSeq()
    {
        return 0 == size ? -1 : seqs[head];
    }

    /**
     * The i-th oldest frame.
     *
     * @param i position from the oldest, 0 to size - 1.
     * @return the frame.
     */
    public Frame frame(final int i)
    {
        return frames[(head + i) % capacity];
    }

    /**
     * Sequence of the i-th oldest frame.
     *
     * @param i position from the oldest.
     * @return the sequence.
     */
    public long seq(final int i)
    {
        return seqs[(head + i) % capacity];
    }

    /**
     * Emit stamp of the i-th oldest frame.
     *
     * @param i position from the oldest.
     * @return the stamp.
     */
    public long stamp(final int i)
    {
        return stamps[(head + i) % capacity];
    }

    /**
     * Sender serial of the i-th oldest frame.
     *
     * @param i position from the oldest.
     * @return the serial.
     */
    public long sender(final int i)
    {
        return senders[(head + i) % capacity];
    }

    /**
     * Position of the first frame whose sequence is greater than {@code seq}, or size when none.
     *
     * @param seq the last sequence already held by the client.
     * @return position from the oldest.
     */
    public int firstAfter(final long seq)
    {
        int i = 0;
        while (i < size && seqs[(head + i) % capacity] <= seq)
        {
            i++;
        }
        return i;
    }

    /**
     * Release every frame held and empty the window.
     */
    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            final int slot = (head + i) % capacity;
            frames[slot].release();
            frames[slot] = null;
        }
        head = 0;
        size = 0;
    }
}
