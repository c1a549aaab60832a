package dev.switchboard.engine.test;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.OutboundPublisher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test publisher that records every frame sent (connection, JSON text, type, droppable) and every close,
 * and releases each frame's reference at once as an IoAgent would after writing.
 */
public final class CapturingOutboundPublisher implements OutboundPublisher
{
    /** One recorded send. */
    public record Sent(long connectionId, String json, MessageType type, boolean droppable)
    {
        /**
         * The JSON text parsed into a map.
         *
         * @return the message.
         */
        public Map<String, Object> message()
        {
            return Json.object(json);
        }
    }

    /** One recorded close. */
    public record Closed(long connectionId, int closeCode, String reason)
    {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<Closed> closed = new ArrayList<>();
    private int endOfBatchCount;

    /** {@inheritDoc} */
    @Override
    public void send(final long connectionId, final Frame frame)
    {
        frame.retain();
        final String json = new String(
            frame.buffer(), frame.payloadOffset(), frame.payloadLength(), StandardCharsets.UTF_8);
        sent.add(new Sent(connectionId, json, frame.type(), frame.isDroppable()));
        frame.release();
    }

    /** {@inheritDoc} */
    @Override
    public void close(final long connectionId, final int closeCode, final String reason)
    {
        closed.add(new Closed(connectionId, closeCode, reason));
    }

    /** {@inheritDoc} */
    @Override
    public void endOfBatch()
    {
        endOfBatchCount++;
    }

    /**
     * Every send so far, in order.
     *
     * @return the sends.
     */
    public List<Sent> sent()
    {
        return sent;
    }

    /**
     * Every close so far, in order.
     *
     * @return the closes.
     */
    public List<Closed> closed()
    {
        return closed;
    }

    /**
     * Messages sent to one connection, parsed, in order.
     *
     * @param connectionId the connection.
     * @return the messages.
     */
    public List<Map<String, Object>> messagesTo(final long connectionId)
    {
        final List<Map<String, Object>> result = new ArrayList<>();
        for (final Sent s : sent)
        {
            if (s.connectionId() == connectionId)
            {
                result.add(s.message());
            }
        }
        return result;
    }

    /**
     * Messages of one type sent to one connection, parsed, in order.
     *
     * @param connectionId the connection.
     * @param type         the wire type name.
     * @return the messages.
     */
    public List<Map<String, Object>> messagesTo(final long connectionId, final String type)
    {
        final List<Map<String, Object>> result = new ArrayList<>();
        for (final Map<String, Object> m : messagesTo(connectionId))
        {
            if (type.equals(m.get("type")))
            {
                result.add(m);
            }
        }
        return result;
    }

    /**
     * Closes of one connection.
     *
     * @param connectionId the connection.
     * @return the closes.
     */
    public List<Closed> closesOf(final long connectionId)
    {
        final List<Closed> result = new ArrayList<>();
        for (final Closed c : closed)
        {
            if (c.connectionId() == connectionId)
            {
                result.add(c);
            }
        }
        return result;
    }

    /**
     * How often endOfBatch was called.
     *
     * @return count.
     */
    public int endOfBatchCount()
    {
        return endOfBatchCount;
    }

    /**
     * Forget everything recorded.
     */
    public void clear()
    {
        sent.clear();
        closed.clear();
    }
}
