package dev.switchboard.engine.flow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceCoalescerTest
{
    private final IceCoalescer coalescer = new IceCoalescer();
    private final List<Batch> batches = new ArrayList<>();
    private final IceBatchHandler handler = (sender, target, json, offset, length, msgIdHi, msgIdLo, seq) ->
        batches.add(new Batch(
            sender, target, new String(json, offset, length, StandardCharsets.UTF_8), msgIdHi, msgIdLo, seq));

    @Test
    void shouldBatchOneSendersCandidatesForOneTargetInArrivalOrder()
    {
        add(1, 2, "{\"candidate\":\"a\"}", 10, 100, 1);
        add(1, 2, "{\"candidate\":\"b\"}", 11, 101, 2);
        add(1, 2, "{\"candidate\":\"c\"}", 12, 102, 3);

        assertEquals(1, coalescer.flush(handler));

        assertEquals(1, batches.size());
        final Batch batch = batches.get(0);
        assertEquals(1, batch.sender);
        assertEquals(2, batch.target);
        assertEquals("[{\"candidate\":\"a\"},{\"candidate\":\"b\"},{\"candidate\":\"c\"}]", batch.json);
    }

    @Test
    void shouldCarryMsgIdAndSeqOfTheLastCandidate()
    {
        add(1, 2, "{}", 10, 100, 1);
        add(1, 2, "{}", 11, 101, 7);

        coalescer.flush(handler);

        assertEquals(11, batches.get(0).msgIdHi);
        assertEquals(101, batches.get(0).msgIdLo);
        assertEquals(7, batches.get(0).seq);
    }

    @Test
    void shouldEmitSingleCandidateAsOneElementArray()
    {
        add(3, 4, "{\"candidate\":\"x\"}", 1, 1, 1);

        coalescer.flush(handler);

        assertEquals("[{\"candidate\":\"x\"}]", batches.get(0).json);
    }

    @Test
    void shouldFlushPairsInFirstArrivalOrder()
    {
        add(1, 2, "{\"n\":1}", 0, 1, 1);
        add(3, 2, "{\"n\":2}", 0, 2, 1);
        add(2, 1, "{\"n\":3}", 0, 3, 1);
        add(1, 2, "{\"n\":4}", 0, 4, 2);
        add(1, 3, "{\"n\":5}", 0, 5, 3);

        assertEquals(4, coalescer.pendingBatches());
        assertEquals(5, coalescer.pendingCandidates());
        assertEquals(4, coalescer.flush(handler));

        assertEquals(4, batches.size());
        assertPair(batches.get(0), 1, 2, "[{\"n\":1},{\"n\":4}]");
        assertPair(batches.get(1), 3, 2, "[{\"n\":2}]");
        assertPair(batches.get(2), 2, 1, "[{\"n\":3}]");
        assertPair(batches.get(3), 1, 3, "[{\"n\":5}]");
    }

    @Test
    void shouldStartEmptyAfterFlush()
    {
        add(1, 2, "{\"n\":1}", 0, 1, 1);
        coalescer.flush(handler);
        batches.clear();

        assertEquals(0, coalescer.flush(handler));
        add(1, 2, "{\"n\":2}", 0, 2, 2);
        coalescer.flush(handler);

        assertEquals(1, batches.size());
        assertEquals("[{\"n\":2}]", batches.get(0).json);
    }

    @Test
    void shouldDiscardBatchesFromAndToASessionThatWentAway()
    {
        add(1, 2, "{\"n\":1}", 0, 1, 1);
        add(2, 1, "{\"n\":2}", 0, 2, 1);
        add(3, 4, "{\"n\":3}", 0, 3, 1);
        add(5, 2, "{\"n\":4}", 0, 4, 1);
        add(4, 3, "{\"n\":5}", 0, 5, 1);

        assertEquals(3, coalescer.discard(2));
        add(3, 4, "{\"n\":6}", 0, 6, 2);
        add(1, 2, "{\"n\":7}", 0, 7, 2);
        coalescer.flush(handler);

        assertEquals(3, batches.size());
        assertPair(batches.get(0), 3, 4, "[{\"n\":3},{\"n\":6}]");
        assertPair(batches.get(1), 4, 3, "[{\"n\":5}]");
        assertPair(batches.get(2), 1, 2, "[{\"n\":7}]");
    }

    @Test
    void shouldDiscardNothingForUnknownKey()
    {
        add(1, 2, "{}", 0, 1, 1);

        assertEquals(0, coalescer.discard(9));
        assertEquals(1, coalescer.pendingBatches());
    }

    @Test
    void shouldCopyCandidateBytesFromAnOffset()
    {
        final byte[] buffer = "xx{\"c\":1}yy".getBytes(StandardCharsets.UTF_8);
        coalescer.add(1, 2, buffer, 2, 7, 0, 0, 1);
        buffer[3] = 'Z';

        coalescer.flush(handler);

        assertEquals("[{\"c\":1}]", batches.get(0).json);
    }

    @Test
    void shouldKeepManyPairsApartAcrossIndexGrowth()
    {
        for (int round = 0; round < 3; round++)
        {
            for (long sender = 0; sender < 50; sender++)
            {
                for (long target = 0; target < 10; target++)
                {
                    add(sender, target, "{\"s\":" + sender + "}", sender, target, round + 1);
                }
            }
        }
        final StringBuilder large = new StringBuilder("{\"big\":\"");
        for (int i = 0; i < 3000; i++)
        {
            large.append('x');
        }
        add(0, 0, large.append("\"}").toString(), 0, 0, 4);

        assertEquals(500, coalescer.flush(handler));

        assertEquals(500, batches.size());
        for (int i = 0; i < 500; i++)
        {
            final Batch batch = batches.get(i);
            assertEquals(i / 10, batch.sender);
            assertEquals(i % 10, batch.target);
            final String one = "{\"s\":" + batch.sender + "}";
            if (0 == i)
            {
                assertTrue(batch.json.startsWith("[" + one + "," + one + "," + one + ",{\"big\":\""));
                assertEquals(4, batch.seq);
            }
            else
            {
                assertEquals("[" + one + "," + one + "," + one + "]", batch.json);
                assertEquals(3, batch.seq);
            }
        }
    }

    private void add(
        final long sender, final long target, final String json, final long msgIdHi, final long msgIdLo, final long seq)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        coalescer.add(sender, target, bytes, 0, bytes.length, msgIdHi, msgIdLo, seq);
    }

    private static void assertPair(final Batch batch, final long sender, final long target, final String json)
    {
        assertEquals(sender, batch.sender);
        assertEquals(target, batch.target);
        assertEquals(json, batch.json);
    }

    private record Batch(long sender, long target, String json, long msgIdHi, long msgIdLo, long seq)
    {
    }
}
