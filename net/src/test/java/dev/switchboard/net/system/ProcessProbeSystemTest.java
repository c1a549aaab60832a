package dev.switchboard.net.system;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polling a server's {@code /metrics} the way the system tests' conditions do leaves the per-address connection
 * budget to the clients under test: the probe reuses one connection instead of leaving one open per sample
 * (ClusterAbuseSystemTest's nodes were left holding 180 of the 256 sockets 127.0.0.1 may open, and a later
 * test's WebSocket was reset once the budget ran out).
 */
@SystemTest
class ProcessProbeSystemTest
{
    private static final int MAX_CONNECTIONS_PER_ADDRESS = 4;
    private static final int SAMPLES = 100;

    @Test
    void shouldPollMetricsWithoutUsingUpTheAddressConnectionBudget() throws Exception
    {
        try (ServerProcess server = new ServerProcess("--max-connections-per-address",
            Integer.toString(MAX_CONNECTIONS_PER_ADDRESS)))
        {
            // With a connection per sample, the fifth sample is already refused at accept (an IOException here).
            // connected_sockets is not checked: the sampler publishes it once per interval, so it lags the polls.
            for (int i = 0; i < SAMPLES; i++)
            {
                assertTrue(ProcessProbe.sample(server, "connected_sockets") >= 0, "sample " + i);
            }
            try (JsonClient host = JsonClient.connect(server.port());
                JsonClient viewer = JsonClient.connect(server.port()))
            {
                host.join("probed-room", "host");
                assertTrue(viewer.join("probed-room", "viewer").contains("\"joined\""),
                    "sockets under test still fit in the address budget after " + SAMPLES + " samples");
            }
            assertEquals(0.0, ProcessProbe.sample(server, "io_address_limit_refusals_total{limit=\"connections\"}"));
        }
    }
}
