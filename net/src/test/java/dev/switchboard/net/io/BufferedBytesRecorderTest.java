package dev.switchboard.net.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BufferedBytesRecorderTest
{
    @Test
    void shouldReportZeroWhenNothingWasRecorded()
    {
        assertEquals(0, new BufferedBytesRecorder(2).bufferedBytesP95());
    }

    @Test
    void shouldReportP95OverEveryIoAgentsSockets()
    {
        final BufferedBytesRecorder recorder = new BufferedBytesRecorder(2);
        for (int bytes = 1; bytes <= 50; bytes++)
        {
            recorder.record(0, bytes);
            recorder.record(1, bytes + 50);
        }

        assertEquals(95, recorder.bufferedBytesP95());
    }

    @Test
    void shouldCoverOnlyTheValuesRecordedSinceTheLastCall()
    {
        final BufferedBytesRecorder recorder = new BufferedBytesRecorder(1);
        recorder.record(0, 1_000);
        assertEquals(1_000, recorder.bufferedBytesP95());

        recorder.record(0, 10);
        assertEquals(10, recorder.bufferedBytesP95());

        assertEquals(0, recorder.bufferedBytesP95());
    }

    @Test
    void shouldClampNegativeAndHugeValuesInsteadOfThrowing()
    {
        final BufferedBytesRecorder recorder = new BufferedBytesRecorder(1);
        recorder.record(0, Long.MAX_VALUE);

        final long p95 = recorder.bufferedBytesP95();

        final long highest = BufferedBytesRecorder.HIGHEST_TRACKABLE_BYTES;
        assertEquals(highest, p95, highest / 1000);
        recorder.record(0, -5);
        assertEquals(0, recorder.bufferedBytesP95());
    }

    @Test
    void shouldRejectZeroIoAgents()
    {
        assertThrows(IllegalArgumentException.class, () -> new BufferedBytesRecorder(0));
    }
}
