package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvelopeDecoderEscapeTest
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
            final int expectedLength = EnvelopeDecoder.escapedLength(text, 0, text.length);
            final byte[] json = new byte[expectedLength + 2];
            json[0] = '"';
            final int end = EnvelopeDecoder.escape(text, 0, text.length, json, 1);
            assertEquals(expectedLength + 1, end);
            json[end] = '"';

            try (JsonParser parser = factory.createParser(json))
            {
                assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
                assertEquals(new String(text), parser.getText());
            }
        }
    }
}
