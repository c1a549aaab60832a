package dev.switchboard.bench.jmh;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The engine's hot paths on one thread: a directed offer relay (ack plus relayed frame), a game_event
 * broadcast to the rest of a room of {@code roomSize} members (encoded once), and a duplicate critical
 * message dropped by the dedupe window; the publisher takes and drops its reference as an IoAgent would.
 * {@code naiveEncodePerRecipient} is the baseline the broadcast path avoids: encoding the game_event once per
 * recipient instead of once per room.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class EngineBenchmark
{
    /** Members in the benchmark room, host included. */
    @Param({"10", "100", "1000"})
    public int roomSize;

    private Engine engine;
    private ReleasingPublisher publisher;
    private MessageEncoder naiveEncoder;
    private Room naiveRoom;
    private Session naiveSender;
    private final InboundSlot offer = new InboundSlot();
    private final InboundSlot gameEvent = new InboundSlot();
    private final InboundSlot duplicate = new InboundSlot();

    /** A publisher that retains and at once releases each frame, standing in for an IoAgent's write. */
    static final class ReleasingPublisher implements OutboundPublisher
    {
        long sends;

        /** {@inheritDoc} */
        @Override
        public void send(final long connectionId, final Frame frame)
        {
            frame.retain();
            sends++;
            frame.release();
        }

        /** {@inheritDoc} */
        @Override
        public void close(final long connectionId, final int closeCode, final String reason)
        {
        }

        /** {@inheritDoc} */
        @Override
        public void endOfBatch()
        {
        }
    }

    /**
     * Build a room of {@code roomSize} authenticated members and the three messages.
     */
    @Setup
    public void setup()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_764_160_000_000L);
        publisher = new ReleasingPublisher();
        final FramePool framePool = new FramePool(4096, null);
        // The clock stands still, so limits high enough that every message takes the relay, broadcast or dedupe
        // path; FlowBenchmark measures the rate-limited path.
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .gameEventRate(1_000_000).gameEventBurst(1_000_000).messageRate(1_000_000).messageBurst(1_000_000).build();
        engine = new Engine(new EngineContext(settings, clock, publisher, framePool, new Random(1), 0));
        naiveEncoder = new MessageEncoder(framePool);
        naiveRoom = BenchSlots.benchRoom();
        naiveSender = BenchSlots.sender("user-0");
        final InboundSlot join = new InboundSlot();
        for (int i = 0; i < roomSize; i++)
        {
            BenchSlots.message(join, i + 1, MessageType.JOIN, i + 1);
            join.role = 0 == i ? InboundSlot.ROLE_HOST : InboundSlot.ROLE_VIEWER;
            join.authUserIdLength = BenchSlots.copy("user-" + i, join.authUserId);
            engine.onEvent(join);
            engine.onEndOfBatch();
        }
        BenchSlots.message(offer, 2, MessageType.WEBRTC_OFFER, 1_000_000);
        offer.toLength = BenchSlots.copy("user-0", offer.to);
        BenchSlots.payload(offer, "{\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n\"}");
        BenchSlots.message(gameEvent, 1, MessageType.GAME_EVENT, 2_000_000);
        BenchSlots.payload(gameEvent, "{\"kind\":\"move\",\"x\":12,\"y\":34,\"tick\":56789}");
        BenchSlots.message(duplicate, 1, MessageType.GAME_EVENT, 3_000_000);
        BenchSlots.payload(duplicate, "{\"kind\":\"again\"}");
        engine.onEvent(duplicate);
        engine.onEndOfBatch();
    }

    /**
     * Relay one webrtc_offer to the host: ack to the sender, relayed frame with dseq to the target.
     */
    @Benchmark
    public void directedRelay()
    {
        offer.msgIdLo++;
        offer.seq++;
        engine.onEvent(offer);
        engine.onEndOfBatch();
    }

    /**
     * Broadcast one game_event from the host to the rest of the room, encoded once.
     */
    @Benchmark
    public void gameEventBroadcast()
    {
        gameEvent.msgIdLo++;
        gameEvent.seq++;
        engine.onEvent(gameEvent);
        engine.onEndOfBatch();
    }

    /**
     * Drop a repeated msgId through the dedupe window.
     */
    @Benchmark
    public void duplicateDropped()
    {
        engine.onEvent(duplicate);
        engine.onEndOfBatch();
    }

    /**
     * Baseline: the same game_event encoded separately for each of the {@code roomSize - 1} recipients.
     */
    @Benchmark
    public void naiveEncodePerRecipient()
    {
        gameEvent.msgIdLo++;
        gameEvent.seq++;
        for (int i = 1; i < roomSize; i++)
        {
            final Frame frame = naiveEncoder.gameEvent(naiveRoom, 1_764_160_000_000L, gameEvent, naiveSender, i);
            publisher.send(i, frame);
            frame.release();
        }
    }

}
