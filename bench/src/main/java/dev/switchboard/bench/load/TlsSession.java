package dev.switchboard.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one non-blocking client socket ({@code wss://}) with an {@link SSLEngine}: drives the handshake from
 * selector events, then decrypts what {@link #read} takes from the socket and encrypts what {@link #write} sends.
 * The server's certificate and host (an IP SAN for 127.0.0.1) are verified; {@code --tls-trust FILE} adds
 * certificates to trust, for self-signed test setups.
 */
final class TlsSession
{
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private boolean started;
    private boolean handshakeDone;

    /**
     * A client session to a server.
     *
     * @param context the TLS context.
     * @param host    the server's host, verified against its certificate.
     * @param port    the server's port.
     */
    TlsSession(final SSLContext context, final String host, final int port)
    {
        engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        final int packetBytes = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packetBytes * 2);
        netOut = ByteBuffer.allocate(packetBytes * 2);
        netOut.flip();
    }

    /**
     * The TLS context for a run: the JVM's default trust, plus the certificates of {@code trustFile} when given.
     *
     * @param trustFile PEM or DER certificates to trust, or null.
     * @return the context.
     * @throws IllegalArgumentException when the file cannot be read or the context cannot be made.
     */
    static SSLContext context(final Path trustFile)
    {
        try
        {
            if (null == trustFile)
            {
                return SSLContext.getDefault();
            }
            final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(trustFile))
            {
                int i = 0;
                for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in))
                {
                    trust.setCertificateEntry("trusted-" + i++, certificate);
                }
            }
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], factory.getTrustManagers(), null);
            return context;
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("--tls-trust " + trustFile + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Whether the handshake has finished.
     *
     * @return true once application data can flow.
     */
    boolean handshakeDone()
    {
        return handshakeDone;
    }

    /**
     * Whether encrypted bytes wait for the socket to take them.
     *
     * @return true when a write is pending.
     */
    boolean hasPendingOutput()
    {
        return netOut.hasRemaining();
    }

    /**
     * Encrypted bytes waiting to be written.
     *
     * @return the count.
     */
    int pendingOutputBytes()
    {
        return netOut.remaining();
    }

    /**
     * Advance the handshake as far as the socket allows now.
     *
     * @param channel the socket.
     * @return true when the handshake has finished.
     * @throws IOException on a TLS failure or a closed socket.
     */
    boolean handshake(final SocketChannel channel) throws IOException
    {
        if (!started)
        {
            engine.beginHandshake();
            started = true;
        }
        if (!flush(channel))
        {
            return false; // the peer waits for what we already produced
        }
        while (!handshakeDone)
        {
            switch (engine.getHandshakeStatus())
            {
                case NEED_WRAP:
                    wrap(EMPTY);
                    if (!flush(channel))
                    {
                        return false;
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!unwrapHandshake(channel))
                    {
                        return false;
                    }
                    break;
                case NEED_TASK:
                    Runnable task;
                    while (null != (task = engine.getDelegatedTask()))
                    {
                        task.run();
                    }
                    break;
                default:
                    handshakeDone = true;
                    break;
            }
        }
        return flush(channel);
    }

    private boolean unwrapHandshake(final SocketChannel channel) throws IOException
    {
        netIn.flip();
        final SSLEngineResult result = engine.unwrap(netIn, EMPTY);
        netIn.compact();
        if (SSLEngineResult.Status.BUFFER_UNDERFLOW == result.getStatus())
        {
            growNetInIfFull();
            final int read = channel.read(netIn);
            if (read < 0)
            {
                throw new SSLException("the server closed the connection during the TLS handshake");
            }
            return read > 0;
        }
        if (SSLEngineResult.Status.CLOSED == result.getStatus())
        {
            throw new SSLException("the server closed TLS during the handshake");
        }
        if (SSLEngineResult.HandshakeStatus.FINISHED == result.getHandshakeStatus())
        {
            handshakeDone = true;
        }
        return true;
    }

    /**
     * Read from the socket and decrypt into {@code dst} (which must have room for a TLS record, 16 KB or more).
     *
     * @param channel the socket.
     * @param dst     where plaintext goes.
     * @return plaintext bytes added, or -1 at the end of the stream.
     * @throws IOException on a TLS failure.
     */
    int read(final SocketChannel channel, final ByteBuffer dst) throws IOException
    {
        growNetInIfFull();
        final int read = channel.read(netIn);
        netIn.flip();
        int produced = 0;
        boolean closed = false;
        while (netIn.hasRemaining())
        {
            final SSLEngineResult result = engine.unwrap(netIn, dst);
            produced += result.bytesProduced();
            if (SSLEngineResult.Status.CLOSED == result.getStatus())
            {
                closed = true;
                break;
            }
            if (SSLEngineResult.Status.OK != result.getStatus() || 0 == result.bytesConsumed())
            {
                break; // underflow: the rest of the record is still on its way
            }
            if (SSLEngineResult.HandshakeStatus.NEED_TASK == result.getHandshakeStatus())
            {
                Runnable task;
                while (null != (task = engine.getDelegatedTask()))
                {
                    task.run();
                }
            }
            if (SSLEngineResult.HandshakeStatus.NEED_WRAP == engine.getHandshakeStatus())
            {
                wrap(EMPTY); // a post-handshake answer (e.g. a key update); sent with the next flush
            }
        }
        netIn.compact();
        return 0 == produced && (read < 0 || closed) ? -1 : produced;
    }

    /**
     * Encrypt all of {@code src} and write what the socket takes now; the rest stays pending.
     *
     * @param channel the socket.
     * @param src     plaintext, consumed entirely.
     * @throws IOException on a TLS or socket failure.
     */
    void write(final SocketChannel channel, final ByteBuffer src) throws IOException
    {
        while (src.hasRemaining())
        {
            wrap(src);
        }
        flush(channel);
    }

    /**
     * Write pending encrypted bytes.
     *
     * @param channel the socket.
     * @return true when nothing is left pending.
     * @throws IOException on a socket failure.
     */
    boolean flush(final SocketChannel channel) throws IOException
    {
        if (netOut.hasRemaining())
        {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    private void wrap(final ByteBuffer src) throws IOException
    {
        netOut.compact();
        try
        {
            while (true)
            {
                final SSLEngineResult result = engine.wrap(src, netOut);
                if (SSLEngineResult.Status.BUFFER_OVERFLOW == result.getStatus())
                {
                    final ByteBuffer grown = ByteBuffer.allocate(netOut.capacity() * 2);
                    netOut.flip();
                    grown.put(netOut);
                    netOut = grown;
                    continue;
                }
                if (SSLEngineResult.Status.CLOSED == result.getStatus())
                {
                    throw new SSLException("TLS is closed");
                }
                return;
            }
        }
        finally
        {
            netOut.flip();
        }
    }

    private void growNetInIfFull()
    {
        if (!netIn.hasRemaining())
        {
            final ByteBuffer grown = ByteBuffer.allocate(netIn.capacity() * 2);
            netIn.flip();
            grown.put(netIn);
            netIn = grown;
        }
    }
}
