package dev.switchboard.net.system;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.cluster.ClusterKeys;
import dev.switchboard.net.cluster.ClusterSigner;
import dev.switchboard.net.cluster.RelayBatchEncoder;
import dev.switchboard.net.cluster.RelayRecords;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster cases of issue #13 against server processes and a real redis-server: nodes that share
 * {@code clusterSecret} relay to each other, while batches written into Redis by anyone else (unsigned, or signed
 * with another secret) are dropped and counted; a batch with a user id over 64 bytes is dropped whole and the node
 * keeps serving; a relayed socket whose messages cannot be delivered is closed with 4012; and a Redis that
 * requires a password is reached through {@code redis://:password@host:port}.
 */
@SystemTest
class ClusterAbuseSystemTest
{
    private static final String SECRET = "cluster-abuse-test-secret-of-32-bytes-or-more";

    private static RedisServer redis;
    private static ServerProcess nodeA;
    private static ServerProcess nodeB;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> connection;

    @BeforeAll
    static void startCluster() throws Exception
    {
        redis = RedisServer.start();
        nodeA = ClusterProcesses.start(redis, "abuse-a", "--cluster-secret", SECRET);
        nodeB = ClusterProcesses.start(redis, "abuse-b", "--cluster-secret", SECRET);
        client = RedisClient.create(redis.url());
        connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopCluster()
    {
        if (null != connection)
        {
            connection.close();
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
        for (final ServerProcess node : new ServerProcess[] {nodeA, nodeB})
        {
            if (null != node)
            {
                node.close();
            }
        }
        if (null != redis)
        {
            redis.close();
        }
    }

    private static double sample(final ServerProcess node, final String series)
    {
        try
        {
            return ProcessProbe.sample(node, series);
        }
        catch (final Exception ex)
        {
            return -1;
        }
    }

    private static byte[] joinText(final String userId, final String room)
    {
        return joinText(userId, room, "host");
    }

    private static byte[] joinText(final String userId, final String room, final String role)
    {
        final byte[] user = userId.getBytes(StandardCharsets.US_ASCII);
        final byte[] json = ("{\"type\":\"join\",\"msgId\":\"" + UUID.randomUUID() + "\",\"roomId\":\"" + room +
            "\",\"seq\":1,\"payload\":{\"role\":\"" + role + "\"}}").getBytes(StandardCharsets.UTF_8);
        final byte[] body = new byte[1 + user.length + json.length];
        body[0] = (byte)user.length;
        System.arraycopy(user, 0, body, 1, user.length);
        System.arraycopy(json, 0, body, 1 + user.length, json.length);
        return body;
    }

    private static String lease(final String room)
    {
        final byte[] owner = connection.sync().get(("sb:lease:" + room).getBytes(StandardCharsets.US_ASCII));
        return null == owner ? null : new String(owner, StandardCharsets.US_ASCII);
    }

    private static boolean logged(final ServerProcess node, final String event)
    {
        return node.lines.stream().anyMatch(l -> l.replace("\\", "").contains("\"event\":\"" + event + "\""));
    }

    @Test
    void shouldRelayBetweenNodesThatShareTheSecret() throws Exception
    {
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeB.port()))
        {
            final String hostId = JsonClient.field(host.join("signed-room", "host"), "userId");
            assertEquals(hostId, JsonClient.field(viewer.join("signed-room", "viewer"), "hostId"),
                "the viewer on node B joined the room on node A through signed batches");
            host.send("game_event", "signed-room", "", "{\"n\":1}");
            assertTrue(viewer.untilType("game_event").contains("\"n\":1"));
        }
    }

    @Test
    void shouldDropUnsignedAndForgedBatchesAndCountThem()
    {
        final byte[] channel = ClusterKeys.channel("abuse-a");
        final RelayBatchEncoder unsigned = new RelayBatchEncoder("forger".getBytes(StandardCharsets.US_ASCII), 256);
        final byte[] join = joinText("", "forged-room");
        unsigned.append(RelayRecords.TEXT, 1L, join, 0, join.length);
        connection.sync().publish(channel, unsigned.toMessage(System.currentTimeMillis()));
        final byte[] forged = unsigned.toMessage(System.currentTimeMillis(),
            new ClusterSigner("a-guessed-secret-that-is-not-the-cluster-one"), channel);
        connection.sync().publish(channel, forged);

        Conditions.await(10_000, () ->
            sample(nodeA, "cluster_relay_batches_dropped_total{reason=\"unsigned\"}") >= 1 &&
            sample(nodeA, "cluster_relay_batches_dropped_total{reason=\"bad_signature\"}") >= 1,
            "both batches are dropped and counted by reason");
        Conditions.await(10_000, () -> logged(nodeA, "cluster_batch_dropped"), "a cluster_batch_dropped line");
        assertNull(lease("forged-room"), "no record of a forged batch was acted on");
    }

    @Test
    void shouldDropABatchWithAUserIdOver64BytesWholeAndKeepServing() throws Exception
    {
        final StatefulRedisPubSubConnection<byte[], byte[]> subscriber = client.connectPubSub(ByteArrayCodec.INSTANCE);
        final ConcurrentLinkedQueue<byte[]> replies = new ConcurrentLinkedQueue<>();
        try (JsonClient host = JsonClient.connect(nodeA.port()))
        {
            host.join("oversize-room", "host");
            subscriber.addListener(new RedisPubSubAdapter<>()
            {
                @Override
                public void message(final byte[] from, final byte[] message)
                {
                    replies.add(message);
                }
            });
            subscriber.sync().subscribe(ClusterKeys.channel("origin-x"));
            final ClusterSigner signer = new ClusterSigner(SECRET);
            final byte[] channel = ClusterKeys.channel("abuse-a");
            final double invalidBefore = sample(nodeA, "cluster_relay_batches_dropped_total{reason=\"invalid\"}");

            final RelayBatchEncoder bad = new RelayBatchEncoder("origin-x".getBytes(StandardCharsets.US_ASCII), 256);
            final byte[] good = joinText("alice", "oversize-room", "viewer");
            final byte[] oversize = joinText("u".repeat(65), "oversize-room", "viewer");
            bad.append(RelayRecords.TEXT, 1L, good, 0, good.length);
            bad.append(RelayRecords.TEXT, 2L, oversize, 0, oversize.length);
            connection.sync().publish(channel, bad.toMessage(System.currentTimeMillis(), signer, channel));
            Conditions.await(10_000, () ->
                sample(nodeA, "cluster_relay_batches_dropped_total{reason=\"invalid\"}") >= invalidBefore + 1,
                "the batch is dropped whole and counted");

            final RelayBatchEncoder next = new RelayBatchEncoder("origin-x".getBytes(StandardCharsets.US_ASCII), 256);
            next.append(RelayRecords.TEXT, 3L, good, 0, good.length);
            connection.sync().publish(channel, next.toMessage(System.currentTimeMillis(), signer, channel));
            Conditions.await(10_000, () -> replies.stream().anyMatch(m ->
                new String(m, StandardCharsets.UTF_8).contains("\"type\":\"joined\"")),
                "the node keeps serving: the next join is answered on the origin's channel");
            for (final byte[] reply : replies)
            {
                final ByteBuffer batch = ByteBuffer.wrap(reply);
                batch.position(4 + (batch.get(3) & 0xFF) + 8);
                final int records = batch.getInt();
                for (int r = 0; r < records; r++)
                {
                    batch.get();
                    assertEquals(3L, batch.getLong(),
                        "only the later batch's socket got replies, not the dropped one's");
                    final int bodyLength = batch.getInt();
                    batch.position(batch.position() + bodyLength);
                }
            }
        }
        finally
        {
            subscriber.close();
        }
    }

    @Test
    void shouldCloseARelayedSocketWith4012WhenItsMessagesCannotBeDelivered() throws Exception
    {
        try (ServerProcess nodeC = ClusterProcesses.start(redis, "abuse-c", "--cluster-secret", SECRET);
            JsonClient host = JsonClient.connect(nodeC.port());
            JsonClient viewer = JsonClient.connect(nodeB.port()))
        {
            host.join("doomed-room", "host");
            viewer.join("doomed-room", "viewer");
            nodeC.process.destroyForcibly();
            nodeC.process.waitFor(10, TimeUnit.SECONDS);
            viewer.send("game_event", "doomed-room", "", "{\"lost\":true}");
            final RawWebSocket.Frame close = viewer.raw().readUntilClose();
            assertEquals(4012, close.closeCode(), "the relayed socket is told to reconnect, not left hanging");
            assertEquals("room_moved", close.closeReason());
            Conditions.await(10_000, () -> sample(nodeB, "cluster_room_moved_closes_total") >= 1, "counted");
        }
    }

    @Test
    void shouldReachARedisThatRequiresAPasswordThroughTheUrl() throws Exception
    {
        try (RedisServer guarded = RedisServer.start("s3cret-redis-pass"))
        {
            assertTrue(guarded.url().startsWith("redis://:s3cret-redis-pass@127.0.0.1:"));
            try (ServerProcess node = ClusterProcesses.start(guarded, "abuse-pw");
                JsonClient host = JsonClient.connect(node.port()))
            {
                host.join("guarded-room", "host");
                final RedisClient authed = RedisClient.create(guarded.url());
                try (StatefulRedisConnection<String, String> c = authed.connect())
                {
                    Conditions.await(10_000, () -> "abuse-pw".equals(c.sync().get("sb:lease:guarded-room")),
                        "the node claimed the room in the password-protected Redis");
                }
                finally
                {
                    authed.shutdown(0, 1, TimeUnit.SECONDS);
                }
                assertTrue(node.lines.stream().noneMatch(l -> l.contains("s3cret-redis-pass")),
                    "the password never reaches the log");
            }
            final String wrong = "redis://:wrong-pass@127.0.0.1:" + guarded.port();
            try (ServerProcess refused = new ServerProcess("--redis-url", wrong, "--node-id", "abuse-wrong",
                "--redis-timeout-millis", "200"))
            {
                Conditions.await(15_000, () -> logged(refused, "redis_unreachable_at_start"),
                    "a wrong password leaves Redis unreachable, and the node says so");
                assertEquals(0.0, sample(refused, "cluster_redis_up"));
            }
        }
    }

    @Test
    void shouldReachARedisOverTlsWithAPasswordVerifyingItsCertificate(@TempDir
        final Path dir) throws Exception
    {
        try (RedisServer tls = RedisServer.startTls("tls-redis-pass", dir))
        {
            assertTrue(tls.url().startsWith("rediss://:tls-redis-pass@127.0.0.1:"));
            final List<String> trust = List.of(
                "-Djavax.net.ssl.trustStore=" + tls.trustStore(), "-Djavax.net.ssl.trustStorePassword=changeit");
            try (ServerProcess node = new ServerProcess(Map.of(), trust, "--redis-url", tls.url(), "--node-id", "abuse-tls",
                "--redis-timeout-millis", "2000");
                JsonClient host = JsonClient.connect(node.port()))
            {
                Conditions.await(15_000, () -> ClusterProcesses.redisUp(node), "the node reaches Redis over TLS");
                host.join("tls-room", "host");
                Conditions.await(10_000, () -> sample(node, "cluster_owned_rooms") >= 1,
                    "the node claimed the room through the TLS link");
            }
            // Without the trust store the certificate is not trusted: the link never comes up.
            try (ServerProcess untrusting = new ServerProcess("--redis-url", tls.url(), "--node-id", "abuse-notls",
                "--redis-timeout-millis", "200"))
            {
                Conditions.await(15_000, () -> logged(untrusting, "redis_unreachable_at_start"),
                    "an untrusted certificate leaves Redis unreachable");
                assertEquals(0.0, sample(untrusting, "cluster_redis_up"));
            }
        }
    }
}
