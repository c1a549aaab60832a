package dev.switchboard.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Test helper: a TLS terminator on loopback (a self-signed certificate for IP 127.0.0.1 made by the JDK's
 * keytool) that forwards each connection's bytes to a plain server, as a TLS proxy in front of Switchboard does.
 */
final class TlsProxy implements AutoCloseable
{
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final SSLServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Path certificate;

    private TlsProxy(final SSLServerSocket server, final Path certificate)
    {
        this.server = server;
        this.certificate = certificate;
    }

    /**
     * Make a certificate in {@code dir} and start forwarding to {@code targetPort}.
     *
     * @param dir        where the key store and the certificate go.
     * @param targetPort the plain server's port on 127.0.0.1.
     * @return the running proxy.
     * @throws Exception if keytool or the TLS setup fails.
     */
    static TlsProxy start(final Path dir, final int targetPort) throws Exception
    {
        final Path keyStore = dir.resolve("proxy.p12");
        final Path certificate = dir.resolve("proxy.pem");
        final String keytool = System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
        run(keytool, "-genkeypair", "-alias", "proxy", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
            "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "proxy", "-keystore", keyStore.toString(), "-storepass",
            "changeit", "-file", certificate.toString());
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore))
        {
            keys.load(in, PASSWORD);
        }
        final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        final SSLServerSocket server = (SSLServerSocket)context.getServerSocketFactory()
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final TlsProxy proxy = new TlsProxy(server, certificate);
        final Thread acceptor = new Thread(() -> proxy.acceptLoop(targetPort), "tls-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    private static void run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(
            process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || 0 != process.exitValue())
        {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    int port()
    {
        return server.getLocalPort();
    }

    Path certificate()
    {
        return certificate;
    }

    private void acceptLoop(final int targetPort)
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket client = server.accept();
                final Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress("127.0.0.1", targetPort), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
            catch (final IOException ex)
            {
                return; // closed
            }
        }
    }

    private void pump(final Socket from, final Socket to)
    {
        final Thread thread = new Thread(() ->
        {
            final byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            catch (final IOException ignore)
            {
                // one side closed
            }
            finally
            {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tls-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // already closed
        }
    }

    @Override
    public void close() throws IOException
    {
        server.close();
        for (final Socket socket : sockets)
        {
            closeQuietly(socket);
        }
    }
}
