package dev.switchboard.net.ws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CloseCodesTest
{
    @Test
    void shouldAcceptOnlyCodesAPeerMaySend()
    {
        for (int code = 0; code < 70_000; code++)
        {
            final boolean expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                (code >= 3000 && code <= 4999);
            assertEquals(expected, CloseCodes.isValidReceived(code), "code " + code);
        }
        assertEquals(false, CloseCodes.isValidReceived(CloseCodes.NO_STATUS));
        assertEquals(false, CloseCodes.isValidReceived(CloseCodes.ABNORMAL));
        assertEquals(true, CloseCodes.isValidReceived(CloseCodes.SESSION_REPLACED));
    }
}
