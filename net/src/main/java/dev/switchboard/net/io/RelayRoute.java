package dev.switchboard.net.io;

/**
 * Multi-node: where a socket's messages go, decided by its first join or resume.
 */
enum RelayRoute
{
    /** No join or resume yet: messages go to the local shard. */
    UNDECIDED,
    /** Served by a local shard. */
    LOCAL,
    /** Relayed; the pause marker must go out once the bytes read so far are decoded. */
    RELAYED_PAUSE_PENDING,
    /** Relayed; reads are paused until the cluster agent's route decision comes back. */
    RELAYED_ROUTE_PENDING,
    /** Relayed for good: the room lives on another node. */
    RELAYED;

    /**
     * The route decided by the first join or resume; later ones change nothing.
     *
     * @param owned whether this node owns the room.
     * @return the decided route.
     */
    RelayRoute onFirstJoin(final boolean owned)
    {
        if (UNDECIDED != this)
        {
            return this;
        }
        return owned ? LOCAL : RELAYED_PAUSE_PENDING;
    }

    /**
     * The state once the pause marker is relayed.
     *
     * @return RELAYED_ROUTE_PENDING from RELAYED_PAUSE_PENDING, otherwise unchanged.
     */
    RelayRoute onPauseRelayed()
    {
        return RELAYED_PAUSE_PENDING == this ? RELAYED_ROUTE_PENDING : this;
    }

    /**
     * The state once the cluster agent's route decision is applied.
     *
     * @param local whether the socket is now served by a local shard.
     * @return LOCAL or RELAYED.
     */
    RelayRoute onDecision(final boolean local)
    {
        return local ? LOCAL : RELAYED;
    }

    /**
     * Whether messages go to the cluster agent.
     *
     * @return true for the three relayed states.
     */
    boolean isRelayed()
    {
        return RELAYED_PAUSE_PENDING == this || RELAYED_ROUTE_PENDING == this || RELAYED == this;
    }

    /**
     * Whether a route decision is awaited.
     *
     * @return true while the pause marker or the decision is pending.
     */
    boolean isDecisionPending()
    {
        return RELAYED_PAUSE_PENDING == this || RELAYED_ROUTE_PENDING == this;
    }
}
