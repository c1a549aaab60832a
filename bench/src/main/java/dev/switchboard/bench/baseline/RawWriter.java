package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.ClientHandshake;
import dev.switchboard.bench.load.JsonScan;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The kernel floor: one thread, a plain java.nio {@link Selector}, a minimal HTTP upgrade and the message subset of
 * the {@link NettyRelay}, written with pre-encoded templates into one shared arena so that each broadcast is encoded
 * once for all its recipients and each socket gets one gathering write per selector round.
 */
public final class RawWriter implements AutoCloseable
{
    /** The usage text. */
    public static final String USAGE = "usage: RawWriter [--port 8090] [--bind 127.0.0.1]";

    /** Largest message payload accepted; a longer frame closes the socket with 1009. */
    public static final int MAX_PAYLOAD_BYTES = 65_536;

    private static final int MAX_HEAD_BYTES = 8_192;
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final int ARENA_BYTES = 4 * 1024 * 1024;
    private static final int VIEWS_PER_SOCKET = 8;
    private static final int MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
    private static final int ENCODE_HEADROOM = 512;
    private static final int MAX_HEADER_BYTES = 10;

    private static final byte[] Q_TYPE = JsonScan.quotedName("type");
    private static final byte[] Q_MSG_ID = JsonScan.quotedName("msgId");
    private static final byte[] Q_ROOM_ID = JsonScan.quotedName("roomId");
    private static final byte[] Q_SEQ = JsonScan.quotedName("seq");
    private static final byte[] Q_TS = JsonScan.quotedName("ts");
    private static final byte[] Q_TO = JsonScan.quotedName("to");
    private static final byte[] Q_PAYLOAD = JsonScan.quotedName("payload");
    private static final byte[] Q_ROLE = JsonScan.quotedName("role");
    private static final byte[] V_GAME_EVENT = JsonScan.quotedValue("game_event");
    private static final byte[] V_GAME_STATE = JsonScan.quotedValue("game_state");
    private static final byte[] V_OFFER = JsonScan.quotedValue("webrtc_offer");
    private static final byte[] V_ANSWER = JsonScan.quotedValue("webrtc_answer");
    private static final byte[] V_ICE = JsonScan.quotedValue("ice_candidate");
    private static final byte[] V_JOIN = JsonScan.quotedValue("join");
    private static final byte[] V_PING = JsonScan.quotedValue("ping");
    private static final byte[] V_LEAVE = JsonScan.quotedValue("leave");
    private static final byte[] V_HOST = JsonScan.quotedValue("host");
    private static final byte[] USER_PREFIX = ascii("u-");

    private static final byte[] ACK_HEAD = ascii("{\"type\":\"ack\",\"roomId\":\"");
    private static final byte[] ERROR_HEAD = ascii("{\"type\":\"error\",\"roomId\":\"");
    private static final byte[] JOINED_HEAD = ascii("{\"type\":\"joined\",\"roomId\":\"");
    private static final byte[] TYPE_HEAD = ascii("{\"type\":");
    private static final byte[] ROOM_ID = ascii(",\"roomId\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] FOR = ascii(",\"for\":\"");
    private static final byte[] MSG_ID = ascii(",\"msgId\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] SENDER_ID = ascii(",\"senderId\":\"");
    private static final byte[] PAYLOAD = ascii("\",\"payload\":");
    private static final byte[] CANDIDATES = ascii("{\"candidates\":[");
    private static final byte[] END_CANDIDATES = ascii("]}}");
    private static final byte[] END_OBJECT = ascii("}");
    private static final byte[] END_STRING_OBJECT = ascii("\"}");
    private static final byte[] END_STRING_OBJECTS = ascii("\"}}");
    private static final byte[] END_OBJECTS = ascii("}}");
    private static final byte[] PONG_HEAD = ascii("{\"type\":\"pong\",\"ts\":");
    private static final byte[] PAYLOAD_TS = ascii(",\"payload\":{\"ts\":");
    private static final byte[] CODE = ascii(",\"payload\":{\"code\":\"");
    private static final byte[] JOINED_USER = ascii(",\"payload\":{\"userId\":\"");
    private static final byte[] ROLE_HOST = ascii("\",\"role\":\"host\",\"hostId\":");
    private static final byte[] ROLE_VIEWER = ascii("\",\"role\":\"viewer\",\"hostId\":");
    private static final byte[] JOINED_SIZE = ascii(",\"roomSize\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] ZERO = ascii("0");
    private static final byte[] CODE_INVALID = ascii("invalid_message");
    private static final byte[] CODE_UNKNOWN_TYPE = ascii("unknown_type");
    private static final byte[] CODE_NOT_IN_ROOM = ascii("not_in_room");
    private static final byte[] CODE_ALREADY_JOINED = ascii("already_joined");
    private static final byte[] CODE_HOST_TAKEN = ascii("host_taken");
    private static final byte[] CODE_PEER_NOT_FOUND = ascii("peer_not_found");
    private static final byte[] BAD_REQUEST =
        ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static final byte[] NOT_FOUND =
        ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;

    private final String bindAddress;
    private final int port;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final ByteBuffer arena = ByteBuffer.allocateDirect(ARENA_BYTES);
    private final byte[] scratch = new byte[MAX_PAYLOAD_BYTES];
    private final byte[] digits = new byte[20];
    private final byte[] tsDigits = new byte[20];
    private final Long2ObjectHashMap<RawRoom> rooms = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<RawConnection> users = new Int2ObjectHashMap<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private RawConnection[] dirty = new RawConnection[1024];
    private int dirtyCount;
    private RawConnection[] failed = new RawConnection[64];
    private int failedCount;
    private int nextUserNumber = 1;
    private long tsMs = Long.MIN_VALUE;
    private int tsLength;
    private volatile int roomCount;
    private Selector selector;
    private ServerSocketChannel server;
    private Thread thread;
    private volatile boolean running;

    private int msgIdStart;
    private int msgIdEnd;
    private int roomIdStart;
    private int roomIdEnd;
    private int seqStart;
    private int seqEnd;
    private int tsStart;
    private int tsEnd;
    private int toStart;
    private int toEnd;
    private int typeStart;
    private int typeEnd;
    private int payloadStart;
    private int payloadEnd;
    private int fieldEnd;

    /**
     * Makes a writer that is not listening yet.
     *
     * @param bindAddress the address to listen on.
     * @param port        the port to listen on, 0 for any free port.
     */
    public RawWriter(final String bindAddress, final int port)
    {
        this.bindAddress = bindAddress;
        this.port = port;
    }

    /**
     * Entry point: {@code --port 8090 --bind 127.0.0.1}.
     *
     * @param args command-line flags.
     * @throws IOException if the port cannot be bound.
     */
    public static void main(final String[] args) throws IOException
    {
        final BaselineFlags flags = BaselineFlags.parseOrExit(args, USAGE, "port", "bind");
        final int port = flags.intValue("port", 8090);
        final String bind = flags.value("bind", "127.0.0.1");
        final RawWriter writer = new RawWriter(bind, port);
        final int bound = writer.bind();
        System.out.println("raw-writer: listening on ws://" + bind + ":" + bound + "/ws with one selector thread");
        Runtime.getRuntime().addShutdownHook(new Thread(writer::stopFromHook, "raw-writer-shutdown"));
        writer.thread = Thread.currentThread();
        writer.run();
    }

    /**
     * Binds and starts serving on a new thread.
     *
     * @return the bound port.
     * @throws IOException if the port cannot be bound.
     */
    public int start() throws IOException
    {
        final int bound = bind();
        thread = new Thread(this::run, "raw-writer");
        thread.setDaemon(true);
        thread.start();
        return bound;
    }

    /**
     * Number of rooms open now, as last written by the serving thread.
     *
     * @return rooms.
     */
    public int roomCount()
    {
        return roomCount;
    }

    /**
     * Stops serving, closes every socket and waits for the serving thread.
     */
    @Override
    public void close()
    {
        running = false;
        if (null != selector)
        {
            selector.wakeup();
        }
        if (null != thread && thread != Thread.currentThread())
        {
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopFromHook()
    {
        running = false;
        if (null != selector)
        {
            selector.wakeup();
        }
    }

    private int bind() throws IOException
    {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.configureBlocking(false);
        server.bind(new InetSocketAddress(bindAddress, port), 4096);
        server.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        return ((InetSocketAddress)server.getLocalAddress()).getPort();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(onSelected);
                flushAll();
                reapFailed();
            }
        }
        catch (final IOException ex)
        {
            System.err.println("raw-writer: selector failed: " + ex);
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                try
                {
                    key.channel().close();
                }
                catch (final IOException ignore)
                {
                    // Closing on the way out: nothing left to do with the error.
                }
            }
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // Closing on the way out: nothing left to do with the error.
            }
        }
    }

    private void onSelected(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (null == attachment)
        {
            accept();
            return;
        }
        final RawConnection connection = (RawConnection)attachment;
        final int ready = key.readyOps();
        if (0 != (ready & SelectionKey.OP_WRITE) && connection.open)
        {
            onWritable(connection);
        }
        if (0 != (ready & SelectionKey.OP_READ) && connection.open)
        {
            onReadable(connection);
        }
    }

    private void accept()
    {
        while (true)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
                if (null == channel)
                {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                final RawConnection connection = new RawConnection(channel, arena, VIEWS_PER_SOCKET);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    private void onReadable(final RawConnection connection)
    {
        final ByteBuffer buffer = readBuffer;
        buffer.clear();
        if (connection.carryLength > 0)
        {
            buffer.put(connection.carry, 0, connection.carryLength);
            connection.carryLength = 0;
        }
        final int read;
        try
        {
            read = connection.channel.read(buffer);
        }
        catch (final IOException ex)
        {
            fail(connection);
            return;
        }
        if (read < 0)
        {
            fail(connection);
            return;
        }
        final int limit = buffer.position();
        int consumed = 0;
        if (RawConnection.HTTP == connection.state)
        {
            consumed = onHttp(connection, limit);
        }
        if (RawConnection.OPEN == connection.state && connection.open)
        {
            consumed = onFrames(connection, consumed, limit);
        }
        final int left = limit - consumed;
        if (left > 0 && connection.open && !connection.closeAfterFlush)
        {
            if (null == connection.carry || connection.carry.length < left)
            {
                connection.carry = new byte[Math.max(1024, Integer.highestOneBit(left) << 1)];
            }
            buffer.get(consumed, connection.carry, 0, left);
            connection.carryLength = left;
        }
    }

    private int onHttp(final RawConnection connection, final int limit)
    {
        final ByteBuffer buffer = readBuffer;
        int headEnd = -1;
        for (int i = 3; i < limit; i++)
        {
            if ('\n' == buffer.get(i) && '\r' == buffer.get(i - 1) && '\n' == buffer.get(i - 2) &&
                '\r' == buffer.get(i - 3))
            {
                headEnd = i + 1;
                break;
            }
        }
        if (headEnd < 0)
        {
            if (limit >= MAX_HEAD_BYTES)
            {
                reject(connection, BAD_REQUEST);
                return limit;
            }
            return 0;
        }
        final byte[] headBytes = new byte[headEnd];
        buffer.get(0, headBytes, 0, headEnd);
        final String head = new String(headBytes, StandardCharsets.ISO_8859_1);
        final int lineEnd = head.indexOf("\r\n");
        final String[] requestLine = head.substring(0, lineEnd).split(" ");
        if (requestLine.length != 3 || !"GET".equals(requestLine[0]))
        {
            reject(connection, BAD_REQUEST);
            return limit;
        }
        if (!requestLine[1].equals("/ws") && !requestLine[1].startsWith("/ws?"))
        {
            reject(connection, NOT_FOUND);
            return limit;
        }
        String key = null;
        int at = lineEnd + 2;
        while (at < head.length())
        {
            final int end = head.indexOf("\r\n", at);
            if (end <= at)
            {
                break;
            }
            final int colon = head.indexOf(':', at);
            if (colon > at && colon < end &&
                "sec-websocket-key".equals(head.substring(at, colon).trim().toLowerCase(Locale.ROOT)))
            {
                key = head.substring(colon + 1, end).trim();
            }
            at = end + 2;
        }
        if (null == key || key.isEmpty())
        {
            reject(connection, BAD_REQUEST);
            return limit;
        }
        final byte[] response = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Accept: " + ClientHandshake.expectedAccept(key) + "\r\n\r\n");
        ensureArena(response.length);
        final int start = arena.position();
        arena.put(response);
        enqueue(connection, start, arena.position());
        connection.state = RawConnection.OPEN;
        return headEnd;
    }

    private void reject(final RawConnection connection, final byte[] response)
    {
        ensureArena(response.length);
        final int start = arena.position();
        arena.put(response);
        enqueue(connection, start, arena.position());
        connection.closeAfterFlush = true;
    }

    private int onFrames(final RawConnection connection, final int from, final int limit)
    {
        final ByteBuffer buffer = readBuffer;
        int at = from;
        while (connection.open && !connection.closeAfterFlush && limit - at >= 2)
        {
            final int b0 = buffer.get(at) & 0xFF;
            final int b1 = buffer.get(at + 1) & 0xFF;
            final boolean fin = 0 != (b0 & 0x80);
            final int opcode = b0 & 0x0F;
            if (0 != (b0 & 0x70) || 0 == (b1 & 0x80))
            {
                closeWith(connection, 1002);
                return limit;
            }
            int header = 2;
            long length = b1 & 0x7F;
            if (126 == length)
            {
                if (limit - at < 4)
                {
                    break;
                }
                length = buffer.getShort(at + 2) & 0xFFFF;
                header = 4;
            }
            else if (127 == length)
            {
                if (limit - at < 10)
                {
                    break;
                }
                length = buffer.getLong(at + 2);
                header = 10;
            }
            if (length < 0 || length > MAX_PAYLOAD_BYTES)
            {
                closeWith(connection, 1009);
                return limit;
            }
            header += 4;
            final int payloadLength = (int)length;
            if (limit - at < header + payloadLength)
            {
                break;
            }
            final int maskAt = at + header - 4;
            final int dataAt = at + header;
            for (int i = 0; i < payloadLength; i++)
            {
                scratch[i] = (byte)(buffer.get(dataAt + i) ^ buffer.get(maskAt + (i & 3)));
            }
            at = dataAt + payloadLength;
            if (!fin || OPCODE_CONTINUATION == opcode)
            {
                closeWith(connection, 1003);
                return limit;
            }
            switch (opcode)
            {
                case OPCODE_TEXT:
                    onMessage(connection, payloadLength);
                    break;
                case OPCODE_CLOSE:
                    closeWith(connection, payloadLength >= 2 ? ((scratch[0] & 0xFF) << 8) | (scratch[1] & 0xFF) : 1000);
                    return limit;
                case OPCODE_PING:
                    writeControl(connection, OPCODE_PONG, payloadLength);
                    break;
                case OPCODE_PONG:
                    break;
                default:
                    closeWith(connection, 1002);
                    return limit;
            }
        }
        return at;
    }

    private void onMessage(final RawConnection connection, final int length)
    {
        final byte[] in = scratch;
        final int typeAt = JsonScan.valueIndex(in, 0, length, Q_TYPE);
        typeStart = typeAt;
        typeEnd = JsonScan.stringEnd(in, typeAt, length);
        final int payloadAt = JsonScan.valueIndex(in, 0, length, Q_PAYLOAD);
        payloadStart = -1;
        payloadEnd = -1;
        if (payloadAt >= 0 && '{' == in[payloadAt])
        {
            final int end = objectEnd(in, payloadAt, length);
            if (end > payloadAt)
            {
                payloadStart = payloadAt;
                payloadEnd = end + 1;
            }
        }
        final int fieldsLimit = payloadAt >= 0 ? payloadAt : length;
        msgIdStart = stringField(in, fieldsLimit, Q_MSG_ID);
        msgIdEnd = fieldEnd;
        roomIdStart = stringField(in, fieldsLimit, Q_ROOM_ID);
        roomIdEnd = fieldEnd;
        toStart = stringField(in, fieldsLimit, Q_TO);
        toEnd = fieldEnd;
        seqStart = numberField(in, fieldsLimit, Q_SEQ);
        seqEnd = fieldEnd;
        tsStart = numberField(in, fieldsLimit, Q_TS);
        tsEnd = fieldEnd;
        if (typeAt < 0 || typeEnd < 0)
        {
            writeError(connection, CODE_INVALID);
            return;
        }
        if (JsonScan.matches(in, typeAt, length, V_GAME_EVENT))
        {
            onBroadcast(connection, true);
        }
        else if (JsonScan.matches(in, typeAt, length, V_GAME_STATE))
        {
            onBroadcast(connection, false);
        }
        else if (JsonScan.matches(in, typeAt, length, V_OFFER) || JsonScan.matches(in, typeAt, length, V_ANSWER))
        {
            onDirected(connection, true);
        }
        else if (JsonScan.matches(in, typeAt, length, V_ICE))
        {
            onDirected(connection, false);
        }
        else if (JsonScan.matches(in, typeAt, length, V_JOIN))
        {
            onJoin(connection);
        }
        else if (JsonScan.matches(in, typeAt, length, V_PING))
        {
            onPing(connection);
        }
        else if (JsonScan.matches(in, typeAt, length, V_LEAVE))
        {
            onLeave(connection);
        }
        else
        {
            writeError(connection, CODE_UNKNOWN_TYPE);
        }
    }

    private int stringField(final byte[] in, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(in, 0, limit, quotedName);
        final int end = JsonScan.stringEnd(in, at, limit);
        if (end < 0)
        {
            fieldEnd = -1;
            return -1;
        }
        fieldEnd = end;
        return at + 1;
    }

    private int numberField(final byte[] in, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(in, 0, limit, quotedName);
        if (at < 0)
        {
            fieldEnd = -1;
            return -1;
        }
        int end = at;
        if (end < limit && '-' == in[end])
        {
            end++;
        }
        while (end < limit && in[end] >= '0' && in[end] <= '9')
        {
            end++;
        }
        if (end == at)
        {
            fieldEnd = -1;
            return -1;
        }
        fieldEnd = end;
        return at;
    }

    private void onJoin(final RawConnection connection)
    {
        if (null != connection.room)
        {
            writeError(connection, CODE_ALREADY_JOINED);
            return;
        }
        if (roomIdStart < 0 || msgIdStart < 0)
        {
            writeError(connection, CODE_INVALID);
            return;
        }
        boolean host = false;
        if (payloadStart >= 0)
        {
            final int roleAt = JsonScan.valueIndex(scratch, payloadStart, payloadEnd, Q_ROLE);
            host = JsonScan.matches(scratch, roleAt, payloadEnd, V_HOST);
        }
        RawRoom room = findRoom(scratch, roomIdStart, roomIdEnd - roomIdStart);
        if (host && null != room && null != room.host)
        {
            writeError(connection, CODE_HOST_TAKEN);
            return;
        }
        if (null == room)
        {
            room = addRoom(scratch, roomIdStart, roomIdEnd - roomIdStart);
        }
        connection.userNumber = nextUserNumber++;
        System.arraycopy(USER_PREFIX, 0, connection.userId, 0, USER_PREFIX.length);
        final int numberLength = formatLong(connection.userNumber, digits);
        System.arraycopy(digits, 0, connection.userId, USER_PREFIX.length, numberLength);
        connection.userIdLength = USER_PREFIX.length + numberLength;
        connection.room = room;
        room.add(connection);
        if (host)
        {
            room.host = connection;
        }
        users.put(connection.userNumber, connection);
        writeAck(connection);

        ensureArena(ENCODE_HEADROOM + room.id.length);
        final int bodyStart = beginFrame();
        arena.put(JOINED_HEAD).put(room.id);
        putTs();
        arena.put(JOINED_USER).put(connection.userId, 0, connection.userIdLength);
        arena.put(host ? ROLE_HOST : ROLE_VIEWER);
        final RawConnection roomHost = room.host;
        if (null == roomHost)
        {
            arena.put(NULL);
        }
        else
        {
            arena.put((byte)'"').put(roomHost.userId, 0, roomHost.userIdLength).put((byte)'"');
        }
        arena.put(JOINED_SIZE);
        arena.put(digits, 0, formatLong(room.size, digits));
        arena.put(END_OBJECTS);
        enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    private void onBroadcast(final RawConnection connection, final boolean critical)
    {
        final RawRoom room = connection.room;
        if (null == room || msgIdStart < 0 || roomIdStart < 0 ||
            !room.idEquals(scratch, roomIdStart, roomIdEnd - roomIdStart))
        {
            writeError(connection, null == room ? CODE_NOT_IN_ROOM : CODE_INVALID);
            return;
        }
        if (critical)
        {
            writeAck(connection);
        }
        final int frameStart = encodeRelayed(connection, false);
        final int frameEnd = arena.position();
        final RawConnection[] members = room.members;
        for (int i = 0, size = room.size; i < size; i++)
        {
            final RawConnection member = members[i];
            if (member != connection)
            {
                enqueue(member, frameStart, frameEnd);
            }
        }
    }

    private void onDirected(final RawConnection connection, final boolean critical)
    {
        final RawRoom room = connection.room;
        if (null == room || msgIdStart < 0 || roomIdStart < 0 ||
            !room.idEquals(scratch, roomIdStart, roomIdEnd - roomIdStart))
        {
            writeError(connection, null == room ? CODE_NOT_IN_ROOM : CODE_INVALID);
            return;
        }
        final RawConnection target = toStart < 0 ? null : users.get(parseUserNumber(scratch, toStart, toEnd));
        if (null == target || target.room != room || !target.open)
        {
            writeError(connection, CODE_PEER_NOT_FOUND);
            return;
        }
        if (critical)
        {
            writeAck(connection);
        }
        final int frameStart = encodeRelayed(connection, !critical);
        enqueue(target, frameStart, arena.position());
    }

    private void onPing(final RawConnection connection)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put(PONG_HEAD);
        refreshTs();
        arena.put(tsDigits, 0, tsLength);
        arena.put(PAYLOAD_TS);
        if (tsStart >= 0)
        {
            arena.put(scratch, tsStart, tsEnd - tsStart);
        }
        else
        {
            arena.put(ZERO);
        }
        arena.put(END_OBJECTS);
        enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    private void onLeave(final RawConnection connection)
    {
        if (null == connection.room)
        {
            writeError(connection, CODE_NOT_IN_ROOM);
            return;
        }
        writeAck(connection);
        leaveRoom(connection);
        closeWith(connection, 1000);
    }

    private int encodeRelayed(final RawConnection connection, final boolean candidates)
    {
        final RawRoom room = connection.room;
        final int payloadLength = payloadStart >= 0 ? payloadEnd - payloadStart : 0;
        ensureArena(ENCODE_HEADROOM + payloadLength + room.id.length + (msgIdEnd - msgIdStart));
        final int bodyStart = beginFrame();
        arena.put(TYPE_HEAD).put(scratch, typeStart, typeEnd + 1 - typeStart);
        arena.put(ROOM_ID).put(room.id);
        putTs();
        arena.put(MSG_ID).put(scratch, msgIdStart, msgIdEnd - msgIdStart);
        arena.put(SEQ);
        if (seqStart >= 0)
        {
            arena.put(scratch, seqStart, seqEnd - seqStart);
        }
        else
        {
            arena.put(ZERO);
        }
        arena.put(SENDER_ID).put(connection.userId, 0, connection.userIdLength);
        if (payloadStart >= 0)
        {
            arena.put(PAYLOAD);
            if (candidates)
            {
                arena.put(CANDIDATES);
            }
            arena.put(scratch, payloadStart, payloadLength);
            arena.put(candidates ? END_CANDIDATES : END_OBJECT);
        }
        else
        {
            arena.put(END_STRING_OBJECT);
        }
        return endFrame(bodyStart, OPCODE_TEXT);
    }

    private void writeAck(final RawConnection connection)
    {
        ensureArena(ENCODE_HEADROOM + (roomIdEnd - roomIdStart) + (msgIdEnd - msgIdStart));
        final int bodyStart = beginFrame();
        arena.put(ACK_HEAD);
        if (roomIdStart >= 0)
        {
            arena.put(scratch, roomIdStart, roomIdEnd - roomIdStart);
        }
        putTs();
        arena.put(FOR);
        if (msgIdStart >= 0)
        {
            arena.put(scratch, msgIdStart, msgIdEnd - msgIdStart);
        }
        arena.put(END_STRING_OBJECT);
        enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    private void writeError(final RawConnection connection, final byte[] code)
    {
        ensureArena(ENCODE_HEADROOM + Math.max(0, roomIdEnd - roomIdStart) + Math.max(0, msgIdEnd - msgIdStart));
        final int bodyStart = beginFrame();
        arena.put(ERROR_HEAD);
        if (roomIdStart >= 0)
        {
            arena.put(scratch, roomIdStart, roomIdEnd - roomIdStart);
        }
        putTs();
        if (msgIdStart >= 0)
        {
            arena.put(FOR).put(scratch, msgIdStart, msgIdEnd - msgIdStart).put((byte)'"');
        }
        arena.put(CODE).put(code).put(END_STRING_OBJECTS);
        enqueue(connection, endFrame(bodyStart, OPCODE_TEXT), arena.position());
    }

    private void writeControl(final RawConnection connection, final int opcode, final int length)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put(scratch, 0, Math.min(length, 125));
        enqueue(connection, endFrame(bodyStart, opcode), arena.position());
    }

    private void closeWith(final RawConnection connection, final int code)
    {
        ensureArena(ENCODE_HEADROOM);
        final int bodyStart = beginFrame();
        arena.put((byte)(code >>> 8)).put((byte)code);
        enqueue(connection, endFrame(bodyStart, OPCODE_CLOSE), arena.position());
        connection.closeAfterFlush = true;
    }

    private void putTs()
    {
        refreshTs();
        arena.put(TS).put(tsDigits, 0, tsLength);
    }

    private void refreshTs()
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs != tsMs)
        {
            tsMs = nowMs;
            tsLength = formatLong(nowMs, tsDigits);
        }
    }

    private int beginFrame()
    {
        final int bodyStart = arena.position() + MAX_HEADER_BYTES;
        arena.position(bodyStart);
        return bodyStart;
    }

    private int endFrame(final int bodyStart, final int opcode)
    {
        final int length = arena.position() - bodyStart;
        final int frameStart;
        if (length < 126)
        {
            frameStart = bodyStart - 2;
            arena.put(frameStart + 1, (byte)length);
        }
        else if (length < 65_536)
        {
            frameStart = bodyStart - 4;
            arena.put(frameStart + 1, (byte)126);
            arena.putShort(frameStart + 2, (short)length);
        }
        else
        {
            frameStart = bodyStart - 10;
            arena.put(frameStart + 1, (byte)127);
            arena.putLong(frameStart + 2, length);
        }
        arena.put(frameStart, (byte)(0x80 | opcode));
        return frameStart;
    }

    private void ensureArena(final int bytes)
    {
        if (arena.remaining() < bytes + MAX_HEADER_BYTES)
        {
            flushAll();
            arena.clear();
        }
    }

    private void enqueue(final RawConnection connection, final int start, final int end)
    {
        if (!connection.open)
        {
            return;
        }
        if (connection.backlogLength() > 0)
        {
            appendBacklog(connection, start, end);
            return;
        }
        if (VIEWS_PER_SOCKET == connection.viewCount)
        {
            flush(connection);
            if (!connection.open)
            {
                return;
            }
            if (connection.backlogLength() > 0)
            {
                appendBacklog(connection, start, end);
                return;
            }
        }
        final ByteBuffer view = connection.views[connection.viewCount++];
        view.limit(end);
        view.position(start);
        if (!connection.dirty)
        {
            connection.dirty = true;
            if (dirtyCount == dirty.length)
            {
                final RawConnection[] grown = new RawConnection[dirtyCount * 2];
                System.arraycopy(dirty, 0, grown, 0, dirtyCount);
                dirty = grown;
            }
            dirty[dirtyCount++] = connection;
        }
    }

    private void flushAll()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            final RawConnection connection = dirty[i];
            dirty[i] = null;
            connection.dirty = false;
            flush(connection);
            if (connection.open && connection.closeAfterFlush && 0 == connection.backlogLength())
            {
                fail(connection);
            }
        }
        dirtyCount = 0;
        arena.clear();
    }

    private void flush(final RawConnection connection)
    {
        final int count = connection.viewCount;
        if (0 == count)
        {
            return;
        }
        connection.viewCount = 0;
        if (!connection.open)
        {
            return;
        }
        final ByteBuffer[] views = connection.views;
        try
        {
            if (1 == count)
            {
                connection.channel.write(views[0]);
            }
            else
            {
                connection.channel.write(views, 0, count);
            }
        }
        catch (final IOException ex)
        {
            fail(connection);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            final ByteBuffer view = views[i];
            if (view.hasRemaining())
            {
                appendBacklog(connection, view.position(), view.limit());
            }
        }
    }

    private void appendBacklog(final RawConnection connection, final int start, final int end)
    {
        final int length = end - start;
        final boolean wasEmpty = 0 == connection.backlogLength();
        if (null == connection.backlog || connection.backlog.length - connection.backlogTail < length)
        {
            final int pending = connection.backlogLength();
            if (pending + length > MAX_BACKLOG_BYTES)
            {
                fail(connection);
                return;
            }
            byte[] target = connection.backlog;
            if (null == target || target.length < pending + length)
            {
                target = new byte[Math.max(16 * 1024, Integer.highestOneBit(pending + length) << 1)];
                connection.backlogBuffer = ByteBuffer.wrap(target);
            }
            if (pending > 0)
            {
                System.arraycopy(connection.backlog, connection.backlogHead, target, 0, pending);
            }
            connection.backlog = target;
            connection.backlogHead = 0;
            connection.backlogTail = pending;
        }
        arena.get(start, connection.backlog, connection.backlogTail, length);
        connection.backlogTail += length;
        if (wasEmpty && connection.key.isValid())
        {
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void onWritable(final RawConnection connection)
    {
        final ByteBuffer buffer = connection.backlogBuffer;
        buffer.limit(connection.backlogTail);
        buffer.position(connection.backlogHead);
        try
        {
            connection.channel.write(buffer);
        }
        catch (final IOException ex)
        {
            fail(connection);
            return;
        }
        connection.backlogHead = buffer.position();
        if (connection.backlogHead == connection.backlogTail)
        {
            connection.backlogHead = 0;
            connection.backlogTail = 0;
            connection.key.interestOps(SelectionKey.OP_READ);
            if (connection.closeAfterFlush && 0 == connection.viewCount)
            {
                fail(connection);
            }
        }
    }

    private void fail(final RawConnection connection)
    {
        if (!connection.open)
        {
            return;
        }
        connection.open = false;
        if (failedCount == failed.length)
        {
            final RawConnection[] grown = new RawConnection[failedCount * 2];
            System.arraycopy(failed, 0, grown, 0, failedCount);
            failed = grown;
        }
        failed[failedCount++] = connection;
    }

    private void reapFailed()
    {
        for (int i = 0; i < failedCount; i++)
        {
            final RawConnection connection = failed[i];
            failed[i] = null;
            leaveRoom(connection);
            connection.key.cancel();
            try
            {
                connection.channel.close();
            }
            catch (final IOException ignore)
            {
                // The socket is gone either way.
            }
        }
        failedCount = 0;
    }

    private void leaveRoom(final RawConnection connection)
    {
        final RawRoom room = connection.room;
        if (null == room)
        {
            return;
        }
        connection.room = null;
        users.remove(connection.userNumber);
        room.remove(connection);
        if (0 == room.size)
        {
            removeRoom(room);
        }
    }

    private RawRoom findRoom(final byte[] id, final int offset, final int length)
    {
        RawRoom room = rooms.get(hash(id, offset, length));
        while (null != room && !room.idEquals(id, offset, length))
        {
            room = room.next;
        }
        return room;
    }

    private RawRoom addRoom(final byte[] id, final int offset, final int length)
    {
        final long hash = hash(id, offset, length);
        final RawRoom room = new RawRoom(id, offset, length);
        room.next = rooms.get(hash);
        rooms.put(hash, room);
        roomCount++;
        return room;
    }

    private void removeRoom(final RawRoom room)
    {
        final long hash = hash(room.id, 0, room.id.length);
        RawRoom head = rooms.get(hash);
        if (head == room)
        {
            if (null == room.next)
            {
                rooms.remove(hash);
            }
            else
            {
                rooms.put(hash, room.next);
            }
        }
        else
        {
            while (null != head && head.next != room)
            {
                head = head.next;
            }
            if (null != head)
            {
                head.next = room.next;
            }
        }
        room.next = null;
        roomCount--;
    }

    private static long hash(final byte[] id, final int offset, final int length)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++)
        {
            h ^= id[offset + i];
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static int parseUserNumber(final byte[] in, final int start, final int end)
    {
        if (end - start < 3 || 'u' != in[start] || '-' != in[start + 1])
        {
            return 0;
        }
        int value = 0;
        for (int i = start + 2; i < end; i++)
        {
            final byte b = in[i];
            if (b < '0' || b > '9' || value > 100_000_000)
            {
                return 0;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    static int objectEnd(final byte[] in, final int start, final int limit)
    {
        int depth = 0;
        for (int i = start; i < limit; i++)
        {
            final byte b = in[i];
            if ('"' == b)
            {
                i = JsonScan.stringEnd(in, i, limit);
                if (i < 0)
                {
                    return -1;
                }
            }
            else if ('{' == b || '[' == b)
            {
                depth++;
            }
            else if ('}' == b || ']' == b)
            {
                depth--;
                if (0 == depth)
                {
                    return i;
                }
            }
        }
        return -1;
    }

    static int formatLong(final long value, final byte[] out)
    {
        long v = value;
        if (0 == v)
        {
            out[0] = '0';
            return 1;
        }
        int length = 0;
        final boolean negative = v < 0;
        if (negative)
        {
            out[length++] = '-';
            v = -v;
        }
        int count = 0;
        for (long x = v; x != 0; x /= 10)
        {
            count++;
        }
        int at = length + count - 1;
        while (v != 0)
        {
            out[at--] = (byte)('0' + (v % 10));
            v /= 10;
        }
        return length + count;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
