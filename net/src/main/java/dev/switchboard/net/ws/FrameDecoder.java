package dev.switchboard.net.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Resumable RFC 6455 decoder of client frames for one connection, run on its IoAgent thread.
 * <p>
 * A state machine (first header byte, second byte, extended length, masking key, payload, then the terminal
 * closed and corrupt states) that accepts input split at any byte boundary, unmasks in place (eight bytes at a
 * time) and maps every violation to a close code reported once through {@link FrameHandler#onProtocolError}:
 * <ul>
 *     <li>1002: unmasked frame, RSV bits set (no extension is negotiated), reserved opcode, control frame over
 *     125 bytes or not final, continuation without an open message, new data frame while a fragmented message
 *     is open, 64-bit length with its top bit set, close payload of 1 byte, invalid close code;</li>
 *     <li>1003: a binary frame, reported at its first header byte and never buffered;</li>
 *     <li>1007: text that is not valid UTF-8, reported at the first byte that cannot continue a valid sequence
 *     (inside a fragment, not only at the message end), and a close reason that is not valid UTF-8 (Autobahn
 *     case 7.5.1 only asks that the connection fail; 1007 names the actual problem, as RFC 6455 section 8.1
 *     does for invalid text);</li>
 *     <li>1009: a frame whose length field, or a message whose reassembled length, exceeds
 *     {@code hardFrameLimitBytes}, reported as soon as the length is known;</li>
 *     <li>1008: a fragmented message of more than {@code maxFragmentsPerMessage} frames (a stream of empty or tiny
 *     continuation frames), reported at the header of the first frame over the limit.</li>
 * </ul>
 * A text message over {@code maxPayloadBytes} but within the hard limit is not buffered: its bytes are unmasked
 * and validated as UTF-8 as they stream past, then {@link FrameHandler#onMessageTooLarge()} is called once at
 * its final fragment and the connection carries on. An extended length that is not in its minimal form is
 * accepted, as browsers never send one and rejecting it would gain nothing.
 * <p>
 * Buffers: a complete unfragmented message or control frame that lies whole in the source array is delivered
 * straight from it, without a copy. Only a fragmented message or a frame split across reads is copied, into a
 * buffer taken from the {@link AssemblyBufferPool} when its first byte needs copying, sized to the bytes that
 * arrived and grown by powers of two as more arrive (never to what a length field merely announces), and returned
 * when it is delivered; a split control frame (rare) borrows a second, smallest-class pool buffer rather than
 * keep a small array in every decoder. {@link #controlAndFragmentFrames()} counts the frames that are not a
 * whole message (control frames and every fragment but the last), for the IoAgent's frame rate budget, and
 * {@link #isMessageInProgress()} tells the IoAgent's message deadline when a message has begun. An idle decoder
 * holds no buffer; the object itself was 80 bytes before those two fields (JOL 0.17, JDK 17, compressed oops).
 */
public final class FrameDecoder
{
    private static final int READING_FIRST = 0;
    private static final int READING_SECOND = 1;
    private static final int READING_LENGTH = 2;
    private static final int READING_MASK = 3;
    private static final int READING_PAYLOAD = 4;
    private static final int CLOSED = 5;
    private static final int CORRUPT = 6;
    private static final int RELEASED = 7;

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;

    private static final int MAX_CONTROL_PAYLOAD_BYTES = 125;
    private static final int MIN_MASKED_HEADER_LENGTH = 6;
    private static final VarHandle INT_VIEW =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_VIEW =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxPayloadBytes;
    private final int hardFrameLimitBytes;
    private final int maxFragmentsPerMessage;
    private final AssemblyBufferPool pool;
    private byte[] assembly;
    private byte[] control;
    private int state = READING_FIRST;
    private int opcode;
    private boolean fin;
    private boolean messageOpen;
    private boolean skipping;
    private int lengthBytesLeft;
    private long frameLength;
    private int frameRemaining;
    private int maskKey;
    private int maskBytes;
    private int messageLength;
    private int fragmentCount;
    private long controlAndFragmentFrames;
    private int utf8State = Utf8Validator.ACCEPT;

    /**
     * Create a decoder for one connection.
     *
     * @param maxPayloadBytes     largest text message delivered; bigger ones are discarded.
     * @param hardFrameLimitBytes largest frame or message tolerated before closing with 1009.
     * @param pool                the IoAgent's reassembly buffers, each at least {@code maxPayloadBytes} and 125.
     */
    public FrameDecoder(final int maxPayloadBytes, final int hardFrameLimitBytes, final AssemblyBufferPool pool)
    {
        this(maxPayloadBytes, hardFrameLimitBytes, Integer.MAX_VALUE, pool);
    }

    /**
     * Create a decoder for one connection with a cap on the frames of a fragmented message.
     *
     * @param maxPayloadBytes        largest text message delivered; bigger ones are discarded.
     * @param hardFrameLimitBytes    largest frame or message tolerated before closing with 1009.
     * @param maxFragmentsPerMessage most frames one message may span before closing with 1008; at least 1.
     * @param pool                   the IoAgent's reassembly buffers, holding at least {@code maxPayloadBytes}.
     */
    public FrameDecoder(
        final int maxPayloadBytes,
        final int hardFrameLimitBytes,
        final int maxFragmentsPerMessage,
        final AssemblyBufferPool pool)
    {
        if (maxFragmentsPerMessage < 1)
        {
            throw new IllegalArgumentException("maxFragmentsPerMessage must be at least 1: " + maxFragmentsPerMessage);
        }
        if (maxPayloadBytes < 0 || hardFrameLimitBytes < maxPayloadBytes)
        {
            throw new IllegalArgumentException(
                "need 0 <= maxPayloadBytes <= hardFrameLimitBytes: " + maxPayloadBytes + ", " + hardFrameLimitBytes);
        }
        if (pool.bufferSize() < Math.max(maxPayloadBytes, MAX_CONTROL_PAYLOAD_BYTES))
        {
            throw new IllegalArgumentException(
                "pool buffers of " + pool.bufferSize() + " bytes cannot hold maxPayloadBytes " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.hardFrameLimitBytes = hardFrameLimitBytes;
        this.maxFragmentsPerMessage = maxFragmentsPerMessage;
        this.pool = pool;
    }

    /**
     * Consume every byte given, calling the handler for each message, control frame or error found; unmasks
     * {@code src} in place and ignores everything after a close frame or an error.
     *
     * @param src     bytes read from the socket; modified.
     * @param offset  first byte.
     * @param length  number of bytes.
     * @param handler receives what is found, on this thread.
     */
    public void decode(final byte[] src, final int offset, final int length, final FrameHandler handler)
    {
        int pos = offset;
        final int end = offset + length;
        while (pos < end)
        {
            switch (state)
            {
                case READING_FIRST:
                    if (end - pos >= MIN_MASKED_HEADER_LENGTH)
                    {
                        pos = onHeader(src, pos, end, handler);
                    }
                    else
                    {
                        onFirstByte(src[pos++] & 0xFF, handler);
                    }
                    break;

                case READING_SECOND:
                    onSecondByte(src[pos++] & 0xFF, handler);
                    break;

                case READING_LENGTH:
                    onLengthByte(src[pos++] & 0xFF, handler);
                    break;

                case READING_MASK:
                    maskKey |= (src[pos++] & 0xFF) << (maskBytes << 3);
                    if (4 == ++maskBytes)
                    {
                        frameRemaining = (int)frameLength;
                        state = READING_PAYLOAD;
                        pos = onPayload(src, pos, end, handler);
                    }
                    break;

                case READING_PAYLOAD:
                    pos = onPayload(src, pos, end, handler);
                    break;

                default:
                    return;
            }
        }
    }

    /**
     * Whether a protocol error was reported; the decoder then ignores all input.
     *
     * @return true after {@link FrameHandler#onProtocolError(int)}.
     */
    public boolean isCorrupt()
    {
        return CORRUPT == state;
    }

    /**
     * Whether a valid close frame was received; the decoder then ignores all input.
     *
     * @return true after {@link FrameHandler#onClose}.
     */
    public boolean isClosed()
    {
        return CLOSED == state;
    }

    /**
     * Whether the decoder sits between messages (no frame or fragmented message in progress) holding no pooled
     * buffer.
     *
     * @return true when idle.
     */
    public boolean isIdle()
    {
        return (READING_FIRST == state || state >= CLOSED) && !messageOpen && null == assembly && null == control;
    }

    /**
     * Whether a frame or a fragmented message has begun and not ended: the message deadline runs.
     *
     * @return true between the first byte of a frame (or of a fragmented message) and its end.
     */
    public boolean isMessageInProgress()
    {
        return state < CLOSED && (READING_FIRST != state || messageOpen);
    }

    /**
     * Frames decoded so far that are not a whole message: control frames and every fragment but the final one.
     *
     * @return a running count, for the caller to take differences of.
     */
    public long controlAndFragmentFrames()
    {
        return controlAndFragmentFrames;
    }

    /**
     * The connection is gone: return any pooled buffer; later input is ignored.
     */
    public void release()
    {
        dropMessage();
        if (state < CLOSED)
        {
            state = RELEASED;
        }
    }

    /**
     * Parse a header found at the start of the input in one pass, with the same checks as the byte-at-a-time
     * path, and go straight on to the payload when the whole header is there.
     */
    private int onHeader(final byte[] src, final int pos, final int end, final FrameHandler handler)
    {
        onFirstByte(src[pos] & 0xFF, handler);
        if (READING_SECOND != state)
        {
            return pos + 1;
        }
        onSecondByte(src[pos + 1] & 0xFF, handler);
        int next = pos + 2;
        while (READING_LENGTH == state && next < end)
        {
            onLengthByte(src[next++] & 0xFF, handler);
        }
        if (READING_MASK != state || end - next < 4)
        {
            return next;
        }
        maskKey = (int)INT_VIEW.get(src, next);
        frameRemaining = (int)frameLength;
        state = READING_PAYLOAD;
        return onPayload(src, next + 4, end, handler);
    }

    private void onFirstByte(final int b, final FrameHandler handler)
    {
        if (0 != (b & 0x70))
        {
            fail(CloseCodes.PROTOCOL_ERROR, handler);
            return;
        }
        final int opcode = b & 0x0F;
        final boolean fin = 0 != (b & 0x80);
        switch (opcode)
        {
            case OPCODE_CONTINUATION:
                if (!messageOpen)
                {
                    fail(CloseCodes.PROTOCOL_ERROR, handler);
                    return;
                }
                break;

            case OPCODE_TEXT:
                if (messageOpen)
                {
                    fail(CloseCodes.PROTOCOL_ERROR, handler);
                    return;
                }
                break;

            case OPCODE_BINARY:
                fail(messageOpen ? CloseCodes.PROTOCOL_ERROR : CloseCodes.UNSUPPORTED_DATA, handler);
                return;

            case OPCODE_CLOSE:
            case OPCODE_PING:
            case OPCODE_PONG:
                if (!fin)
                {
                    fail(CloseCodes.PROTOCOL_ERROR, handler);
                    return;
                }
                break;

            default:
                fail(CloseCodes.PROTOCOL_ERROR, handler);
                return;
        }
        this.opcode = opcode;
        this.fin = fin;
        state = READING_SECOND;
    }

    private void onSecondByte(final int b, final FrameHandler handler)
    {
        if (0 == (b & 0x80))
        {
            fail(CloseCodes.PROTOCOL_ERROR, handler);
            return;
        }
        final int length7 = b & 0x7F;
        if (opcode >= OPCODE_CLOSE && (length7 > MAX_CONTROL_PAYLOAD_BYTES || (OPCODE_CLOSE == opcode && 1 == length7)))
        {
            fail(CloseCodes.PROTOCOL_ERROR, handler);
            return;
        }
        frameLength = 0;
        if (126 == length7)
        {
            lengthBytesLeft = 2;
            state = READING_LENGTH;
        }
        else if (127 == length7)
        {
            lengthBytesLeft = 8;
            state = READING_LENGTH;
        }
        else
        {
            frameLength = length7;
            onLengthKnown(handler);
        }
    }

    private void onLengthByte(final int b, final FrameHandler handler)
    {
        if (8 == lengthBytesLeft && 0 != (b & 0x80))
        {
            fail(CloseCodes.PROTOCOL_ERROR, handler);
            return;
        }
        frameLength = (frameLength << 8) | b;
        if (0 == --lengthBytesLeft)
        {
            onLengthKnown(handler);
        }
    }

    private void onLengthKnown(final FrameHandler handler)
    {
        if (opcode >= OPCODE_CLOSE || !fin)
        {
            controlAndFragmentFrames++;
        }
        if (opcode < OPCODE_CLOSE)
        {
            if (++fragmentCount > maxFragmentsPerMessage)
            {
                fail(CloseCodes.POLICY_VIOLATION, handler);
                return;
            }
            final long total = messageLength + frameLength;
            if (frameLength > hardFrameLimitBytes || total > hardFrameLimitBytes)
            {
                fail(CloseCodes.MESSAGE_TOO_BIG, handler);
                return;
            }
            if (total > maxPayloadBytes && !skipping)
            {
                skipping = true;
                releaseAssembly();
            }
            messageLength = (int)total;
            messageOpen = true;
        }
        maskKey = 0;
        maskBytes = 0;
        state = READING_MASK;
    }

    private int onPayload(final byte[] src, final int pos, final int end, final FrameHandler handler)
    {
        return opcode < OPCODE_CLOSE ? onDataPayload(src, pos, end, handler) : onControlPayload(src, pos, end, handler);
    }

    private int onDataPayload(final byte[] src, final int pos, final int end, final FrameHandler handler)
    {
        final int frameLength = (int)this.frameLength;
        final int available = Math.min(end - pos, frameRemaining);
        if (available == frameLength && fin && OPCODE_TEXT == opcode && !skipping)
        {
            final boolean ascii = unmask(src, pos, available, maskKey);
            state = READING_FIRST;
            frameRemaining = 0;
            messageOpen = false;
            messageLength = 0;
            fragmentCount = 0;
            if (!ascii && Utf8Validator.ACCEPT != Utf8Validator.validate(Utf8Validator.ACCEPT, src, pos, available))
            {
                fail(CloseCodes.INVALID_PAYLOAD, handler);
                return end;
            }
            handler.onText(src, pos, available);
            return pos + available;
        }

        int next = pos;
        if (available > 0)
        {
            final int consumed = frameLength - frameRemaining;
            final boolean ascii = unmask(src, pos, available, Integer.rotateRight(maskKey, (consumed & 3) << 3));
            if (!ascii || Utf8Validator.ACCEPT != utf8State)
            {
                utf8State = Utf8Validator.validate(utf8State, src, pos, available);
            }
            if (Utf8Validator.REJECT == utf8State)
            {
                fail(CloseCodes.INVALID_PAYLOAD, handler);
                return end;
            }
            if (!skipping)
            {
                final int writeOffset = messageLength - frameRemaining;
                assembly = pool.grow(assembly, writeOffset, writeOffset + available);
                System.arraycopy(src, pos, assembly, writeOffset, available);
            }
            frameRemaining -= available;
            next += available;
        }
        if (0 == frameRemaining)
        {
            state = READING_FIRST;
            if (fin)
            {
                onMessageEnd(src, next, handler);
            }
        }
        return next;
    }

    private void onMessageEnd(final byte[] src, final int pos, final FrameHandler handler)
    {
        final byte[] buffer = assembly;
        final int length = messageLength;
        final boolean tooLarge = skipping;
        final boolean complete = Utf8Validator.ACCEPT == utf8State;
        assembly = null;
        resetMessage();
        if (!complete)
        {
            pool.release(buffer);
            fail(CloseCodes.INVALID_PAYLOAD, handler);
            return;
        }
        if (tooLarge)
        {
            handler.onMessageTooLarge();
        }
        else if (null == buffer)
        {
            handler.onText(src, pos, 0);
        }
        else
        {
            handler.onText(buffer, 0, length);
        }
        pool.release(buffer);
    }

    private int onControlPayload(final byte[] src, final int pos, final int end, final FrameHandler handler)
    {
        final int frameLength = (int)this.frameLength;
        if (null == control && end - pos >= frameLength)
        {
            unmask(src, pos, frameLength, maskKey);
            state = READING_FIRST;
            frameRemaining = 0;
            onControlFrame(src, pos, frameLength, handler);
            return pos + frameLength;
        }

        final int available = Math.min(end - pos, frameRemaining);
        if (available > 0)
        {
            if (null == control)
            {
                control = pool.acquire(MAX_CONTROL_PAYLOAD_BYTES);
            }
            final int consumed = frameLength - frameRemaining;
            unmask(src, pos, available, Integer.rotateRight(maskKey, (consumed & 3) << 3));
            System.arraycopy(src, pos, control, consumed, available);
            frameRemaining -= available;
        }
        if (0 == frameRemaining)
        {
            state = READING_FIRST;
            final byte[] buffer = control;
            control = null;
            onControlFrame(buffer, 0, frameLength, handler);
            pool.release(buffer);
        }
        return pos + available;
    }

    private void onControlFrame(final byte[] buffer, final int offset, final int length, final FrameHandler handler)
    {
        if (OPCODE_PING == opcode)
        {
            handler.onPing(buffer, offset, length);
        }
        else if (OPCODE_PONG == opcode)
        {
            handler.onPong(buffer, offset, length);
        }
        else if (0 == length)
        {
            state = CLOSED;
            dropMessage();
            handler.onClose(CloseCodes.NO_STATUS, buffer, offset, 0);
        }
        else
        {
            final int code = ((buffer[offset] & 0xFF) << 8) | (buffer[offset + 1] & 0xFF);
            if (!CloseCodes.isValidReceived(code))
            {
                fail(CloseCodes.PROTOCOL_ERROR, handler);
            }
            else if (Utf8Validator.ACCEPT !=
                Utf8Validator.validate(Utf8Validator.ACCEPT, buffer, offset + 2, length - 2))
            {
                fail(CloseCodes.INVALID_PAYLOAD, handler);
            }
            else
            {
                state = CLOSED;
                dropMessage();
                handler.onClose(code, buffer, offset + 2, length - 2);
            }
        }
    }

    private void fail(final int closeCode, final FrameHandler handler)
    {
        state = CORRUPT;
        dropMessage();
        handler.onProtocolError(closeCode);
    }

    private void dropMessage()
    {
        releaseAssembly();
        if (null != control)
        {
            pool.release(control);
            control = null;
        }
        resetMessage();
    }

    private void resetMessage()
    {
        messageOpen = false;
        skipping = false;
        messageLength = 0;
        fragmentCount = 0;
        utf8State = Utf8Validator.ACCEPT;
    }

    private void releaseAssembly()
    {
        if (null != assembly)
        {
            pool.release(assembly);
            assembly = null;
        }
    }

    /**
     * XOR the masking key into the bytes eight at a time, noting on the way whether every unmasked byte is ASCII
     * so that plain JSON skips the UTF-8 automaton without a second pass.
     */
    private static boolean unmask(final byte[] buffer, final int offset, final int length, final int mask)
    {
        final long mask64 = (mask & 0xFFFF_FFFFL) | ((long)mask << 32);
        final int end = offset + length;
        long seen = 0;
        int i = offset;
        for (final int longEnd = end - 7; i < longEnd; i += 8)
        {
            final long value = (long)LONG_VIEW.get(buffer, i) ^ mask64;
            LONG_VIEW.set(buffer, i, value);
            seen |= value;
        }
        int rotating = mask;
        for (; i < end; i++)
        {
            final byte value = (byte)(buffer[i] ^ rotating);
            buffer[i] = value;
            seen |= value;
            rotating = Integer.rotateRight(rotating, 8);
        }
        return 0 == (seen & 0x8080_8080_8080_8080L);
    }
}
