package dev.switchboard.net.ws;

import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.switchboard.net.ws.ClientFrames.CONTINUATION;
import static dev.switchboard.net.ws.ClientFrames.PING;
import static dev.switchboard.net.ws.ClientFrames.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameCodecRoundTripTest
{
    private static final String ALPHABET =
        "abcXYZ019 {}\":,\u00e9\u00df\u03ba\u0800\u20ac\uffff\uD83D\uDE00\uDBFF\uDFFF";

    private static byte[] randomText(final Random random, final int maxChars)
    {
        final StringBuilder text = new StringBuilder();
        final int chars = random.nextInt(maxChars + 1);
        while (text.length() < chars)
        {
            final int index = random.nextInt(ALPHABET.length());
            final char c = ALPHABET.charAt(index);
            if (Character.isHighSurrogate(c))
            {
                text.append(c).append(ALPHABET.charAt(index + 1));
            }
            else if (!Character.isLowSurrogate(c))
            {
                text.append(c);
            }
        }
        return ClientFrames.utf8(text.toString());
    }

    @Test
    void shouldRoundTripRandomlyFragmentedMessagesWithInterleavedPings()
    {
        final Random random = new Random(20261126L);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            final ByteArrayOutputStream stream = new ByteArrayOutputStream();
            final List<Event> expected = new ArrayList<>();
            final int messages = 1 + random.nextInt(8);
            for (int m = 0; m < messages; m++)
            {
                final byte[] message = randomText(random, random.nextInt(10) == 0 ? 30_000 : 300);

                final byte[] serverFrame = new byte[FrameEncoder.headerLength(message.length) + message.length];
                final int written = FrameEncoder.encodeText(serverFrame, 0, message, 0, message.length);
                assertEquals(serverFrame.length, written);

                if (random.nextBoolean())
                {
                    stream.writeBytes(ClientFrames.maskServerFrame(serverFrame, 0, written, random.nextInt()));
                }
                else
                {
                    int pos = 0;
                    boolean first = true;
                    while (true)
                    {
                        final int take = random.nextInt(message.length - pos + 1);
                        final boolean last = pos + take == message.length && random.nextBoolean();
                        final byte[] part = Arrays.copyOfRange(message, pos, pos + take);
                        final int opcode = first ? TEXT : CONTINUATION;
                        stream.writeBytes(ClientFrames.frame(last, opcode, part, random.nextInt()));
                        first = false;
                        pos += take;
                        if (last)
                        {
                            break;
                        }
                        if (random.nextInt(3) == 0)
                        {
                            final byte[] ping = randomText(random, 30);
                            stream.writeBytes(ClientFrames.frame(true, PING, ping, random.nextInt()));
                            expected.add(Event.ping(ping));
                        }
                    }
                }
                expected.add(Event.text(message));
            }

            final byte[] input = stream.toByteArray();
            final Decoding.Run run = Decoding.randomSplits(input, Decoding.MAX_PAYLOAD_BYTES, Decoding.HARD_LIMIT_BYTES,
                random.nextLong());
            assertEquals(expected, run.events(), "iteration " + iteration);
            Decoding.assertReturnedEverything(run);
            if (iteration % 25 == 0)
            {
                assertEquals(expected, Decoding.allWays(input), "iteration " + iteration);
            }
        }
    }
}
