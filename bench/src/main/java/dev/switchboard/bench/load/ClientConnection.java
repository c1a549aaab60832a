package dev.switchboard.bench.load;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client socket of the fleet and its protocol state; owned by one {@link ClientAgent} thread.
 */
final class ClientConnection
{
    static final int IDLE = 0;
    static final int CONNECTING = 1;
    static final int HANDSHAKING = 2;
    static final int JOINING = 3;
    static final int JOINED = 4;
    static final int LEAVING = 5;
    static final int CLOSED = 6;

    final int socketIndex;
    final int room;
    final boolean host;
    final boolean publisher;
    final boolean slow;

    int state = IDLE;
    SocketChannel channel;
    SelectionKey key;
    String expectedAccept;
    long seq;
    long bytesRead;
    long messagesRead;
    long stateVersion;
    int attempts;
    boolean inReceivers;
    boolean joinedCounted;
    boolean readingStopped;
    long stateSinceNs;
    long leaveDueNs = Long.MAX_VALUE;
    long reconnectDueNs = Long.MAX_VALUE;

    byte[] userId;
    byte[] peerId;

    TlsSession tls;
    ByteBuffer pending;
    byte[] leftover;
    int leftoverLength;
    byte[] fragment;
    int fragmentLength;

    ClientConnection(final int socketIndex, final int room, final boolean host, final boolean publisher, final boolean slow)
    {
        this.socketIndex = socketIndex;
        this.room = room;
        this.host = host;
        this.publisher = publisher;
        this.slow = slow;
    }

    boolean hasPending()
    {
        return (null != pending && pending.position() > 0) || (null != tls && tls.hasPendingOutput());
    }
}
