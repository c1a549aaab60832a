package dev.switchboard.net.ws;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds test input to fresh decoders whole, one byte at a time and in random splits, and checks that every way
 * yields the same callbacks and returns every pooled buffer.
 */
final class Decoding
{
    static final int MAX_PAYLOAD_BYTES = 70_000;
    static final int HARD_LIMIT_BYTES = 1 << 20;

    /** One decoder run: the decoder, its pool and what it reported. */
    static final class Run
    {
        final AssemblyBufferPool pool;
        final FrameDecoder decoder;
        final RecordingHandler handler = new RecordingHandler();

        Run(final int maxPayloadBytes, final int hardLimitBytes)
        {
            pool = new AssemblyBufferPool(Math.max(maxPayloadBytes, 125), 8);
            decoder = new FrameDecoder(maxPayloadBytes, hardLimitBytes, pool);
        }

        Run feed(final byte[] input, final int offset, final int length)
        {
            final byte[] copy = new byte[length + 6];
            System.arraycopy(input, offset, copy, 3, length);
            decoder.decode(copy, 3, length, handler);
            return this;
        }

        Run feed(final byte[] input)
        {
            return feed(input, 0, input.length);
        }

        List<RecordingHandler.Event> events()
        {
            return handler.events;
        }
    }

    private Decoding()
    {
    }

    static Run whole(final byte[] input, final int maxPayloadBytes, final int hardLimitBytes)
    {
        return new Run(maxPayloadBytes, hardLimitBytes).feed(input);
    }

    static Run byteByByte(final byte[] input, final int maxPayloadBytes, final int hardLimitBytes)
    {
        final Run run = new Run(maxPayloadBytes, hardLimitBytes);
        for (int i = 0; i < input.length; i++)
        {
            run.feed(input, i, 1);
        }
        return run;
    }

    static Run randomSplits(final byte[] input, final int maxPayloadBytes, final int hardLimitBytes, final long seed)
    {
        final Run run = new Run(maxPayloadBytes, hardLimitBytes);
        final Random random = new Random(seed);
        int pos = 0;
        while (pos < input.length)
        {
            final int remaining = input.length - pos;
            final int chunk = random.nextInt(4) == 0 ? random.nextInt(Math.min(remaining, 16) + 1) :
                random.nextInt(remaining + 1);
            run.feed(input, pos, chunk);
            pos += chunk;
        }
        return run;
    }

    static List<RecordingHandler.Event> allWays(final byte[] input)
    {
        return allWays(input, MAX_PAYLOAD_BYTES, HARD_LIMIT_BYTES);
    }

    /**
     * Decode complete input every way and return the events, asserting they agree and that the decoder ends idle
     * with every pooled buffer back in the pool.
     */
    static List<RecordingHandler.Event> allWays(final byte[] input, final int maxPayloadBytes, final int hardLimitBytes)
    {
        final Run whole = whole(input, maxPayloadBytes, hardLimitBytes);
        assertReturnedEverything(whole);
        final boolean small = input.length <= 4096;
        final Run oneByOne = small ? byteByByte(input, maxPayloadBytes, hardLimitBytes) :
            randomSplits(input, maxPayloadBytes, hardLimitBytes, 99);
        assertEquals(whole.events(), oneByOne.events(), "one byte at a time");
        assertReturnedEverything(oneByOne);
        for (long seed = 1; seed <= 4; seed++)
        {
            final Run split = randomSplits(input, maxPayloadBytes, hardLimitBytes, seed);
            assertEquals(whole.events(), split.events(), "random splits, seed " + seed);
            assertReturnedEverything(split);
        }
        return whole.events();
    }

    static void assertReturnedEverything(final Run run)
    {
        assertTrue(run.decoder.isIdle(), "decoder idle after complete input");
        assertEquals(run.pool.allocatedCount(), run.pool.pooledCount(), "every pooled buffer returned");
    }
}
