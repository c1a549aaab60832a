package dev.switchboard.net.admin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AdminApiTest
{
    private static String bearer(final String head)
    {
        final byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
        final byte[] token = AdminApi.bearer(bytes, bytes.length);
        return null == token ? null : new String(token, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldReadTheBearerTokenWhateverTheCaseOfTheHeaderAndScheme()
    {
        assertEquals("s3cret", bearer("GET /admin/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n"));
        assertEquals("s3cret", bearer("GET / HTTP/1.1\r\nauthorization:   bearer s3cret  \r\n\r\n"));
        assertEquals("s3cret", bearer("GET / HTTP/1.1\nAUTHORIZATION: BEARER s3cret\n\n"));
    }

    @Test
    void shouldFindNoTokenWithoutTheHeaderOrWithAnotherScheme()
    {
        assertNull(bearer("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertNull(bearer("GET / HTTP/1.1\r\nAuthorization: Basic YTpi\r\n\r\n"));
        assertNull(bearer("GET / HTTP/1.1\r\nAuthorization: Bearer\r\n\r\n"));
        assertNull(bearer("GET / HTTP/1.1\r\nX-Authorization: Bearer s3cret\r\n\r\n"));
    }

    @Test
    void shouldAcceptOnlyShortLowercaseCloseReasons()
    {
        assertEquals("closed_by_operator", AdminApi.closeReason(""));
        assertEquals("closed_by_operator", AdminApi.closeReason("{}"));
        assertEquals("maintenance", AdminApi.closeReason("{\"reason\":\"maintenance\",\"other\":[1]}"));
        assertNull(AdminApi.closeReason("{\"reason\":\"Maintenance\"}"));
        assertNull(AdminApi.closeReason("{\"reason\":\"a\\\"b\"}"));
        assertNull(AdminApi.closeReason("{\"reason\":\"" + "x".repeat(AdminApi.MAX_REASON_LENGTH + 1) + "\"}"));
        assertNull(AdminApi.closeReason("{\"reason\":7}"));
        assertNull(AdminApi.closeReason("[\"maintenance\"]"));
        assertNull(AdminApi.closeReason("{\"reason\":"));
    }
}
