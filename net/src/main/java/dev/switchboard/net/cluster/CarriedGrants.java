package dev.switchboard.net.cluster;

import dev.switchboard.engine.ring.InboundSlot;

/**
 * The grants a relayed socket's token carries, kept where the socket is relayed from (a {@link RelayedSocket}) or
 * served (a virtual connection), as the flat data of a {@link GrantsRecord} body. The pattern array is taken when a
 * socket first carries patterns and reused after: nothing is allocated per relayed message. One thread only.
 */
final class CarriedGrants
{
    private static final byte[] NO_ROOMS = new byte[0];

    private int flags;
    private byte[] rooms = NO_ROOMS;
    private int roomsLength;

    /**
     * Keep the grants of a valid {@link GrantsRecord} body.
     *
     * @param bytes  buffer holding the body.
     * @param offset first body byte.
     * @param length body length.
     */
    void set(final byte[] bytes, final int offset, final int length)
    {
        final int packedLength = length - GrantsRecord.HEADER_LENGTH;
        if (rooms.length < packedLength)
        {
            rooms = new byte[packedLength];
        }
        System.arraycopy(bytes, offset + GrantsRecord.HEADER_LENGTH, rooms, 0, packedLength);
        roomsLength = packedLength;
        flags = GrantsRecord.flags(bytes, offset);
    }

    /**
     * Forget the grants: unrestricted, keeping the pattern array.
     */
    void clear()
    {
        flags = 0;
        roomsLength = 0;
    }

    /**
     * Whether any grant restricts the socket.
     *
     * @return true when a grants record was kept.
     */
    boolean isRestricted()
    {
        return 0 != flags;
    }

    /**
     * The denial flags.
     *
     * @return the flags, 0 when unrestricted.
     */
    int flags()
    {
        return flags;
    }

    /**
     * The packed patterns, valid for {@link #roomsLength()}.
     *
     * @return the array; do not modify.
     */
    byte[] rooms()
    {
        return rooms;
    }

    /**
     * Bytes of {@link #rooms()} in use.
     *
     * @return length.
     */
    int roomsLength()
    {
        return roomsLength;
    }

    /**
     * Stamp these grants on a join or resume slot, as a local socket's are.
     *
     * @param slot the slot.
     */
    void stamp(final InboundSlot slot)
    {
        GrantsRecord.stamp(slot, flags, rooms, roomsLength);
    }
}
