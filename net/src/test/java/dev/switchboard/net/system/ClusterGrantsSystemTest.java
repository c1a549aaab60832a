package dev.switchboard.net.system;

import dev.switchboard.engine.auth.TestJwts;
import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import dev.switchboard.net.support.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JWT grants and the host reservation across nodes, with real processes and a real redis-server: a socket whose
 * token carries grants is relayed to the room's owner with them and gets exactly the answers a local socket gets,
 * and a room whose authenticated host left keeps its reservation when a drain moves it to another node.
 */
@SystemTest
class ClusterGrantsSystemTest
{
    private static final String SECRET = "cluster-grants-test-secret-of-at-least-32-bytes";

    private RedisServer redis;
    private ServerProcess nodeA;
    private ServerProcess nodeB;
    private ServerProcess nodeC;

    @BeforeEach
    void startCluster() throws Exception
    {
        redis = RedisServer.start();
        nodeA = ClusterProcesses.start(redis, "grants-a", "--jwt-secret", SECRET, "--drain-seconds", "2",
            "--drain-spread-millis", "200");
        nodeB = ClusterProcesses.start(redis, "grants-b", "--jwt-secret", SECRET);
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

    private static String token(final String sub, final String extraClaims)
    {
        return TestJwts.forUser(SECRET, sub, extraClaims);
    }

    @Test
    void shouldEnforceTheGrantsOfASocketRelayedToTheOwnerAsForALocalSocket() throws Exception
    {
        final String fan = token("fan", "\"rooms\":[\"quiz-*\"],\"roles\":[\"viewer\"],\"cohost\":true");
        final String watcher = token("watcher", "\"rooms\":[\"quiz-1\"],\"roles\":[\"viewer\"],\"cohost\":false");
        try (JsonClient host = JsonClient.connectWithToken(nodeA.port(), token("stagehost", ""));
            JsonClient chessHost = JsonClient.connectWithToken(nodeA.port(), token("chesshost", "")))
        {
            final String hostId = (String)payload(host.join("quiz-1", "host")).get("userId");
            chessHost.join("chess-1", "host");

            try (JsonClient outside = JsonClient.connectWithToken(nodeB.port(), fan))
            {
                final String refused = outside.joinAnswer("chess-1", "viewer");
                assertEquals("forbidden", JsonClient.field(refused, "code"), "a room outside the patterns: " + refused);
            }
            try (JsonClient asHost = JsonClient.connectWithToken(nodeB.port(), fan))
            {
                final String refused = asHost.joinAnswer("quiz-1", "host");
                assertEquals("forbidden", JsonClient.field(refused, "code"),
                    "a viewer-only token joining as host is refused before host_taken: " + refused);
            }
            try (JsonClient unowned = JsonClient.connectWithToken(nodeB.port(), fan))
            {
                final String refused = unowned.joinAnswer("quiz-new", "host");
                assertEquals("forbidden", JsonClient.field(refused, "code"),
                    "the same on a room node B claims for itself: " + refused);
            }
            try (JsonClient viewer = JsonClient.connectWithToken(nodeB.port(), fan);
                JsonClient noCohost = JsonClient.connectWithToken(nodeB.port(), watcher))
            {
                final String joined = viewer.joinAnswer("quiz-1", "viewer");
                assertTrue(joined.startsWith("{\"type\":\"joined\""), joined);
                assertEquals(hostId, payload(joined).get("hostId"), "relayed to the room that lives on node A");
                assertEquals("fan", payload(joined).get("userId"));

                final String request = viewer.send("cohost_request", "quiz-1", "", null);
                viewer.until(t -> t.contains("\"for\":\"" + request + "\"") && t.contains("\"type\":\"ack\""));
                assertEquals(List.of("fan"), payload(host.untilType("cohost_queue_updated")).get("queue"));
                host.send("cohost_accept", "quiz-1", "", "{\"userId\":\"fan\"}");
                assertEquals("guest", payload(viewer.untilType("role_changed")).get("role"));
                host.send("webrtc_offer", "quiz-1", "\"to\":\"fan\"", "{\"sdp\":\"v=0 offer\"}");
                assertEquals("v=0 offer", payload(viewer.untilType("webrtc_offer")).get("sdp"));
                viewer.send("webrtc_answer", "quiz-1", "\"to\":\"" + hostId + "\"", "{\"sdp\":\"v=0 answer\"}");
                assertEquals("v=0 answer", payload(host.untilType("webrtc_answer")).get("sdp"));

                assertTrue(noCohost.joinAnswer("quiz-1", "viewer").startsWith("{\"type\":\"joined\""));
                final String denied = noCohost.send("cohost_request", "quiz-1", "", null);
                final String refused = noCohost.until(t -> t.contains("\"for\":\"" + denied + "\""));
                assertEquals("forbidden", JsonClient.field(refused, "code"), "cohost:false: " + refused);
            }
        }
    }

    @Test
    void shouldKeepTheHostReservationWhenADrainMovesTheRoom() throws Exception
    {
        final String room = "stage";
        final JsonClient viewer = JsonClient.connect(nodeB.port());
        try (JsonClient host = JsonClient.connectWithToken(nodeA.port(), token("owner", "\"roles\":[\"host\"]")))
        {
            host.join(room, "host");
            viewer.join(room, "viewer");
            host.send("leave", room, "", null);
            assertEquals(1000, host.raw().readUntilClose().closeCode());
        }
        nodeC = ClusterProcesses.start(redis, "grants-c", "--jwt-secret", SECRET);
        assertTrue(nodeA.process.toHandle().destroy(), "SIGTERM: node A hands its rooms over");
        final RawWebSocket.Frame moved = viewer.raw().readUntilClose();
        assertEquals(4012, moved.closeCode(), "the relayed viewer learns the room moved");
        assertTrue(nodeA.process.waitFor(120, TimeUnit.SECONDS), "the drained node exits");

        try (JsonClient stranger = JsonClient.connectWithToken(nodeC.port(), token("mallory", "")))
        {
            final String taken = stranger.joinAnswer(room, "host");
            assertEquals("host_taken", JsonClient.field(taken, "code"),
                "the restored room still keeps the host role for owner: " + taken);
        }
        try (JsonClient back = JsonClient.connectWithToken(nodeB.port(), token("owner", "\"roles\":[\"host\"]")))
        {
            final String joined = back.joinAnswer(room, "host");
            assertTrue(joined.startsWith("{\"type\":\"joined\""), joined);
            assertEquals("host", payload(joined).get("role"), "the reserved sub hosts the restored room again");
        }
        viewer.raw().close();
    }
}
