package dev.switchboard.net.ws;

import dev.switchboard.engine.outbound.WebSocketHeader;

/**
 * Writes server-to-client frames (RFC 6455 section 5.2): always final, never masked, no allocation; every
 * header goes through {@link WebSocketHeader}, the one header writer, which the engine's frames use too.
 * <p>
 * Every method writes into {@code dst} from {@code offset}, which must have room for
 * {@link #headerLength(int)} plus the payload, and returns the bytes written; methods return -1 (writing
 * nothing) when a control payload would exceed 125 bytes.
 */
public final class FrameEncoder
{
    /** Largest payload of a control frame. */
    public static final int MAX_CONTROL_PAYLOAD_BYTES = 125;

    /** Longest header of a server frame: 2 bytes plus an 8-byte extended length. */
    public static final int MAX_HEADER_LENGTH = WebSocketHeader.MAX_LENGTH;

    private static final int FIN = 0x80;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;

    private FrameEncoder()
    {
    }

    /**
     * Length of the header of an unmasked frame carrying the given payload.
     *
     * @param payloadLength payload bytes.
     * @return 2, 4 or 10.
     */
    public static int headerLength(final int payloadLength)
    {
        return WebSocketHeader.length(payloadLength);
    }

    /**
     * Write a final, unmasked text frame.
     *
     * @param dst           destination.
     * @param offset        where the frame starts.
     * @param payload       UTF-8 text.
     * @param payloadOffset first byte of the text.
     * @param payloadLength text length in bytes.
     * @return bytes written.
     */
    public static int encodeText(
        final byte[] dst, final int offset, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        final int headerLength = encodeTextHeader(dst, offset, payloadLength);
        System.arraycopy(payload, payloadOffset, dst, offset + headerLength, payloadLength);
        return headerLength + payloadLength;
    }

    /**
     * Write only the header of a final, unmasked text frame, for a payload the caller writes after it.
     *
     * @param dst           destination.
     * @param offset        where the frame starts.
     * @param payloadLength text length in bytes.
     * @return header bytes written (equal to {@link #headerLength(int)}).
     */
    public static int encodeTextHeader(final byte[] dst, final int offset, final int payloadLength)
    {
        return WebSocketHeader.write(dst, offset, FIN | OPCODE_TEXT, payloadLength);
    }

    /**
     * Write a ping.
     *
     * @param dst           destination.
     * @param offset        where the frame starts.
     * @param payload       application data.
     * @param payloadOffset first byte of the data.
     * @param payloadLength data length, at most 125.
     * @return bytes written, or -1 when the payload is over 125 bytes.
     */
    public static int encodePing(
        final byte[] dst, final int offset, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        return encodeControl(dst, offset, OPCODE_PING, payload, payloadOffset, payloadLength);
    }

    /**
     * Write a pong, usually echoing a ping's data.
     *
     * @param dst           destination.
     * @param offset        where the frame starts.
     * @param payload       application data.
     * @param payloadOffset first byte of the data.
     * @param payloadLength data length, at most 125.
     * @return bytes written, or -1 when the payload is over 125 bytes.
     */
    public static int encodePong(
        final byte[] dst, final int offset, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        return encodeControl(dst, offset, OPCODE_PONG, payload, payloadOffset, payloadLength);
    }

    /**
     * Write a close frame with a status code and a UTF-8 reason; {@link CloseCodes#NO_STATUS} writes an empty
     * close frame, since 1005 must never appear on the wire.
     *
     * @param dst          destination.
     * @param offset       where the frame starts.
     * @param code         status code.
     * @param reason       UTF-8 reason bytes (may be null when {@code reasonLength} is 0).
     * @param reasonOffset first byte of the reason.
     * @param reasonLength reason length, at most 123.
     * @return bytes written, or -1 when the reason is over 123 bytes.
     */
    public static int encodeClose(
        final byte[] dst,
        final int offset,
        final int code,
        final byte[] reason,
        final int reasonOffset,
        final int reasonLength)
    {
        if (CloseCodes.NO_STATUS == code)
        {
            return WebSocketHeader.write(dst, offset, FIN | OPCODE_CLOSE, 0);
        }
        final int payloadLength = 2 + reasonLength;
        if (reasonLength < 0 || payloadLength > MAX_CONTROL_PAYLOAD_BYTES)
        {
            return -1;
        }
        final int headerLength = WebSocketHeader.write(dst, offset, FIN | OPCODE_CLOSE, payloadLength);
        dst[offset + headerLength] = (byte)(code >>> 8);
        dst[offset + headerLength + 1] = (byte)code;
        if (reasonLength > 0)
        {
            System.arraycopy(reason, reasonOffset, dst, offset + headerLength + 2, reasonLength);
        }
        return headerLength + payloadLength;
    }

    private static int encodeControl(
        final byte[] dst,
        final int offset,
        final int opcode,
        final byte[] payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (payloadLength < 0 || payloadLength > MAX_CONTROL_PAYLOAD_BYTES)
        {
            return -1;
        }
        final int headerLength = WebSocketHeader.write(dst, offset, FIN | opcode, payloadLength);
        if (payloadLength > 0)
        {
            System.arraycopy(payload, payloadOffset, dst, offset + headerLength, payloadLength);
        }
        return headerLength + payloadLength;
    }
}
