package dev.switchboard.net.conformance;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.NodeTests;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * Node's strict {@code ws} client (from npm) against the running front end; the cases live in
 * {@code harness/test/ws-frontend.test.mjs}.
 */
@SystemTest
class NodeWsClientTest
{
    @Test
    void shouldPassNodeWsClientCases() throws Exception
    {
        try (FrontEndServer server = new FrontEndServer())
        {
            NodeTests.run(Map.of("SWITCHBOARD_URL", "ws://127.0.0.1:" + server.port() + "/ws"), 120,
                "test/ws-frontend.test.mjs");
        }
    }
}
