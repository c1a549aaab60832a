package dev.switchboard.engine.store;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;

/**
 * The last sequenced messages of a session (directed, by dseq) or of a room (broadcasts, by rseq), kept for resume
 * replay and bounded both in entries and in wire bytes: whichever bound a new entry would pass, the oldest entries
 * leave first, and the highest sequence that ever left (or was never kept) is remembered so that a resume which
 * missed it reports {@code gap:true}.
 * <p>
 * No pooled frame is ever held. An entry is either a copy of a sealed frame's JSON text in this window's own byte
 * arena (relayed offers and answers, role changes, broadcasts), counted by its wire length against this window's
 * budget however many other windows hold the same message, or a compact record of an {@code ack}, {@code error} or
 * {@code game_error}: its fields (sequence, ts, msgId, code) and its wire length. Both are encoded again byte for
 * byte on replay ({@link dev.switchboard.engine.encode.MessageEncoder#replayed}). The arena is a ring of
 * variable-length records in arrival order (a record that does not fit before the end starts again at 0), so it
 * needs no more than the byte bound; when a record does not fit contiguously the oldest entries leave until it does.
 * <p>
 * Memory grows on demand: a new window holds no arrays; they are allocated at the first entry with room for
 * {@link #INITIAL_CAPACITY} entries and doubled up to the entry bound, the arena from {@link #INITIAL_ARENA_BYTES}
 * doubled up to the byte bound, and the arrays of the compact fields and of sender serials only once such an entry
 * arrives; {@link #clear()} keeps them for reuse except a big arena. Per entry about 24 bytes plus its text, or 48
 * bytes for a compact record. Single-threaded (the engine thread) and, once grown, allocation-free.
 */
public final class ReplayWindow
{
    /** Entry kind: a copy of a frame's JSON text. */
    public static final int KIND_FRAME = 0;
    /** Entry kind: a compact {@code ack}. */
    public static final int KIND_ACK = 1;
    /** Entry kind: a compact {@code error}. */
    public static final int KIND_ERROR = 2;
    /** Entry kind: a compact {@code game_error}. */
    public static final int KIND_GAME_ERROR = 3;
    /** Entries the arrays are first allocated for. */
    public static final int INITIAL_CAPACITY = 4;
    /** Bytes the text arena is first allocated with (more when the first text is longer). */
    public static final int INITIAL_ARENA_BYTES = 512;
    /** Largest text arena {@link #clear()} keeps for reuse. */
    public static final int KEPT_ARENA_BYTES = 16 * 1024;
    /** Largest wire length of a compact record. */
    public static final int MAX_COMPACT_BYTES = 0xFFFF;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final int TYPE_MASK = 0xFF;
    private static final int KIND_SHIFT = 16;
    private static final int KIND_MASK = 0x3;
    private static final int HAS_FOR_BIT = 1 << 18;
    private static final int CODE_SHIFT = 24;

    private final int maxEntries;
    private final int maxBytes;
    private final ReplayBytes tally;
    private long[] seqs = NO_LONGS;
    private int[] stamps = NO_INTS;
    private int[] metas = NO_INTS;
    private int[] offsets = NO_INTS;
    private int[] lengths = NO_INTS;
    private long[] senders;
    private long[] tsMs;
    private long[] msgIdHis;
    private long[] msgIdLos;
    private byte[] arena = NO_BYTES;
    private int arenaHead;
    private int arenaTail;
    private int arenaEntries;
    private int capacity;
    private int head;
    private int size;
    private long heldBytes;
    private long evictedSeq;

    /**
     * Create a window bounded only in entries (a byte bound of 64 MiB), for tests.
     *
     * @param maxEntries entries kept, at least 1.
     */
    public ReplayWindow(final int maxEntries)
    {
        this(maxEntries, 64 << 20, new ReplayBytes());
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
     * Keep a copy of a sealed frame's JSON text, evicting the oldest entries while either bound would be passed; a
     * frame longer than the whole byte bound is not kept and counts as evicted. The caller keeps its reference.
     *
     * @param frame        the sealed frame.
     * @param seq          its dseq or rseq.
     * @param emitStamp    the shard-wide emit order of the frame.
     * @param senderSerial serial of the session that caused it, 0 when none.
     */
    public void add(final Frame frame, final long seq, final long emitStamp, final long senderSerial)
    {
        final int textLength = frame.payloadLength();
        final int wireBytes = frame.length();
        if (wireBytes > maxBytes || !makeRoom(wireBytes))
        {
            skip(seq);
            return;
        }
        int offset;
        while ((offset = placeText(textLength)) < 0)
        {
            if (arena.length < maxBytes)
            {
                growArena(textLength);
            }
            else
            {
                evictOldest();
            }
        }
        if (size == capacity)
        {
            grow();
        }
        System.arraycopy(frame.buffer(), frame.payloadOffset(), arena, offset, textLength);
        if (0 == arenaEntries)
        {
            arenaHead = offset;
        }
        arenaTail = offset + textLength;
        arenaEntries++;
        final int slot = claim();
        seqs[slot] = seq;
        stamps[slot] = (int)emitStamp;
        metas[slot] = frame.type().id() & TYPE_MASK;
        offsets[slot] = offset;
        lengths[slot] = textLength;
        if (0 != senderSerial && null == senders)
        {
            senders = new long[capacity];
        }
        if (null != senders)
        {
            senders[slot] = senderSerial;
        }
        hold(wireBytes);
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
     * Wire bytes held, each message counted once for this holder.
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
     * Bytes of the text arena now, for tests of on-demand growth.
     *
     * @return arena length.
     */
    public int arenaBytes()
    {
        return arena.length;
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
     * Message type of a frame copy.
     *
     * @param i position from the oldest.
     * @return the type.
     */
    public MessageType type(final int i)
    {
        return MessageType.get(metas[slot(i)] & TYPE_MASK);
    }

    /**
     * The arena holding the JSON text of frame copies, valid until the next add.
     *
     * @return the arena.
     */
    public byte[] text()
    {
        return arena;
    }

    /**
     * Offset in {@link #text()} of a frame copy's JSON text.
     *
     * @param i position from the oldest.
     * @return offset.
     */
    public int textOffset(final int i)
    {
        return offsets[slot(i)];
    }

    /**
     * Length of a frame copy's JSON text.
     *
     * @param i position from the oldest.
     * @return bytes.
     */
    public int textLength(final int i)
    {
        return lengths[slot(i)];
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
     * Forget every entry and the evicted sequence, keeping the entry arrays (at most about 48 bytes per entry) and a
     * text arena of up to {@link #KEPT_ARENA_BYTES} for the next owner of a pooled session or room, so that reuse
     * allocates nothing; a bigger arena is given back.
     */
    public void clear()
    {
        hold(-heldBytes);
        head = 0;
        size = 0;
        evictedSeq = 0;
        arenaHead = 0;
        arenaTail = 0;
        arenaEntries = 0;
        if (arena.length > KEPT_ARENA_BYTES)
        {
            arena = NO_BYTES;
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
        if (encodedBytes > maxBytes || !makeRoom(encodedBytes))
        {
            skip(seq);
            return;
        }
        if (size == capacity)
        {
            grow();
        }
        if (null == tsMs)
        {
            tsMs = new long[capacity];
            msgIdHis = new long[capacity];
            msgIdLos = new long[capacity];
        }
        final int slot = claim();
        seqs[slot] = seq;
        stamps[slot] = (int)emitStamp;
        metas[slot] = (kind << KIND_SHIFT) | (hasFor ? HAS_FOR_BIT : 0) | (code.ordinal() << CODE_SHIFT);
        offsets[slot] = -1;
        lengths[slot] = encodedBytes;
        if (null != senders)
        {
            senders[slot] = 0;
        }
        tsMs[slot] = ts;
        msgIdHis[slot] = forHi;
        msgIdLos[slot] = forLo;
        hold(encodedBytes);
    }

    private boolean makeRoom(final int wireBytes)
    {
        while (size > 0 && (size >= maxEntries || heldBytes + wireBytes > maxBytes))
        {
            evictOldest();
        }
        return true;
    }

    private int placeText(final int textLength)
    {
        final int arenaLength = arena.length;
        if (0 == arenaEntries)
        {
            return textLength <= arenaLength ? 0 : -1;
        }
        if (arenaTail > arenaHead)
        {
            if (arenaTail + textLength <= arenaLength)
            {
                return arenaTail;
            }
            return textLength <= arenaHead ? 0 : -1;
        }
        return arenaTail + textLength <= arenaHead ? arenaTail : -1;
    }

    private void growArena(final int textLength)
    {
        int used = 0;
        for (int i = 0; i < size; i++)
        {
            final int slot = slot(i);
            if (KIND_FRAME == ((metas[slot] >>> KIND_SHIFT) & KIND_MASK))
            {
                used += lengths[slot];
            }
        }
        final int needed = used + textLength;
        int next = Math.max(INITIAL_ARENA_BYTES, arena.length * 2);
        while (next < needed)
        {
            next *= 2;
        }
        final byte[] grown = new byte[Math.min(maxBytes, next)];
        int position = 0;
        for (int i = 0; i < size; i++)
        {
            final int slot = slot(i);
            if (KIND_FRAME == ((metas[slot] >>> KIND_SHIFT) & KIND_MASK))
            {
                System.arraycopy(arena, offsets[slot], grown, position, lengths[slot]);
                offsets[slot] = position;
                position += lengths[slot];
            }
        }
        arena = grown;
        arenaHead = 0;
        arenaTail = position;
    }

    private void evictOldest()
    {
        final int slot = head;
        final int kind = (metas[slot] >>> KIND_SHIFT) & KIND_MASK;
        final int bytes;
        if (KIND_FRAME == kind)
        {
            bytes = wireLength(lengths[slot]);
            arenaEntries--;
            if (0 == arenaEntries)
            {
                arenaHead = 0;
                arenaTail = 0;
            }
            else
            {
                for (int i = 1; i < size; i++)
                {
                    final int next = slot(i);
                    if (KIND_FRAME == ((metas[next] >>> KIND_SHIFT) & KIND_MASK))
                    {
                        arenaHead = offsets[next];
                        break;
                    }
                }
            }
        }
        else
        {
            bytes = lengths[slot];
        }
        skip(seqs[slot]);
        head = head + 1 == capacity ? 0 : head + 1;
        size--;
        hold(-bytes);
    }

    private static int wireLength(final int textLength)
    {
        return textLength + (textLength < 126 ? 2 : textLength < 65536 ? 4 : 10);
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
        final long[] newSeqs = new long[next];
        final int[] newStamps = new int[next];
        final int[] newMetas = new int[next];
        final int[] newOffsets = new int[next];
        final int[] newLengths = new int[next];
        final long[] newSenders = null == senders ? null : new long[next];
        final long[] newTs = null == tsMs ? null : new long[next];
        final long[] newHis = null == msgIdHis ? null : new long[next];
        final long[] newLos = null == msgIdLos ? null : new long[next];
        for (int i = 0; i < size; i++)
        {
            final int from = slot(i);
            newSeqs[i] = seqs[from];
            newStamps[i] = stamps[from];
            newMetas[i] = metas[from];
            newOffsets[i] = offsets[from];
            newLengths[i] = lengths[from];
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
        seqs = newSeqs;
        stamps = newStamps;
        metas = newMetas;
        offsets = newOffsets;
        lengths = newLengths;
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
