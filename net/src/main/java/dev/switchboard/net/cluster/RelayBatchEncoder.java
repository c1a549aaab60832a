package dev.switchboard.net.cluster;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Appends the relay records bound for one node during a duty cycle into one reusable buffer, and turns them into
 * one channel message (see {@link RelayBatchDecoder} for the layout).
 * <p>
 * Used by the cluster agent only; after the buffer has grown to its working size nothing is allocated per record.
 */
public final class RelayBatchEncoder
{
    private final ExpandableArrayBuffer buffer;
    private final int headerLength;
    private int length;
    private int recordCount;
    private int recordIndex = -1;

    /**
     * Prepare an empty batch with this node as origin.
     *
     * @param originNode      this node's id in ASCII, 1 to 255 bytes.
     * @param initialCapacity initial buffer size in bytes.
     */
    public RelayBatchEncoder(final byte[] originNode, final int initialCapacity)
    {
        if (originNode.length < 1 || originNode.length > 255)
        {
            throw new IllegalArgumentException("origin node id must be 1 to 255 bytes: " + originNode.length);
        }
        this.headerLength = RelayBatchDecoder.ORIGIN_OFFSET + originNode.length + 8 + 4;
        this.buffer = new ExpandableArrayBuffer(Math.max(initialCapacity, headerLength + 64));
        buffer.putShort(RelayBatchDecoder.MAGIC_OFFSET, RelayBatchDecoder.MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putByte(RelayBatchDecoder.VERSION_OFFSET, RelayBatchDecoder.VERSION);
        buffer.putByte(RelayBatchDecoder.ORIGIN_LENGTH_OFFSET, (byte)originNode.length);
        buffer.putBytes(RelayBatchDecoder.ORIGIN_OFFSET, originNode);
        this.length = headerLength;
    }

    /**
     * Start a record; write its body into {@link #buffer()} from the returned index, then call {@link #commit(int)}.
     *
     * @param kind         record kind ({@link RelayRecords}).
     * @param connectionId the origin node's socket id.
     * @return index in {@link #buffer()} where the body starts.
     */
    public int begin(final byte kind, final long connectionId)
    {
        recordIndex = length;
        buffer.putByte(recordIndex, kind);
        buffer.putLong(recordIndex + 1, connectionId, ByteOrder.BIG_ENDIAN);
        return recordIndex + RelayBatchDecoder.RECORD_HEADER_LENGTH;
    }

    /**
     * Finish the record started by the last {@link #begin(byte, long)}.
     *
     * @param bodyLength bytes written at the body index.
     */
    public void commit(final int bodyLength)
    {
        buffer.putInt(recordIndex + 9, bodyLength, ByteOrder.BIG_ENDIAN);
        length = recordIndex + RelayBatchDecoder.RECORD_HEADER_LENGTH + bodyLength;
        recordIndex = -1;
        recordCount++;
    }

    /**
     * Append a whole record whose body is a byte range.
     *
     * @param kind         record kind.
     * @param connectionId the origin node's socket id.
     * @param body         body bytes.
     * @param bodyOffset   first body byte.
     * @param bodyLength   body length.
     */
    public void append(
        final byte kind, final long connectionId, final byte[] body, final int bodyOffset, final int bodyLength)
    {
        final int bodyIndex = begin(kind, connectionId);
        buffer.putBytes(bodyIndex, body, bodyOffset, bodyLength);
        commit(bodyLength);
    }

    /**
     * The buffer bodies are written into between {@link #begin(byte, long)} and {@link #commit(int)}.
     *
     * @return the growing buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Records appended since the last reset.
     *
     * @return record count.
     */
    public int recordCount()
    {
        return recordCount;
    }

    /**
     * Bytes the batch would take as a message now.
     *
     * @return length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Copy the batch out as one channel message stamped with its send time.
     *
     * @param sentEpochMs the sender's wall clock time.
     * @return the message bytes.
     */
    public byte[] toMessage(final long sentEpochMs)
    {
        final int timeIndex = headerLength - 12;
        buffer.putLong(timeIndex, sentEpochMs, ByteOrder.BIG_ENDIAN);
        buffer.putInt(timeIndex + 8, recordCount, ByteOrder.BIG_ENDIAN);
        final byte[] message = new byte[length];
        buffer.getBytes(0, message, 0, length);
        return message;
    }

    /**
     * Copy the batch out as one channel message, signed for its destination when the signer is enabled (layout
     * version {@value RelayBatchDecoder#SIGNED_VERSION} with the tag appended).
     *
     * @param sentEpochMs the sender's wall clock time.
     * @param signer      the cluster signer.
     * @param channel     the destination node's channel, the tag's context.
     * @return the message bytes.
     */
    public byte[] toMessage(final long sentEpochMs, final ClusterSigner signer, final byte[] channel)
    {
        if (!signer.isEnabled())
        {
            return toMessage(sentEpochMs);
        }
        final int timeIndex = headerLength - 12;
        buffer.putLong(timeIndex, sentEpochMs, ByteOrder.BIG_ENDIAN);
        buffer.putInt(timeIndex + 8, recordCount, ByteOrder.BIG_ENDIAN);
        final byte[] message = new byte[length + ClusterSigner.TAG_LENGTH];
        buffer.getBytes(0, message, 0, length);
        message[RelayBatchDecoder.VERSION_OFFSET] = RelayBatchDecoder.SIGNED_VERSION;
        signer.sign(channel, message, 0, length, message, length);
        return message;
    }

    /**
     * Empty the batch, keeping its buffer.
     */
    public void reset()
    {
        length = headerLength;
        recordCount = 0;
        recordIndex = -1;
    }
}
