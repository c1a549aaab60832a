package dev.switchboard.bench.jmh;

import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IoAgent-to-engine handoff: a decoded message published into the engine shard's Disruptor ring (slot
 * filled in place by a non-capturing translator, consumer on its own thread) against the same message handed
 * over an {@link ArrayBlockingQueue} (lock and condition per hand-off, consumer blocked in poll()). Both sides
 * copy the same decoded fields into pre-allocated slots (the queue cycles through a pool twice its capacity,
 * so a slot is never reused while queued), so the two differ only in the hand-off itself. Each operation is one
 * publish; the consumer runs concurrently.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Benchmark)
public class RingHandoffBenchmark
{
    private static final byte[] MESSAGE = ("{\"type\":\"game_event\",\"msgId\":\"0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10\"," +
        "\"roomId\":\"room-42\",\"seq\":17,\"payload\":{\"move\":\"e2e4\",\"clock\":1234}}")
        .getBytes(StandardCharsets.US_ASCII);

    private static final Runnable SPIN = Thread::onSpinWait;

    /** Wait strategy of the consumer: "blocking" as deployed by default, "yielding" for dedicated cores. */
    @Param({"blocking", "yielding"})
    public String waitStrategy;

    private final InboundSlot scratch = new InboundSlot();
    private final AtomicLong consumed = new AtomicLong();
    private EngineShard shard;
    private InboundPublisher publisher;
    private ArrayBlockingQueue<InboundSlot> queue;
    private final InboundSlot[] pool = new InboundSlot[32768];
    private int poolIndex;
    private Thread queueConsumer;
    private volatile boolean running;

    @Setup(Level.Trial)
    public void setUp()
    {
        new EnvelopeDecoder(65536).decode(MESSAGE, 0, MESSAGE.length, scratch);
        shard = new EngineShard(0, 16384, false, waitStrategy, -1, (index, thread) -> new SlotConsumer()
        {
            @Override
            public void onEvent(final InboundSlot slot)
            {
                consumed.lazySet(consumed.get() + slot.seq);
            }

            @Override
            public void onEndOfBatch()
            {
            }
        });
        shard.start();
        publisher = new InboundPublisher(new EngineShard[] {shard});
        queue = new ArrayBlockingQueue<>(16384);
        for (int i = 0; i < pool.length; i++)
        {
            pool[i] = new InboundSlot();
        }
        running = true;
        queueConsumer = new Thread(() ->
        {
            try
            {
                while (running)
                {
                    final InboundSlot slot = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (null != slot)
                    {
                        consumed.lazySet(consumed.get() + slot.seq);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "abq-consumer");
        queueConsumer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        queueConsumer.join(1_000);
        shard.close();
    }

    /**
     * Publish into the Disruptor ring the way an IoAgent does ({@link InboundPublisher}: copy into the slot in
     * place, then wake the shard's thread only if it is parked); nothing is allocated.
     */
    @Benchmark
    public void disruptorRing()
    {
        publisher.publish(0, scratch, SPIN);
    }

    /**
     * Hand a pooled slot over a blocking queue.
     *
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException
    {
        final InboundSlot message = pool[poolIndex];
        poolIndex = (poolIndex + 1) & (pool.length - 1);
        message.copyFrom(scratch);
        queue.put(message);
    }
}
