package dev.switchboard.net.ws;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static dev.switchboard.net.ws.ClientFrames.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest
{
    private static boolean jdkAcceptsAsUtf8(final byte[] bytes)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    private static boolean validates(final byte[] bytes)
    {
        final Utf8Validator validator = new Utf8Validator();
        return validator.update(bytes, 0, bytes.length) && validator.isComplete();
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomBytes()
    {
        final Random random = new Random(7);
        final int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int i = 0; i < 40_000; i++)
        {
            final byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int j = 0; j < bytes.length; j++)
            {
                final int value = random.nextBoolean() ?
                    interesting[random.nextInt(interesting.length)] : random.nextInt(256);
                bytes[j] = (byte)value;
            }
            assertEquals(jdkAcceptsAsUtf8(bytes), validates(bytes), HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void shouldAcceptEveryScalarValueAndRejectEverySurrogate()
    {
        final byte[] buffer = new byte[4];
        for (int codePoint = 0; codePoint <= 0x10FFFF; codePoint++)
        {
            final int length = encode(codePoint, buffer);
            final Utf8Validator validator = new Utf8Validator();
            final boolean surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
            assertEquals(!surrogate, validator.update(buffer, 0, length) && validator.isComplete(), "U+" + codePoint);
        }
    }

    private static int encode(final int codePoint, final byte[] out)
    {
        if (codePoint < 0x80)
        {
            out[0] = (byte)codePoint;
            return 1;
        }
        if (codePoint < 0x800)
        {
            out[0] = (byte)(0xC0 | codePoint >> 6);
            out[1] = (byte)(0x80 | codePoint & 0x3F);
            return 2;
        }
        if (codePoint < 0x10000)
        {
            out[0] = (byte)(0xE0 | codePoint >> 12);
            out[1] = (byte)(0x80 | codePoint >> 6 & 0x3F);
            out[2] = (byte)(0x80 | codePoint & 0x3F);
            return 3;
        }
        out[0] = (byte)(0xF0 | codePoint >> 18);
        out[1] = (byte)(0x80 | codePoint >> 12 & 0x3F);
        out[2] = (byte)(0x80 | codePoint >> 6 & 0x3F);
        out[3] = (byte)(0x80 | codePoint & 0x3F);
        return 4;
    }

    @Test
    void shouldValidateAcrossPiecesAndReportIncompleteTail()
    {
        final Utf8Validator validator = new Utf8Validator();
        final byte[] euro = bytes(0xE2, 0x82, 0xAC);
        assertTrue(validator.update(euro, 0, 1));
        assertFalse(validator.isComplete());
        assertTrue(validator.update(euro, 1, 1));
        assertFalse(validator.isComplete());
        assertTrue(validator.update(euro, 2, 1));
        assertTrue(validator.isComplete());
    }

    @Test
    void shouldRejectAtTheFirstImpossibleByteAndStayRejectedUntilReset()
    {
        final Utf8Validator validator = new Utf8Validator();
        assertTrue(validator.update(bytes(0xF4), 0, 1));
        assertFalse(validator.update(bytes(0x90), 0, 1), "F4 90 is over U+10FFFF");
        assertFalse(validator.update(bytes(0x41), 0, 1));
        assertFalse(validator.isComplete());

        validator.reset();
        assertTrue(validator.update(bytes(0x41), 0, 1));
        assertTrue(validator.isComplete());
    }

    @Test
    void shouldFindNonAsciiByteAfterLongAsciiRunsAtEveryAlignment()
    {
        for (int position = 0; position < 40; position++)
        {
            final byte[] bytes = new byte[41];
            Arrays.fill(bytes, (byte)'x');
            bytes[position] = (byte)0xC0;
            assertFalse(validates(bytes), "at " + position);
            bytes[position] = (byte)0xC3;
            bytes[position + 1] = (byte)0xA9;
            assertTrue(validates(bytes), "at " + position);
        }
    }
}
