package dev.switchboard.engine.ring;

/** What an {@link InboundSlot} carries; stored as a byte in {@link InboundSlot#kind}. */
public final class SlotKind
{
    /** A decoded client message (possibly with an edge error set in {@link InboundSlot#errorCode}). */
    public static final byte MESSAGE = 1;
    /** The connection's socket closed; {@link InboundSlot#closeCode} says why. */
    public static final byte CONNECTION_CLOSED = 2;
    /** The connection's bufferedAmount crossed the high watermark: it now drops non-critical frames. */
    public static final byte FLOW_DROP = 3;
    /** The connection's bufferedAmount fell under the low watermark; {@link InboundSlot#dropped} frames were lost. */
    public static final byte FLOW_NORMAL = 4;
    /** A timer tick: run coalescing flushes and timeouts against the clock. */
    public static final byte TICK = 5;
    /**
     * Multi-node: open the room named by {@link InboundSlot#roomId} from the snapshot held in {@link
     * InboundSlot#payload} (another node owned it before); ignored when the room is already open here. Filled by
     * {@link InboundSlot#fillRoomRestore}.
     */
    public static final byte ROOM_RESTORE = 6;
    /**
     * Multi-node: the node is draining; snapshot every open room now so another node can take it over. Filled by
     * {@link InboundSlot#fillHandover}; publish one to every shard.
     */
    public static final byte HANDOVER = 7;
    /**
     * An operator command from the admin port: {@link InboundSlot#adminOp} says which, {@link InboundSlot#adminCall}
     * receives the answer; room, user and payload fields as for the matching client message.
     */
    public static final byte ADMIN = 8;

    private SlotKind()
    {
    }
}
