package dev.switchboard.net.cluster;

import java.util.ArrayDeque;

/**
 * A socket of this node that sent a join or resume for a room this node did not own at the time, and its route:
 * not decided yet, waiting for the room's owner, served by a local shard, or relayed to the owner node.
 */
final class RelayedSocket
{
    /** No room bound yet. */
    static final byte NONE = 0;
    /** Its records wait for an owner lookup. */
    static final byte RESOLVING = 1;
    /** Its room lives on this node. */
    static final byte LOCAL = 2;
    /** Its room lives on {@link #owner}: its records are relayed there. */
    static final byte REMOTE = 3;

    final long connectionId;
    byte state = NONE;
    int shard = -1;
    String owner;
    byte[] room;
    boolean closing;
    boolean paused;
    boolean decided;
    ArrayDeque<byte[]> pending;
    /** What the socket's token allows, from its last GRANTS record; unrestricted when it sent none. */
    final CarriedGrants grants = new CarriedGrants();

    RelayedSocket(final long connectionId)
    {
        this.connectionId = connectionId;
    }
}
