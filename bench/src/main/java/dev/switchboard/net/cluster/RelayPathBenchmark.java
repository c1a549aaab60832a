package dev.switchboard.net.cluster;

import dev.switchboard.net.cluster.VirtualConnectionTable.VirtualConnection;
import org.agrona.concurrent.SystemEpochClock;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The cluster agent's per-record relay path after the ClusterAgent split, which must allocate nothing per record:
 * records of relayed sockets appended to a destination node's batch by the {@link NodeBatchPublisher} (with its
 * pooled publish records), and a received batch walked record by record with each socket's virtual connection
 * looked up in the {@link VirtualConnectionTable} by origin and again by the id the engine replies to.
 * <p>
 * Lives in the cluster package because those classes are package-private. The Redis link is never connected, so
 * the end-of-cycle publish takes the Redis-down path (encoder reset, publish record recycled) instead of handing
 * a message to Lettuce: what is measured is the agent's own work per record, not Lettuce's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class RelayPathBenchmark
{
    private static final String OWNER = "node-b";
    private static final int SOCKETS = 256;

    /** Records per duty cycle (one batch). */
    @Param({"1", "16", "64"})
    public int recordsPerBatch;

    private RedisLink link;
    private NodeBatchPublisher publisher;
    private VirtualConnectionTable table;
    private final RelayBatchDecoder decoder = new RelayBatchDecoder();
    private byte[] record;
    private byte[] received;
    private long next;

    /**
     * Build the publisher over a link that never connects, a table with {@value #SOCKETS} connections of the
     * origin node, one relayed text record and one received batch of {@code recordsPerBatch} text records.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        link = new RedisLink("redis://127.0.0.1:1", 100, null, null);
        publisher = new NodeBatchPublisher(ClusterKeys.ascii("node-a"), link, SystemEpochClock.INSTANCE,
            new ClusterSigner(null), new ClusterCounters(), (result, error) -> { }, (socketId) -> { });
        table = new VirtualConnectionTable(1, 1024);
        for (int i = 0; i < SOCKETS; i++)
        {
            table.allocate(OWNER, i);
        }
        final byte[] text = ("{\"type\":\"game_event\",\"msgId\":\"m-1\",\"roomId\":\"r-1\",\"seq\":1," +
            "\"payload\":{\"x\":1}}").getBytes(StandardCharsets.UTF_8);
        record = new byte[RelayRecords.BODY_OFFSET + 1 + text.length];
        record[0] = RelayRecords.TEXT;
        record[RelayRecords.BODY_OFFSET] = 0;
        System.arraycopy(text, 0, record, RelayRecords.BODY_OFFSET + 1, text.length);

        final RelayBatchEncoder encoder = new RelayBatchEncoder(ClusterKeys.ascii(OWNER), 4096);
        for (int i = 0; i < recordsPerBatch; i++)
        {
            final int body = encoder.begin(RelayRecords.TEXT, i % SOCKETS);
            encoder.buffer().putByte(body, (byte)0);
            encoder.buffer().putBytes(body + 1, text);
            encoder.commit(1 + text.length);
        }
        received = encoder.toMessage(System.currentTimeMillis());
        if (!decoder.wrap(received))
        {
            throw new IllegalStateException("the benchmark's batch does not decode");
        }
    }

    /**
     * Close the link's client resources.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        link.close();
    }

    /**
     * One duty cycle of relaying: {@code recordsPerBatch} records of sockets of this node appended to the owner's
     * batch, then the end-of-cycle publish.
     */
    @Benchmark
    public void forwardBatch()
    {
        for (int i = 0; i < recordsPerBatch; i++)
        {
            publisher.forward(OWNER, next++ & (SOCKETS - 1), record, record.length);
        }
        publisher.publishAll();
    }

    /**
     * One received batch walked record by record, each socket's virtual connection looked up by origin and by the
     * id the engine knows it by.
     *
     * @param blackhole sink.
     */
    @Benchmark
    public void receiveBatch(final Blackhole blackhole)
    {
        decoder.wrap(received);
        while (decoder.next())
        {
            final VirtualConnection c = table.find(OWNER, decoder.connectionId());
            blackhole.consume(table.byId(table.idOf(c)));
            blackhole.consume(decoder.bodyLength());
        }
    }
}
