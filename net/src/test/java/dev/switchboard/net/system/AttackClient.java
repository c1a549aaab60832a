package dev.switchboard.net.system;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A raw client for attack tests: a plain socket with a chosen receive buffer, the upgrade with extra header
 * lines, client frames masked with the all-zero key (legal, and the payload reads as sent), and frame reads that
 * tell a close frame from an EOF.
 */
final class AttackClient implements Closeable
{
    /** The close code reported when the connection ended without a close frame. */
    static final int EOF = -1;

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int seq;

    private AttackClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static AttackClient tcp(final int port, final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return new AttackClient(socket);
    }

    /** Connect and upgrade; returns the response status line. */
    static AttackClient upgraded(final int port, final int receiveBufferBytes, final String extraHeaders)
        throws IOException
    {
        final AttackClient client = tcp(port, receiveBufferBytes);
        final String status = client.upgrade(port, extraHeaders);
        if (!status.startsWith("HTTP/1.1 101"))
        {
            client.close();
            throw new IOException("upgrade refused: " + status);
        }
        return client;
    }

    String upgrade(final int port, final String extraHeaders) throws IOException
    {
        write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        final String head = readHttpHead();
        return head.substring(0, head.indexOf('\r'));
    }

    String readHttpHead() throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("EOF in HTTP head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(final boolean fin, final int opcode, final byte[] payload)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126)
        {
            frame.write(0x80 | payload.length);
        }
        else if (payload.length < 65_536)
        {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        else
        {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.write((int)((long)payload.length >>> shift));
            }
        }
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    void sendText(final String text) throws IOException
    {
        write(frame(true, 1, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Send an envelope with a fresh msgId and the next seq; returns the msgId. */
    String send(final String type, final String roomId, final String payloadJson) throws IOException
    {
        final String msgId = UUID.randomUUID().toString();
        sendText("{\"type\":\"" + type + "\",\"msgId\":\"" + msgId + "\",\"roomId\":\"" + roomId + "\",\"seq\":" +
            ++seq + ",\"payload\":" + payloadJson + "}");
        return msgId;
    }

    /** One frame: opcode and payload; {@code null} at EOF. */
    Frame readFrame() throws IOException
    {
        final int first;
        try
        {
            first = in.read();
        }
        catch (final SocketException ex)
        {
            return null;
        }
        if (first < 0)
        {
            return null;
        }
        final int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (126 == length)
        {
            length = in.readUnsignedShort();
        }
        else if (127 == length)
        {
            length = in.readLong();
        }
        final byte[] payload = new byte[(int)length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /** The next text message, skipping control frames; {@code null} at a close or EOF. */
    String nextText() throws IOException
    {
        while (true)
        {
            final Frame frame = readFrame();
            if (null == frame || 8 == frame.opcode)
            {
                return null;
            }
            if (1 == frame.opcode)
            {
                return frame.text();
            }
        }
    }

    String untilType(final String type) throws IOException
    {
        while (true)
        {
            final String text = nextText();
            if (null == text)
            {
                throw new EOFException("closed before " + type);
            }
            if (text.startsWith("{\"type\":\"" + type + "\""))
            {
                return text;
            }
        }
    }

    /** Read and discard until the close frame; its code, or {@link #EOF} when the socket ended without one. */
    int readUntilClose() throws IOException
    {
        while (true)
        {
            final Frame frame;
            try
            {
                frame = readFrame();
            }
            catch (final EOFException | SocketException ex)
            {
                return EOF;
            }
            if (null == frame)
            {
                return EOF;
            }
            if (8 == frame.opcode)
            {
                lastCloseReason = frame.payload.length > 2 ?
                    new String(frame.payload, 2, frame.payload.length - 2, StandardCharsets.UTF_8) : "";
                return frame.payload.length >= 2 ? ((frame.payload[0] & 0xFF) << 8) | (frame.payload[1] & 0xFF) : 1005;
            }
        }
    }

    String lastCloseReason = "";

    /** Whether the server closed the socket (EOF or reset) within the read timeout. */
    boolean isClosedByServer()
    {
        try
        {
            return in.read() < 0;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /** One server frame. */
    record Frame(int opcode, byte[] payload)
    {
        String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }
}
