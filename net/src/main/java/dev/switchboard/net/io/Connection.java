package dev.switchboard.net.io;

import dev.switchboard.engine.auth.Grants;

import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.flow.WatermarkPolicy;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.net.ws.FrameDecoder;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One socket and everything its IoAgent knows about it; owned and touched only by that IoAgent's thread.
 * <p>
 * Objects are reused across tenants of a slot; an idle open connection holds no buffer beyond its small
 * outbound queue array.
 */
final class Connection
{
    static final byte FREE = 0;
    static final byte HTTP = 1;
    static final byte AUTH_PENDING = 2;
    static final byte OPEN = 3;
    static final byte CLOSING = 4;

    /** Read pause: the authenticator has not answered yet. */
    static final int PAUSE_AUTH = 1;
    /** Read pause: multi-node, waiting for the cluster agent's route decision. */
    static final int PAUSE_ROUTE = 1 << 1;
    /** Read pause: more than {@code highWatermarkBytes} queued for the socket, until under the low watermark. */
    static final int PAUSE_OUTBOUND = 1 << 2;
    /** Read pause: {@code maxPipelinedRequests} HTTP responses not yet written. */
    static final int PAUSE_PIPELINE = 1 << 3;
    /** Read pause: the frame budget is in debt. */
    static final int PAUSE_FRAME_RATE = 1 << 4;

    final int slot;
    int generation;
    long id;
    byte state = FREE;
    SocketChannel channel;
    SelectionKey key;
    FrameDecoder decoder;

    /** HTTP head bytes (and, while authenticating, bytes that followed the head); pooled, null when idle. */
    byte[] headBuffer;
    int headLength;

    Frame[] queue = new Frame[4];
    int queueHead;
    int queueCount;
    int headWrittenBytes;
    long bufferedBytes;
    boolean dirty;
    boolean watermarkCheckPending;

    /** Drop mode and slow-consumer decisions from this connection's bufferedAmount. */
    final WatermarkPolicy watermark;
    /** Control frames and fragments held to the overall message rate. */
    final FrameRateBudget frameBudget;
    /** Why reading is paused: a set of {@code PAUSE_*} bits; OP_READ is armed only when none is set. */
    int readPauses;
    /** The queued pong not yet started on the wire, rewritten in place by a newer ping; null when none. */
    Frame pendingPong;
    /** Whether a WebSocket message (or frame) has begun and not ended; its deadline runs from messageStartMs. */
    boolean messageInProgress;
    long messageStartMs;
    /** HTTP: whether bytes of a request head are waiting; its head timer runs from requestStartMs. */
    boolean requestInProgress;
    long requestStartMs;
    /** The last time a write to the socket made progress. */
    long lastWriteMs;
    /** The remote address (IPv4-mapped for IPv4) this socket is counted under, when addressCounted. */
    long addressHi;
    long addressLo;
    boolean addressCounted;
    /** Whether the peer is a trusted proxy whose X-Forwarded-For names the client. */
    boolean viaTrustedProxy;

    boolean closeReceived;
    boolean closeSent;
    boolean closedPublished;
    boolean publishedAny;
    boolean closeAfterFlush;
    boolean lingering;
    boolean awaitingFence;
    int pendingCloseCode;

    long acceptedMs;
    long lastReadMs;
    long lastPingMs;
    long closeDeadlineMs;

    final byte[] authUserId = new byte[64];
    int authUserIdLength;
    /** What the connection's token allows; set once authentication completes. */
    Grants grants = Grants.UNRESTRICTED;
    /** Accepted on the operator port: served by the admin API, never upgraded. */
    boolean admin;
    int shard = -1;

    /** Multi-node: the room of the last join or resume, so that a room that moves closes its sockets. */
    final byte[] roomId = new byte[64];
    int roomIdLength;
    /** Multi-node: whether the first join or resume decided the socket's route. */
    boolean routeDecided;
    /** Multi-node: whether the socket's messages go to the cluster agent instead of a local shard. */
    boolean relayed;
    /** Multi-node: reads are paused until the cluster agent decides the route of the first join or resume. */
    boolean routePending;
    /** Multi-node: the pause marker must be relayed once the bytes read so far are decoded. */
    boolean pausePending;

    Connection(final int slot, final SwitchboardSettings settings)
    {
        this.slot = slot;
        this.watermark = new WatermarkPolicy(settings);
        this.frameBudget = new FrameRateBudget(settings.messageRate(), settings.messageBurst());
    }

    void enqueue(final Frame frame)
    {
        if (queueCount == queue.length)
        {
            final Frame[] bigger = new Frame[queue.length * 2];
            for (int i = 0; i < queueCount; i++)
            {
                bigger[i] = queue[(queueHead + i) & (queue.length - 1)];
            }
            queue = bigger;
            queueHead = 0;
        }
        queue[(queueHead + queueCount) & (queue.length - 1)] = frame;
        queueCount++;
        bufferedBytes += frame.length();
    }

    Frame peek(final int index)
    {
        return queue[(queueHead + index) & (queue.length - 1)];
    }

    void popHead()
    {
        final int index = queueHead;
        final Frame frame = queue[index];
        if (frame == pendingPong)
        {
            pendingPong = null;
        }
        queue[index] = null;
        queueHead = (index + 1) & (queue.length - 1);
        queueCount--;
        frame.release();
    }

    /**
     * Slow consumer: drop every queued frame but a partly written head, which must be finished or the peer would
     * read a torn frame instead of the close frame that follows.
     */
    void discardBacklog()
    {
        if (0 == headWrittenBytes)
        {
            releaseQueue();
            return;
        }
        while (queueCount > 1)
        {
            final int tail = (queueHead + queueCount - 1) & (queue.length - 1);
            final Frame frame = queue[tail];
            queue[tail] = null;
            queueCount--;
            bufferedBytes -= frame.length();
            if (frame == pendingPong)
            {
                pendingPong = null;
            }
            frame.release();
        }
    }

    void releaseQueue()
    {
        while (queueCount > 0)
        {
            popHead();
        }
        queueHead = 0;
        headWrittenBytes = 0;
        bufferedBytes = 0;
    }

    void reset()
    {
        state = FREE;
        channel = null;
        key = null;
        decoder = null;
        headBuffer = null;
        headLength = 0;
        releaseQueue();
        if (queue.length > 16)
        {
            queue = new Frame[4];
        }
        dirty = false;
        watermarkCheckPending = false;
        readPauses = 0;
        pendingPong = null;
        messageInProgress = false;
        messageStartMs = 0;
        requestInProgress = false;
        requestStartMs = 0;
        lastWriteMs = 0;
        addressHi = 0;
        addressLo = 0;
        addressCounted = false;
        viaTrustedProxy = false;
        watermark.reset();
        closeReceived = false;
        closeSent = false;
        closedPublished = false;
        publishedAny = false;
        closeAfterFlush = false;
        lingering = false;
        awaitingFence = false;
        pendingCloseCode = 0;
        acceptedMs = 0;
        lastReadMs = 0;
        lastPingMs = 0;
        closeDeadlineMs = 0;
        authUserIdLength = 0;
        grants = Grants.UNRESTRICTED;
        admin = false;
        shard = -1;
        roomIdLength = 0;
        routeDecided = false;
        relayed = false;
        routePending = false;
        pausePending = false;
    }
}
