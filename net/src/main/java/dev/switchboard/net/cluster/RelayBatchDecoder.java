package dev.switchboard.net.cluster;

import dev.switchboard.engine.codes.MessageType;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Reads one relay channel message: a batch of the records one node sent to another during one duty cycle.
 * <p>
 * Layout (numbers big-endian): {@code [magic:2 = 0x5342 "SB"][version:1 = 1][originNodeLength:1][originNode]
 * [sentEpochMs:8][recordCount:4]} then {@code recordCount} records {@code [kind:1][connectionId:8][bodyLength:4]
 * [body]}, which fill the message exactly. The bodies are those described in {@link RelayRecords}. Version
 * {@value #SIGNED_VERSION} is the same followed by a {@value ClusterSigner#TAG_LENGTH}-byte HMAC-SHA256 tag of the
 * destination channel and every byte before the tag (see {@link ClusterSigner}).
 * <p>
 * A message is checked whole by {@link #wrap(byte[])} before any record is read, so a malformed one is rejected
 * without handling part of it: the framing, and every decoded field the receiver acts on: the origin node id
 * (1 to 64 of {@code [A-Za-z0-9_.-]}), a TEXT record's user id (0 to 64 of {@code [A-Za-z0-9_.:@-]}), the exact
 * body length of CLOSED, FLOW and TOO_LARGE, a GRANTS record's flags and patterns ({@link GrantsRecord}), a FRAME's
 * type id (one the server has) and droppable flag, a CLOSE's code
 * (1000 to 4999) and reason (at most 123 bytes, the room a close frame has). A flyweight: reused for every
 * message, it allocates nothing.
 */
public final class RelayBatchDecoder
{
    /** The first two bytes of every batch. */
    public static final short MAGIC = 0x5342;
    /** The batch layout version of an unsigned batch. */
    public static final byte VERSION = 1;
    /** The batch layout version of a signed batch: a tag follows the records. */
    public static final byte SIGNED_VERSION = 2;
    /** Longest origin node id or user id accepted. */
    public static final int MAX_ID_LENGTH = 64;
    /** Longest close reason accepted (what fits a WebSocket close frame). */
    public static final int MAX_CLOSE_REASON_LENGTH = 123;
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
    private boolean signed;
    private int signedLength;
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
        if (message.length < ORIGIN_OFFSET + 1 + 12 || MAGIC != buffer.getShort(MAGIC_OFFSET, ByteOrder.BIG_ENDIAN))
        {
            return false;
        }
        final byte version = buffer.getByte(VERSION_OFFSET);
        if (VERSION != version && SIGNED_VERSION != version)
        {
            return false;
        }
        signed = SIGNED_VERSION == version;
        signedLength = signed ? message.length - ClusterSigner.TAG_LENGTH : message.length;
        originLength = buffer.getByte(ORIGIN_LENGTH_OFFSET) & 0xFF;
        final int timeIndex = ORIGIN_OFFSET + originLength;
        final int firstRecord = timeIndex + 12;
        if (0 == originLength || originLength > MAX_ID_LENGTH || firstRecord > signedLength ||
            !isNodeId(message, ORIGIN_OFFSET, originLength))
        {
            return false;
        }
        sentEpochMs = buffer.getLong(timeIndex, ByteOrder.BIG_ENDIAN);
        recordCount = buffer.getInt(timeIndex + 8, ByteOrder.BIG_ENDIAN);
        if (recordCount < 0)
        {
            return false;
        }
        final int end = signedLength;
        int index = firstRecord;
        for (int i = 0; i < recordCount; i++)
        {
            if (index + RECORD_HEADER_LENGTH > end)
            {
                return false;
            }
            final int length = buffer.getInt(index + 9, ByteOrder.BIG_ENDIAN);
            if (length < 0 || length > end - index - RECORD_HEADER_LENGTH ||
                !validBody(buffer.getByte(index), message, index + RECORD_HEADER_LENGTH, length))
            {
                return false;
            }
            index += RECORD_HEADER_LENGTH + length;
        }
        if (index != end)
        {
            return false;
        }
        remaining = recordCount;
        nextIndex = firstRecord;
        return true;
    }

    /**
     * Whether the wrapped batch carries a tag (version {@value #SIGNED_VERSION}).
     *
     * @return true when signed.
     */
    public boolean isSigned()
    {
        return signed;
    }

    /**
     * Bytes the tag covers (after the destination channel): everything before the tag.
     *
     * @return length in bytes; the tag, when signed, starts here.
     */
    public int signedLength()
    {
        return signedLength;
    }

    /**
     * Whether bytes are a node id: 1 to 64 of {@code [A-Za-z0-9_.-]}, the {@code nodeId} setting's alphabet.
     *
     * @param bytes  buffer.
     * @param offset first byte.
     * @param length length.
     * @return true when valid.
     */
    public static boolean isNodeId(final byte[] bytes, final int offset, final int length)
    {
        if (length < 1 || length > MAX_ID_LENGTH)
        {
            return false;
        }
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = bytes[i];
            if (!isAlphanumeric(b) && '_' != b && '.' != b && '-' != b)
            {
                return false;
            }
        }
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
     * Whether a record body's length and fields are valid for its kind; false for kinds that never cross a channel.
     */
    private static boolean validBody(final byte kind, final byte[] message, final int body, final int length)
    {
        switch (kind)
        {
            case RelayRecords.TEXT:
            {
                if (length < 1)
                {
                    return false;
                }
                final int userIdLength = message[body] & 0xFF;
                return userIdLength <= MAX_ID_LENGTH && 1 + userIdLength <= length &&
                    isUserId(message, body + 1, userIdLength);
            }
            case RelayRecords.CLOSED:
                return 4 == length;
            case RelayRecords.FLOW:
                return 9 == length;
            case RelayRecords.TOO_LARGE:
                return 0 == length;
            case RelayRecords.GRANTS:
                return GrantsRecord.isValid(message, body, length);
            case RelayRecords.FRAME:
            {
                if (length < 5)
                {
                    return false;
                }
                final int typeId = ((message[body] & 0xFF) << 24) | ((message[body + 1] & 0xFF) << 16) |
                    ((message[body + 2] & 0xFF) << 8) | (message[body + 3] & 0xFF);
                final byte droppable = message[body + 4];
                return MessageType.get(typeId).id() == typeId && (0 == droppable || 1 == droppable);
            }
            case RelayRecords.CLOSE:
            {
                if (length < 4 || length - 4 > MAX_CLOSE_REASON_LENGTH)
                {
                    return false;
                }
                final int code = ((message[body] & 0xFF) << 24) | ((message[body + 1] & 0xFF) << 16) |
                    ((message[body + 2] & 0xFF) << 8) | (message[body + 3] & 0xFF);
                return code >= 1000 && code <= 4999;
            }
            default:
                return false;
        }
    }

    /** An authenticated user id as relayed: empty (a guest) or up to 64 of {@code [A-Za-z0-9_.:@-]}. */
    private static boolean isUserId(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = bytes[i];
            if (!isAlphanumeric(b) && '_' != b && '.' != b && ':' != b && '@' != b && '-' != b)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }
}
