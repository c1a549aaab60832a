package dev.switchboard.net.io;

import com.lmax.disruptor.EventPoller;
import dev.switchboard.engine.flow.WatermarkPolicy;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.ws.CloseCodes;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * Bytes out: the engine's decisions from the agent's outbound ring into per-connection queues, and those queues
 * to the sockets with one gathered write per connection per loop turn, under the bufferedAmount watermarks
 * (drop mode, 4008, read pauses); IoAgent thread only.
 * <p>
 * Closes and watermark transitions met while a publish waits on a full inbound ring ({@link PublishGuard}) are
 * deferred to {@link #processDeferred()}.
 */
final class OutboundDrain
{
    private static final Logger LOG = LogManager.getLogger(OutboundDrain.class);
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private final IoLoop loop;
    private final SwitchboardSettings settings;
    private final ConnectionTable table;
    private final IoCounters counters;
    private final OutboundRing outbound;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final EventPoller.Handler<OutboundSlot> outboundHandler = this::onOutbound;
    private final int[] dirtySlots;
    private int dirtyCount;
    private long[] deferredCloseIds = new long[16];
    private int[] deferredCloseCodes = new int[16];
    private String[] deferredCloseReasons = new String[16];
    private int deferredCloseCount;
    private int[] recheckSlots = new int[16];
    private int recheckCount;
    private PublishGuard guard;
    private ConnectionCloser closer;
    private WebSocketInbound inbound;
    private HttpAdapter http;

    /**
     * Drain one agent's outbound ring.
     *
     * @param loop     the agent's clock.
     * @param settings the watermarks and the pipelining limit.
     * @param table    the agent's connections.
     * @param counters the agent's counters.
     * @param outbound the agent's outbound ring.
     */
    OutboundDrain(
        final IoLoop loop,
        final SwitchboardSettings settings,
        final ConnectionTable table,
        final IoCounters counters,
        final OutboundRing outbound)
    {
        this.loop = loop;
        this.settings = settings;
        this.table = table;
        this.counters = counters;
        this.outbound = outbound;
        this.dirtySlots = new int[table.capacity()];
    }

    /**
     * Connect the parts this one calls back, once, before the agent starts.
     *
     * @param guard   tells whether a publish waits further up the stack.
     * @param closer  closes connections.
     * @param inbound publishes drop-mode changes.
     * @param http    serves requests that waited for their responses to be written.
     */
    void wire(
        final PublishGuard guard, final ConnectionCloser closer, final WebSocketInbound inbound, final HttpAdapter http)
    {
        this.guard = guard;
        this.closer = closer;
        this.inbound = inbound;
        this.http = http;
    }

    /**
     * The handler that takes each outbound slot, for the loop's poll.
     *
     * @return the handler.
     */
    EventPoller.Handler<OutboundSlot> handler()
    {
        return outboundHandler;
    }

    /**
     * Poll every waiting outbound slot into the connections' queues.
     */
    void poll()
    {
        outbound.poll(outboundHandler);
    }

    private boolean onOutbound(final OutboundSlot slot, final long sequence, final boolean endOfBatch)
    {
        final Frame frame = slot.frame;
        slot.frame = null;
        final Connection connection = table.get(slot.connectionId);
        if (OutboundSlot.SEND == slot.kind)
        {
            if (null == connection || connection.closeSent() ||
                (ConnectionState.OPEN != connection.state && !connection.isAwaitingFence()))
            {
                frame.release();
                return true;
            }
            enqueueFromEngine(connection, frame);
        }
        else if (OutboundSlot.CLOSE == slot.kind && null != connection)
        {
            onEngineClose(connection, slot.closeCode, slot.reason);
        }
        return true;
    }

    private void onEngineClose(final Connection connection, final int closeCode, final String reason)
    {
        if (connection.isAwaitingFence())
        {
            connection.onFence();
            if (!connection.closeSent())
            {
                closer.sendCloseFrame(connection, connection.pendingCloseCode, null);
            }
            connection.closeAfterFlush();
            markDirty(connection);
        }
        else if (guard.isPublishing())
        {
            deferClose(connection.id, closeCode, reason);
        }
        else
        {
            closer.closeWith(connection, closeCode, reason);
        }
    }

    private void enqueueFromEngine(final Connection connection, final Frame frame)
    {
        final WatermarkPolicy watermark = connection.watermark;
        if (watermark.shouldDrop(frame.isDroppable()))
        {
            watermark.onDropped();
            IoCounters.increment(counters.droppedBackpressure);
            counters.countDrop(frame.type());
            frame.release();
            return;
        }
        // Engine frames alone do not pause reading: the peer's messages would then arrive in a burst on resume and
        // trip its rate limits; drop mode and 4008 bound this backlog. Frames the agent makes in answer to the
        // peer (pongs, HTTP responses) pause it once the socket is over the high watermark (enqueueOwned).
        connection.enqueue(frame);
        markDirty(connection);
        checkWatermarksOrDefer(connection);
    }

    /**
     * Queue a frame the agent made itself (pong, ping, close, handshake or HTTP response) under the same budget
     * as engine frames: above the high watermark reading pauses, past {@code slowConsumerBytes} the socket closes.
     *
     * @param connection the connection.
     * @param frame      a sealed frame whose reference passes to the queue.
     */
    void enqueueOwned(final Connection connection, final Frame frame)
    {
        connection.enqueue(frame);
        markDirty(connection);
        if (connection.bufferedBytes > settings.highWatermarkBytes())
        {
            onOverHighWatermark(connection);
        }
    }

    private void onOverHighWatermark(final Connection connection)
    {
        connection.pauseReading(Connection.PAUSE_OUTBOUND);
        if (connection.bufferedBytes <= settings.slowConsumerBytes() || connection.closeSent())
        {
            return;
        }
        if (ConnectionState.HTTP == connection.state)
        {
            // Can't free the connection under the request parser: close it from processDeferred.
            deferClose(connection.id, CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
        else if (null != connection.decoder)
        {
            checkWatermarksOrDefer(connection);
        }
    }

    private void checkWatermarksOrDefer(final Connection connection)
    {
        if (guard.isPublishing())
        {
            deferWatermarkCheck(connection);
        }
        else
        {
            checkWatermarks(connection);
        }
    }

    /**
     * Have the connection's queue written by the next {@link #flushDirty()}.
     *
     * @param connection the connection.
     */
    void markDirty(final Connection connection)
    {
        if (!connection.dirty)
        {
            connection.dirty = true;
            dirtySlots[dirtyCount++] = connection.slot;
        }
    }

    private void checkWatermarks(final Connection connection)
    {
        final long buffered = connection.bufferedBytes;
        switch (connection.watermark.onBufferedChanged(buffered))
        {
            case WatermarkPolicy.SLOW_CONSUMER:
                IoCounters.increment(counters.slowConsumers);
                LOG.warn(LogLine.event("slow_consumer").with("connectionId", connection.id)
                    .with("bufferedBytes", buffered));
                // Drop the backlog, keep the socket until the close deadline: a reader that resumes in time reads
                // the close frame (4008) after the rest of a partly written frame, and can resume its session.
                connection.discardBacklog();
                connection.resumeReading(Connection.PAUSE_OUTBOUND);
                closer.closeWith(connection, CloseCodes.SLOW_CONSUMER, "slow_consumer");
                break;
            case WatermarkPolicy.ENTER_DROP_MODE:
                IoCounters.increment(counters.dropEpisodes);
                LOG.info(LogLine.event("drop_non_critical").with("connectionId", connection.id)
                    .with("bufferedBytes", buffered));
                inbound.publishFlow(connection, SlotKind.FLOW_DROP, 0);
                break;
            case WatermarkPolicy.LEAVE_DROP_MODE:
                final long dropped = connection.watermark.droppedInEpisode();
                LOG.info(LogLine.event("flow_normal").with("connectionId", connection.id).with("dropped", dropped));
                inbound.publishFlow(connection, SlotKind.FLOW_NORMAL, dropped);
                break;
            default:
                break;
        }
    }

    private void deferClose(final long connectionId, final int code, final String reason)
    {
        if (deferredCloseCount == deferredCloseIds.length)
        {
            final int n = deferredCloseCount * 2;
            deferredCloseIds = Arrays.copyOf(deferredCloseIds, n);
            deferredCloseCodes = Arrays.copyOf(deferredCloseCodes, n);
            deferredCloseReasons = Arrays.copyOf(deferredCloseReasons, n);
        }
        deferredCloseIds[deferredCloseCount] = connectionId;
        deferredCloseCodes[deferredCloseCount] = code;
        deferredCloseReasons[deferredCloseCount] = reason;
        deferredCloseCount++;
    }

    private void deferWatermarkCheck(final Connection connection)
    {
        if (!connection.watermarkCheckPending)
        {
            connection.watermarkCheckPending = true;
            if (recheckCount == recheckSlots.length)
            {
                recheckSlots = Arrays.copyOf(recheckSlots, recheckCount * 2);
            }
            recheckSlots[recheckCount++] = connection.slot;
        }
    }

    /**
     * Work waiting for {@link #processDeferred()} and {@link #flushDirty()}: connections to write, closes deferred
     * and watermarks to recheck.
     *
     * @return pending items.
     */
    int pendingCount()
    {
        return dirtyCount + deferredCloseCount + recheckCount;
    }

    /**
     * Run the watermark checks and closes deferred while a publish waited, until none is left.
     */
    void processDeferred()
    {
        while (deferredCloseCount > 0 || recheckCount > 0)
        {
            for (int i = 0; i < recheckCount; i++)
            {
                final Connection connection = table.at(recheckSlots[i]);
                if (connection.watermarkCheckPending)
                {
                    connection.watermarkCheckPending = false;
                    if (ConnectionState.FREE != connection.state)
                    {
                        checkWatermarks(connection);
                    }
                }
            }
            recheckCount = 0;
            final int closes = deferredCloseCount;
            deferredCloseCount = 0;
            for (int i = 0; i < closes; i++)
            {
                final Connection connection = table.get(deferredCloseIds[i]);
                final String reason = deferredCloseReasons[i];
                deferredCloseReasons[i] = null;
                if (null != connection)
                {
                    closer.closeWith(connection, deferredCloseCodes[i], reason);
                }
            }
        }
    }

    /**
     * Write the queue of every connection marked dirty since the last call.
     */
    void flushDirty()
    {
        final int count = dirtyCount;
        dirtyCount = 0;
        for (int i = 0; i < count; i++)
        {
            final Connection connection = table.at(dirtySlots[i]);
            connection.dirty = false;
            if (ConnectionState.FREE != connection.state)
            {
                flush(connection);
            }
        }
    }

    /**
     * Write as much of a connection's queue as the socket takes, then arm or disarm OP_WRITE, close a connection
     * that was waiting for its queue to empty, and resume reading paused by the backlog.
     *
     * @param connection the connection.
     */
    void flush(final Connection connection)
    {
        if (ConnectionState.FREE == connection.state || null == connection.channel)
        {
            return;
        }
        if (connection.queueCount > 0 && !write(connection))
        {
            return;
        }
        final SelectionKey key = connection.key;
        if (connection.queueCount > 0)
        {
            if (key.isValid() && 0 == (key.interestOps() & SelectionKey.OP_WRITE))
            {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }
        else
        {
            if (key.isValid() && 0 != (key.interestOps() & SelectionKey.OP_WRITE))
            {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            }
            if (connection.isCloseAfterFlush() && !connection.isLingering())
            {
                closer.lingerThenClose(connection);
                return;
            }
        }
        if (connection.watermark.isDropMode())
        {
            checkWatermarks(connection);
        }
        if (0 != connection.readPauses)
        {
            resumeAfterFlush(connection);
        }
    }

    /**
     * One gathered write of the queue's head frames; pops the frames written whole.
     *
     * @return false when the write failed and the connection was aborted.
     */
    private boolean write(final Connection connection)
    {
        final ByteBuffer buffer = writeBuffer;
        buffer.clear();
        int skip = connection.headWrittenBytes;
        for (int i = 0; i < connection.queueCount && buffer.hasRemaining(); i++)
        {
            final Frame frame = connection.peek(i);
            final int available = frame.length() - skip;
            final int take = Math.min(available, buffer.remaining());
            buffer.put(frame.buffer(), frame.offset() + skip, take);
            skip = 0;
        }
        buffer.flip();
        int written;
        try
        {
            written = connection.channel.write(buffer);
        }
        catch (final IOException ex)
        {
            closer.abort(connection, CloseCodes.ABNORMAL);
            return false;
        }
        IoCounters.add(counters.bytesOut, written);
        connection.bufferedBytes -= written;
        if (written > 0)
        {
            connection.lastWriteMs = loop.nowMs();
        }
        while (written > 0)
        {
            final Frame head = connection.peek(0);
            final int remaining = head.length() - connection.headWrittenBytes;
            if (written >= remaining)
            {
                written -= remaining;
                connection.headWrittenBytes = 0;
                connection.popHead();
            }
            else
            {
                connection.headWrittenBytes += written;
                written = 0;
            }
        }
        return true;
    }

    private void resumeAfterFlush(final Connection connection)
    {
        if (connection.bufferedBytes < settings.lowWatermarkBytes())
        {
            connection.resumeReading(Connection.PAUSE_OUTBOUND);
        }
        if (connection.isPaused(Connection.PAUSE_PIPELINE) &&
            connection.queueCount < settings.maxPipelinedRequests() && ConnectionState.HTTP == connection.state)
        {
            connection.resumeReading(Connection.PAUSE_PIPELINE);
            connection.requestStartMs = loop.nowMs();
            // responses queued here mark the connection dirty; the loop's next flushDirty writes them
            http.parseHttpRequests(connection);
        }
    }
}
