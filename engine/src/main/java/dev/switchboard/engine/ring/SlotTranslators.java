package dev.switchboard.engine.ring;

import com.lmax.disruptor.EventTranslatorOneArg;

/**
 * Non-capturing translators that fill inbound ring slots; a capturing lambda would allocate per publish.
 */
final class SlotTranslators
{
    /** Copy a decoder's scratch slot into the ring slot and stamp the publish time. */
    static final EventTranslatorOneArg<InboundSlot, InboundSlot> COPY = (slot, sequence, scratch) ->
    {
        slot.copyFrom(scratch);
        slot.publishNs = System.nanoTime();
    };

    private SlotTranslators()
    {
    }
}
