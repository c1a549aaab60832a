package dev.switchboard.engine.flow;

import java.util.Arrays;

/**
 * Collects the ICE candidates of one coalescing tick per (sender, target) pair and hands each pair's candidates
 * out as one JSON array at {@link #flush(IceBatchHandler)} (protocol section 3: {@code payload {candidates:[...]}};
 * section 10: a batch carries the msgId and seq of its last candidate).
 * <p>
 * Pairs are flushed in the order their first candidate arrived; candidates keep their arrival order within a
 * pair. Pair entries, their byte buffers and the pair index are pooled: once they have grown to the busiest tick
 * seen, steady state allocates nothing. Single-threaded: the handler must not call back into this coalescer.
 */
public final class IceCoalescer
{
    private static final int INITIAL_PAIRS = 16;
    private static final int INITIAL_BATCH_BYTES = 1024;

    private Pair[] pairs = new Pair[INITIAL_PAIRS];
    private int pairCount;
    private int[] index = new int[INITIAL_PAIRS * 2];
    private int indexMask = index.length - 1;

    /**
     * Create an empty coalescer.
     */
    public IceCoalescer()
    {
    }

    /**
     * Add one candidate from {@code senderKey} to {@code targetKey} to the current tick.
     *
     * @param senderKey     the sender (a session id given by the engine).
     * @param targetKey     the target (a session id given by the engine).
     * @param candidateJson buffer holding the candidate object's JSON bytes.
     * @param offset        offset of the candidate's first byte.
     * @param length        candidate length in bytes.
     * @param msgIdHi       high 64 bits of the candidate message's msgId.
     * @param msgIdLo       low 64 bits of the candidate message's msgId.
     * @param seq           the candidate message's seq.
     */
    public void add(
        final long senderKey,
        final long targetKey,
        final byte[] candidateJson,
        final int offset,
        final int length,
        final long msgIdHi,
        final long msgIdLo,
        final long seq)
    {
        Pair pair = find(senderKey, targetKey);
        if (null == pair)
        {
            pair = newPair(senderKey, targetKey);
        }
        else
        {
            pair.append((byte)',');
        }
        pair.append(candidateJson, offset, length);
        pair.candidateCount++;
        pair.msgIdHi = msgIdHi;
        pair.msgIdLo = msgIdLo;
        pair.seq = seq;
    }

    /**
     * Hand every pending batch to the handler, pairs in first-arrival order, then start an empty tick.
     *
     * @param handler receives one call per (sender, target) pair.
     * @return number of batches handed out.
     */
    public int flush(final IceBatchHandler handler)
    {
        final int count = pairCount;
        for (int i = 0; i < count; i++)
        {
            final Pair pair = pairs[i];
            pair.append((byte)']');
            handler.onBatch(
                pair.senderKey, pair.targetKey, pair.buffer, 0, pair.length, pair.msgIdHi, pair.msgIdLo, pair.seq);
        }
        clear();
        return count;
    }

    /**
     * Drop the pending batches from or to a session that went away.
     *
     * @param key the session's key, matched against both sender and target.
     * @return number of batches dropped.
     */
    public int discard(final long key)
    {
        int kept = 0;
        for (int i = 0; i < pairCount; i++)
        {
            final Pair pair = pairs[i];
            if (pair.senderKey != key && pair.targetKey != key)
            {
                pairs[i] = pairs[kept];
                pairs[kept++] = pair;
            }
        }
        final int dropped = pairCount - kept;
        if (dropped > 0)
        {
            pairCount = kept;
            rebuildIndex();
        }
        return dropped;
    }

    /**
     * Drop every pending batch.
     */
    public void clear()
    {
        for (int i = 0; i < pairCount; i++)
        {
            index[pairs[i].indexSlot] = 0;
        }
        pairCount = 0;
    }

    /**
     * Number of (sender, target) pairs with pending candidates.
     *
     * @return pending batches.
     */
    public int pendingBatches()
    {
        return pairCount;
    }

    /**
     * Number of candidates pending in all batches.
     *
     * @return pending candidates.
     */
    public int pendingCandidates()
    {
        int total = 0;
        for (int i = 0; i < pairCount; i++)
        {
            total += pairs[i].candidateCount;
        }
        return total;
    }

    private Pair find(final long senderKey, final long targetKey)
    {
        int slot = hash(senderKey, targetKey) & indexMask;
        int entry;
        while (0 != (entry = index[slot]))
        {
            final Pair pair = pairs[entry - 1];
            if (pair.senderKey == senderKey && pair.targetKey == targetKey)
            {
                return pair;
            }
            slot = (slot + 1) & indexMask;
        }
        return null;
    }

    private Pair newPair(final long senderKey, final long targetKey)
    {
        if (pairCount == pairs.length)
        {
            pairs = Arrays.copyOf(pairs, pairCount * 2);
        }
        Pair pair = pairs[pairCount];
        if (null == pair)
        {
            pair = new Pair();
            pairs[pairCount] = pair;
        }
        pairCount++;
        pair.senderKey = senderKey;
        pair.targetKey = targetKey;
        pair.length = 0;
        pair.candidateCount = 0;
        pair.append((byte)'[');

        if (pairCount * 2 > index.length)
        {
            index = new int[index.length * 2];
            indexMask = index.length - 1;
            rebuildIndex();
        }
        else
        {
            insertIndex(pairCount - 1);
        }
        return pair;
    }

    private void rebuildIndex()
    {
        Arrays.fill(index, 0);
        for (int i = 0; i < pairCount; i++)
        {
            insertIndex(i);
        }
    }

    private void insertIndex(final int pairIndex)
    {
        final Pair pair = pairs[pairIndex];
        int slot = hash(pair.senderKey, pair.targetKey) & indexMask;
        while (0 != index[slot])
        {
            slot = (slot + 1) & indexMask;
        }
        index[slot] = pairIndex + 1;
        pair.indexSlot = slot;
    }

    private static int hash(final long senderKey, final long targetKey)
    {
        long h = senderKey * 0x9E3779B97F4A7C15L + targetKey;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int)h;
    }

    private static final class Pair
    {
        long senderKey;
        long targetKey;
        long msgIdHi;
        long msgIdLo;
        long seq;
        int candidateCount;
        int indexSlot;
        byte[] buffer = new byte[INITIAL_BATCH_BYTES];
        int length;

        void append(final byte b)
        {
            ensureCapacity(length + 1);
            buffer[length++] = b;
        }

        void append(final byte[] src, final int offset, final int srcLength)
        {
            ensureCapacity(length + srcLength);
            System.arraycopy(src, offset, buffer, length, srcLength);
            length += srcLength;
        }

        private void ensureCapacity(final int capacity)
        {
            if (buffer.length < capacity)
            {
                buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
            }
        }
    }
}
