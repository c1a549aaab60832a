package dev.switchboard.net.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A protocol-level test client over {@link RawWebSocket}: sends envelopes with fresh msgIds and rising seqs,
 * and reads server messages as JSON text, waiting with the socket's read deadline.
 */
public final class JsonClient implements AutoCloseable
{
    private final RawWebSocket ws;
    private final List<String> seen = new ArrayList<>();
    private long seq;

    private JsonClient(final RawWebSocket ws)
    {
        this.ws = ws;
    }

    /**
     * Connect to {@code /ws}.
     *
     * @param port the server port.
     * @return the client.
     * @throws IOException on failure.
     */
    public static JsonClient connect(final int port) throws IOException
    {
        return new JsonClient(RawWebSocket.connect(port));
    }

    /**
     * Connect to a path such as {@code /ws?authToken=...}.
     *
     * @param port the server port.
     * @param path the request target.
     * @return the client.
     * @throws IOException on failure.
     */
    public static JsonClient connect(final int port, final String path) throws IOException
    {
        return new JsonClient(RawWebSocket.connect(port, path));
    }

    /**
     * The raw socket, for frame-level checks.
     *
     * @return the socket.
     */
    public RawWebSocket raw()
    {
        return ws;
    }

    /**
     * Send an envelope with a new msgId and the next seq.
     *
     * @param type        message type.
     * @param roomId      room id.
     * @param extraFields more top-level JSON fields (without braces), may be empty.
     * @param payloadJson payload object JSON, or null.
     * @return the msgId used.
     * @throws IOException on failure.
     */
    public String send(final String type, final String roomId, final String extraFields, final String payloadJson)
        throws IOException
    {
        final String msgId = UUID.randomUUID().toString();
        sendWithId(msgId, type, roomId, extraFields, payloadJson);
        return msgId;
    }

    /**
     * Send an envelope with the given msgId and the next seq.
     *
     * @param msgId       the msgId.
     * @param type        message type.
     * @param roomId      room id.
     * @param extraFields more top-level JSON fields (without braces), may be empty.
     * @param payloadJson payload object JSON, or null.
     * @throws IOException on failure.
     */
    public void sendWithId(
        final String msgId,
        final String type,
        final String roomId,
        final String extraFields,
        final String payloadJson) throws IOException
    {
        final StringBuilder json = new StringBuilder("{\"type\":\"").append(type).append("\",\"msgId\":\"")
            .append(msgId).append("\",\"roomId\":\"").append(roomId).append("\",\"seq\":").append(++seq);
        if (null != extraFields && !extraFields.isEmpty())
        {
            json.append(',').append(extraFields);
        }
        if (null != payloadJson)
        {
            json.append(",\"payload\":").append(payloadJson);
        }
        ws.sendText(json.append('}').toString());
    }

    /**
     * Send raw text.
     *
     * @param text the text.
     * @throws IOException on failure.
     */
    public void sendText(final String text) throws IOException
    {
        ws.sendText(text);
    }

    /**
     * Read the next text message (skipping server pings).
     *
     * @return the JSON text.
     * @throws IOException on timeout, EOF, or a close frame.
     */
    public String next() throws IOException
    {
        final RawWebSocket.Frame frame = ws.readNonPing();
        if (frame.opcode == RawWebSocket.CLOSE)
        {
            throw new IOException("closed: " + frame.closeCode() + " " + frame.closeReason());
        }
        final String text = frame.text();
        seen.add(text);
        return text;
    }

    /**
     * Read until a message matches.
     *
     * @param match the predicate.
     * @return the matching JSON text.
     * @throws IOException on timeout or EOF before a match.
     */
    public String until(final Predicate<String> match) throws IOException
    {
        while (true)
        {
            final String text = next();
            if (match.test(text))
            {
                return text;
            }
        }
    }

    /**
     * Read until a message of the given type.
     *
     * @param type the type.
     * @return the JSON text.
     * @throws IOException on timeout or EOF first.
     */
    public String untilType(final String type) throws IOException
    {
        return until(t -> t.startsWith("{\"type\":\"" + type + "\""));
    }

    /**
     * Every text message read so far.
     *
     * @return the texts in order.
     */
    public List<String> seen()
    {
        return seen;
    }

    /**
     * Join a room and wait for joined.
     *
     * @param roomId room.
     * @param role   host or viewer.
     * @return the joined message.
     * @throws IOException on failure.
     */
    public String join(final String roomId, final String role) throws IOException
    {
        send("join", roomId, "", "{\"role\":\"" + role + "\"}");
        return untilType("joined");
    }

    /**
     * Connect with a JWT in the {@code authToken} query parameter.
     *
     * @param port  the server port.
     * @param token the compact JWS.
     * @return the client.
     * @throws IOException on failure.
     */
    public static JsonClient connectWithToken(final int port, final String token) throws IOException
    {
        return connect(port, "/ws?authToken=" + token);
    }

    /**
     * Send a join and return the answer to it, {@code joined} or {@code error}.
     *
     * @param roomId the room.
     * @param role   "host" or "viewer".
     * @return the answer's text.
     * @throws IOException on failure.
     */
    public String joinAnswer(final String roomId, final String role) throws IOException
    {
        send("join", roomId, "", "{\"role\":\"" + role + "\"}");
        return until(t -> t.startsWith("{\"type\":\"joined\"") || t.startsWith("{\"type\":\"error\""));
    }

    /**
     * Extract a string field's value from flat JSON text (test helper, first occurrence).
     *
     * @param json  the text.
     * @param field the field name.
     * @return the value or null.
     */
    public static String field(final String json, final String field)
    {
        final String key = "\"" + field + "\":\"";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            return null;
        }
        final int from = start + key.length();
        return json.substring(from, json.indexOf('"', from));
    }

    /**
     * Extract a number field's value from JSON text (test helper, first occurrence).
     *
     * @param json  the text.
     * @param field the field name.
     * @return the value, or -1 when absent.
     */
    public static long number(final String json, final String field)
    {
        final String key = "\"" + field + "\":";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            return -1;
        }
        int end = start + key.length();
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-'))
        {
            end++;
        }
        return Long.parseLong(json.substring(start + key.length(), end));
    }

    @Override
    public void close() throws IOException
    {
        ws.close();
    }
}
