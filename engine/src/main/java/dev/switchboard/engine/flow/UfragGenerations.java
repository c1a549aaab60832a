package dev.switchboard.engine.flow;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * The ICE {@code usernameFragment} generations one sender has used towards each of its targets (protocol
 * section 5: after an ICE restart, candidates of an older generation are stale).
 * <p>
 * Per target: the first ufrag seen is generation 1; a ufrag never seen before from this sender to that target is
 * a new, newer generation (an ICE restart); a candidate whose ufrag belongs to an older generation than the
 * newest is {@link #STALE}; a candidate without ufrag is never stale. Ufrags are compared as exact bytes.
 * <p>
 * Memory is bounded: each target remembers its {@code history} newest ufrags (the newest included). A ufrag
 * that has fallen out of that history is no longer recognised and counts as a new generation again. Since one
 * sender's messages are applied in order, this needs {@code history} ICE restarts on one pair while candidates
 * of the first generation are still arriving, which a real browser does not do. A ufrag longer than
 * {@link #MAX_UFRAG_BYTES} (the ring slot's field size) is treated as no ufrag.
 * <p>
 * Single-threaded; one per sender session. Per-target state is allocated at the first candidate with a ufrag (an
 * idle session holds no map) and pooled after: steady state allocates nothing.
 */
public final class UfragGenerations
{
    /** Longest ufrag compared, in bytes; equal to the ring slot's ufrag field. */
    public static final int MAX_UFRAG_BYTES = 256;
    /** Default number of ufrags remembered per target. */
    public static final int DEFAULT_HISTORY = 4;

    /** The candidate carries no ufrag (or one too long to compare): never stale. */
    public static final int NO_UFRAG = 0;
    /** The candidate belongs to the newest generation seen. */
    public static final int CURRENT = 1;
    /** The candidate's ufrag was never seen: it starts a newer generation, which is now the newest. */
    public static final int NEW_GENERATION = 2;
    /** The candidate belongs to an older generation than the newest: drop it as stale. */
    public static final int STALE = 3;

    private static final Target[] NO_TARGETS = new Target[0];

    private final int history;
    private Long2ObjectHashMap<Target> byTarget;
    private Target[] live = NO_TARGETS;
    private int liveCount;
    private Target[] pool = NO_TARGETS;
    private int poolCount;

    /**
     * Create a tracker remembering {@link #DEFAULT_HISTORY} ufrags per target.
     */
    public UfragGenerations()
    {
        this(DEFAULT_HISTORY);
    }

    /**
     * Create a tracker remembering {@code history} ufrags per target.
     *
     * @param history ufrags remembered per target, at least 2.
     */
    public UfragGenerations(final int history)
    {
        if (history < 2)
        {
            throw new IllegalArgumentException("history must be at least 2, got " + history);
        }
        this.history = history;
    }

    /**
     * Classify a candidate from this sender to {@code targetKey} by its ufrag, recording new generations.
     *
     * @param targetKey the target (a session id given by the engine).
     * @param ufrag     the buffer holding the ufrag bytes.
     * @param offset    offset of the first ufrag byte.
     * @param length    ufrag length, 0 when the candidate has none.
     * @return {@link #NO_UFRAG}, {@link #CURRENT}, {@link #NEW_GENERATION} or {@link #STALE}.
     */
    public int onCandidate(final long targetKey, final byte[] ufrag, final int offset, final int length)
    {
        if (length <= 0 || length > MAX_UFRAG_BYTES)
        {
            return NO_UFRAG;
        }
        Target target = null == byTarget ? null : byTarget.get(targetKey);
        if (null == target)
        {
            target = acquire(targetKey);
        }
        return target.classify(ufrag, offset, length);
    }

    /**
     * Whether a candidate would be dropped as stale; same as {@link #onCandidate} returning {@link #STALE}.
     *
     * @param targetKey the target.
     * @param ufrag     the buffer holding the ufrag bytes.
     * @param offset    offset of the first ufrag byte.
     * @param length    ufrag length, 0 when absent.
     * @return true when the candidate is stale.
     */
    public boolean isStale(final long targetKey, final byte[] ufrag, final int offset, final int length)
    {
        return STALE == onCandidate(targetKey, ufrag, offset, length);
    }

    /**
     * The newest generation seen towards a target.
     *
     * @param targetKey the target.
     * @return the generation number, 0 when no ufrag was seen.
     */
    public long newestGeneration(final long targetKey)
    {
        final Target target = null == byTarget ? null : byTarget.get(targetKey);
        return null == target ? 0 : target.newestGeneration;
    }

    /**
     * Number of targets with recorded ufrags.
     *
     * @return targets tracked.
     */
    public int targetCount()
    {
        return liveCount;
    }

    /**
     * Forget a target, for example when it left the room.
     *
     * @param targetKey the target.
     */
    public void forgetTarget(final long targetKey)
    {
        final Target target = 0 == liveCount ? null : byTarget.remove(targetKey);
        if (null != target)
        {
            final int index = target.liveIndex;
            final Target last = live[--liveCount];
            live[index] = last;
            last.liveIndex = index;
            live[liveCount] = null;
            release(target);
        }
    }

    /**
     * Forget every target, for a new session.
     */
    public void reset()
    {
        for (int i = 0; i < liveCount; i++)
        {
            release(live[i]);
            live[i] = null;
        }
        liveCount = 0;
        if (null != byTarget)
        {
            byTarget.clear();
        }
    }

    private Target acquire(final long targetKey)
    {
        final Target target;
        if (poolCount > 0)
        {
            target = pool[--poolCount];
            pool[poolCount] = null;
        }
        else
        {
            target = new Target(history);
        }
        target.clear();
        target.key = targetKey;
        if (null == byTarget)
        {
            byTarget = new Long2ObjectHashMap<>();
        }
        if (liveCount == live.length)
        {
            live = Arrays.copyOf(live, Math.max(4, liveCount * 2));
        }
        target.liveIndex = liveCount;
        live[liveCount++] = target;
        byTarget.put(targetKey, target);
        return target;
    }

    private void release(final Target target)
    {
        if (poolCount == pool.length)
        {
            pool = Arrays.copyOf(pool, Math.max(4, poolCount * 2));
        }
        pool[poolCount++] = target;
    }

    private static final class Target
    {
        final byte[] ufrags;
        final int[] lengths;
        final long[] generations;
        long key;
        int liveIndex;
        int count;
        int newestIndex;
        long newestGeneration;

        Target(final int history)
        {
            ufrags = new byte[history * MAX_UFRAG_BYTES];
            lengths = new int[history];
            generations = new long[history];
        }

        void clear()
        {
            count = 0;
            newestIndex = -1;
            newestGeneration = 0;
        }

        int classify(final byte[] ufrag, final int offset, final int length)
        {
            for (int i = 0; i < count; i++)
            {
                if (lengths[i] == length &&
                    Arrays.equals(ufrags, i * MAX_UFRAG_BYTES, i * MAX_UFRAG_BYTES + length,
                        ufrag, offset, offset + length))
                {
                    return generations[i] == newestGeneration ? CURRENT : STALE;
                }
            }

            final int slot = count < lengths.length ? count++ : (newestIndex + 1) % lengths.length;
            System.arraycopy(ufrag, offset, ufrags, slot * MAX_UFRAG_BYTES, length);
            lengths[slot] = length;
            generations[slot] = ++newestGeneration;
            newestIndex = slot;
            return NEW_GENERATION;
        }
    }
}
