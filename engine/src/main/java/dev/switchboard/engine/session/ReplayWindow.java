package dev.switchboard.engine.session;

import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.protocol.ErrorCode;

/**
 * The last sequenced messages of a session (directed, by dseq) or of a room (broadcasts, by rseq), kept for resume
 * replay and bounded both in entries and in encoded bytes: whichever bound a new entry would pass, the oldest
 * entries leave first, and the highest sequence that ever left (or was never kept) is remembered so that a resume
 * which missed it reports {@code gap:true}.
 * <p>
 * An entry is either a reference to a sealed {@link Frame} (relayed offers and answers, role changes, broadcasts),
 * counted by its wire length against this window's budget however many other holders share it, or a compact record
 * of an {@code ack}, {@code error} or {@code game_error}: its fields (sequence, ts, msgId, code) and its wire length,
 * re-encoded byte for byte on replay, so no pooled buffer stays behind for it.
 * <p>
 * Memory grows on demand: a new window holds no arrays; they are allocated at the first entry with room for
 * {@link #INITIAL_CAPACITY} entries and doubled up to the entry bound, and the arrays of the compact fields and of
 * sender serials only once such an entry arrives. {@link #clear()} gives grown arrays back. About 44 bytes per entry
 * once every array exists (128 entries: 5.6 KB). Single-threaded (the engine thread) and, once grown,
 * allocation-free.
 */
public final class ReplayWindow
{
    /** Entry kind: a frame reference. */
    public static final int KIND_FRAME = 0;
    /** Entry kind: a compact {@code ack}. */
    public static final int KIND_ACK = 1;
    /** Entry kind: a compact {@code error}. */
    public static final int KIND_ERROR = 2;
    /** Entry kind: a compact {@code game_error}. */
    public static final int KIND_GAME_ERROR = 3;
    /** Entries the arrays are first allocated for. */
    public static final int INITIAL_CAPACITY = 4;
    /** Largest wire length of a compact record. */
    public static final int MAX_COMPACT_BYTES = 0xFFFF;

    private static final Frame[] NO_FRAMES = new Frame[0];
    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    private static final int LENGTH_MASK = 0xFFFF;
    private static final int KIND_SHIFT = 16;
    private static final int KIND_MASK = 0x3;
    private static final int HAS_FOR_BIT = 1 << 18;
    private static final int CODE_SHIFT = 24;

    private final int maxEntries;
    private final int maxBytes;
    private final ReplayBytes tally;
    private Frame[] frames = NO_FRAMES;
    private long[] seqs = NO_LONGS;
    private int[] stamps = NO_INTS;
    private int[] metas = NO_INTS;
    private long[] senders;
    private long[] tsMs;
    private long[] msgIdHis;
    private long[] msgIdLos;
    private int capacity;
    private int head;
    private int size;
    private long heldBytes;
    private long evictedSeq;

    /**
     * Create a window bounded only in entries (a byte bound of {@link Integer#MAX_VALUE}), for tests.
     *
     * @param maxEntries entries kept, at least 1.
     */
    public ReplayWindow(final int maxEntries)
    {
        this(maxEntries, Integer.MAX_VALUE, new ReplayBytes());
    }

    /**
     * Create a window with both bounds, adding what it holds to a shared tally.
     *
     * @param maxEntries entries kept, at least 1.
     * @param maxBytes   wire bytes kept, at least 1.
     * @param tally      the group total this window's bytes are added to.
     */
    public ReplayWindow(final int maxEntries, final int maxBytes, final ReplayBytes tally)
    {
        this.maxEntries = Math.max(1, maxEntries);
        this.maxBytes = Math.max(1, maxBytes);
        this.tally = tally;
    }

    /**
     * Keep a frame, taking a reference to it and evicting the oldest entries while either bound would be passed; a
     * frame longer than the whole byte bound is not kept and counts as evicted.
     *
     * @param frame        the sealed frame.
     * @param seq          its dseq or rseq.
     * @param emitStamp    the shard-wide emit order of the frame.
     * @param senderSerial serial of the session that caused it, 0 when none.
     */
    public void add(final Frame frame, final long seq, final long emitStamp, final long senderSerial)
    {
        final int bytes = frame.length();
        if (!makeRoom(bytes))
        {
            skip(seq);
            return;
        }
        final int slot = claim();
        frame.retain();
        frames[slot] = frame;
        seqs[slot] = seq;
        stamps[slot] = (int)emitStamp;
        metas[slot] = 0;
        if (0 != senderSerial && null == senders)
        {
            senders = new long[capacity];
        }
        if (null != senders)
        {
            senders[slot] = senderSerial;
        }
        hold(bytes);
    }

    /**
     * Keep an {@code ack} as its fields.
     *
     * @param seq          its dseq.
     * @param emitStamp    the shard-wide emit order.
     * @param ts           the ts it was sent with.
     * @param forHi        acknowledged msgId high bits.
     * @param forLo        acknowledged msgId low bits.
     * @param encodedBytes its wire length, at most {@link #MAX_COMPACT_BYTES}.
     */
    public void addAck(
        final long seq, final long emitStamp, final long ts, final long forHi, final long forLo, final int encodedBytes)
    {
        addCompact(KIND_ACK, ErrorCode.NONE, true, seq, emitStamp, ts, forHi, forLo, encodedBytes);
    }

    /**
     * Keep an {@code error} or {@code game_error} as its fields.
     *
     * @param kind         {@link #KIND_ERROR} or {@link #KIND_GAME_ERROR}.
     * @param code         the error code.
     * @param hasFor       whether it carries {@code for}.
     * @param seq          its dseq.
     * @param emitStamp    the shard-wide emit order.
     * @param ts           the ts it was sent with.
     * @param forHi        msgId high bits.
     * @param forLo        msgId low bits.
     * @param encodedBytes its wire length, at most {@link #MAX_COMPACT_BYTES}.
     */
    public void addError(
        final int kind,
        final ErrorCode code,
        final boolean hasFor,
        final long seq,
        final long emitStamp,
        final long ts,
        final long forHi,
        final long forLo,
        final int encodedBytes)
    {
        if (KIND_ERROR != kind && KIND_GAME_ERROR != kind)
        {
            throw new IllegalArgumentException("not an error kind: " + kind);
        }
        addCompact(kind, code, hasFor, seq, emitStamp, ts, forHi, forLo, encodedBytes);
    }

    /**
     * Record that a sequence number was given to a message this window does not keep (such as {@code joined}), so
     * that a resume which missed it reports a gap.
     *
     * @param seq the sequence not kept.
     */
    public void skip(final long seq)
    {
        if (seq > evictedSeq)
        {
            evictedSeq = seq;
        }
    }

    /**
     * Entries held.
     *
     * @return size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Wire bytes held, each frame counted once for this holder.
     *
     * @return bytes.
     */
    public long heldBytes()
    {
        return heldBytes;
    }

    /**
     * The highest sequence that left the window or was never kept, 0 when none.
     *
     * @return the sequence.
     */
    public long evictedSeq()
    {
        return evictedSeq;
    }

    /**
     * Entries the arrays have room for now, for tests of on-demand growth.
     *
     * @return capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Sequence of the oldest entry held, or -1 when empty.
     *
     * @return the oldest sequence.
     */
    public long firstSeq()
    {
        return 0 == size ? -1 : seqs[head];
    }

    /**
     * Kind of the i-th oldest entry.
     *
     * @param i position from the oldest, 0 to size - 1.
     * @return one of the KIND constants.
     */
    public int kind(final int i)
    {
        return (metas[slot(i)] >>> KIND_SHIFT) & KIND_MASK;
    }

    /**
     * The frame of the i-th oldest entry, null for a compact record.
     *
     * @param i position from the oldest, 0 to size - 1.
     * @return the frame or null.
     */
    public Frame frame(final int i)
    {
        return frames[slot(i)];
    }

    /**
     * Sequence of the i-th oldest entry.
     *
     * @param i position from the oldest.
     * @return the sequence.
     */
    public long seq(final int i)
    {
        return seqs[slot(i)];
    }

    /**
     * Emit stamp of the i-th oldest entry, the low 32 bits of the shard-wide stamp: compare two stamps by the sign
     * of their difference.
     *
     * @param i position from the oldest.
     * @return the stamp.
     */
    public int stamp(final int i)
    {
        return stamps[slot(i)];
    }

    /**
     * Sender serial of the i-th oldest entry.
     *
     * @param i position from the oldest.
     * @return the serial, 0 when none.
     */
    public long sender(final int i)
    {
        return null == senders ? 0 : senders[slot(i)];
    }

    /**
     * The ts a compact record was sent with.
     *
     * @param i position from the oldest.
     * @return epoch ms.
     */
    public long tsMs(final int i)
    {
        return tsMs[slot(i)];
    }

    /**
     * High bits of a compact record's msgId ({@code for}).
     *
     * @param i position from the oldest.
     * @return the bits.
     */
    public long msgIdHi(final int i)
    {
        return msgIdHis[slot(i)];
    }

    /**
     * Low bits of a compact record's msgId ({@code for}).
     *
     * @param i position from the oldest.
     * @return the bits.
     */
    public long msgIdLo(final int i)
    {
        return msgIdLos[slot(i)];
    }

    /**
     * Error code of a compact error record.
     *
     * @param i position from the oldest.
     * @return the code.
     */
    public ErrorCode errorCode(final int i)
    {
        return ErrorCode.get(metas[slot(i)] >>> CODE_SHIFT);
    }

    /**
     * Whether a compact error record carries {@code for}.
     *
     * @param i position from the oldest.
     * @return true when it does.
     */
    public boolean hasFor(final int i)
    {
        return 0 != (metas[slot(i)] & HAS_FOR_BIT);
    }

    /**
     * Position of the first entry whose sequence is greater than {@code seq}, or size when none.
     *
     * @param seq the last sequence already held by the client.
     * @return position from the oldest.
     */
    public int firstAfter(final long seq)
    {
        int i = 0;
        while (i < size && seqs[slot(i)] <= seq)
        {
            i++;
        }
        return i;
    }

    /**
     * Release every frame held, forget the evicted sequence, empty the window and give back arrays grown past
     * {@link #INITIAL_CAPACITY}.
     */
    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            final int slot = slot(i);
            final Frame frame = frames[slot];
            if (null != frame)
            {
                frame.release();
                frames[slot] = null;
            }
        }
        hold(-heldBytes);
        head = 0;
        size = 0;
        evictedSeq = 0;
        if (capacity > INITIAL_CAPACITY)
        {
            frames = NO_FRAMES;
            seqs = NO_LONGS;
            stamps = NO_INTS;
            metas = NO_INTS;
            senders = null;
            tsMs = null;
            msgIdHis = null;
            msgIdLos = null;
            capacity = 0;
        }
    }

    private void addCompact(
        final int kind,
        final ErrorCode code,
        final boolean hasFor,
        final long seq,
        final long emitStamp,
        final long ts,
        final long forHi,
        final long forLo,
        final int encodedBytes)
    {
        if (encodedBytes < 0 || encodedBytes > MAX_COMPACT_BYTES)
        {
            throw new IllegalArgumentException("compact record of " + encodedBytes + " bytes");
        }
        if (!makeRoom(encodedBytes))
        {
            skip(seq);
            return;
        }
        final int slot = claim();
        if (null == tsMs)
        {
            tsMs = new long[capacity];
            msgIdHis = new long[capacity];
            msgIdLos = new long[capacity];
        }
        frames[slot] = null;
        seqs[slot] = seq;
        stamps[slot] = (int)emitStamp;
        metas[slot] = encodedBytes | (kind << KIND_SHIFT) | (hasFor ? HAS_FOR_BIT : 0) | (code.ordinal() << CODE_SHIFT);
        if (null != senders)
        {
            senders[slot] = 0;
        }
        tsMs[slot] = ts;
        msgIdHis[slot] = forHi;
        msgIdLos[slot] = forLo;
        hold(encodedBytes);
    }

    private boolean makeRoom(final int bytes)
    {
        if (bytes > maxBytes)
        {
            return false;
        }
        while (size > 0 && (size >= maxEntries || heldBytes + bytes > maxBytes))
        {
            evictOldest();
        }
        if (size == capacity)
        {
            grow();
        }
        return true;
    }

    private void evictOldest()
    {
        final int slot = head;
        final Frame frame = frames[slot];
        final int bytes;
        if (null != frame)
        {
            bytes = frame.length();
            frame.release();
            frames[slot] = null;
        }
        else
        {
            bytes = metas[slot] & LENGTH_MASK;
        }
        skip(seqs[slot]);
        head = head + 1 == capacity ? 0 : head + 1;
        size--;
        hold(-bytes);
    }

    private int claim()
    {
        final int slot = slot(size);
        size++;
        return slot;
    }

    private void grow()
    {
        final int next = Math.min(maxEntries, Math.max(INITIAL_CAPACITY, capacity * 2));
        final Frame[] newFrames = new Frame[next];
        final long[] newSeqs = new long[next];
        final int[] newStamps = new int[next];
        final int[] newMetas = new int[next];
        final long[] newSenders = null == senders ? null : new long[next];
        final long[] newTs = null == tsMs ? null : new long[next];
        final long[] newHis = null == msgIdHis ? null : new long[next];
        final long[] newLos = null == msgIdLos ? null : new long[next];
        for (int i = 0; i < size; i++)
        {
            final int from = slot(i);
            newFrames[i] = frames[from];
            newSeqs[i] = seqs[from];
            newStamps[i] = stamps[from];
            newMetas[i] = metas[from];
            if (null != newSenders)
            {
                newSenders[i] = senders[from];
            }
            if (null != newTs)
            {
                newTs[i] = tsMs[from];
                newHis[i] = msgIdHis[from];
                newLos[i] = msgIdLos[from];
            }
        }
        frames = newFrames;
        seqs = newSeqs;
        stamps = newStamps;
        metas = newMetas;
        senders = newSenders;
        tsMs = newTs;
        msgIdHis = newHis;
        msgIdLos = newLos;
        capacity = next;
        head = 0;
    }

    private void hold(final long bytes)
    {
        heldBytes += bytes;
        tally.add(bytes);
    }

    private int slot(final int i)
    {
        final int s = head + i;
        return s >= capacity ? s - capacity : s;
    }
}
