package dev.switchboard.engine.ring;

/**
 * What an engine shard's thread runs for each inbound slot: the room engine, or a stand-in in tests.
 */
public interface SlotConsumer
{
    /**
     * Apply one event; the slot is only valid during the call.
     *
     * @param slot the event.
     */
    void onEvent(InboundSlot slot);

    /**
     * The ring batch ended: flush output and wake the IoAgents.
     */
    void onEndOfBatch();
}
