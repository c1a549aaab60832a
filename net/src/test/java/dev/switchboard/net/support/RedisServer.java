package dev.switchboard.net.support;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real {@code /usr/bin/redis-server} (Debian's package) on a free loopback port, without persistence, for
 * the cluster tests; it can be stopped and started again on the same port to test a Redis outage.
 */
public final class RedisServer implements AutoCloseable
{
    /** Where Debian installs the server. */
    public static final String BINARY = "/usr/bin/redis-server";
    /**
     * How long a started server may take to answer PING: an upper bound on waiting (it answers in milliseconds on
     * a quiet machine, far slower under a load average of 10), not a speed requirement.
     */
    public static final long START_TIMEOUT_MS = 60_000;

    private final int port;
    private final String password;
    private final Path tlsDir;
    private Process process;

    private RedisServer(final int port, final String password)
    {
        this(port, password, null);
    }

    private RedisServer(final int port, final String password, final Path tlsDir)
    {
        this.port = port;
        this.password = password;
        this.tlsDir = tlsDir;
    }

    /**
     * Start a server that speaks only TLS (certificate for 127.0.0.1 made with {@code openssl} in {@code dir},
     * which also gets {@code truststore.p12}, password {@code changeit}, for clients) and requires a password.
     *
     * @param password the password.
     * @param dir      an empty directory for the certificate, key and trust store.
     * @return the running server.
     * @throws IOException if it cannot start.
     * @throws InterruptedException if interrupted while making the certificate.
     */
    public static RedisServer startTls(final String password, final Path dir)
        throws IOException, InterruptedException
    {
        if (!"true".equals(System.getenv("CI")))
        {
            Assumptions.assumeTrue(new File(BINARY).canExecute(),
                "redis-server is missing (apt-get install redis-server); skipped outside CI");
        }
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
            "cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        run(dir, System.getProperty("java.home") + "/bin/keytool", "-importcert", "-noprompt", "-alias", "redis",
            "-file", "cert.pem", "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final RedisServer server = new RedisServer(port, password, dir);
        server.startAgain();
        return server;
    }

    private static void run(final Path dir, final String... command)
        throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || 0 != p.exitValue())
        {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    /**
     * Start a server on a free port and wait until it answers PING; outside CI a machine without
     * {@code /usr/bin/redis-server} skips the calling test instead.
     *
     * @return the running server.
     * @throws IOException if it cannot start.
     */
    public static RedisServer start() throws IOException
    {
        return start(null);
    }

    /**
     * Start a server that requires a password ({@code --requirepass}), or none when null.
     *
     * @param password the password, or null.
     * @return the running server.
     * @throws IOException if it cannot start.
     */
    public static RedisServer start(final String password) throws IOException
    {
        if (!"true".equals(System.getenv("CI")))
        {
            Assumptions.assumeTrue(new File(BINARY).canExecute(),
                "redis-server is missing (apt-get install redis-server); skipped outside CI");
        }
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final RedisServer server = new RedisServer(port, password);
        server.startAgain();
        return server;
    }

    /**
     * Start the process (again) on this server's port and wait until it answers PING.
     *
     * @throws IOException if it does not come up within {@link #START_TIMEOUT_MS}, with the server's output.
     */
    public void startAgain() throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(BINARY, "--port",
            Integer.toString(null == tlsDir ? port : 0), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--protected-mode", "no"));
        if (null != tlsDir)
        {
            command.addAll(List.of("--tls-port", Integer.toString(port), "--tls-cert-file",
                tlsDir.resolve("cert.pem").toString(), "--tls-key-file", tlsDir.resolve("key.pem").toString(),
                "--tls-ca-cert-file", tlsDir.resolve("cert.pem").toString(), "--tls-auth-clients", "no"));
        }
        if (null != password)
        {
            command.add("--requirepass");
            command.add(password);
        }
        final Path output = Files.createTempFile("redis-server-" + port + "-", ".log");
        output.toFile().deleteOnExit();
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()))
            .start();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadline < 0)
        {
            if (answersPing())
            {
                return;
            }
            if (!process.isAlive())
            {
                break;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        final String state = process.isAlive() ? "no PONG after " + START_TIMEOUT_MS + " ms" :
            "exited with status " + process.exitValue();
        process.destroyForcibly();
        throw new IOException("redis-server did not start on port " + port + " (" + state + "); its output:\n" +
            Files.readString(output, StandardCharsets.UTF_8));
    }

    /**
     * Stop the process and wait for it to exit.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void stop() throws InterruptedException
    {
        if (null != process)
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /**
     * Freeze the process (SIGSTOP): connections stay open but nothing is answered, like a hung Redis.
     *
     * @throws IOException if the signal cannot be sent.
     * @throws InterruptedException if interrupted while waiting for kill.
     */
    public void pause() throws IOException, InterruptedException
    {
        signal("-STOP");
    }

    /**
     * Let a paused process run again (SIGCONT).
     *
     * @throws IOException if the signal cannot be sent.
     * @throws InterruptedException if interrupted while waiting for kill.
     */
    public void resume() throws IOException, InterruptedException
    {
        signal("-CONT");
    }

    private void signal(final String signal) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (0 != kill.waitFor())
        {
            throw new IOException("kill " + signal + " failed");
        }
    }

    /**
     * The port.
     *
     * @return port.
     */
    public int port()
    {
        return port;
    }

    /**
     * The URL to pass as {@code redisUrl}.
     *
     * @return {@code redis://127.0.0.1:port}, with {@code :password@} when the server requires one.
     */
    public String url()
    {
        final String scheme = null == tlsDir ? "redis://" : "rediss://";
        return null == password ? scheme + "127.0.0.1:" + port : scheme + ":" + password + "@127.0.0.1:" + port;
    }

    private boolean answersPing()
    {
        if (null != tlsDir)
        {
            return acceptsConnections();
        }
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            final OutputStream out = socket.getOutputStream();
            final String auth = null == password ? "" : "AUTH " + password + "\r\n";
            out.write((auth + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] reply = new byte[64];
            int n = 0;
            while (!new String(reply, 0, n, StandardCharsets.US_ASCII).contains("+PONG"))
            {
                final int r = in.read(reply, n, reply.length - n);
                if (r < 0 || n + r >= reply.length)
                {
                    return false;
                }
                n += r;
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private boolean acceptsConnections()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * The trust store holding the TLS server's certificate (PKCS12, password {@code changeit}).
     *
     * @return its path, or null for a plain server.
     */
    public Path trustStore()
    {
        return null == tlsDir ? null : tlsDir.resolve("truststore.p12");
    }

    @Override
    public void close()
    {
        try
        {
            stop();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
