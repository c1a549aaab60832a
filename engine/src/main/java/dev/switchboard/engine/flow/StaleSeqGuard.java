package dev.switchboard.engine.flow;

import dev.switchboard.engine.protocol.MessageType;

/**
 * The last applied {@code seq} of one sender for each non-critical type it may send (protocol section 4, stale
 * updates): {@code ice_candidate} and {@code game_state}.
 * <p>
 * A message whose seq is not greater than the last applied one of its type is stale and must be dropped
 * ({@code drops_by_type_total{reason="stale"}}). Critical types are guarded by msgId dedupe instead and are
 * always accepted here. Single-threaded and allocation-free; one per session, {@link #reset()} on reuse.
 */
public final class StaleSeqGuard
{
    private long lastIceSeq;
    private long lastGameStateSeq;

    /**
     * Create a guard that has applied nothing yet.
     */
    public StaleSeqGuard()
    {
        reset();
    }

    /**
     * Forget every applied seq, for a new session.
     */
    public void reset()
    {
        lastIceSeq = 0;
        lastGameStateSeq = 0;
    }

    /**
     * Record {@code seq} as applied if it is newer than the last applied seq of the type.
     *
     * @param typeId {@link MessageType#id()} of the message.
     * @param seq    the sender's seq.
     * @return true to apply the message (seq newer, or a type not guarded), false when it is stale.
     */
    public boolean acceptIfNewer(final int typeId, final long seq)
    {
        if (MessageType.ICE_CANDIDATE.id() == typeId)
        {
            if (seq > lastIceSeq)
            {
                lastIceSeq = seq;
                return true;
            }
            return false;
        }
        if (MessageType.GAME_STATE.id() == typeId)
        {
            if (seq > lastGameStateSeq)
            {
                lastGameStateSeq = seq;
                return true;
            }
            return false;
        }
        return true;
    }

    /**
     * The last applied seq of a guarded type.
     *
     * @param typeId {@link MessageType#id()} of the type.
     * @return the seq, 0 when none was applied or the type is not guarded.
     */
    public long lastSeq(final int typeId)
    {
        if (MessageType.ICE_CANDIDATE.id() == typeId)
        {
            return lastIceSeq;
        }
        if (MessageType.GAME_STATE.id() == typeId)
        {
            return lastGameStateSeq;
        }
        return 0;
    }
}
