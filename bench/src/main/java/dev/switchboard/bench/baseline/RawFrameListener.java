package dev.switchboard.bench.baseline;

/**
 * What the {@link RawFrameDecoder} found in a socket's bytes, called on the serving thread; the payload array is
 * reused for the next frame.
 */
interface RawFrameListener
{
    /**
     * A complete, unfragmented text message.
     *
     * @param connection the sender.
     * @param payload    the unmasked payload, from index 0.
     * @param length     its length.
     */
    void onText(RawConnection connection, byte[] payload, int length);

    /**
     * A ping control frame.
     *
     * @param connection the sender.
     * @param payload    the unmasked payload, from index 0.
     * @param length     its length.
     */
    void onPing(RawConnection connection, byte[] payload, int length);

    /**
     * The end of the socket's frames: the peer's close frame, or a frame this decoder refuses.
     *
     * @param connection the sender.
     * @param closeCode  the code to close with: the peer's own (1000 when it gave none), 1002 for a protocol error,
     *                   1003 for a fragmented message, 1009 for a payload over the limit.
     */
    void onClose(RawConnection connection, int closeCode);
}
