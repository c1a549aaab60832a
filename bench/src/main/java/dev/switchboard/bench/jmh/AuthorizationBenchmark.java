package dev.switchboard.bench.jmh;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ice.IceServers;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.webhook.WebhookEvents;
import org.agrona.concurrent.MessageHandler;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What issue 15 adds to the engine thread at join time, per operation and per allocated byte: the grant check
 * (room patterns and role, from flat slot fields), the ring-slot copy of the grants, the TURN credential of one
 * user (HMAC-SHA1 and base64 into a reused frame), and one webhook record into a shard's outbox.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AuthorizationBenchmark
{
    private static final long NOW_MS = 1_764_160_000_000L;

    private final InboundSlot source = new InboundSlot();
    private final InboundSlot ringSlot = new InboundSlot();
    private final byte[][] roomIds = new byte[4][];
    private final FramePool framePool = new FramePool(16, null);
    private final JsonWriter writer = new JsonWriter();
    private final byte[] userId = "alice@example.com".getBytes(StandardCharsets.US_ASCII);
    private final AtomicLong dropped = new AtomicLong();
    private final MessageHandler discard = (type, buffer, index, length) -> { };
    private IceServers iceServers;
    private WebhookEvents outbox;
    private int next;

    /** Build the grants, the ICE servers with a TURN secret, and an outbox. */
    @Setup
    public void setUp()
    {
        final Grants grants = Grants.of(List.of("lobby", "quiz-*", "tournament-final", "team-a-*"), true, true, false);
        source.grantFlags = grants.flags();
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        source.setGrantRooms(packed, grants.copyPackedRooms(packed));
        final String[] rooms = { "quiz-42", "lobby", "chess-1", "team-a-blue" };
        for (int i = 0; i < rooms.length; i++)
        {
            roomIds[i] = rooms[i].getBytes(StandardCharsets.US_ASCII);
        }
        iceServers = IceServers.fromSettings(SwitchboardSettings.builder()
            .iceServers("stun:stun.example.org:3478,turn:turn.example.org:3478?transport=udp")
            .turnSecret("coturn-static-auth-secret").build());
        outbox = new WebhookEvents(4096, dropped);
        ringSlot.copyFrom(source);
    }

    /**
     * The join-time grant check: does one of four patterns allow the room.
     *
     * @return whether allowed, consumed by JMH.
     */
    @Benchmark
    public boolean grantCheck()
    {
        final byte[] room = roomIds[next++ & 3];
        return Grants.roomAllowed(source.grantFlags, source.grantRooms, source.grantRoomsLength, room, room.length);
    }

    /**
     * Copying a join with grants into a ring slot (the translator's work).
     *
     * @return the copied length, consumed by JMH.
     */
    @Benchmark
    public int slotCopyWithGrants()
    {
        ringSlot.copyFrom(source);
        return ringSlot.grantRoomsLength;
    }

    /**
     * Writing {@code iceServers} with a fresh TURN credential into a pooled frame.
     *
     * @return the bytes written, consumed by JMH.
     */
    @Benchmark
    public int turnCredential()
    {
        final Frame frame = framePool.acquire(512, MessageType.JOINED, false);
        writer.wrap(frame);
        iceServers.write(writer, userId, userId.length, NOW_MS + next++);
        final int length = writer.length();
        frame.release();
        return length;
    }

    /**
     * One webhook record into the outbox, drained in batches as the dispatcher would.
     *
     * @return records drained, consumed by JMH.
     */
    @Benchmark
    public int webhookRecord()
    {
        outbox.record(WebhookEvents.PARTICIPANT_JOINED, NOW_MS, roomIds[0], roomIds[0].length, userId, userId.length,
            null);
        return (++next & 63) == 0 ? outbox.drain(discard, 64) : 0;
    }
}
