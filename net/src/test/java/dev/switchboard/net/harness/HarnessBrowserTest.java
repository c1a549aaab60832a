package dev.switchboard.net.harness;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.NodeTests;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Map;

/**
 * The harness page in Debian's Chromium ({@code harness/test/browser.test.mjs}, driven by playwright-core)
 * against the real server with default settings: every stress test must show PASS. Skipped outside CI when
 * Chromium is not installed.
 */
@SystemTest
class HarnessBrowserTest
{
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");

    @Test
    void shouldPassEveryStressTestOfTheHarnessPage() throws Exception
    {
        if (!"true".equals(System.getenv("CI")))
        {
            Assumptions.assumeTrue(new File(CHROMIUM).canExecute(),
                "Chromium is missing (apt-get install chromium); skipped outside CI");
        }
        try (HarnessNodeTest.RealServer server = HarnessNodeTest.RealServer.start("browser"))
        {
            NodeTests.run(Map.of(
                "SWITCHBOARD_URL", server.wsUrl(),
                "SWITCHBOARD_HTTP", server.httpUrl(),
                "CHROMIUM_PATH", CHROMIUM),
                300, "test/browser.test.mjs");
        }
    }
}
