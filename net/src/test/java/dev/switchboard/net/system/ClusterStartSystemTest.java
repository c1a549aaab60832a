package dev.switchboard.net.system;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node in multi-node mode starts serving only once its Redis link is up, so the first sockets to arrive are not
 * turned away; when Redis cannot be reached the wait is bounded and the node says why joins fail.
 */
@SystemTest
class ClusterStartSystemTest
{
    @Test
    void shouldAnswerTheVeryFirstJoinWithJoinedNotClusterUnavailable() throws Exception
    {
        try (RedisServer redis = RedisServer.start();
            ServerProcess node = new ServerProcess(
                "--redis-url", redis.url(), "--node-id", "node-first", "--redis-timeout-millis", "500");
            JsonClient client = JsonClient.connect(node.port()))
        {
            client.send("join", "first-room", "", "{\"role\":\"host\"}");
            final String answer = client.until(ClusterStartSystemTest::joinedOrError);
            assertEquals("joined", JsonClient.field(answer, "type"), answer);
            assertTrue(indexOf(node, "redis_ready") >= 0, "the node logs that it waited for Redis");
            assertTrue(indexOf(node, "redis_ready") < indexOf(node, "\"started\""),
                "the node connects to Redis before it logs started");
        }
    }

    @Test
    void shouldServeAfterABoundedWaitAndAnswerClusterUnavailableWhenRedisIsUnreachableAtStart() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            closedPort = probe.getLocalPort();
        }
        try (ServerProcess node = new ServerProcess("--redis-url", "redis://127.0.0.1:" + closedPort,
            "--node-id", "node-alone", "--redis-timeout-millis", "200");
            JsonClient client = JsonClient.connect(node.port()))
        {
            assertTrue(indexOf(node, "redis_unreachable_at_start") >= 0, String.join("\n", node.lines));
            client.send("join", "lonely-room", "", "{\"role\":\"host\"}");
            final String answer = client.until(ClusterStartSystemTest::joinedOrError);
            assertEquals("error", JsonClient.field(answer, "type"), answer);
            assertTrue(answer.contains("\"code\":\"cluster_unavailable\""), answer);
        }
    }

    private static boolean joinedOrError(final String text)
    {
        return text.contains("\"type\":\"joined\"") || text.contains("\"type\":\"error\"");
    }

    private static int indexOf(final ServerProcess node, final String text)
    {
        for (int i = 0; i < node.lines.size(); i++)
        {
            if (node.lines.get(i).replace("\\", "").contains(text))
            {
                return i;
            }
        }
        return -1;
    }
}
