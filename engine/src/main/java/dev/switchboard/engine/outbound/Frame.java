package dev.switchboard.engine.outbound;

import dev.switchboard.engine.codes.MessageType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One encoded server-to-client WebSocket frame, shared without copying by every connection it is queued to.
 * <p>
 * The engine thread acquires a frame from its {@link FramePool}, writes the JSON text at
 * {@link #PAYLOAD_OFFSET}, and calls {@link #sealText(int)} to prepend the unmasked frame header. Each queue
 * that holds the frame holds one reference; the last {@link #release()} on any thread returns it to its pool.
 */
public final class Frame
{
    /** Bytes reserved before the payload for the longest frame header (2 + 8). */
    public static final int PAYLOAD_OFFSET = WebSocketHeader.MAX_LENGTH;

    private static final VarHandle REF_COUNT;

    static
    {
        try
        {
            REF_COUNT = MethodHandles.lookup().findVarHandle(Frame.class, "refCount", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final FramePool pool;
    private final int sizeClass;
    private byte[] buffer;
    private int offset;
    private int length;
    private MessageType type = MessageType.UNKNOWN;
    private boolean droppable;
    @SuppressWarnings("unused") // accessed through REF_COUNT
    private volatile int refCount;

    Frame(final FramePool pool, final int sizeClass, final int capacity)
    {
        this.pool = pool;
        this.sizeClass = sizeClass;
        this.buffer = new byte[capacity];
    }

    /**
     * Prepare a frame taken from the pool for writing; the caller holds the only reference.
     *
     * @param type      what the frame carries, for metrics and flow control.
     * @param droppable whether flow control may drop it under backpressure (non-critical types).
     * @return this frame.
     */
    Frame reset(final MessageType type, final boolean droppable)
    {
        this.type = type;
        this.droppable = droppable;
        this.offset = PAYLOAD_OFFSET;
        this.length = 0;
        REF_COUNT.setRelease(this, 1);
        return this;
    }

    /**
     * The backing array; the JSON payload is written from {@link #PAYLOAD_OFFSET}.
     *
     * @return the buffer.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * Capacity available for the JSON payload.
     *
     * @return bytes.
     */
    public int payloadCapacity()
    {
        return buffer.length - PAYLOAD_OFFSET;
    }

    /**
     * Grow the buffer while writing, keeping the bytes written so far; only before {@link #sealText(int)}.
     *
     * @param payloadCapacity payload bytes needed.
     */
    public void ensurePayloadCapacity(final int payloadCapacity)
    {
        final int needed = PAYLOAD_OFFSET + payloadCapacity;
        if (buffer.length < needed)
        {
            final int previous = buffer.length;
            buffer = Arrays.copyOf(buffer, Math.max(needed, previous * 2));
            pool.onGrown(buffer.length - previous);
        }
    }

    /**
     * Write the header of an unmasked, final text frame in front of a payload of the given length.
     *
     * @param payloadLength bytes of JSON written at {@link #PAYLOAD_OFFSET}.
     * @return this frame.
     */
    public Frame sealText(final int payloadLength)
    {
        final int start = PAYLOAD_OFFSET - WebSocketHeader.length(payloadLength);
        WebSocketHeader.write(buffer, start, WebSocketHeader.FINAL_TEXT, payloadLength);
        offset = start;
        length = PAYLOAD_OFFSET - start + payloadLength;
        return this;
    }

    /**
     * Mark bytes already written anywhere in the buffer as the complete wire bytes (an HTTP response or a
     * control frame the IoAgent encoded itself).
     *
     * @param offset first byte.
     * @param length number of bytes.
     * @return this frame.
     */
    public Frame sealRaw(final int offset, final int length)
    {
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Offset in {@link #buffer()} of the first frame byte, valid after sealing.
     *
     * @return offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Total frame length, header included, valid after sealing.
     *
     * @return length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Offset of the JSON text within {@link #buffer()}.
     *
     * @return {@link #PAYLOAD_OFFSET}.
     */
    public int payloadOffset()
    {
        return PAYLOAD_OFFSET;
    }

    /**
     * Length of the JSON text, valid after sealing.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return length - (PAYLOAD_OFFSET - offset);
    }

    /**
     * The message type the frame carries.
     *
     * @return the type.
     */
    public MessageType type()
    {
        return type;
    }

    /**
     * Whether flow control may drop this frame for a connection in drop mode.
     *
     * @return true for non-critical frames.
     */
    public boolean isDroppable()
    {
        return droppable;
    }

    /**
     * Add one reference, for one more queue that will hold the frame.
     */
    public void retain()
    {
        REF_COUNT.getAndAdd(this, 1);
    }

    /**
     * Drop one reference; the last one returns the frame to its pool.
     */
    public void release()
    {
        final int previous = (int)REF_COUNT.getAndAdd(this, -1);
        if (1 == previous)
        {
            pool.recycle(this);
        }
        else if (previous <= 0)
        {
            throw new IllegalStateException("frame released more often than retained");
        }
    }

    /**
     * Current reference count, for tests and assertions.
     *
     * @return references held.
     */
    public int refCount()
    {
        return (int)REF_COUNT.getAcquire(this);
    }

    int sizeClass()
    {
        return sizeClass;
    }
}
