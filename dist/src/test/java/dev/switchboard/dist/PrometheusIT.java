package dev.switchboard.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.dist.Distribution.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The observability kit against the real tools: {@code promtool check rules} passes on
 * {@code deploy/prometheus/alerts.yml}; Debian's Prometheus, run with {@code deploy/prometheus/prometheus.yml}
 * (target and rule path substituted), scrapes a server started from the release, loads and evaluates every alert
 * rule without error, and answers every PromQL expression of {@code deploy/grafana/switchboard.json} and of the
 * rules through its HTTP API with a valid result. Every metric the expressions name is one the server exports (the
 * cluster families aside, which a single node does not have), and every dashboard expression on a single-node
 * family returns data.
 */
class PrometheusIT
{
    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final String PROMTOOL = "/usr/bin/promtool";
    /** Grafana's variables in the dashboard's expressions and what they mean for the check. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$__rate_interval", "1m", "$instance", ".*");
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z_:][a-z0-9_:]*)\\s*(\\{|\\[)");
    private static final Pattern EXPR = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path tempDir;

    @Test
    void shouldPassPromtoolCheckRules() throws Exception
    {
        Distribution.requireTool(new File(PROMTOOL).canExecute(), "Debian's prometheus (promtool)");
        final String output = run(List.of(PROMTOOL, "check", "rules",
            Distribution.repoRoot().resolve("deploy/prometheus/alerts.yml").toString()));
        assertTrue(output.contains("SUCCESS: " + alertCount() + " rules found"), output);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldEvaluateEveryDashboardAndAlertExpressionAgainstARealServer() throws Exception
    {
        Distribution.requireTool(new File(PROMETHEUS).canExecute(), "Debian's prometheus");
        final Path home = Distribution.unpack(Files.createDirectories(tempDir.resolve("dist")));
        final int serverPort = Distribution.freePort();
        final int prometheusPort = Distribution.freePort();

        final Path rules = Files.copy(Distribution.repoRoot().resolve("deploy/prometheus/alerts.yml"),
            tempDir.resolve("alerts.yml"));
        String config = Files.readString(Distribution.repoRoot().resolve("deploy/prometheus/prometheus.yml"));
        config = substitute(config, "/etc/prometheus/alerts.yml", rules.toString());
        config = substitute(config, "[\"switchboard-1:8080\", \"switchboard-2:8080\"]",
            "[\"127.0.0.1:" + serverPort + "\"]");
        config = substitute(config, "scrape_interval: 5s", "scrape_interval: 1s");
        config = substitute(config, "evaluation_interval: 5s", "evaluation_interval: 1s");
        Files.writeString(tempDir.resolve("prometheus.yml"), config, StandardCharsets.UTF_8);

        try (Distribution.Launched server = new Distribution.Launched(List.of(Distribution.launcher(home),
                "--port", String.valueOf(serverPort), "--bind-address", "127.0.0.1"),
                Map.of("JAVA_OPTS", "-Xms64m -Xmx256m"));
            Distribution.Launched prometheus = new Distribution.Launched(List.of(PROMETHEUS,
                "--config.file=" + tempDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + tempDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort), Map.of()))
        {
            final String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
            await(60_000, () -> 200 == Distribution.status("http://127.0.0.1:" + serverPort + "/healthz"),
                "server /healthz:\n" + server.output());
            final String metrics = Distribution.get("http://127.0.0.1:" + serverPort + "/metrics").body();
            // rate() over [1m] needs two samples: wait for a few scrapes of the server.
            await(90_000, () -> query(api, "count_over_time(up{job=\"switchboard\"}[1m]) >= 4").contains("\"value\""),
                "four scrapes of the server:\n" + prometheus.output());
            assertTrue(query(api, "up{job=\"switchboard\"}").contains("\"1\"]"), "the scrape is up");

            // Every alert rule loaded, evaluated at least once, healthy.
            final long alerts = alertCount();
            await(30_000, () -> alerts == evaluatedRules(Distribution.get(api + "rules").body()),
                "every rule evaluated");
            final Object rulesReply = Json.parse(Distribution.get(api + "rules").body());
            final List<String> ruleQueries = new ArrayList<>();
            for (final Object group : (List<Object>)Json.at(rulesReply, "data", "groups"))
            {
                for (final Object rule : (List<Object>)Json.at(group, "rules"))
                {
                    assertEquals("ok", Json.at(rule, "health"), rule.toString());
                    assertEquals(null, Json.at(rule, "lastError"), rule.toString());
                    ruleQueries.add((String)Json.at(rule, "query"));
                }
            }
            assertEquals(alerts, ruleQueries.size(), "Prometheus loaded every rule of alerts.yml");

            final List<String> dashboardQueries = dashboardExpressions();
            assertTrue(dashboardQueries.size() >= 30, dashboardQueries.toString());
            final Set<String> exported = families(metrics);
            final List<String> problems = new ArrayList<>();
            final List<String> awaitingData = new ArrayList<>();
            for (final String promql : concat(dashboardQueries, ruleQueries))
            {
                final String reply = query(api, promql);
                final Object parsed = Json.parse(reply);
                if (!"success".equals(Json.at(parsed, "status")) || null != Json.at(parsed, "warnings"))
                {
                    problems.add(promql + " -> " + reply);
                    continue;
                }
                for (final String name : selectors(promql))
                {
                    if (!exported.contains(name) && !"up".equals(name) && !name.startsWith("cluster_"))
                    {
                        problems.add(promql + " names " + name + ", which the server does not export");
                    }
                }
                final boolean singleNodeFamily = !promql.contains("cluster_");
                if (dashboardQueries.contains(promql) && singleNodeFamily && !hasData(reply))
                {
                    awaitingData.add(promql);
                }
            }
            // A rate() or a recording over a window can be empty for one evaluation right after the server's
            // first samples; a panel is broken only if it stays empty while the scrapes go on.
            final long dataDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!awaitingData.isEmpty() && System.nanoTime() < dataDeadline)
            {
                awaitingData.removeIf(promql -> hasData(query(api, promql)));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            for (final String promql : awaitingData)
            {
                problems.add(promql + " returns no data from a running single node for 30 s");
            }
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        }
    }

    /** Rules of the /api/v1/rules reply that Prometheus has evaluated (Go's zero time means never). */
    @SuppressWarnings("unchecked")
    private static long evaluatedRules(final String reply)
    {
        try
        {
            long evaluated = 0;
            for (final Object group : (List<Object>)Json.at(Json.parse(reply), "data", "groups"))
            {
                for (final Object rule : (List<Object>)Json.at(group, "rules"))
                {
                    final Object at = Json.at(rule, "lastEvaluation");
                    evaluated += at instanceof String time && !time.startsWith("0001-") ? 1 : 0;
                }
            }
            return evaluated;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /** Whether a query reply holds at least one series. */
    @SuppressWarnings("unchecked")
    private static boolean hasData(final String reply)
    {
        try
        {
            return !((List<Object>)Json.at(Json.parse(reply), "data", "result")).isEmpty();
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static String query(final String api, final String promql)
    {
        return Distribution.get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    }

    private static List<String> dashboardExpressions() throws Exception
    {
        final String dashboard = Files.readString(Distribution.repoRoot().resolve("deploy/grafana/switchboard.json"));
        final Object parsed = Json.parse(dashboard); // the dashboard is valid JSON
        assertEquals("switchboard", Json.at(parsed, "uid"));
        final List<String> expressions = new ArrayList<>();
        final Matcher m = EXPR.matcher(dashboard);
        while (m.find())
        {
            String promql = (String)Json.parse("\"" + m.group(1) + "\"");
            for (final Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet())
            {
                promql = promql.replace(variable.getKey(), variable.getValue());
            }
            assertFalse(promql.contains("$"), "a Grafana variable the check does not know: " + promql);
            expressions.add(promql);
        }
        return expressions;
    }

    private static Set<String> selectors(final String promql)
    {
        final Set<String> names = new LinkedHashSet<>();
        final String withoutStrings = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        final Matcher m = SELECTOR.matcher(withoutStrings);
        while (m.find())
        {
            if (!Set.of("by", "without", "on", "ignoring", "group_left", "group_right").contains(m.group(1)))
            {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Set<String> families(final String exposition)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final String line : exposition.split("\n"))
        {
            if (!line.startsWith("#") && !line.isBlank())
            {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static long alertCount() throws Exception
    {
        return Files.readAllLines(Distribution.repoRoot().resolve("deploy/prometheus/alerts.yml")).stream()
            .filter(l -> l.trim().startsWith("- alert:")).count();
    }

    private static String substitute(final String text, final String documented, final String local)
    {
        assertEquals(1, text.split(Pattern.quote(documented), -1).length - 1, "documented once: " + documented);
        return text.replace(documented, local);
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String run(final List<String> command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
