package dev.switchboard.engine.flow;

/**
 * Receives the coalesced ICE candidates of one (sender, target) pair when an {@link IceCoalescer} flushes.
 */
@FunctionalInterface
public interface IceBatchHandler
{
    /**
     * One batch: every candidate the sender sent to the target in the tick, in arrival order.
     * <p>
     * The bytes are valid only during the call; copy them (for example into a frame) before returning.
     *
     * @param senderKey the sender, as given to {@link IceCoalescer#add}.
     * @param targetKey the target, as given to {@link IceCoalescer#add}.
     * @param arrayJson buffer holding the JSON array {@code [c1,c2,...]} of the candidate objects.
     * @param offset    offset of the {@code [}.
     * @param length    bytes of the array, brackets included.
     * @param msgIdHi   high 64 bits of the msgId of the last candidate of the batch.
     * @param msgIdLo   low 64 bits of the msgId of the last candidate of the batch.
     * @param seq       seq of the last candidate of the batch.
     */
    void onBatch(
        long senderKey,
        long targetKey,
        byte[] arrayJson,
        int offset,
        int length,
        long msgIdHi,
        long msgIdLo,
        long seq);
}
