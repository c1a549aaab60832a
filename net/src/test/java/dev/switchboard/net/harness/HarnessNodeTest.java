package dev.switchboard.net.harness;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.NodeTests;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JavaScript client's Node tests ({@code harness/test/client-unit.test.mjs},
 * {@code harness/test/client.test.mjs} and the package's type check {@code harness/test/client-types.test.mjs})
 * against the real server, started as the README starts it, on a free loopback port.
 */
@SystemTest
class HarnessNodeTest
{
    private static final String JWT_SECRET = "harness-node-test-secret-of-32-bytes-or-more";
    private static final String TURN_SECRET = "harness-node-test-turn-secret";
    private static final int IDLE_TIMEOUT_SECONDS = 3;

    @Test
    void shouldPassClientTestsAgainstTheRealServer() throws Exception
    {
        try (RealServer server = RealServer.start("node",
            "--jwt-secret", JWT_SECRET,
            "--ice-servers", "stun:stun.example.org:3478,turn:turn.example.org:3478",
            "--turn-secret", TURN_SECRET,
            "--ping-interval-seconds", "1",
            "--idle-timeout-seconds", String.valueOf(IDLE_TIMEOUT_SECONDS)))
        {
            NodeTests.run(Map.of(
                "SWITCHBOARD_URL", server.wsUrl(),
                "SWITCHBOARD_HTTP", server.httpUrl(),
                "SWITCHBOARD_JWT_SECRET", JWT_SECRET,
                "SWITCHBOARD_TURN_SECRET", TURN_SECRET,
                "SWITCHBOARD_IDLE_TIMEOUT_SECONDS", String.valueOf(IDLE_TIMEOUT_SECONDS)),
                180, "test/client-unit.test.mjs", "test/client.test.mjs", "test/client-types.test.mjs");
        }
    }

    /**
     * The server's own main in a child JVM with this test's classpath, on a free loopback port; closing it
     * stops the process.
     */
    static final class RealServer implements AutoCloseable
    {
        private final Process process;
        private final int port;
        private final File log;

        private RealServer(final Process process, final int port, final File log)
        {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        /**
         * Start the server with extra flags and wait until /healthz answers.
         *
         * @param name  names the log file under target/.
         * @param flags extra command-line flags.
         * @return the running server.
         * @throws IOException if it cannot be started.
         */
        static RealServer start(final String name, final String... flags) throws IOException
        {
            final int port = freePort();
            final File log = new File("target/harness-server-" + name + ".log");
            final List<String> command = new ArrayList<>();
            command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
            command.add("-Xmx512m");
            command.add("-cp");
            command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            command.add("dev.switchboard.net.Server");
            command.add("--port");
            command.add(String.valueOf(port));
            command.add("--bind-address");
            command.add("127.0.0.1");
            command.add("--drain-seconds");
            command.add("0");
            command.addAll(List.of(flags));
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            // The server refuses unknown SWITCHBOARD_* variables; the ones meant for Node must not reach it.
            builder.environment().keySet().removeIf((variable) -> variable.startsWith("SWITCHBOARD_"));
            final Process process = builder.start();
            final RealServer server = new RealServer(process, port, log);
            try
            {
                Conditions.await(30_000, () -> !process.isAlive() || server.healthy(), "the server's /healthz");
                if (!process.isAlive())
                {
                    throw new AssertionError(
                        "the server exited with " + process.exitValue() + ":\n" + server.logText());
                }
            }
            catch (final RuntimeException | AssertionError ex)
            {
                server.close();
                throw ex;
            }
            return server;
        }

        /**
         * The WebSocket URL.
         *
         * @return ws://127.0.0.1:PORT/ws.
         */
        String wsUrl()
        {
            return "ws://127.0.0.1:" + port + "/ws";
        }

        /**
         * The HTTP base URL.
         *
         * @return http://127.0.0.1:PORT.
         */
        String httpUrl()
        {
            return "http://127.0.0.1:" + port;
        }

        private boolean healthy()
        {
            try
            {
                final HttpURLConnection connection =
                    (HttpURLConnection)URI.create(httpUrl() + "/healthz").toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(1000);
                try
                {
                    return 200 == connection.getResponseCode();
                }
                finally
                {
                    connection.disconnect();
                }
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        private String logText()
        {
            try
            {
                return Files.readString(log.toPath(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                return "(no log: " + ex.getMessage() + ")";
            }
        }

        private static int freePort() throws IOException
        {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
            {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close()
        {
            process.destroy();
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
