package dev.switchboard.engine.room;

import dev.switchboard.engine.outbound.ConnectionIds;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which engine shard holds each socket's session, shared by the shards of one node, so that a socket is in one
 * room even when the rooms it names hash to different shards. A shard claims a socket before it joins or resumes a
 * session on it and releases the claim when it unbinds the session (leave, end, close); a socket claimed by another
 * shard is answered {@code already_joined}, as a second join on the same shard is.
 * <p>
 * One word per socket slot: the claiming shard's number above the connection id's generation and slot, so a claim
 * left by an earlier tenant of the slot (another generation) is simply overwritten. Written only by
 * compare-and-set, once per join, resume and unbind; nothing else reads it. With one shard there is nothing to
 * arbitrate and {@link #NONE} is used, which claims everything at no cost.
 */
public final class SocketClaims
{
    /** No arbitration: a single shard, or a test. */
    public static final SocketClaims NONE = new SocketClaims(new AtomicLongArray[0]);

    private static final int SHARD_SHIFT = 56;
    private static final long SOCKET_BITS = (1L << SHARD_SHIFT) - 1;

    private final AtomicLongArray[] byAgent;

    private SocketClaims(final AtomicLongArray[] byAgent)
    {
        this.byAgent = byAgent;
    }

    /**
     * The claims of one node: {@link #NONE} for one shard, else one word per slot of every agent's connection
     * table (the IoAgents', and the cluster agent's virtual table when there is one).
     *
     * @param shards       engine shards on the node, 1 to 255.
     * @param slotsByAgent slot count of each agent index used by connection ids; 0 for an index not in use.
     * @return the claims.
     */
    public static SocketClaims forShards(final int shards, final int... slotsByAgent)
    {
        if (shards < 1 || shards > 255)
        {
            throw new IllegalArgumentException("shards must be 1 to 255, got " + shards);
        }
        if (1 == shards)
        {
            return NONE;
        }
        final AtomicLongArray[] byAgent = new AtomicLongArray[slotsByAgent.length];
        for (int i = 0; i < byAgent.length; i++)
        {
            byAgent[i] = new AtomicLongArray(Math.max(0, slotsByAgent[i]));
        }
        return new SocketClaims(byAgent);
    }

    /**
     * Claim a socket for a shard; true also when the shard holds it already. A socket outside the sized tables
     * is not arbitrated (claimed), so a sizing mistake can never refuse joins.
     *
     * @param connectionId the socket.
     * @param shard        the claiming shard, 0 to 254.
     * @return false when another shard holds this socket.
     */
    public boolean claim(final long connectionId, final int shard)
    {
        final AtomicLongArray claims = claimsOf(connectionId);
        if (null == claims)
        {
            return true;
        }
        final int slot = ConnectionIds.slot(connectionId);
        final long mine = word(connectionId, shard);
        while (true)
        {
            final long held = claims.get(slot);
            if (held == mine)
            {
                return true;
            }
            if (0 != held && (held & SOCKET_BITS) == (connectionId & SOCKET_BITS))
            {
                return false;
            }
            if (claims.compareAndSet(slot, held, mine))
            {
                return true;
            }
        }
    }

    /**
     * Release a shard's claim on a socket; nothing happens when the shard does not hold it.
     *
     * @param connectionId the socket.
     * @param shard        the shard that claimed it.
     */
    public void release(final long connectionId, final int shard)
    {
        final AtomicLongArray claims = claimsOf(connectionId);
        if (null != claims)
        {
            claims.compareAndSet(ConnectionIds.slot(connectionId), word(connectionId, shard), 0);
        }
    }

    /**
     * The shard holding a socket, for tests and diagnostics.
     *
     * @param connectionId the socket.
     * @return the shard, or -1 when none holds it (or it is not arbitrated).
     */
    public int holder(final long connectionId)
    {
        final AtomicLongArray claims = claimsOf(connectionId);
        if (null == claims)
        {
            return -1;
        }
        final long held = claims.get(ConnectionIds.slot(connectionId));
        return 0 != held && (held & SOCKET_BITS) == (connectionId & SOCKET_BITS) ?
            (int)(held >>> SHARD_SHIFT) - 1 : -1;
    }

    private AtomicLongArray claimsOf(final long connectionId)
    {
        final int agent = ConnectionIds.agentIndex(connectionId);
        if (agent >= byAgent.length)
        {
            return null;
        }
        final AtomicLongArray claims = byAgent[agent];
        return ConnectionIds.slot(connectionId) < claims.length() ? claims : null;
    }

    private static long word(final long connectionId, final int shard)
    {
        return ((long)(shard + 1) << SHARD_SHIFT) | (connectionId & SOCKET_BITS);
    }
}
