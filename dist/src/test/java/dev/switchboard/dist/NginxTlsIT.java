package dev.switchboard.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.dist.Distribution.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented TLS recipe, {@code deploy/nginx/switchboard.conf}, run by Debian's nginx in front of the release's
 * server: only its ports, certificate and log paths are substituted. A self-signed certificate is made at test time
 * and the Node client verifies it (no verification switched off). The JavaScript client joins with an authToken,
 * relays a game event and resumes over {@code wss://}; the access log then holds no token.
 */
class NginxTlsIT
{
    private static final String NGINX = "/usr/sbin/nginx";
    private static final String SECRET = "nginx-tls-test-secret-0123456789";

    @TempDir
    Path tempDir;

    @Test
    void shouldCarryJoinRelayAndResumeOverWssAndKeepTokensOutOfTheAccessLog() throws Exception
    {
        final Path harness = Distribution.repoRoot().resolve("harness");
        Distribution.requireTool(new File(NGINX).canExecute(), "Debian's nginx (apt-get install nginx-light)");
        Distribution.requireTool(new File("/usr/bin/openssl").canExecute(), "openssl");
        Distribution.requireTool(Files.isRegularFile(harness.resolve("node_modules/ws/package.json")) && nodeWorks(),
            "node with the harness's npm packages (npm ci --prefix harness)");

        final String documented = Files.readString(Distribution.repoRoot().resolve("deploy/nginx/switchboard.conf"));
        final Matcher readTimeout = Pattern.compile("proxy_read_timeout\\s+(\\d+)s;").matcher(documented);
        assertTrue(readTimeout.find());
        assertTrue(Integer.parseInt(readTimeout.group(1)) > 45, "nginx's idle timeout above idleTimeoutSeconds");
        assertTrue(documented.contains("proxy_set_header X-Forwarded-For   $remote_addr;"));

        final Path home = Distribution.unpack(Files.createDirectories(tempDir.resolve("dist")));
        final int serverPort = Distribution.freePort();
        final int proxyPort = Distribution.freePort();
        final Path certificate = tempDir.resolve("proxy.crt");
        final Path key = tempDir.resolve("proxy.key");
        run(List.of("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key.toString(), "-out", certificate.toString()));

        final Path accessLog = tempDir.resolve("access.log");
        final Path errorLog = tempDir.resolve("error.log");
        String conf = documented;
        conf = substitute(conf, "listen 443 ssl;", "listen 127.0.0.1:" + proxyPort + " ssl;");
        conf = substitute(conf, "server 127.0.0.1:8080 max_fails=0;", "server 127.0.0.1:" + serverPort + " max_fails=0;");
        conf = substitute(conf, "/etc/ssl/certs/switchboard.crt", certificate.toString());
        conf = substitute(conf, "/etc/ssl/private/switchboard.key", key.toString());
        conf = substitute(conf, "/var/log/nginx/switchboard.access.log", accessLog.toString());
        conf = substitute(conf, "/var/log/nginx/switchboard.error.log", errorLog.toString());
        Files.writeString(tempDir.resolve("switchboard.conf"), conf, StandardCharsets.UTF_8);
        Files.createDirectories(tempDir.resolve("logs"));
        // The main file around it, as Debian's /etc/nginx/nginx.conf includes conf.d/*.conf inside http {}.
        Files.writeString(tempDir.resolve("nginx.conf"), String.join("\n",
            "worker_processes 1;",
            "pid " + tempDir.resolve("nginx.pid") + ";",
            "error_log " + errorLog + " warn;",
            "events { worker_connections 256; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + tempDir.resolve("body") + ";",
            "  proxy_temp_path " + tempDir.resolve("proxy") + ";",
            "  include " + tempDir.resolve("switchboard.conf") + ";",
            "}", ""), StandardCharsets.UTF_8);
        final List<String> nginx = List.of(NGINX, "-p", tempDir.toString(), "-c", tempDir.resolve("nginx.conf").toString());
        run(concat(nginx, List.of("-t")));

        try (Distribution.Launched server = new Distribution.Launched(List.of(Distribution.launcher(home),
                "--port", String.valueOf(serverPort), "--bind-address", "127.0.0.1"),
                Map.of("JAVA_OPTS", "-Xms64m -Xmx256m", "SWITCHBOARD_JWT_SECRET", SECRET));
            Distribution.Launched proxy = new Distribution.Launched(concat(nginx, List.of("-g", "daemon off;")), Map.of()))
        {
            await(60_000, () -> 200 == Distribution.status("http://127.0.0.1:" + serverPort + "/healthz"),
                "server /healthz:\n" + server.output());
            await(30_000, () -> Files.exists(tempDir.resolve("nginx.pid")), "nginx started:\n" + proxy.output());

            final ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec",
                Distribution.repoRoot().resolve("dist/src/test/node/wss-through-proxy.test.mjs").toString())
                .directory(harness.toFile()).redirectErrorStream(true);
            node.environment().put("SWITCHBOARD_WSS", "wss://127.0.0.1:" + proxyPort + "/ws");
            node.environment().put("SWITCHBOARD_CA", certificate.toString());
            node.environment().put("SWITCHBOARD_JWT_SECRET", SECRET);
            node.environment().put("HARNESS_DIR", harness.toString());
            final Process nodeProcess = node.start();
            final String nodeOutput = new String(nodeProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(nodeProcess.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, nodeProcess.exitValue(), nodeOutput + "\nnginx error log:\n" + read(errorLog));
            assertTrue(nodeOutput.contains("pass 1") && nodeOutput.contains("fail 0"), nodeOutput);

            proxy.process.toHandle().destroy(); // SIGTERM: nginx flushes and closes its logs
            proxy.waitForExit(30);
            final String log = read(accessLog);
            final List<String> upgrades = log.lines().filter(l -> l.contains("\"GET /ws HTTP/1.1\" 101")).toList();
            assertTrue(upgrades.size() >= 3, "host, viewer and the resumed viewer upgraded through nginx:\n" + log);
            assertFalse(log.contains("authToken"), log);
            assertFalse(log.contains(SECRET), log);
            assertFalse(log.contains("eyJ"), "no JWT (base64url of '{\"') in the access log:\n" + log);
        }
    }

    private static String substitute(final String text, final String documented, final String local)
    {
        assertEquals(1, text.split(Pattern.quote(documented), -1).length - 1, "documented once: " + documented);
        return text.replace(documented, local);
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final ArrayList<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String read(final Path file) throws Exception
    {
        return Files.exists(file) ? Files.readString(file) : "(no " + file + ")";
    }

    private static boolean nodeWorks()
    {
        try
        {
            final Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && 0 == process.exitValue();
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    private static void run(final List<String> command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
