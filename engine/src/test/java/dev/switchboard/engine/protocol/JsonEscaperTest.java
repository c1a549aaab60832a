package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonEscaperTest
{
    private static final char[] INTERESTING = {
        0, 1, 8, 9, 10, 12, 13, 0x1F, ' ', '"', '\\', '/', 'a', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0x2028,
        0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFF};

    @Test
    void shouldRoundTripRandomTextThroughEscapeAndJackson() throws IOException
    {
        final JsonFactory factory = new JsonFactory();
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2_000; round++)
        {
            final char[] text = new char[random.nextInt(0, 40)];
            for (int i = 0; i < text.length; i++)
            {
                text[i] = random.nextBoolean() ?
                    INTERESTING[random.nextInt(INTERESTING.length)] : (char)random.nextInt(0, 0x10000);
            }
            final int expectedLength = JsonEscaper.escapedLength(text, 0, text.length);
            final byte[] json = new byte[expectedLength + 2];
            json[0] = '"';
            final int end = JsonEscaper.escape(text, 0, text.length, json, 1);
            assertEquals(expectedLength + 1, end);
            json[end] = '"';

            try (JsonParser parser = factory.createParser(json))
            {
                assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
                assertEquals(new String(text), parser.getText());
            }
        }
    }

    @Test
    void shouldRoundTripRandomUtf8BytesThroughEscapeAndJackson() throws IOException
    {
        final JsonFactory factory = new JsonFactory();
        final SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++)
        {
            final StringBuilder text = new StringBuilder();
            final int codePoints = random.nextInt(0, 30);
            for (int i = 0; i < codePoints; i++)
            {
                final int cp = random.nextBoolean() ?
                    INTERESTING[random.nextInt(INTERESTING.length)] : random.nextInt(0, 0x110000);
                if (!Character.isSurrogate((char)cp) || cp > 0xFFFF)
                {
                    text.appendCodePoint(cp);
                }
            }
            final byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
            final int expectedLength = JsonEscaper.escapedLength(utf8, 0, utf8.length);
            final byte[] json = new byte[expectedLength + 2];
            json[0] = '"';
            final int end = JsonEscaper.escape(utf8, 0, utf8.length, json, 1);
            assertEquals(expectedLength + 1, end);
            json[end] = '"';

            try (JsonParser parser = factory.createParser(json))
            {
                assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
                assertEquals(text.toString(), parser.getText());
            }
        }
    }

    @Test
    void shouldUseShortEscapesForCommonControlsAndUnicodeEscapesForTheRest()
    {
        final char[] text = {'"', '\\', '\b', '\f', '\n', '\r', '\t', 1, 0x1F, '/', 0xE9, 0xD800};
        final byte[] dst = new byte[JsonEscaper.escapedLength(text, 0, text.length)];
        final int end = JsonEscaper.escape(text, 0, text.length, dst, 0);
        assertEquals("\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/\u00e9\\ud800",
            new String(dst, 0, end, StandardCharsets.UTF_8));
    }
}
