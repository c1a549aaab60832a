package dev.switchboard.net.io;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.flow.WatermarkPolicy;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.ws.FrameDecoder;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One socket and everything its IoAgent knows about it; owned and touched only by that IoAgent's thread.
 * <p>
 * Objects are reused across tenants of a slot; an idle open connection holds no buffer beyond its small
 * outbound queue array.
 * <p>
 * Its state is a few small enums ({@link ConnectionState}, {@link CloseHandshake}, {@link Teardown},
 * {@link EngineLink}, {@link RelayRoute}, {@link AddressAccounting}) and a set of read-pause bits; every
 * transition goes through a method here, so what may follow what is written in one place.
 */
final class Connection
{
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
    ConnectionState state = ConnectionState.FREE;
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
    /** Whether the socket counts under its address, or waits for a trusted proxy's X-Forwarded-For. */
    AddressAccounting addressAccounting = AddressAccounting.UNCOUNTED;

    private CloseHandshake closeHandshake = CloseHandshake.NONE;
    private Teardown teardown = Teardown.NONE;
    private EngineLink engineLink = EngineLink.SILENT;
    private RelayRoute route = RelayRoute.UNDECIDED;
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
        state = ConnectionState.FREE;
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
        addressAccounting = AddressAccounting.UNCOUNTED;
        watermark.reset();
        closeHandshake = CloseHandshake.NONE;
        teardown = Teardown.NONE;
        engineLink = EngineLink.SILENT;
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
        route = RelayRoute.UNDECIDED;
    }

    // ---------------------------------------------------------------- read pauses

    /**
     * Add a reason to stop reading; OP_READ is disarmed when the first reason appears.
     *
     * @param reason a {@code PAUSE_*} bit.
     */
    void pauseReading(final int reason)
    {
        final boolean wasReading = 0 == readPauses;
        readPauses |= reason;
        if (wasReading && null != key && key.isValid())
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /**
     * Remove reasons to stop reading; OP_READ is armed again when none is left.
     *
     * @param reasons {@code PAUSE_*} bits.
     * @return whether any of them was set.
     */
    boolean resumeReading(final int reasons)
    {
        if (0 == (readPauses & reasons))
        {
            return false;
        }
        readPauses &= ~reasons;
        if (0 == readPauses && null != key && key.isValid())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        return true;
    }

    /**
     * Whether reading is paused for this reason.
     *
     * @param reason a {@code PAUSE_*} bit.
     * @return true when set.
     */
    boolean isPaused(final int reason)
    {
        return 0 != (readPauses & reason);
    }

    // ---------------------------------------------------------------- close handshake and teardown

    void onCloseSent()
    {
        closeHandshake = closeHandshake.onSent();
    }

    void onCloseReceived()
    {
        closeHandshake = closeHandshake.onReceived();
    }

    boolean closeSent()
    {
        return closeHandshake.isSent();
    }

    boolean closeReceived()
    {
        return closeHandshake.isReceived();
    }

    CloseHandshake closeHandshake()
    {
        return closeHandshake;
    }

    /** Close the TCP connection once everything queued is written. */
    void closeAfterFlush()
    {
        teardown = teardown.onCloseAfterFlush();
    }

    boolean isCloseAfterFlush()
    {
        return Teardown.NONE != teardown;
    }

    void onLinger()
    {
        teardown = Teardown.LINGERING;
    }

    boolean isLingering()
    {
        return Teardown.LINGERING == teardown;
    }

    Teardown teardown()
    {
        return teardown;
    }

    // ---------------------------------------------------------------- engine link

    void onPublished()
    {
        engineLink = engineLink.onPublished();
    }

    /**
     * The connection's close is due to the engine: record it and tell whether an event must go out.
     *
     * @return true when messages were published and the close was not yet.
     */
    boolean onClosePublished()
    {
        final boolean publish = engineLink.mustPublishClose();
        engineLink = engineLink.onClosed();
        return publish;
    }

    /**
     * The peer closed while the engine may still answer earlier messages: publish the close and wait for the
     * engine's outbound close (the fence) before answering.
     *
     * @return true when the close must be published and the fence awaited; false when nothing is in flight.
     */
    boolean awaitFence()
    {
        if (!engineLink.mustPublishClose())
        {
            return false;
        }
        engineLink = EngineLink.AWAITING_FENCE;
        return true;
    }

    /** The engine's outbound close (the fence) arrived. */
    void onFence()
    {
        engineLink = EngineLink.CLOSED;
    }

    boolean isAwaitingFence()
    {
        return EngineLink.AWAITING_FENCE == engineLink;
    }

    /** Whether flow events may still go to the engine: messages published and the close not yet. */
    boolean isEngineLinkOpen()
    {
        return EngineLink.PUBLISHED == engineLink;
    }

    boolean isClosePublished()
    {
        return engineLink.isClosed();
    }

    EngineLink engineLink()
    {
        return engineLink;
    }

    // ---------------------------------------------------------------- relay route

    /**
     * Multi-node: the first join or resume decides the route.
     *
     * @param owned whether this node owns the room.
     */
    void onFirstJoin(final boolean owned)
    {
        route = route.onFirstJoin(owned);
    }

    void onPauseRelayed()
    {
        route = route.onPauseRelayed();
    }

    void onRouteDecision(final boolean local)
    {
        route = route.onDecision(local);
    }

    boolean isRelayed()
    {
        return route.isRelayed();
    }

    boolean isPausePending()
    {
        return RelayRoute.RELAYED_PAUSE_PENDING == route;
    }

    boolean isRouteDecisionPending()
    {
        return route.isDecisionPending();
    }

    RelayRoute route()
    {
        return route;
    }
}
