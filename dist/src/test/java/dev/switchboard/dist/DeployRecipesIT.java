package dev.switchboard.dist;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment examples that no tool here can run (Compose and Kubernetes need a container runtime): their
 * drain arithmetic and wiring, checked against the server's defaults and the files they mount.
 */
class DeployRecipesIT
{
    private static final int DEFAULT_DRAIN_SECONDS = 10;
    /** Room handover before the drain in multi-node mode: 3 * redisTimeoutMillis (1 s) + 2 s. */
    private static final int HANDOVER_SECONDS = 5;

    private static String read(final String path) throws Exception
    {
        return Files.readString(Distribution.repoRoot().resolve(path));
    }

    private static int number(final String text, final String regex)
    {
        final Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void shouldGiveKubernetesPodsReadinessOnHealthzAPreStopAndAGracePeriodAboveTheDrain() throws Exception
    {
        final String k8s = read("deploy/kubernetes/switchboard.yaml");
        final int grace = number(k8s, "terminationGracePeriodSeconds: (\\d+)");
        final int preStop = number(k8s, "preStop:\\s+#[^\\n]*\\n(?:\\s+#[^\\n]*\\n)*\\s+sleep:\\s+seconds: (\\d+)");
        final int drain = number(k8s, "name: SWITCHBOARD_DRAIN_SECONDS\\s+value: \"(\\d+)\"");
        assertTrue(grace > preStop + drain + HANDOVER_SECONDS, "grace " + grace + " > preStop + drain + handover");
        assertTrue(Pattern.compile("readinessProbe:\\s+httpGet:\\s+path: /healthz").matcher(k8s).find(), k8s);
        assertTrue(Pattern.compile("livenessProbe:\\s+httpGet:\\s+path: /metrics").matcher(k8s).find(),
            "liveness must not use /healthz, which answers 503 while draining");
        assertTrue(k8s.contains("runAsNonRoot: true") && k8s.contains("runAsUser: 65532"));
    }

    @Test
    void shouldRunTwoNodesRedisPrometheusAndGrafanaWithTheDashboardInCompose() throws Exception
    {
        final String compose = read("deploy/compose.yaml");
        for (final String service : new String[] {"redis", "switchboard-1", "switchboard-2", "prometheus", "grafana"})
        {
            assertTrue(Pattern.compile("(?m)^  " + service + ":$").matcher(compose).find(), service);
        }
        assertTrue(number(compose, "stop_grace_period: (\\d+)s") > DEFAULT_DRAIN_SECONDS + HANDOVER_SECONDS + 2);
        assertTrue(compose.contains("SWITCHBOARD_REDIS_URL: redis://redis:6379"));
        for (final String mounted : new String[] {"prometheus/prometheus.yml", "prometheus/alerts.yml",
            "grafana/provisioning", "grafana/switchboard.json"})
        {
            assertTrue(compose.contains("./" + mounted + ":"), mounted);
            assertTrue(Files.exists(Distribution.repoRoot().resolve("deploy").resolve(mounted)), mounted);
        }
        final String dashboards = read("deploy/grafana/provisioning/dashboards/switchboard.yml");
        assertTrue(dashboards.contains("path: /var/lib/grafana/dashboards"));
        assertTrue(compose.contains("./grafana/switchboard.json:/var/lib/grafana/dashboards/switchboard.json:ro"));
        final String datasource = read("deploy/grafana/provisioning/datasources/prometheus.yml");
        assertTrue(datasource.contains("url: http://prometheus:9090"));
        final String prometheus = read("deploy/prometheus/prometheus.yml");
        assertTrue(prometheus.contains("[\"switchboard-1:8080\", \"switchboard-2:8080\"]"));
        assertTrue(prometheus.contains("- /etc/prometheus/alerts.yml"));
        assertTrue(compose.contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro"));
    }

    @Test
    void shouldKeepTheSystemdStopTimeoutAboveTheDrain() throws Exception
    {
        final String unit = Files.readString(Path.of("src/main/dist/systemd/switchboard.service"));
        assertTrue(number(unit, "\\nTimeoutStopSec=(\\d+)\\n") > DEFAULT_DRAIN_SECONDS + 2 + HANDOVER_SECONDS);
    }
}
