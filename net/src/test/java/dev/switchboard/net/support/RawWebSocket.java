package dev.switchboard.net.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/**
 * A deliberately raw WebSocket client for conformance tests: writes any bytes, masked or not, split however
 * the test wants, and reads frames back with a deadline. Its framing is written independently of the
 * server's codec so that the two check each other.
 */
public final class RawWebSocket implements Closeable
{
    /** A frame read from the server. */
    public static final class Frame
    {
        /** FIN bit. */
        public final boolean fin;
        /** RSV bits as a 3-bit value. */
        public final int rsv;
        /** Opcode. */
        public final int opcode;
        /** Whether the server masked it (it must not). */
        public final boolean masked;
        /** Payload bytes. */
        public final byte[] payload;

        Frame(final boolean fin, final int rsv, final int opcode, final boolean masked, final byte[] payload)
        {
            this.fin = fin;
            this.rsv = rsv;
            this.opcode = opcode;
            this.masked = masked;
            this.payload = payload;
        }

        /**
         * The payload as UTF-8 text.
         *
         * @return text.
         */
        public String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /**
         * For a close frame, its status code, or 1005 when it has none.
         *
         * @return the close code.
         */
        public int closeCode()
        {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        /**
         * For a close frame, its reason text.
         *
         * @return the reason.
         */
        public String closeReason()
        {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        @Override
        public String toString()
        {
            return "Frame{opcode=" + opcode + ", fin=" + fin + ", length=" + payload.length +
                (opcode == 1 ? ", text=" + text() : "") + (opcode == 8 ? ", code=" + closeCode() : "") + "}";
        }
    }

    /** Opcode of a continuation frame. */
    public static final int CONTINUATION = 0;
    /** Opcode of a text frame. */
    public static final int TEXT = 1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 8;
    /** Opcode of a ping frame. */
    public static final int PING = 9;
    /** Opcode of a pong frame. */
    public static final int PONG = 10;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Random random = new Random(42);
    private String handshakeResponse;

    private RawWebSocket(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Open a TCP connection without any HTTP.
     *
     * @param port server port on 127.0.0.1.
     * @return the client.
     * @throws IOException on connect failure.
     */
    public static RawWebSocket tcp(final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        return new RawWebSocket(socket);
    }

    /**
     * Connect and complete the opening handshake on {@code /ws}.
     *
     * @param port server port.
     * @return an open client.
     * @throws IOException when the handshake fails.
     */
    public static RawWebSocket connect(final int port) throws IOException
    {
        return connect(port, "/ws");
    }

    /**
     * Connect and complete the opening handshake on a path.
     *
     * @param port server port.
     * @param path request target, e.g. {@code /ws?authToken=x}.
     * @return an open client.
     * @throws IOException when the handshake fails.
     */
    public static RawWebSocket connect(final int port, final String path) throws IOException
    {
        final RawWebSocket ws = tcp(port);
        final String key = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        ws.writeAscii("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        final String response = ws.readHttpHead();
        if (!response.startsWith("HTTP/1.1 101"))
        {
            ws.close();
            throw new IOException("handshake refused: " + response);
        }
        ws.handshakeResponse = response;
        return ws;
    }

    /**
     * The 101 response head of the handshake.
     *
     * @return the head text.
     */
    public String handshakeResponse()
    {
        return handshakeResponse;
    }

    /**
     * Write ASCII text as is (HTTP requests).
     *
     * @param text the bytes to send.
     * @throws IOException on write failure.
     */
    public void writeAscii(final String text) throws IOException
    {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Write raw bytes.
     *
     * @param bytes bytes.
     * @throws IOException on write failure.
     */
    public void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Write raw bytes one at a time, flushing each, to exercise resumable parsing.
     *
     * @param bytes bytes.
     * @throws IOException on write failure.
     */
    public void writeBytewise(final byte[] bytes) throws IOException
    {
        for (final byte b : bytes)
        {
            out.write(b);
            out.flush();
        }
    }

    /**
     * Read an HTTP response head (through the blank line).
     *
     * @return the head.
     * @throws IOException on timeout or EOF.
     */
    public String readHttpHead() throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("EOF in HTTP head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Read an HTTP response: head and, by Content-Length, body.
     *
     * @return head and body text.
     * @throws IOException on timeout or EOF.
     */
    public String readHttpResponse() throws IOException
    {
        final String head = readHttpHead();
        int length = 0;
        for (final String line : head.split("\r\n"))
        {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /**
     * Build a client frame.
     *
     * @param fin     FIN bit.
     * @param rsv     RSV bits (0 to 7).
     * @param opcode  opcode.
     * @param masked  whether to mask (clients must).
     * @param payload payload.
     * @return frame bytes.
     */
    public byte[] frame(final boolean fin, final int rsv, final int opcode, final boolean masked, final byte[] payload)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        final int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126)
        {
            frame.write(maskBit | payload.length);
        }
        else if (payload.length < 65536)
        {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        else
        {
            frame.write(maskBit | 127);
            final long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.write((int)(length >>> shift));
            }
        }
        if (masked)
        {
            final byte[] mask = new byte[4];
            random.nextBytes(mask);
            frame.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++)
            {
                frame.write(payload[i] ^ mask[i & 3]);
            }
        }
        else
        {
            frame.write(payload, 0, payload.length);
        }
        return frame.toByteArray();
    }

    /**
     * Send one masked final frame.
     *
     * @param opcode  opcode.
     * @param payload payload.
     * @throws IOException on write failure.
     */
    public void send(final int opcode, final byte[] payload) throws IOException
    {
        write(frame(true, 0, opcode, true, payload));
    }

    /**
     * Send one masked final text frame.
     *
     * @param text UTF-8 text.
     * @throws IOException on write failure.
     */
    public void sendText(final String text) throws IOException
    {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Send a masked close frame with a code and reason.
     *
     * @param code   status code.
     * @param reason reason text.
     * @throws IOException on write failure.
     */
    public void sendClose(final int code, final String reason) throws IOException
    {
        final byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        send(CLOSE, payload);
    }

    /**
     * Read the next frame, waiting up to the socket timeout.
     *
     * @return the frame.
     * @throws IOException on timeout or EOF.
     */
    public Frame readFrame() throws IOException
    {
        final int b0 = readByte();
        final int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126)
        {
            length = (readByte() << 8) | readByte();
        }
        else if (length == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
            {
                length = (length << 8) | readByte();
            }
        }
        final boolean masked = (b1 & 0x80) != 0;
        final byte[] mask = masked ? in.readNBytes(4) : null;
        final byte[] payload = in.readNBytes((int)length);
        if (payload.length != length)
        {
            throw new IOException("EOF in frame payload");
        }
        if (masked)
        {
            for (int i = 0; i < payload.length; i++)
            {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, payload);
    }

    /**
     * Read frames until one that is not a ping (answering nothing), e.g. to skip server heartbeats.
     *
     * @return the first non-ping frame.
     * @throws IOException on timeout or EOF.
     */
    public Frame readNonPing() throws IOException
    {
        while (true)
        {
            final Frame frame = readFrame();
            if (frame.opcode != PING)
            {
                return frame;
            }
        }
    }

    /**
     * Read frames until a close frame arrives and return it.
     *
     * @return the close frame.
     * @throws IOException on timeout or EOF before a close.
     */
    public Frame readUntilClose() throws IOException
    {
        while (true)
        {
            final Frame frame = readFrame();
            if (frame.opcode == CLOSE)
            {
                return frame;
            }
        }
    }

    /**
     * Whether the server closed the TCP connection within the timeout (EOF or reset).
     *
     * @param timeoutMs how long to wait.
     * @return true when the connection is closed by the peer.
     * @throws IOException on unexpected failure.
     */
    public boolean awaitEof(final int timeoutMs) throws IOException
    {
        final int previous = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMs);
        try
        {
            final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (System.nanoTime() < deadline)
            {
                if (in.read() < 0)
                {
                    return true;
                }
            }
            return false;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final SocketException ex)
        {
            return true;
        }
        finally
        {
            if (!socket.isClosed())
            {
                socket.setSoTimeout(previous);
            }
        }
    }

    /**
     * Set how long reads wait.
     *
     * @param timeoutMs milliseconds.
     * @throws IOException if the socket is closed.
     */
    public void timeout(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new IOException("EOF");
        }
        return b;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
