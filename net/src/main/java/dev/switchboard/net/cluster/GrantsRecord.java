package dev.switchboard.net.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.ring.InboundSlot;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The body of a {@link RelayRecords#GRANTS} record: what a relayed socket's token allows, so that the node serving
 * its room enforces exactly what it would for a local socket.
 * <p>
 * Layout (big-endian): {@code [flags:4][patternCount:1][packedRooms]}: the {@link Grants} denial flags, the number
 * of room patterns, then the patterns as {@link Grants} packs them (per pattern one length byte, then its bytes).
 * A valid body has flags that are not 0 and use only the four {@link Grants} bits, patterns only with
 * {@link Grants#ROOMS_LIMITED}, at most {@link Grants#MAX_PATTERNS} patterns of 1 to
 * {@link Grants#MAX_PATTERN_LENGTH} bytes of the room id alphabet (a {@code *} only as the last byte), exactly
 * {@code patternCount} of them filling the body exactly: at most {@link #MAX_BODY_BYTES}.
 */
public final class GrantsRecord
{
    /** Every denial flag {@link Grants} defines. */
    public static final int KNOWN_FLAGS = Grants.ROOMS_LIMITED | Grants.DENY_HOST | Grants.DENY_VIEWER |
        Grants.DENY_COHOST;
    /** Bytes before the packed patterns: the flags and the pattern count. */
    public static final int HEADER_LENGTH = 5;
    /** Longest valid body: the header and the most patterns a token may carry. */
    public static final int MAX_BODY_BYTES = HEADER_LENGTH + Grants.MAX_PACKED_BYTES;

    private GrantsRecord()
    {
    }

    /**
     * Write a body.
     *
     * @param dst          destination buffer.
     * @param index        where the body starts.
     * @param flags        the grant flags.
     * @param packedRooms  packed patterns.
     * @param packedLength bytes of {@code packedRooms} in use.
     * @return the body's length.
     */
    public static int encode(
        final MutableDirectBuffer dst, final int index, final int flags, final byte[] packedRooms, final int packedLength)
    {
        int patterns = 0;
        for (int at = 0; at < packedLength; at += 1 + (packedRooms[at] & 0xFF))
        {
            patterns++;
        }
        dst.putInt(index, flags, ByteOrder.BIG_ENDIAN);
        dst.putByte(index + 4, (byte)patterns);
        dst.putBytes(index + HEADER_LENGTH, packedRooms, 0, packedLength);
        return HEADER_LENGTH + packedLength;
    }

    /**
     * Whether a body is a valid grants record (see the class comment); never throws on bad input.
     *
     * @param bytes  buffer holding the body.
     * @param offset first body byte.
     * @param length body length.
     * @return true when valid.
     */
    public static boolean isValid(final byte[] bytes, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || length > MAX_BODY_BYTES || offset < 0 || offset > bytes.length - length)
        {
            return false;
        }
        final int flags = RelayRecords.readInt(bytes, offset);
        final int patterns = bytes[offset + 4] & 0xFF;
        if (0 == flags || 0 != (flags & ~KNOWN_FLAGS) || patterns > Grants.MAX_PATTERNS ||
            (0 == (flags & Grants.ROOMS_LIMITED) && 0 != patterns))
        {
            return false;
        }
        int at = offset + HEADER_LENGTH;
        final int end = offset + length;
        for (int p = 0; p < patterns; p++)
        {
            final int patternLength = at < end ? bytes[at++] & 0xFF : 0;
            if (patternLength < 1 || patternLength > Grants.MAX_PATTERN_LENGTH || patternLength > end - at ||
                !isPattern(bytes, at, patternLength))
            {
                return false;
            }
            at += patternLength;
        }
        return at == end;
    }

    /**
     * The flags of a valid body.
     *
     * @param bytes  buffer holding the body.
     * @param offset first body byte.
     * @return the grant flags.
     */
    public static int flags(final byte[] bytes, final int offset)
    {
        return RelayRecords.readInt(bytes, offset);
    }

    /**
     * Stamp grants on a join or resume slot as a local socket's are stamped, growing the slot's pattern array to
     * {@link Grants#MAX_PACKED_BYTES} the first time patterns do not fit (so it grows once).
     *
     * @param slot         the slot.
     * @param flags        the grant flags.
     * @param packedRooms  packed patterns.
     * @param packedLength bytes in use.
     */
    public static void stamp(final InboundSlot slot, final int flags, final byte[] packedRooms, final int packedLength)
    {
        slot.grantFlags = flags;
        if (slot.grantRooms.length < packedLength)
        {
            slot.grantRooms = new byte[Grants.MAX_PACKED_BYTES];
        }
        System.arraycopy(packedRooms, 0, slot.grantRooms, 0, packedLength);
        slot.grantRoomsLength = packedLength;
    }

    private static boolean isPattern(final byte[] bytes, final int offset, final int length)
    {
        final int last = offset + length - 1;
        for (int i = offset; i <= last; i++)
        {
            final byte c = bytes[i];
            final boolean idChar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                '_' == c || '.' == c || '-' == c;
            if (!idChar && !(i == last && '*' == c))
            {
                return false;
            }
        }
        return true;
    }
}
