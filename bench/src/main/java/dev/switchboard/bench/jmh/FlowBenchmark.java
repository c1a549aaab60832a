package dev.switchboard.bench.jmh;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.flow.IceBatchHandler;
import dev.switchboard.engine.flow.IceCoalescer;
import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.flow.TokenBucket;
import dev.switchboard.engine.flow.WatermarkPolicy;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.CachedEpochClock;
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

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Per-operation cost and allocation of the flow-control building blocks on the engine and IO hot paths.
 * <p>
 * Time advances by a fixed step per operation through a field, never through a clock read, so the buckets
 * alternate between granting and refusing as they would under a steady overload.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FlowBenchmark
{
    private static final long T0 = 1_764_160_000_000L;
    private static final MessageType[] TYPES =
    {
        MessageType.ICE_CANDIDATE, MessageType.ICE_CANDIDATE, MessageType.GAME_STATE, MessageType.GAME_EVENT,
        MessageType.PING, MessageType.ICE_CANDIDATE, MessageType.GAME_STATE, MessageType.WEBRTC_OFFER,
    };
    private static final long[] BUFFERED_BYTES =
    {
        0, 300_000, 1_100_000, 900_000, 500_000, 200_000, 2_000_000, 100_000,
    };

    private final TokenBucket tokenBucket = new TokenBucket(50, 100);
    private final DoubleTokenBucket doubleTokenBucket = new DoubleTokenBucket(50, 100);
    private final RateLimiter rateLimiter = new RateLimiter(SwitchboardSettings.defaults());
    private final IceCoalescer iceCoalescer = new IceCoalescer();
    private final LengthSummingHandler iceHandler = new LengthSummingHandler();
    private final WatermarkPolicy watermarkPolicy = new WatermarkPolicy(SwitchboardSettings.defaults());
    private final CountingPublisher publisher = new CountingPublisher();
    private final FramePool framePool = new FramePool(1024, null);
    private final byte[][] candidates = new byte[4][];

    private final CachedEpochClock engineClock = new CachedEpochClock();
    private final InboundSlot engineIce = new InboundSlot();
    private final InboundSlot limitedEvent = new InboundSlot();
    private Engine iceEngine;
    private Engine limitedEngine;
    private MessageEncoder baselineEncoder;
    private Room baselineRoom;
    private Session baselineSender;
    private int iceOps;

    private long nowMs;
    private int typeIndex;
    private int bufferedIndex;

    /**
     * Build the fixtures once per trial.
     */
    @Setup
    public void setUp()
    {
        nowMs = T0;
        tokenBucket.reset(T0);
        doubleTokenBucket.reset(T0);
        rateLimiter.reset(T0);
        watermarkPolicy.reset();
        for (int i = 0; i < candidates.length; i++)
        {
            candidates[i] = ("{\"candidate\":\"candidate:" + (842163049 + i) +
                " 1 udp 1677729535 203.0.113.7 5" + (1000 + i) + " typ srflx raddr 0.0.0.0 rport 0\"," +
                "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"a1b2\"}").getBytes(StandardCharsets.UTF_8);
        }

        engineClock.update(T0);
        final SwitchboardSettings unlimited = SwitchboardSettings.builder()
            .iceRate(1_000_000).iceBurst(1_000_000).messageRate(1_000_000).messageBurst(1_000_000).build();
        iceEngine = engineWithPair(unlimited);
        limitedEngine = engineWithPair(SwitchboardSettings.defaults());
        BenchSlots.message(engineIce, 2, MessageType.ICE_CANDIDATE, 1_000_000);
        engineIce.toLength = BenchSlots.copy("user-0", engineIce.to);
        System.arraycopy(candidates[0], 0, engineIce.payload, 0, candidates[0].length);
        engineIce.payloadLength = candidates[0].length;
        engineIce.ufragLength = BenchSlots.copy("a1b2", engineIce.ufrag);
        BenchSlots.message(limitedEvent, 1, MessageType.GAME_EVENT, 2_000_000);
        final byte[] event = "{\"kind\":\"move\",\"x\":12}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(event, 0, limitedEvent.payload, 0, event.length);
        limitedEvent.payloadLength = event.length;
        for (int i = 0; i < 20; i++)
        {
            limitedEvent.msgIdLo++;
            limitedEngine.onEvent(limitedEvent);
            limitedEngine.onEndOfBatch();
        }
        baselineEncoder = new MessageEncoder(framePool);
        baselineRoom = BenchSlots.benchRoom();
        baselineSender = BenchSlots.sender("user-1");
    }

    /**
     * The engine applying one ICE candidate through its coalescer (rate check, stale seq, ufrag generation, add),
     * with a tick every fourth candidate that flushes the batch of four as one frame; time +4 ms per candidate.
     */
    @Benchmark
    public void engineIceCandidateCoalesced()
    {
        engineClock.advance(4);
        engineIce.msgIdLo++;
        engineIce.seq++;
        iceEngine.onEvent(engineIce);
        iceEngine.onEndOfBatch();
        if (0 == (++iceOps & 3))
        {
            iceEngine.onTick();
            iceEngine.onEndOfBatch();
        }
    }

    /**
     * Baseline: the pre-coalescing engine path, one {@code ice_candidate} frame encoded and sent per candidate.
     */
    @Benchmark
    public void baselineIceCandidateFramePerCandidate()
    {
        engineIce.msgIdLo++;
        engineIce.seq++;
        final Frame frame = baselineEncoder.iceCandidates(baselineRoom, T0, engineIce, baselineSender);
        publisher.send(1, frame);
        frame.release();
    }

    /**
     * The engine rejecting one game_event over its rate limit (the clock stands still, so the bucket stays empty):
     * counted, answered with a game_error carrying for and dseq, kept in the replay window.
     */
    @Benchmark
    public void engineGameEventRateLimited()
    {
        limitedEvent.msgIdLo++;
        limitedEvent.seq++;
        limitedEngine.onEvent(limitedEvent);
        limitedEngine.onEndOfBatch();
    }

    /**
     * One token-bucket decision with time moving 7 ms per call (50/s: about one grant in three).
     *
     * @return the decision.
     */
    @Benchmark
    public boolean tokenBucketTryAcquire()
    {
        nowMs += 7;
        return tokenBucket.tryAcquire(nowMs);
    }

    /**
     * Baseline: the same decision with a naive floating-point bucket.
     *
     * @return the decision.
     */
    @Benchmark
    public boolean baselineDoubleTokenBucket()
    {
        nowMs += 7;
        return doubleTokenBucket.tryAcquire(nowMs);
    }

    /**
     * One session rate-limit decision over a mix of types, time moving 1 ms per call.
     *
     * @return the decision code.
     */
    @Benchmark
    public int rateLimiterOnMessage()
    {
        nowMs += 1;
        final MessageType type = TYPES[typeIndex];
        typeIndex = (typeIndex + 1) & (TYPES.length - 1);
        return rateLimiter.onMessage(type, nowMs);
    }

    /**
     * Four candidates of one pair added, then flushed as one JSON array.
     *
     * @return bytes handed to the handler.
     */
    @Benchmark
    public long iceCoalescerAddFlush4()
    {
        final byte[][] c = candidates;
        iceCoalescer.add(1, 2, c[0], 0, c[0].length, 10, 20, 1);
        iceCoalescer.add(1, 2, c[1], 0, c[1].length, 11, 21, 2);
        iceCoalescer.add(1, 2, c[2], 0, c[2].length, 12, 22, 3);
        iceCoalescer.add(1, 2, c[3], 0, c[3].length, 13, 23, 4);
        iceCoalescer.flush(iceHandler);
        return iceHandler.bytes;
    }

    /**
     * One watermark decision plus one drop decision, buffered bytes cycling through every mode.
     *
     * @return the transition code plus the drop decision.
     */
    @Benchmark
    public int watermarkDecision()
    {
        final long buffered = BUFFERED_BYTES[bufferedIndex];
        bufferedIndex = (bufferedIndex + 1) & (BUFFERED_BYTES.length - 1);
        final int transition = watermarkPolicy.onBufferedChanged(buffered);
        if (WatermarkPolicy.SLOW_CONSUMER == transition)
        {
            watermarkPolicy.reset();
        }
        if (watermarkPolicy.shouldDrop(true))
        {
            watermarkPolicy.onDropped();
            return transition + 16;
        }
        return transition;
    }

    private Engine engineWithPair(final SwitchboardSettings settings)
    {
        final Engine engine = new Engine(new EngineContext(
            settings, engineClock, publisher, new FramePool(1024, null), new Random(1), 0));
        final InboundSlot join = new InboundSlot();
        for (int i = 0; i < 2; i++)
        {
            BenchSlots.message(join, i + 1, MessageType.JOIN, i + 1);
            join.role = 0 == i ? InboundSlot.ROLE_HOST : InboundSlot.ROLE_VIEWER;
            join.authUserIdLength = BenchSlots.copy("user-" + i, join.authUserId);
            engine.onEvent(join);
            engine.onEndOfBatch();
        }
        return engine;
    }

    private static final class LengthSummingHandler implements IceBatchHandler
    {
        long bytes;

        @Override
        public void onBatch(
            final long senderKey,
            final long targetKey,
            final byte[] arrayJson,
            final int offset,
            final int length,
            final long msgIdHi,
            final long msgIdLo,
            final long seq)
        {
            bytes += length + arrayJson[offset + length - 1] + seq;
        }
    }

    private static final class CountingPublisher implements OutboundPublisher
    {
        long sends;

        @Override
        public void send(final long connectionId, final Frame frame)
        {
            sends += connectionId & 1;
        }

        @Override
        public void close(final long connectionId, final int closeCode, final String reason)
        {
        }

        @Override
        public void endOfBatch()
        {
        }
    }

    private static final class DoubleTokenBucket
    {
        private final double ratePerMs;
        private final double burst;
        private double tokens;
        private long lastMs;

        DoubleTokenBucket(final int ratePerSecond, final int burst)
        {
            this.ratePerMs = ratePerSecond / 1000.0;
            this.burst = burst;
        }

        void reset(final long nowMs)
        {
            tokens = burst;
            lastMs = nowMs;
        }

        boolean tryAcquire(final long nowMs)
        {
            tokens = Math.min(burst, tokens + (nowMs - lastMs) * ratePerMs);
            lastMs = nowMs;
            if (tokens >= 1.0)
            {
                tokens -= 1.0;
                return true;
            }
            return false;
        }
    }
}
