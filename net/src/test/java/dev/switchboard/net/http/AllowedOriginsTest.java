package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.switchboard.net.http.HttpRequestParserTest.bytes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedOriginsTest
{
    private static boolean allows(final AllowedOrigins origins, final String origin)
    {
        final byte[] buffer = bytes("xx" + origin + "yy");
        return origins.allows(buffer, 2, origin.length());
    }

    @Test
    void shouldAllowAnyOriginWhenNotConfigured()
    {
        for (final AllowedOrigins origins : new AllowedOrigins[] {
            AllowedOrigins.parse(null), AllowedOrigins.parse(""), AllowedOrigins.parse("  , "),
            AllowedOrigins.parse("https://a.example,*")})
        {
            assertTrue(origins.allowsAny());
            assertTrue(allows(origins, "https://evil.example"));
            assertTrue(allows(origins, "null"));
        }
    }

    @Test
    void shouldAllowListedOriginsCaseInsensitively()
    {
        final AllowedOrigins origins = AllowedOrigins.parse(" https://App.Example.com , http://localhost:8080/");
        assertFalse(origins.allowsAny());
        assertTrue(allows(origins, "https://app.example.com"));
        assertTrue(allows(origins, "HTTPS://APP.EXAMPLE.COM"));
        assertTrue(allows(origins, "http://localhost:8080"));
    }

    @Test
    void shouldDenyOriginsThatDifferInSchemeHostOrPort()
    {
        final AllowedOrigins origins = AllowedOrigins.parse("https://app.example.com,http://localhost:8080");
        assertFalse(allows(origins, "http://app.example.com"));
        assertFalse(allows(origins, "https://app.example.com.evil.example"));
        assertFalse(allows(origins, "https://app.example.co"));
        assertFalse(allows(origins, "https://app.example.com:8443"));
        assertFalse(allows(origins, "http://localhost:8081"));
        assertFalse(allows(origins, "http://localhost"));
        assertFalse(allows(origins, "null"));
    }

    @Test
    void shouldAllowRequestWithoutOrigin()
    {
        assertTrue(AllowedOrigins.parse("https://app.example.com").allows(new byte[0], 0, 0));
    }

    @Test
    void shouldAcceptBracketedIpv6Origin()
    {
        final AllowedOrigins origins = AllowedOrigins.parse("http://[::1]:8080");
        assertTrue(allows(origins, "http://[::1]:8080"));
        assertFalse(allows(origins, "http://[::1]:8081"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.com", "://example.com", "https://", "https://a.example/path", "https://a.example:port",
        "https://a.example:123456", "1http://a.example", "https://user@a.example", "https://a:b:80"})
    void shouldRejectEntriesThatAreNotOrigins(final String entry)
    {
        assertThrows(IllegalArgumentException.class, () -> AllowedOrigins.parse("https://ok.example," + entry));
    }
}
