package dev.switchboard.net.io;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressesTest
{
    private final long[] key = new long[2];

    private boolean parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return IpAddresses.parse(bytes, 0, bytes.length, key);
    }

    @Test
    void shouldParseIpv4IntoItsMappedForm()
    {
        assertTrue(parse(" 10.1.2.3 "));
        assertEquals(0, key[0]);
        assertEquals(0x0000_FFFF_0A01_0203L, key[1]);
        assertTrue(parse("::ffff:10.1.2.3"));
        assertEquals(0x0000_FFFF_0A01_0203L, key[1], "the mapped IPv6 form is the same address");
    }

    @Test
    void shouldParseIpv6()
    {
        assertTrue(parse("2001:db8::1"));
        assertEquals(0x2001_0db8_0000_0000L, key[0]);
        assertEquals(1L, key[1]);
    }

    @Test
    void shouldRejectWhatIsNotALiteralWithoutResolvingIt()
    {
        for (final String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.",
            "example.com", "localhost", "abc", "1.2.3.4:80", "2001:db8::zz", "unknown", "::1::2"})
        {
            assertFalse(parse(bad), bad);
        }
    }

    @Test
    void shouldParseTheTrustedProxiesList()
    {
        assertArrayEquals(new long[0], IpAddresses.parseList(null));
        final long[] keys = IpAddresses.parseList("127.0.0.1, ::1");
        assertEquals(4, keys.length);
        assertEquals(0x0000_FFFF_7F00_0001L, keys[1]);
        assertEquals(1L, keys[3]);
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.parseList("127.0.0.1,proxy.local"));
    }
}
