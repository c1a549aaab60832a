package dev.switchboard.bench.jmh;

import com.lmax.disruptor.EventPoller;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The close path of the outbound ring: an engine shard publishes {@link OutboundSlot#CLOSE} for a connection and
 * the IoAgent polls it, single-threaded here so that {@code gc.alloc.rate.norm} shows whether the id, the code
 * or the slot are boxed on the way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OutboundCloseBenchmark
{
    private OutboundRing ring;
    private long connectionId;
    private final CloseCounter counter = new CloseCounter();

    /** Sums what it polls so the work stays observable. */
    static final class CloseCounter implements EventPoller.Handler<OutboundSlot>
    {
        long sum;

        @Override
        public boolean onEvent(final OutboundSlot slot, final long sequence, final boolean endOfBatch)
        {
            sum += slot.connectionId + slot.closeCode + slot.kind;
            return true;
        }
    }

    /**
     * Create a single-producer ring.
     */
    @Setup
    public void setup()
    {
        ring = new OutboundRing(1024, false);
    }

    /**
     * Publish one close and poll it.
     *
     * @return the running sum of what was polled.
     */
    @Benchmark
    public long closeAndPoll()
    {
        ring.close(++connectionId, 4008, "slow_consumer");
        ring.poll(counter);
        return counter.sum;
    }
}
