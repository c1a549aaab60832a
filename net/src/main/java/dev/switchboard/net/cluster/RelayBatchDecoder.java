package dev.switchboard.net.cluster;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Reads one relay channel message: a batch of the records one node sent to another during one duty cycle.
 * <p>
 * Layout (numbers big-endian): {@code [magic:2 = 0x5342 "SB"][version:1 = 1][originNodeLength:1][originNode]
 * [sentEpochMs:8][recordCount:4]} then {@code recordCount} records {@code [kind:1][connectionId:8][bodyLength:4]
 * [body]}, which fill the message exactly. The bodies are those described in {@link RelayRecords}. A message is
 * checked whole by {@link #wrap(byte[])} before any record is read, so a malformed one is rejected without
 * handling part of it. A flyweight: reused for every message, it allocates nothing.
 */
public final class RelayBatchDecoder
{
    /** The first two bytes of every batch. */
    public static final short MAGIC = 0x5342;
    /** The batch layout version this code writes and reads. */
    public static final byte VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the origin node id's length. */
    public static final int ORIGIN_LENGTH_OFFSET = 3;
    /** Offset of the origin node id. */
    public static final int ORIGIN_OFFSET = 4;
    /** Bytes before each record's body: kind, connection id, body length. */
    public static final int RECORD_HEADER_LENGTH = 13;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private byte[] message;
    private int originLength;
    private long sentEpochMs;
    private int recordCount;
    private int remaining;
    private int nextIndex;
    private byte kind;
    private long connectionId;
    private int bodyOffset;
    private int bodyLength;

    /**
     * Check a whole message and position before its first record.
     *
     * @param message the channel message.
     * @return true when it is a well-formed batch; false leaves nothing to read.
     */
    public boolean wrap(final byte[] message)
    {
        this.message = message;
        this.remaining = 0;
        buffer.wrap(message);
        if (message.length < ORIGIN_OFFSET + 1 + 12 ||
            MAGIC != buffer.getShort(MAGIC_OFFSET, ByteOrder.BIG_ENDIAN) ||
            VERSION != buffer.getByte(VERSION_OFFSET))
        {
            return false;
        }
        originLength = buffer.getByte(ORIGIN_LENGTH_OFFSET) & 0xFF;
        final int timeIndex = ORIGIN_OFFSET + originLength;
        final int firstRecord = timeIndex + 12;
        if (0 == originLength || firstRecord > message.length)
        {
            return false;
        }
        sentEpochMs = buffer.getLong(timeIndex, ByteOrder.BIG_ENDIAN);
        recordCount = buffer.getInt(timeIndex + 8, ByteOrder.BIG_ENDIAN);
        if (recordCount < 0)
        {
            return false;
        }
        int index = firstRecord;
        for (int i = 0; i < recordCount; i++)
        {
            if (index + RECORD_HEADER_LENGTH > message.length)
            {
                return false;
            }
            final int length = buffer.getInt(index + 9, ByteOrder.BIG_ENDIAN);
            if (length < 0 || length > message.length - index - RECORD_HEADER_LENGTH ||
                length < minBodyLength(buffer.getByte(index), buffer, index + RECORD_HEADER_LENGTH))
            {
                return false;
            }
            index += RECORD_HEADER_LENGTH + length;
        }
        if (index != message.length)
        {
            return false;
        }
        remaining = recordCount;
        nextIndex = firstRecord;
        return true;
    }

    /**
     * Move to the next record.
     *
     * @return false when every record was read.
     */
    public boolean next()
    {
        if (0 == remaining)
        {
            return false;
        }
        remaining--;
        kind = buffer.getByte(nextIndex);
        connectionId = buffer.getLong(nextIndex + 1, ByteOrder.BIG_ENDIAN);
        bodyLength = buffer.getInt(nextIndex + 9, ByteOrder.BIG_ENDIAN);
        bodyOffset = nextIndex + RECORD_HEADER_LENGTH;
        nextIndex = bodyOffset + bodyLength;
        return true;
    }

    /**
     * The wrapped message, to read bodies from.
     *
     * @return message bytes.
     */
    public byte[] message()
    {
        return message;
    }

    /**
     * Offset of the origin node id in the message.
     *
     * @return offset.
     */
    public int originOffset()
    {
        return ORIGIN_OFFSET;
    }

    /**
     * Length of the origin node id.
     *
     * @return bytes.
     */
    public int originLength()
    {
        return originLength;
    }

    /**
     * The sender's clock when it sent the batch.
     *
     * @return epoch milliseconds.
     */
    public long sentEpochMs()
    {
        return sentEpochMs;
    }

    /**
     * Records in the batch.
     *
     * @return count.
     */
    public int recordCount()
    {
        return recordCount;
    }

    /**
     * Kind of the current record.
     *
     * @return a {@link RelayRecords} kind.
     */
    public byte kind()
    {
        return kind;
    }

    /**
     * Origin socket id of the current record.
     *
     * @return connection id.
     */
    public long connectionId()
    {
        return connectionId;
    }

    /**
     * Offset of the current record's body in the message.
     *
     * @return offset.
     */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /**
     * Length of the current record's body.
     *
     * @return bytes.
     */
    public int bodyLength()
    {
        return bodyLength;
    }

    /**
     * Fewest body bytes a record of a kind needs, or more than any body when the kind never crosses a channel.
     */
    private static int minBodyLength(final byte kind, final UnsafeBuffer buffer, final int bodyIndex)
    {
        switch (kind)
        {
            case RelayRecords.TEXT:
                return bodyIndex < buffer.capacity() ? 1 + (buffer.getByte(bodyIndex) & 0xFF) : 1;
            case RelayRecords.CLOSED:
            case RelayRecords.CLOSE:
                return 4;
            case RelayRecords.FLOW:
                return 9;
            case RelayRecords.FRAME:
                return 5;
            case RelayRecords.TOO_LARGE:
                return 0;
            default:
                return Integer.MAX_VALUE;
        }
    }
}
