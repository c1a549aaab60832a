package dev.switchboard.net.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Remote addresses as two longs (an IPv4 address in its IPv4-mapped IPv6 form), so the per-address table can key
 * on them without objects, and the parsing of {@code X-Forwarded-For} entries and of {@code trustedProxies}.
 * <p>
 * Only literal addresses are parsed: nothing here ever resolves a host name.
 */
final class IpAddresses
{
    private static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddresses()
    {
    }

    /**
     * Write the two halves of a socket's remote address into {@code out}.
     *
     * @param address the peer address from {@code SocketChannel.getRemoteAddress()}.
     * @param out     receives {@code out[0]} high and {@code out[1]} low 64 bits.
     * @return false when the address is not an IP socket address.
     */
    static boolean toKey(final SocketAddress address, final long[] out)
    {
        if (!(address instanceof InetSocketAddress))
        {
            return false;
        }
        final InetAddress inet = ((InetSocketAddress)address).getAddress();
        return null != inet && toKey(inet.getAddress(), out);
    }

    /**
     * Write the two halves of a 4- or 16-byte address into {@code out}.
     *
     * @param bytes the address in network order.
     * @param out   receives the halves.
     * @return false for any other length.
     */
    static boolean toKey(final byte[] bytes, final long[] out)
    {
        if (4 == bytes.length)
        {
            out[0] = 0;
            out[1] = IPV4_MAPPED_PREFIX | readInt(bytes, 0);
            return true;
        }
        if (16 == bytes.length)
        {
            out[0] = readLong(bytes, 0);
            out[1] = readLong(bytes, 8);
            return true;
        }
        return false;
    }

    /**
     * Parse one IPv4 or IPv6 literal (ASCII, surrounding spaces allowed) into {@code out}.
     *
     * @param text   the characters.
     * @param offset first character.
     * @param length number of characters.
     * @param out    receives the halves.
     * @return false when the text is not an address literal.
     */
    static boolean parse(final byte[] text, final int offset, final int length, final long[] out)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && (' ' == text[start] || '\t' == text[start]))
        {
            start++;
        }
        while (end > start && (' ' == text[end - 1] || '\t' == text[end - 1]))
        {
            end--;
        }
        if (start == end || end - start > 45)
        {
            return false;
        }
        boolean colon = false;
        for (int i = start; i < end; i++)
        {
            final byte b = text[i];
            if (':' == b)
            {
                colon = true;
            }
            else if (!('.' == b || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')))
            {
                return false;
            }
        }
        if (!colon)
        {
            return parseIpv4(text, start, end, out);
        }
        try
        {
            // With a colon and only hex digits, dots and colons, this is parsed as a literal, never looked up.
            return toKey(InetAddress.getByName(
                new String(text, start, end - start, StandardCharsets.US_ASCII)).getAddress(), out);
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /**
     * Parse a comma-separated list of address literals (the {@code trustedProxies} setting).
     *
     * @param list the list, or null for none.
     * @return keys as pairs: element {@code 2i} high and {@code 2i+1} low half of the i-th address.
     * @throws IllegalArgumentException naming an entry that is not an address literal.
     */
    static long[] parseList(final String list)
    {
        if (null == list || list.isBlank())
        {
            return new long[0];
        }
        final String[] entries = list.split(",");
        final long[] keys = new long[entries.length * 2];
        final long[] out = new long[2];
        for (int i = 0; i < entries.length; i++)
        {
            final byte[] bytes = entries[i].getBytes(StandardCharsets.US_ASCII);
            if (!parse(bytes, 0, bytes.length, out))
            {
                throw new IllegalArgumentException("trustedProxies: not an IP address: " + entries[i].trim());
            }
            keys[2 * i] = out[0];
            keys[2 * i + 1] = out[1];
        }
        return keys;
    }

    private static boolean parseIpv4(final byte[] text, final int start, final int end, final long[] out)
    {
        long value = 0;
        int octets = 0;
        int i = start;
        while (i < end)
        {
            int octet = 0;
            int digits = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9' && digits < 4)
            {
                octet = octet * 10 + (text[i] - '0');
                digits++;
                i++;
            }
            if (0 == digits || octet > 255 || (digits > 1 && '0' == text[i - digits]))
            {
                return false;
            }
            value = (value << 8) | octet;
            octets++;
            if (i < end)
            {
                if ('.' != text[i] || 4 == octets)
                {
                    return false;
                }
                i++;
                if (i == end)
                {
                    return false;
                }
            }
        }
        if (4 != octets)
        {
            return false;
        }
        out[0] = 0;
        out[1] = IPV4_MAPPED_PREFIX | value;
        return true;
    }

    private static long readInt(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFFL) << 24) | ((bytes[offset + 1] & 0xFFL) << 16) |
            ((bytes[offset + 2] & 0xFFL) << 8) | (bytes[offset + 3] & 0xFFL);
    }

    private static long readLong(final byte[] bytes, final int offset)
    {
        return (readInt(bytes, offset) << 32) | readInt(bytes, offset + 4);
    }
}
