package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failure and drain with real processes and a real redis-server: the owner killed with {@code kill -9}, Redis
 * stopped under a running room, and a draining owner handing its rooms over.
 */
@SystemTest
class ClusterFailoverSystemTest
{
    /**
     * The stated margin over the lease TTL for a room to move after its owner died: one relay check period
     * (a third of the TTL) plus a second for Redis round trips, process scheduling and the client's resume.
     */
    /**
     * Generous slack over the lease TTL and the 500 ms Redis timeout for a loaded machine: still far below the
     * 60 s that Lettuce's default command timeout (or a room left for good) would take, which is what the bounds
     * catch.
     */
    private static final long MARGIN_MS = 10_000;
    private static final long REDIS_TIMEOUT_MS = 500;

    private RedisServer redis;
    private ServerProcess nodeA;
    private ServerProcess nodeB;
    private ServerProcess nodeC;
    private RedisClient redisClient;
    private StatefulRedisConnection<byte[], byte[]> redisCommands;

    @BeforeEach
    void startCluster() throws Exception
    {
        redis = RedisServer.start();
        redisClient = RedisClient.create(redis.url());
        redisCommands = redisClient.connect(ByteArrayCodec.INSTANCE);
        nodeA = ClusterProcesses.start(redis, "fail-a", "--drain-seconds", "2", "--drain-spread-millis", "200");
        nodeB = ClusterProcesses.start(redis, "fail-b");
    }

    @AfterEach
    void stopCluster()
    {
        for (final ServerProcess node : new ServerProcess[] {nodeA, nodeB, nodeC})
        {
            if (null != node)
            {
                node.close();
            }
        }
        if (null != redisClient)
        {
            redisCommands.close();
            redisClient.shutdown(0, 1, TimeUnit.SECONDS);
        }
        if (null != redis)
        {
            redis.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(final String json)
    {
        return (Map<String, Object>)Json.object(json).get("payload");
    }

    private static long longField(final String json, final String field)
    {
        return Json.object(json).get(field) instanceof Long value ? value : 0;
    }

    private String snapshotText(final String room)
    {
        final byte[] snapshot = redisCommands.sync().get(("sb:snap:" + room).getBytes(StandardCharsets.US_ASCII));
        return null == snapshot ? "" : new String(snapshot, StandardCharsets.ISO_8859_1);
    }

    private static String untilResumed(final JsonClient client) throws IOException
    {
        return client.until(t -> t.startsWith("{\"type\":\"resume_ok\"") ||
            t.startsWith("{\"type\":\"resume_migrated\"") || t.startsWith("{\"type\":\"error\""));
    }

    @Test
    void shouldMoveTheRoomToALiveNodeAfterKill9OfItsOwnerAndLetMembersResumeThere() throws Exception
    {
        final String room = "failover-room";
        final JsonClient host = JsonClient.connect(nodeA.port());
        final JsonClient viewer = JsonClient.connect(nodeB.port());
        final Map<String, Object> hostJoined = payload(host.join(room, "host"));
        final String viewerJoinedText = viewer.join(room, "viewer");
        final Map<String, Object> viewerJoined = payload(viewerJoinedText);
        host.send("game_state", room, "", "{\"version\":3,\"patch\":{\"hp\":5}}");
        viewer.until(t -> t.startsWith("{\"type\":\"game_state\"") && t.contains("\"hp\""));
        final String event = host.send("game_event", room, "", "{\"before\":\"kill\"}");
        host.until(t -> t.contains("\"for\":\"" + event + "\""));
        final long lastRseq = longField(viewer.untilType("game_event"), "rseq");
        Conditions.await(10_000, () -> snapshotText(room).contains("hp"), "the owner stores a snapshot with the state");

        nodeC = ClusterProcesses.start(redis, "fail-c");
        final long killedNs = System.nanoTime();
        nodeA.process.destroyForcibly();
        assertTrue(nodeA.process.waitFor(120, TimeUnit.SECONDS));

        final RawWebSocket.Frame moved = viewer.raw().readUntilClose();
        assertEquals(4012, moved.closeCode(), "the relayed viewer is told to reconnect");
        assertEquals("room_moved", moved.closeReason());

        try (JsonClient viewerBack = JsonClient.connect(nodeB.port());
            JsonClient hostBack = JsonClient.connect(nodeC.port()))
        {
            viewerBack.send("resume", room, "", "{\"sessionToken\":\"" + viewerJoined.get("sessionToken") +
                "\",\"lastDseq\":" + longField(viewerJoinedText, "dseq") + ",\"lastRseq\":" + lastRseq + "}");
            final String viewerResumed = untilResumed(viewerBack);
            final long movedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
            assertTrue(viewerResumed.startsWith("{\"type\":\"resume_"), viewerResumed);
            assertEquals("viewer", payload(viewerResumed).get("role"));
            assertEquals(3L, payload(viewerResumed).get("gameStateVersion"), "game state restored from the snapshot");
            assertTrue(movedMs <= ClusterProcesses.LEASE_TTL_MILLIS + MARGIN_MS,
                "room moved in " + movedMs + " ms, lease TTL " + ClusterProcesses.LEASE_TTL_MILLIS);

            hostBack.send("resume", room, "", "{\"sessionToken\":\"" + hostJoined.get("sessionToken") +
                "\",\"lastDseq\":0,\"lastRseq\":0}");
            final String hostResumed = untilResumed(hostBack);
            assertEquals("host", payload(hostResumed).get("role"), hostResumed);
            final String after = hostBack.send("game_event", room, "", "{\"after\":\"kill\"}");
            hostBack.until(t -> t.contains("\"for\":\"" + after + "\""));
            assertTrue(viewerBack.untilType("game_event").contains("\"after\""),
                "host relayed from node C and viewer on node B meet in the restored room");
        }
        viewer.raw().close();
        host.raw().close();
    }

    @Test
    void shouldKeepLocalRoomsWorkingWithRedisStoppedAndRefuseWhatNeedsRedisWithAClearError() throws Exception
    {
        final String room = "local-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeA.port());
            JsonClient relayed = JsonClient.connect(nodeB.port()))
        {
            host.join(room, "host");
            viewer.join(room, "viewer");
            relayed.join(room, "viewer");

            redis.stop();

            final String event = host.send("game_event", room, "", "{\"redis\":\"down\"}");
            host.until(t -> t.contains("\"for\":\"" + event + "\""));
            assertTrue(viewer.untilType("game_event").contains("\"down\""), "the local room keeps working");

            try (JsonClient stranger = JsonClient.connect(nodeA.port()))
            {
                final long startNs = System.nanoTime();
                final String join = stranger.send("join", "unknown-room", "", "{\"role\":\"host\"}");
                final String error = stranger.until(t -> t.contains("\"for\":\"" + join + "\""));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                assertEquals("error", Json.object(error).get("type"));
                assertEquals("cluster_unavailable", payload(error).get("code"));
                assertTrue(tookMs <= REDIS_TIMEOUT_MS + MARGIN_MS, "answered after the Redis timeout, took " + tookMs +
                    " ms");
            }

            // The relayed socket cannot reach its owner without Redis: it is told to reconnect.
            relayed.send("game_event", room, "", "{}");
            final RawWebSocket.Frame close = relayed.raw().readUntilClose();
            assertEquals(4012, close.closeCode());

            // Redis back: rooms a node owns are still its own and new rooms can be created again.
            redis.startAgain();
            Conditions.await(15_000, () ->
            {
                try (JsonClient late = JsonClient.connect(nodeB.port()))
                {
                    late.send("join", "after-outage", "", "{\"role\":\"host\"}");
                    return late.until(t -> t.startsWith("{\"type\":\"joined\"") ||
                        t.startsWith("{\"type\":\"error\"")).startsWith("{\"type\":\"joined\"");
                }
                catch (final IOException ex)
                {
                    return false;
                }
            }, "joins work again once Redis is back");
            final String again = host.send("game_event", room, "", "{\"redis\":\"up\"}");
            host.until(t -> t.contains("\"for\":\"" + again + "\""));
            assertTrue(viewer.untilType("game_event").contains("\"up\""));
        }
    }

    @Test
    void shouldAnswerWithinTheRedisTimeoutWhenRedisHangs() throws Exception
    {
        final String room = "hung-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeA.port()))
        {
            host.join(room, "host");
            viewer.join(room, "viewer");
            redis.pause();
            try (JsonClient stranger = JsonClient.connect(nodeB.port()))
            {
                final long startNs = System.nanoTime();
                final String resume = stranger.send("resume", "hung-unknown", "",
                    "{\"sessionToken\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"lastDseq\":0,\"lastRseq\":0}");
                final String error = stranger.until(t -> t.contains("\"for\":\"" + resume + "\""));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                assertEquals("cluster_unavailable", payload(error).get("code"));
                assertTrue(tookMs >= REDIS_TIMEOUT_MS - 100 && tookMs <= REDIS_TIMEOUT_MS + MARGIN_MS,
                    "answered when the 500 ms Redis timeout expired, took " + tookMs + " ms");
            }
            final String event = host.send("game_event", room, "", "{\"redis\":\"hung\"}");
            host.until(t -> t.contains("\"for\":\"" + event + "\""));
            assertTrue(viewer.untilType("game_event").contains("\"hung\""), "the local room never waits on Redis");
            redis.resume();
        }
    }

    @Test
    void shouldHandRoomsOverWhenTheOwnerDrains() throws Exception
    {
        final String room = "drain-room";
        final JsonClient host = JsonClient.connect(nodeA.port());
        final JsonClient viewer = JsonClient.connect(nodeB.port());
        final Map<String, Object> hostJoined = payload(host.join(room, "host"));
        final Map<String, Object> viewerJoined = payload(viewer.join(room, "viewer"));
        host.send("game_state", room, "", "{\"version\":9,\"patch\":{\"level\":2}}");
        viewer.until(t -> t.startsWith("{\"type\":\"game_state\"") && t.contains("\"level\""));

        nodeC = ClusterProcesses.start(redis, "fail-c");
        // SIGTERM through the handle: Process.destroy() would also close our end of the server's stdout.
        assertTrue(nodeA.process.toHandle().destroy());

        final RawWebSocket.Frame drained = host.raw().readUntilClose();
        assertEquals(4000, drained.closeCode(), "the drain closes local sockets with 4000");
        final RawWebSocket.Frame moved = viewer.raw().readUntilClose();
        assertEquals(4012, moved.closeCode(), "the relayed viewer learns the room moved");

        try (JsonClient hostBack = JsonClient.connect(nodeC.port());
            JsonClient viewerBack = JsonClient.connect(nodeB.port()))
        {
            hostBack.send("resume", room, "", "{\"sessionToken\":\"" + hostJoined.get("sessionToken") +
                "\",\"lastDseq\":0,\"lastRseq\":0}");
            final String hostResumed = untilResumed(hostBack);
            assertEquals("host", payload(hostResumed).get("role"), hostResumed);
            assertEquals(9L, payload(hostResumed).get("gameStateVersion"), "the handed-over state");
            viewerBack.send("resume", room, "", "{\"sessionToken\":\"" + viewerJoined.get("sessionToken") +
                "\",\"lastDseq\":0,\"lastRseq\":0}");
            assertEquals("viewer", payload(untilResumed(viewerBack)).get("role"));
            final String after = hostBack.send("game_event", room, "", "{\"after\":\"drain\"}");
            hostBack.until(t -> t.contains("\"for\":\"" + after + "\""));
            assertTrue(viewerBack.untilType("game_event").contains("\"drain\""));
        }
        host.raw().close();
        viewer.raw().close();
        assertTrue(nodeA.process.waitFor(120, TimeUnit.SECONDS), "the drained node exits");
        nodeA.awaitOutputEnd(120_000);
        assertTrue(nodeA.logged("rooms_handed_over", "complete", true),
            "the drain logged a complete handover: " + nodeA.lines);
    }
}
