package dev.switchboard.bench.jmh;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.net.io.BufferedBytesRecorder;
import dev.switchboard.net.metrics.LatencyRecorders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the hot threads pay to be observable: the engine's single-writer counters, the HdrHistogram recorders
 * behind the latency summaries, and the IoAgents' bufferedAmount recorder. Each must allocate nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class MetricsRecordingBenchmark
{
    private final EngineCounters counters = new EngineCounters();
    private final LatencyRecorders latency = new LatencyRecorders();
    private final BufferedBytesRecorder buffered = new BufferedBytesRecorder(1);
    private long value = 1_000;

    /**
     * One message's worth of engine counting: in by type, out, a drop.
     */
    @Benchmark
    public void engineCounters()
    {
        counters.onMessageIn(MessageType.GAME_EVENT.id());
        counters.onMessageOut();
        counters.onDrop(MessageType.ICE_CANDIDATE.id(), DropReason.STALE);
    }

    /**
     * Record loop and batch latency into the interval histograms.
     */
    @Benchmark
    public void latencyRecorders()
    {
        value = (value * 31 + 7) & 0xFFFFF;
        latency.recordLoopLatencyNs(value);
        latency.recordBatchLatencyNs(value + 100);
    }

    /**
     * Record one live socket's bufferedAmount.
     */
    @Benchmark
    public void bufferedBytesRecorder()
    {
        value = (value * 31 + 7) & 0xFFFFF;
        buffered.record(0, value);
    }
}
