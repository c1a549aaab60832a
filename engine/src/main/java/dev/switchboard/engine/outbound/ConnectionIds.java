package dev.switchboard.engine.outbound;

/**
 * Bit layout of a connection id: which IoAgent owns it, which slot of that agent's table, and a generation
 * that makes a reused slot a different id, so a late frame never reaches the next tenant of a slot.
 * <pre>
 *   63..56  agent index (8 bits)
 *   55..24  generation (32 bits)
 *   23..0   slot index (24 bits)
 * </pre>
 */
public final class ConnectionIds
{
    /** Largest slot index plus one. */
    public static final int MAX_SLOTS = 1 << 24;

    private ConnectionIds()
    {
    }

    /**
     * Compose an id.
     *
     * @param agentIndex the owning IoAgent, 0 to 255.
     * @param generation the slot's generation.
     * @param slot       the slot index.
     * @return the connection id.
     */
    public static long compose(final int agentIndex, final int generation, final int slot)
    {
        return ((long)(agentIndex & 0xFF) << 56) | ((generation & 0xFFFF_FFFFL) << 24) | (slot & (MAX_SLOTS - 1));
    }

    /**
     * The owning IoAgent.
     *
     * @param connectionId the id.
     * @return agent index.
     */
    public static int agentIndex(final long connectionId)
    {
        return (int)(connectionId >>> 56) & 0xFF;
    }

    /**
     * The slot's generation.
     *
     * @param connectionId the id.
     * @return generation.
     */
    public static int generation(final long connectionId)
    {
        return (int)(connectionId >>> 24);
    }

    /**
     * The slot index within the agent's table.
     *
     * @param connectionId the id.
     * @return slot index.
     */
    public static int slot(final long connectionId)
    {
        return (int)(connectionId & (MAX_SLOTS - 1));
    }
}
