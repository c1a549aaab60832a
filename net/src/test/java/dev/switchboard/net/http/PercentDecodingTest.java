package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PercentDecodingTest
{
    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDecodeAnEscapeOfEitherCaseAsOneByteTakingThreeSourceBytes()
    {
        final byte[] src = ascii("a%2Fb%e9");
        final int slash = PercentDecoding.decodeAt(src, 1, src.length, false);
        assertEquals('/', PercentDecoding.value(slash));
        assertEquals(3, PercentDecoding.width(slash));
        final int eAcute = PercentDecoding.decodeAt(src, 5, src.length, false);
        assertEquals(0xE9, PercentDecoding.value(eAcute));
        assertEquals(3, PercentDecoding.width(eAcute));
        final int plain = PercentDecoding.decodeAt(src, 0, src.length, false);
        assertEquals('a', PercentDecoding.value(plain));
        assertEquals(1, PercentDecoding.width(plain));
    }

    @Test
    void shouldRejectAnEscapeCutShortOrNotHex()
    {
        assertEquals(PercentDecoding.MALFORMED, PercentDecoding.decodeAt(ascii("%4"), 0, 2, false));
        assertEquals(PercentDecoding.MALFORMED, PercentDecoding.decodeAt(ascii("%"), 0, 1, false));
        assertEquals(PercentDecoding.MALFORMED, PercentDecoding.decodeAt(ascii("%G1"), 0, 3, false));
        assertEquals(PercentDecoding.MALFORMED, PercentDecoding.decodeAt(ascii("%1G"), 0, 3, false));
        assertEquals(PercentDecoding.MALFORMED, PercentDecoding.decodeAt(ascii("%41"), 0, 2, false),
            "the escape must end before the range does");
    }

    @Test
    void shouldTakeAMalformedEscapeAsALiteralPercentWhenLenient()
    {
        final int decoded = PercentDecoding.decodeLenient(ascii("%zz"), 0, 3, true);
        assertEquals('%', PercentDecoding.value(decoded));
        assertEquals(1, PercentDecoding.width(decoded));
    }

    @Test
    void shouldDecodePlusAsSpaceOnlyInFormEncoding()
    {
        final byte[] plus = ascii("+");
        assertEquals(' ', PercentDecoding.value(PercentDecoding.decodeAt(plus, 0, 1, true)));
        assertEquals('+', PercentDecoding.value(PercentDecoding.decodeAt(plus, 0, 1, false)));
        assertEquals('+', PercentDecoding.value(PercentDecoding.decodeAt(ascii("%2B"), 0, 3, true)),
            "an escaped plus stays a plus");
    }

    @Test
    void shouldDecodeQueryParameterNamesAndValuesThroughTheSharedDecoder()
    {
        final HttpRequestParser request = new HttpRequestParser();
        final byte[] head = ascii("GET /ws?auth%54oken=a%2Bb+c%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(head.length, request.parse(head, 0, head.length));
        assertEquals("a+b c%zz", request.queryParameter("authToken"));
    }
}
