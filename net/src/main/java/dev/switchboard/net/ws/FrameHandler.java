package dev.switchboard.net.ws;

/**
 * Receives what a {@link FrameDecoder} finds, on the IoAgent thread; buffers are valid only during the call.
 */
public interface FrameHandler
{
    /**
     * One complete text message, reassembled if it was fragmented, valid UTF-8 and no longer than
     * {@code maxPayloadBytes}.
     *
     * @param buffer holds the message; valid only during the call.
     * @param offset first byte of the message.
     * @param length message length in bytes.
     */
    void onText(byte[] buffer, int offset, int length);

    /**
     * A text message grew past {@code maxPayloadBytes} but stayed within {@code hardFrameLimitBytes}; it was
     * discarded as it streamed in and this is called once, when its final fragment ends.
     */
    void onMessageTooLarge();

    /**
     * A ping with its application data, which a pong must echo.
     *
     * @param buffer holds the payload; valid only during the call.
     * @param offset first byte of the payload.
     * @param length payload length in bytes (at most 125).
     */
    void onPing(byte[] buffer, int offset, int length);

    /**
     * A pong with its application data.
     *
     * @param buffer holds the payload; valid only during the call.
     * @param offset first byte of the payload.
     * @param length payload length in bytes (at most 125).
     */
    void onPong(byte[] buffer, int offset, int length);

    /**
     * A valid close frame; the decoder ignores every byte after it.
     *
     * @param code         status code from the frame, or {@link CloseCodes#NO_STATUS} when it had no payload.
     * @param buffer       holds the reason; valid only during the call.
     * @param reasonOffset first byte of the UTF-8 reason.
     * @param reasonLength reason length in bytes, 0 when absent.
     */
    void onClose(int code, byte[] buffer, int reasonOffset, int reasonLength);

    /**
     * The peer broke the protocol; the decoder is corrupt and ignores every byte after it.
     *
     * @param closeCode 1002 protocol error, 1003 binary frame, 1007 invalid UTF-8 or 1009 over the hard limit.
     */
    void onProtocolError(int closeCode);
}
