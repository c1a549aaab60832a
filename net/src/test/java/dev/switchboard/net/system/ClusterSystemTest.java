package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three server processes and a real redis-server: a room lives on the node its first member reached, and
 * sockets on the other nodes are relayed to it, in order, for every message type and for resume.
 */
@SystemTest
class ClusterSystemTest
{
    private static RedisServer redis;
    private static ServerProcess nodeA;
    private static ServerProcess nodeB;
    private static ServerProcess nodeC;

    @BeforeAll
    static void startCluster() throws Exception
    {
        redis = RedisServer.start();
        nodeA = ClusterProcesses.start(redis, "node-a");
        nodeB = ClusterProcesses.start(redis, "node-b");
        nodeC = ClusterProcesses.start(redis, "node-c");
    }

    @AfterAll
    static void stopCluster()
    {
        for (final ServerProcess node : new ServerProcess[] {nodeA, nodeB, nodeC})
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

    private static Map<String, Object> payload(final String json)
    {
        return Json.object(json).get("payload") instanceof Map<?, ?> map ? castMap(map) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(final Map<?, ?> map)
    {
        return (Map<String, Object>)map;
    }

    @Test
    void shouldRelayEveryMessageTypeInOrderBetweenAHostOnOneNodeAndViewersOnTwoOthers() throws Exception
    {
        final String room = "relay-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewerB = JsonClient.connect(nodeB.port());
            JsonClient viewerC = JsonClient.connect(nodeC.port()))
        {
            final String hostId = (String)payload(host.join(room, "host")).get("userId");
            final Map<String, Object> joinedB = payload(viewerB.join(room, "viewer"));
            final String viewerBId = (String)joinedB.get("userId");
            assertEquals(hostId, joinedB.get("hostId"), "the viewer on node B joined the room that lives on node A");
            final Map<String, Object> joinedC = payload(viewerC.join(room, "viewer"));
            assertEquals(hostId, joinedC.get("hostId"));
            assertEquals(3L, joinedC.get("roomSize"));

            // game_event broadcast from the host, in order, to both relayed viewers.
            final List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 5; i++)
            {
                sent.add(host.send("game_event", room, "", "{\"n\":" + i + "}"));
            }
            for (final String msgId : sent)
            {
                host.until(t -> t.contains("\"for\":\"" + msgId + "\""));
            }
            for (final JsonClient viewer : new JsonClient[] {viewerB, viewerC})
            {
                final List<Object> order = new ArrayList<>();
                while (order.size() < 5)
                {
                    final Map<String, Object> event = Json.object(viewer.untilType("game_event"));
                    assertEquals(hostId, event.get("senderId"));
                    order.add(castMap((Map<?, ?>)event.get("payload")).get("n"));
                }
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), order, "one sender's order holds across nodes");
            }

            // game_event from a relayed viewer reaches the host and the other relayed viewer.
            final String fromB = viewerB.send("game_event", room, "", "{\"from\":\"b\"}");
            viewerB.until(t -> t.contains("\"for\":\"" + fromB + "\"") && t.contains("\"type\":\"ack\""));
            assertEquals(viewerBId, Json.object(host.untilType("game_event")).get("senderId"));
            assertEquals(viewerBId, Json.object(viewerC.untilType("game_event")).get("senderId"));

            // game_state from the host, coalesced and relayed.
            host.send("game_state", room, "", "{\"version\":1,\"patch\":{\"score\":7}}");
            for (final JsonClient viewer : new JsonClient[] {viewerB, viewerC})
            {
                final Map<String, Object> state = castMap((Map<?, ?>)Json.object(
                    viewer.until(t -> t.startsWith("{\"type\":\"game_state\"") && t.contains("score"))).get("payload"));
                assertEquals(1L, state.get("version"));
            }

            // co-host flow across nodes: request, queue update, accept, role change, offer/answer, ICE, end.
            final String request = viewerB.send("cohost_request", room, "", null);
            viewerB.until(t -> t.contains("\"for\":\"" + request + "\""));
            final Map<String, Object> queue = payload(host.untilType("cohost_queue_updated"));
            assertEquals(List.of(viewerBId), queue.get("queue"));
            final String accept = host.send("cohost_accept", room, "", "{\"userId\":\"" + viewerBId + "\"}");
            host.until(t -> t.contains("\"for\":\"" + accept + "\""));
            final Map<String, Object> promoted = payload(viewerB.untilType("role_changed"));
            assertEquals("guest", promoted.get("role"));
            assertEquals("accepted", promoted.get("reason"));

            final String offer = host.send("webrtc_offer", room, "\"to\":\"" + viewerBId + "\"",
                "{\"sdp\":\"v=0 offer\"}");
            host.until(t -> t.contains("\"for\":\"" + offer + "\""));
            final Map<String, Object> offered = Json.object(viewerB.untilType("webrtc_offer"));
            assertEquals(hostId, offered.get("senderId"));
            assertEquals("v=0 offer", castMap((Map<?, ?>)offered.get("payload")).get("sdp"));
            final String answer = viewerB.send("webrtc_answer", room, "\"to\":\"" + hostId + "\"",
                "{\"sdp\":\"v=0 answer\"}");
            viewerB.until(t -> t.contains("\"for\":\"" + answer + "\""));
            final Map<String, Object> answered = Json.object(host.untilType("webrtc_answer"));
            assertEquals(viewerBId, answered.get("senderId"));
            viewerB.send("ice_candidate", room, "\"to\":\"" + hostId + "\"",
                "{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 9 typ host\",\"sdpMid\":\"0\"}");
            assertTrue(host.untilType("ice_candidate").contains("candidate:1 1 udp"), "ICE relayed to the host");

            final String end = host.send("cohost_end", room, "", null);
            host.until(t -> t.contains("\"for\":\"" + end + "\""));
            assertEquals("ended", payload(viewerB.untilType("role_changed")).get("reason"));

            // queue and cancel from node C, ping/pong, then leave with ack and close 1000.
            final String requestC = viewerC.send("cohost_request", room, "", null);
            viewerC.until(t -> t.contains("\"for\":\"" + requestC + "\""));
            final String cancel = viewerC.send("cohost_cancel", room, "", null);
            viewerC.until(t -> t.contains("\"for\":\"" + cancel + "\"") && t.contains("\"type\":\"ack\""));
            viewerC.send("ping", room, "\"ts\":42", null);
            assertEquals(42L, payload(viewerC.untilType("pong")).get("ts"));
            final String leave = viewerC.send("leave", room, "", null);
            viewerC.until(t -> t.contains("\"for\":\"" + leave + "\""));
            final RawWebSocket.Frame close = viewerC.raw().readUntilClose();
            assertEquals(1000, close.closeCode());

            // a message naming another room is refused by the owner, not applied elsewhere
            final String wrong = viewerB.send("game_event", "other-room", "", "{}");
            final String error = viewerB.until(t -> t.contains("\"for\":\"" + wrong + "\""));
            assertEquals("not_in_room", payload(error).get("code"));
        }
    }

    private static String get(final ServerProcess node, final String path)
    {
        try
        {
            return ProcessProbe.get(node, path);
        }
        catch (final IOException ex)
        {
            return "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static double sample(final String metrics, final String series)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    @Test
    void shouldShowEachNodesViewOfTheClusterInHealthzAndMetrics() throws Exception
    {
        final String room = "observed-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeB.port()))
        {
            host.join(room, "host");
            viewer.join(room, "viewer");
            final String event = viewer.send("game_event", room, "", "{\"seen\":true}");
            viewer.until(t -> t.contains("\"for\":\"" + event + "\""));

            Conditions.await(10_000, () ->
            {
                final String health = get(nodeA, "/healthz");
                return health.contains("\"node-a\"") && health.contains("\"node-b\"") &&
                    health.contains("\"node-c\"");
            }, "node A lists the three live nodes");
            final Map<String, Object> health = castMap((Map<?, ?>)Json.object(get(nodeA, "/healthz")).get("cluster"));
            assertEquals("node-a", health.get("nodeId"));
            assertEquals("up", health.get("redis"));
            assertTrue((Long)health.get("ownedRooms") >= 1, "node A owns the room: " + health);
            assertTrue(((List<?>)health.get("liveNodes")).containsAll(List.of("node-a", "node-b", "node-c")));

            Conditions.await(10_000, () ->
                sample(get(nodeA, "/metrics"), "cluster_relayed_messages_total{direction=\"in\"}") >= 2 &&
                sample(get(nodeB, "/metrics"), "cluster_relayed_messages_total{direction=\"out\"}") >= 2 &&
                sample(get(nodeB, "/metrics"), "cluster_relay_batches_total{direction=\"out\"}") >= 1 &&
                sample(get(nodeA, "/metrics"), "cluster_relay_batches_total{direction=\"in\"}") >= 1 &&
                sample(get(nodeA, "/metrics"), "cluster_lease_renewals_total{result=\"ok\"}") >= 1 &&
                sample(get(nodeB, "/metrics"), "cluster_live_nodes") >= 3 &&
                sample(get(nodeA, "/metrics"), "cluster_owned_rooms") >= 1,
                "relayed messages counted on both sides, leases renewed");
            final String metricsA = get(nodeA, "/metrics");
            assertEquals(1.0, sample(metricsA, "cluster_redis_up"));
            final String metricsB = get(nodeB, "/metrics");
            assertTrue(sample(metricsB, "cluster_relay_lag_samples_total") >= 1, "relay lag measured on B");
            assertTrue(sample(metricsB, "cluster_relay_lag_ms_max") >= 0);
            for (final String line : nodeB.lines)
            {
                assertTrue(line.startsWith("{"), "every log line, Redis client's included, is JSON: " + line);
            }
            assertTrue(nodeB.logged("cluster", "nodeId", "node-b"),
                "the cluster settings and node id are logged at start");
        }
    }

    @Test
    void shouldCloseTheRoomsSocketsWith4012WhenAnotherNodeTookTheLease() throws Exception
    {
        final String room = "stolen-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeB.port()))
        {
            host.join(room, "host");
            viewer.join(room, "viewer");
            final RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> connection = client.connect())
            {
                connection.sync().set("sb:lease:" + room, "intruder", SetArgs.Builder.px(60_000));
            }
            finally
            {
                client.shutdown(0, 1, TimeUnit.SECONDS);
            }
            assertEquals("intruder", redisGet("sb:lease:" + room));
            final RawWebSocket.Frame hostClose = host.raw().readUntilClose();
            assertEquals(4012, hostClose.closeCode(), "the owner's local socket is told the room moved");
            assertEquals("room_moved", hostClose.closeReason());
            assertEquals(4012, viewer.raw().readUntilClose().closeCode(), "and so is the socket relayed to it");
        }
    }

    @Test
    void shouldSendAwayTheSessionsOfANodeThatDiedWhileRelayingToTheOwner() throws Exception
    {
        final String room = "orphan-room";
        try (ServerProcess nodeD = ClusterProcesses.start(redis, "node-d");
            JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient viewer = JsonClient.connect(nodeD.port()))
        {
            host.join(room, "host");
            final String viewerId = (String)payload(viewer.join(room, "viewer")).get("userId");
            Conditions.await(10_000, () -> get(nodeA, "/healthz").contains("\"node-d\""), "node A sees node D");
            nodeD.process.destroyForcibly();
            Conditions.await(15_000, () -> nodeA.lines.stream().anyMatch(l -> l.contains("origin_node_lost") &&
                l.contains("node-d")), "node A closes the sockets node D relayed");
            final String offer = host.send("webrtc_offer", room, "\"to\":\"" + viewerId + "\"", "{\"sdp\":\"x\"}");
            host.until(t -> t.contains("\"for\":\"" + offer + "\""));
        }
    }

    private static String redisGet(final String key)
    {
        final RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect())
        {
            return connection.sync().get(key);
        }
        finally
        {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldDropTheLeaseAndSnapshotWhenTheOwnerClosesTheRoom() throws Exception
    {
        final String room = "short-room";
        try (JsonClient host = JsonClient.connect(nodeA.port()))
        {
            host.join(room, "host");
            host.send("game_state", room, "", "{\"version\":1,\"patch\":{\"a\":1}}");
            Conditions.await(10_000, () -> null != redisGet("sb:snap:" + room), "the owner stores a snapshot");
            assertEquals("node-a", redisGet("sb:lease:" + room));
            final String leave = host.send("leave", room, "", null);
            host.until(t -> t.contains("\"for\":\"" + leave + "\""));
        }
        Conditions.await(10_000, () -> null == redisGet("sb:lease:" + room) && null == redisGet("sb:snap:" + room),
            "closing the room releases its lease and deletes its snapshot");
    }

    @Test
    void shouldGiveBackARoomClaimedForAResumeThatFailed() throws Exception
    {
        final String room = "ghost-room";
        try (JsonClient client = JsonClient.connect(nodeB.port()))
        {
            final String resume = client.send("resume", room, "",
                "{\"sessionToken\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"lastDseq\":0,\"lastRseq\":0}");
            final String error = client.until(t -> t.contains("\"for\":\"" + resume + "\""));
            assertEquals("resume_failed", payload(error).get("code"));
        }
        Conditions.await(10_000, () -> null == redisGet("sb:lease:" + room),
            "the lease taken to look for the session is released after one lease lifetime");
    }

    @Test
    void shouldKeepTheOrderOfMessagesPipelinedBehindTheJoinThatMadeTheNodeTheOwner() throws Exception
    {
        final String room = "pipelined-room";
        try (JsonClient host = JsonClient.connect(nodeC.port()))
        {
            final List<String> sent = new ArrayList<>();
            sent.add(host.send("join", room, "", "{\"role\":\"host\"}"));
            for (int i = 0; i < 8; i++)
            {
                sent.add(host.send("game_event", room, "", "{\"i\":" + i + "}"));
            }
            final List<String> answered = new ArrayList<>();
            while (answered.size() < sent.size())
            {
                final String message = host.next();
                if (message.startsWith("{\"type\":\"ack\"") || message.startsWith("{\"type\":\"error\""))
                {
                    assertTrue(message.startsWith("{\"type\":\"ack\""), "no message overtakes the join: " + message);
                    answered.add((String)Json.object(message).get("for"));
                }
            }
            assertEquals(sent, answered, "acked in the order sent, across the switch from relayed to direct");
            final String after = host.send("game_event", room, "", "{\"after\":true}");
            host.until(t -> t.contains("\"for\":\"" + after + "\""));
        }
    }

    @Test
    void shouldResumeOnAnotherNodeWithRoleQueuePositionAndMissedMessages() throws Exception
    {
        final String room = "resume-room";
        try (JsonClient host = JsonClient.connect(nodeA.port());
            JsonClient queued = JsonClient.connect(nodeA.port()))
        {
            host.join(room, "host");
            final Map<String, Object> joined = payload(queued.join(room, "viewer"));
            final String token = (String)joined.get("sessionToken");
            final String userId = (String)joined.get("userId");
            final String request = queued.send("cohost_request", room, "", null);
            final long dseq = Json.object(queued.until(t -> t.contains("\"for\":\"" + request + "\""))).get("dseq")
                instanceof Long d ? d : 0;
            host.untilType("cohost_queue_updated");
            queued.raw().close();

            // After the last frame the client saw (lastDseq): a directed offer and a room broadcast.
            final String offer = host.send("webrtc_offer", room, "\"to\":\"" + userId + "\"",
                "{\"sdp\":\"v=0 away\"}");
            host.until(t -> t.contains("\"for\":\"" + offer + "\""));
            final String event = host.send("game_event", room, "", "{\"missed\":true}");
            host.until(t -> t.contains("\"for\":\"" + event + "\""));

            for (final ServerProcess other : new ServerProcess[] {nodeB, nodeC})
            {
                try (JsonClient back = JsonClient.connect(other.port()))
                {
                    back.send("resume", room, "",
                        "{\"sessionToken\":\"" + token + "\",\"lastDseq\":" + dseq + ",\"lastRseq\":0}");
                    final Map<String, Object> resumed = payload(back.until(
                        t -> t.startsWith("{\"type\":\"resume_ok\"") || t.startsWith("{\"type\":\"error\"")));
                    assertEquals(userId, resumed.get("userId"), "resumed on another node: " + resumed);
                    assertEquals("viewer", resumed.get("role"));
                    assertEquals(1L, resumed.get("position"), "queue position kept");
                    assertEquals(Boolean.FALSE, resumed.get("gap"));
                    back.send("ping", room, "\"ts\":1", null);
                    final List<String> missed = new ArrayList<>();
                    String message;
                    while (!(message = back.next()).startsWith("{\"type\":\"pong\""))
                    {
                        if (message.startsWith("{\"type\":\"webrtc_offer\"") ||
                            message.startsWith("{\"type\":\"game_event\""))
                        {
                            missed.add((String)Json.object(message).get("msgId"));
                        }
                    }
                    if (other == nodeB)
                    {
                        assertEquals(List.of(offer, event), missed, "missed messages replayed in order");
                    }
                    back.raw().close();
                }
            }
        }
    }
}
