package dev.switchboard.net.cluster;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Kinds and layout of the records a relayed connection produces (IoAgent to cluster agent) and of the
 * messages nodes exchange over their relay channels.
 * <p>
 * A record is {@code [kind:1][connectionId:8][body]}; bodies: TEXT {@code [authUserIdLength:1][authUserId]
 * [text]}, CLOSED {@code [closeCode:4]}, FLOW {@code [slotKind:1][dropped:8]}, GRANTS {@code [flags:4][patternCount:1][packedRooms]}
 * (see {@link GrantsRecord}), TOO_LARGE, PAUSED and DIRECT nothing. A socket whose token carries grants has a
 * GRANTS record right before each of its join or resume TEXT records, in the relay queue and in the batch to the
 * room's owner alike (the two travel in one batch, which is accepted or dropped whole).
 * Over a relay channel the records one node sends another during one duty cycle travel together as one batch
 * (layout in {@link RelayBatchDecoder}); each batch record is {@code [kind:1][connectionId:8][bodyLength:4][body]}
 * where the connection id is always the origin node's socket id, and FRAME {@code [typeId:4][droppable:1]
 * [json]} and CLOSE {@code [closeCode:4][reason]} travel from the owner back to the origin. Numbers are
 * big-endian.
 */
public final class RelayRecords
{
    /** A text message from the socket. */
    public static final byte TEXT = 1;
    /** The socket closed (code as the engine's CONNECTION_CLOSED). */
    public static final byte CLOSED = 2;
    /** The socket entered or left drop mode. */
    public static final byte FLOW = 3;
    /** The socket sent a message over maxPayloadBytes. */
    public static final byte TOO_LARGE = 4;
    /** Owner to origin: a frame for the socket. */
    public static final byte FRAME = 5;
    /** Owner to origin: close the socket. */
    public static final byte CLOSE = 6;
    /** The IoAgent stopped reading the socket after the records before this one, until its route is decided. */
    public static final byte PAUSED = 7;
    /** The IoAgent now serves the socket from a local shard, as decided: the agent forgets it. */
    public static final byte DIRECT = 8;
    /** What the socket's token allows: the grants of the join or resume TEXT record that follows. */
    public static final byte GRANTS = 9;

    /** Offset of the connection id in a record. */
    public static final int CONNECTION_ID_OFFSET = 1;
    /** Offset of the body in a record. */
    public static final int BODY_OFFSET = 9;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private RelayRecords()
    {
    }

    /**
     * A big-endian int of a record or batch message.
     *
     * @param bytes the record.
     * @param index where the int starts.
     * @return the value.
     */
    public static int readInt(final byte[] bytes, final int index)
    {
        return (int)INT_BE.get(bytes, index);
    }

    /**
     * A big-endian long of a record or batch message.
     *
     * @param bytes the record.
     * @param index where the long starts.
     * @return the value.
     */
    public static long readLong(final byte[] bytes, final int index)
    {
        return (long)LONG_BE.get(bytes, index);
    }
}
