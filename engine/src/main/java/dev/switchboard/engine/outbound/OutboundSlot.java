package dev.switchboard.engine.outbound;

/**
 * A pre-allocated outbound ring slot: one engine decision for one connection of one IoAgent.
 */
public final class OutboundSlot
{
    /** Queue {@link #frame} to the connection. */
    public static final byte SEND = 1;
    /** Close the connection with {@link #closeCode} and {@link #reason} after what is queued. */
    public static final byte CLOSE = 2;

    /** {@link #SEND} or {@link #CLOSE}. */
    public byte kind;
    /** The target connection. */
    public long connectionId;
    /** For {@link #SEND}: the frame, holding one reference owned by this slot until the IoAgent takes it. */
    public Frame frame;
    /** For {@link #CLOSE}: the WebSocket close code. */
    public int closeCode;
    /** For {@link #CLOSE}: the ASCII reason, often a constant. */
    public String reason;
}
