package dev.switchboard.engine.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What a token allows, as flat data the engine reads at join time without parsing: a bit set of denials and the
 * room patterns packed into one byte array.
 * <p>
 * The JWT claims are {@code rooms} (room ids, or prefixes written with a trailing {@code *} such as
 * {@code "quiz-*"}; {@code "*"} alone is any room), {@code roles} ({@code "host"} and/or {@code "viewer"}) and
 * {@code cohost} (whether a {@code cohost_request} is allowed). A claim that is absent restricts nothing, so a
 * token without any of them, and a guest, may do everything, as before grants existed. The flags are denials
 * so that the zero value of a cleared ring slot means "unrestricted".
 * <p>
 * Packed patterns: for each pattern one length byte then its ASCII bytes; a pattern whose last byte is
 * {@code *} matches every room id that starts with the bytes before it.
 */
public final class Grants
{
    /** The {@code rooms} claim was present: the room id must match one of the patterns. */
    public static final int ROOMS_LIMITED = 1;
    /** The {@code roles} claim was present without {@code "host"}. */
    public static final int DENY_HOST = 2;
    /** The {@code roles} claim was present without {@code "viewer"}. */
    public static final int DENY_VIEWER = 4;
    /** The {@code cohost} claim was {@code false}. */
    public static final int DENY_COHOST = 8;

    /** Most room patterns one token may carry. */
    public static final int MAX_PATTERNS = 32;
    /** Longest pattern: a room id of 64 characters, or a prefix of 63 and the {@code *}. */
    public static final int MAX_PATTERN_LENGTH = 64;
    /** Capacity of a packed pattern array that holds any accepted {@code rooms} claim. */
    public static final int MAX_PACKED_BYTES = MAX_PATTERNS * (MAX_PATTERN_LENGTH + 1);

    /** No restriction: a guest, or a token without grant claims. */
    public static final Grants UNRESTRICTED = new Grants(0, new byte[0]);

    private final int flags;
    private final byte[] packedRooms;

    private Grants(final int flags, final byte[] packedRooms)
    {
        this.flags = flags;
        this.packedRooms = packedRooms;
    }

    /**
     * Grants from already validated claim values.
     *
     * @param rooms  the {@code rooms} patterns, or null when the claim is absent.
     * @param host   whether the host role is allowed.
     * @param viewer whether the viewer role is allowed.
     * @param cohost whether co-host requests are allowed.
     * @return the grants.
     * @throws IllegalArgumentException when a pattern is not a valid pattern or there are too many.
     */
    public static Grants of(final List<String> rooms, final boolean host, final boolean viewer, final boolean cohost)
    {
        int flags = (host ? 0 : DENY_HOST) | (viewer ? 0 : DENY_VIEWER) | (cohost ? 0 : DENY_COHOST);
        byte[] packed = UNRESTRICTED.packedRooms;
        if (null != rooms)
        {
            flags |= ROOMS_LIMITED;
            if (rooms.size() > MAX_PATTERNS)
            {
                throw new IllegalArgumentException("more than " + MAX_PATTERNS + " room patterns");
            }
            int length = 0;
            for (final String pattern : rooms)
            {
                if (!isValidPattern(pattern))
                {
                    throw new IllegalArgumentException("invalid room pattern");
                }
                length += 1 + pattern.length();
            }
            packed = new byte[length];
            int at = 0;
            for (final String pattern : rooms)
            {
                final byte[] bytes = pattern.getBytes(StandardCharsets.US_ASCII);
                packed[at++] = (byte)bytes.length;
                System.arraycopy(bytes, 0, packed, at, bytes.length);
                at += bytes.length;
            }
        }
        return 0 == flags ? UNRESTRICTED : new Grants(flags, packed);
    }

    /**
     * Whether the text is a room pattern: 1 to 64 characters of the room id alphabet {@code [A-Za-z0-9_.-]},
     * optionally ending with one {@code *}.
     *
     * @param pattern the candidate, may be null.
     * @return true when valid.
     */
    public static boolean isValidPattern(final String pattern)
    {
        if (null == pattern || pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH)
        {
            return false;
        }
        final int last = pattern.length() - 1;
        for (int i = 0; i <= last; i++)
        {
            final char c = pattern.charAt(i);
            final boolean idChar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                '_' == c || '.' == c || '-' == c;
            if (!idChar && !(i == last && '*' == c))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a room id is allowed by packed patterns; allocation-free, for the engine thread at join.
     *
     * @param flags        the grant flags.
     * @param packed       packed patterns.
     * @param packedLength bytes of {@code packed} in use.
     * @param roomId       room id bytes.
     * @param roomIdLength room id length.
     * @return true when the rooms are not limited or a pattern matches.
     */
    public static boolean roomAllowed(
        final int flags, final byte[] packed, final int packedLength, final byte[] roomId, final int roomIdLength)
    {
        if (0 == (flags & ROOMS_LIMITED))
        {
            return true;
        }
        int at = 0;
        while (at < packedLength)
        {
            final int length = packed[at++] & 0xFF;
            final boolean prefix = length > 0 && '*' == packed[at + length - 1];
            final int compare = prefix ? length - 1 : length;
            if ((prefix ? roomIdLength >= compare : roomIdLength == compare) &&
                Arrays.equals(packed, at, at + compare, roomId, 0, compare))
            {
                return true;
            }
            at += length;
        }
        return false;
    }

    /**
     * The denial flags.
     *
     * @return a combination of {@link #ROOMS_LIMITED}, {@link #DENY_HOST}, {@link #DENY_VIEWER},
     * {@link #DENY_COHOST}; 0 when unrestricted.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * Bytes of the packed patterns.
     *
     * @return the length in use of {@link #copyPackedRooms(byte[])}.
     */
    public int packedRoomsLength()
    {
        return packedRooms.length;
    }

    /**
     * Copy the packed patterns into a buffer of at least {@link #MAX_PACKED_BYTES}.
     *
     * @param dst where to copy.
     * @return bytes copied.
     */
    public int copyPackedRooms(final byte[] dst)
    {
        System.arraycopy(packedRooms, 0, dst, 0, packedRooms.length);
        return packedRooms.length;
    }

    /**
     * Whether a room id is allowed.
     *
     * @param roomId the room id.
     * @return true when allowed.
     */
    public boolean allowsRoom(final String roomId)
    {
        final byte[] id = roomId.getBytes(StandardCharsets.US_ASCII);
        return roomAllowed(flags, packedRooms, packedRooms.length, id, id.length);
    }

    /**
     * A short description for logs and tests.
     *
     * @return the flags and pattern bytes.
     */
    @Override
    public String toString()
    {
        return "Grants{flags=" + flags + ", rooms=" + packedRooms.length + "B}";
    }
}
