package dev.switchboard.net.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.admin.AdminCall;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.net.http.HttpRequestParser;
import dev.switchboard.net.http.HttpResponses;
import dev.switchboard.net.http.StatusPages;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Routes the requests of the operator port, on the thread of the IoAgent that serves it: {@code /metrics}, the
 * full {@code /healthz}, and the admin API under {@code /admin/}, which needs {@code Authorization: Bearer
 * <adminToken>}.
 * <p>
 * Commands (close a room, remove a user, publish a game_event or game_state patch) and the description of one room
 * go to the room's engine shard as a {@link SlotKind#ADMIN} ring slot, never through a lock; the engine answers
 * the {@link AdminCall}, which comes back through a queue that the IoAgent drains. The room list is read from the
 * room-size snapshots the engines publish about once a second. Every answer is JSON and closes the connection, so
 * answers can never overtake each other on one connection.
 * <p>
 * Routes: {@code GET /admin/rooms}; {@code GET /admin/rooms/{id}}; {@code POST /admin/rooms/{id}/close} with an
 * optional body {@code {"reason":"..."}}; {@code DELETE /admin/rooms/{id}/members/{userId}}; {@code POST
 * /admin/rooms/{id}/events} whose body is the game_event payload object; {@code POST /admin/rooms/{id}/state} whose
 * body is the patch object.
 */
public final class AdminApi
{
    /** {@link #onRequest} outcome: the body is not all in yet; call again with more bytes. */
    public static final int INCOMPLETE = -1;
    /** {@link #onRequest} outcome: {@link #response()} is ready to send. */
    public static final int RESPOND = 0;
    /** {@link #onRequest} outcome: publish {@link #slot()} to shard {@link #shard()} and wait for the answer. */
    public static final int PUBLISH = 1;

    /** Longest close reason accepted, in characters of {@code [a-z0-9_]}. */
    public static final int MAX_REASON_LENGTH = 64;
    private static final String DEFAULT_REASON = "closed_by_operator";
    private static final String ROOMS = "/admin/rooms";
    private static final String JSON = HttpResponses.APPLICATION_JSON;
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final Logger LOG = LogManager.getLogger(AdminApi.class);

    private final byte[] tokenBytes;
    private final StatusPages statusPages;
    private final Supplier<byte[]> roomList;
    private final InboundPublisher inbound;
    private final EnvelopeDecoder decoder;
    private final InboundSlot slot = new InboundSlot();
    private final ManyToOneConcurrentArrayQueue<AdminCall> completions = new ManyToOneConcurrentArrayQueue<>(1024);
    private Runnable waker = () -> { };
    private byte[] response;
    private int shard;

    /**
     * Create the router.
     *
     * @param adminToken      the bearer token, or null to refuse every admin call with 401.
     * @param statusPages     bodies of /metrics and the full /healthz.
     * @param roomList        JSON of {@code {"rooms":[{"roomId":..,"size":..}]}} from the engines' snapshots.
     * @param inbound         door into the engine shards.
     * @param maxPayloadBytes largest payload a command may publish.
     */
    public AdminApi(
        final String adminToken,
        final StatusPages statusPages,
        final Supplier<byte[]> roomList,
        final InboundPublisher inbound,
        final int maxPayloadBytes)
    {
        this.tokenBytes = null == adminToken ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.statusPages = statusPages;
        this.roomList = roomList;
        this.inbound = inbound;
        this.decoder = new EnvelopeDecoder(maxPayloadBytes);
    }

    /**
     * Set what wakes the serving IoAgent when an engine answered; call before requests arrive.
     *
     * @param wake wakes the agent's selector.
     */
    public void waker(final Runnable wake)
    {
        this.waker = wake;
    }

    /**
     * Handle one parsed request whose head is at the start of {@code buffer}.
     *
     * @param connectionId   the HTTP connection, for the engine's answer.
     * @param request        the parsed head.
     * @param buffer         the head and whatever followed it.
     * @param headLength     bytes of the head.
     * @param bufferedLength bytes in {@code buffer}.
     * @return {@link #INCOMPLETE}, {@link #RESPOND} or {@link #PUBLISH}.
     */
    public int onRequest(
        final long connectionId,
        final HttpRequestParser request,
        final byte[] buffer,
        final int headLength,
        final int bufferedLength)
    {
        if (request.hasTransferEncoding())
        {
            return respond(411, "{\"error\":\"content_length_required\"}");
        }
        final long contentLength = request.contentLength();
        if (headLength + contentLength > buffer.length)
        {
            return respond(413, "{\"error\":\"body_too_large\"}");
        }
        if (bufferedLength < headLength + contentLength)
        {
            return INCOMPLETE;
        }
        final String path = new String(request.buffer(), request.pathOffset(), request.pathLength(),
            StandardCharsets.US_ASCII);
        final boolean get = request.isGet() || request.isHead();
        if ("/metrics".equals(path) || "/healthz".equals(path))
        {
            if (!get)
            {
                return respond(405, "{\"error\":\"method_not_allowed\"}");
            }
            response = "/metrics".equals(path) ?
                render(200, HttpResponses.PROMETHEUS_TEXT, statusPages.metrics(), false) :
                render(statusPages.draining() ? 503 : 200, JSON, statusPages.healthz(), false);
            return RESPOND;
        }
        if (!path.equals(ROOMS) && !path.startsWith(ROOMS + "/"))
        {
            return respond(404, "{\"error\":\"not_found\"}");
        }
        if (!authorized(buffer, headLength))
        {
            response = render(401, JSON, utf8("{\"error\":\"unauthorized\"}"), true);
            return RESPOND;
        }
        final String body = new String(buffer, headLength, (int)contentLength, StandardCharsets.UTF_8);
        return route(connectionId, request, path, body);
    }

    private int route(final long connectionId, final HttpRequestParser request, final String path, final String body)
    {
        if (path.equals(ROOMS))
        {
            if (!request.isGet())
            {
                return respond(405, "{\"error\":\"method_not_allowed\"}");
            }
            response = render(200, JSON, roomList.get(), false);
            return RESPOND;
        }
        final String[] parts = path.substring(ROOMS.length() + 1).split("/", -1);
        final String roomId = parts[0];
        if (!isRoomId(roomId))
        {
            return respond(400, "{\"error\":\"invalid_room_id\"}");
        }
        if (1 == parts.length)
        {
            return request.isGet() ? command(connectionId, AdminCall.DESCRIBE_ROOM, roomId, null, null) :
                respond(405, "{\"error\":\"method_not_allowed\"}");
        }
        final String action = parts[1];
        if (3 == parts.length && "members".equals(action))
        {
            if (!request.methodEquals("DELETE"))
            {
                return respond(405, "{\"error\":\"method_not_allowed\"}");
            }
            return isUserId(parts[2]) ? command(connectionId, AdminCall.REMOVE_USER, roomId, parts[2], null) :
                respond(400, "{\"error\":\"invalid_user_id\"}");
        }
        if (2 != parts.length || !("close".equals(action) || "events".equals(action) || "state".equals(action)))
        {
            return respond(404, "{\"error\":\"not_found\"}");
        }
        if (!request.methodEquals("POST"))
        {
            return respond(405, "{\"error\":\"method_not_allowed\"}");
        }
        switch (action)
        {
            case "close":
                final String reason = closeReason(body);
                return null == reason ? respond(400, "{\"error\":\"invalid_reason\"}") :
                    command(connectionId, AdminCall.CLOSE_ROOM, roomId, null, reason);
            case "events":
                return publish(connectionId, AdminCall.PUBLISH_EVENT, roomId,
                    "{\"type\":\"game_event\",\"roomId\":\"" + roomId + "\",\"msgId\":\"" + UUID.randomUUID() +
                    "\",\"seq\":1,\"payload\":" + body + "}");
            default:
                return publish(connectionId, AdminCall.PUBLISH_STATE, roomId,
                    "{\"type\":\"game_state\",\"roomId\":\"" + roomId + "\",\"msgId\":\"" + UUID.randomUUID() +
                    "\",\"seq\":1,\"payload\":{\"version\":1,\"patch\":" + body + "}}");
        }
    }

    /** Decode a synthetic client envelope around the operator's JSON, so it passes the same checks as a client's. */
    private int publish(final long connectionId, final int op, final String roomId, final String envelope)
    {
        final byte[] bytes = utf8(envelope);
        slot.clear();
        decoder.decode(bytes, 0, bytes.length, slot);
        if (ErrorCode.NONE.ordinal() != slot.errorCode)
        {
            return respond(ErrorCode.PAYLOAD_TOO_LARGE.ordinal() == slot.errorCode ? 413 : 400,
                "{\"error\":\"" + ErrorCode.get(slot.errorCode).wireName() + "\"}");
        }
        return toEngine(connectionId, op, roomId);
    }

    private int command(final long connectionId, final int op, final String roomId, final String userId,
        final String reason)
    {
        slot.clear();
        final byte[] room = roomId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(room, 0, slot.roomId, 0, room.length);
        slot.roomIdLength = room.length;
        if (null != userId)
        {
            final byte[] user = userId.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(user, 0, slot.userId, 0, user.length);
            slot.userIdLength = user.length;
        }
        if (null != reason)
        {
            final byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
            slot.ensurePayloadCapacity(text.length);
            System.arraycopy(text, 0, slot.payload, 0, text.length);
            slot.payloadLength = text.length;
        }
        return toEngine(connectionId, op, roomId);
    }

    private int toEngine(final long connectionId, final int op, final String roomId)
    {
        slot.kind = SlotKind.ADMIN;
        slot.connectionId = 0;
        slot.adminOp = op;
        slot.adminCall = new AdminCall(connectionId, this::onAnswered);
        shard = inbound.shardFor(slot.roomId, slot.roomIdLength);
        LOG.info(LogLine.event("admin_command").with("op", op).with("roomId", roomId));
        return PUBLISH;
    }

    private void onAnswered(final AdminCall call)
    {
        // Runs on an engine thread, which must never wait: with over 1024 answers unsent the IoAgent is far
        // behind, and the waiting connection is dropped by its HTTP head timer instead.
        if (completions.offer(call))
        {
            waker.run();
        }
        else
        {
            LOG.warn(LogLine.event("admin_answer_dropped").with("connectionId", call.connectionId()));
        }
    }

    /**
     * Whether engine answers wait to be sent.
     *
     * @return true when {@link #drainAnswers} has work.
     */
    public boolean hasAnswers()
    {
        return !completions.isEmpty();
    }

    /**
     * Hand every engine answer, rendered as a full HTTP response, to the IoAgent.
     *
     * @param sender sends the response bytes on the connection with that id, if it is still there.
     */
    public void drainAnswers(final AnswerSender sender)
    {
        AdminCall call;
        while (null != (call = completions.poll()))
        {
            sender.send(call.connectionId(), render(call.status(), JSON, call.body(), false));
        }
    }

    /** Receives rendered answers on the IoAgent thread. */
    @FunctionalInterface
    public interface AnswerSender
    {
        /**
         * Send a full HTTP response and close.
         *
         * @param connectionId the connection.
         * @param response     the response bytes.
         */
        void send(long connectionId, byte[] response);
    }

    /**
     * The slot to publish after {@link #PUBLISH}.
     *
     * @return the filled slot.
     */
    public InboundSlot slot()
    {
        return slot;
    }

    /**
     * The shard to publish to after {@link #PUBLISH}.
     *
     * @return shard index.
     */
    public int shard()
    {
        return shard;
    }

    /**
     * The response after {@link #RESPOND}.
     *
     * @return full HTTP response bytes; the connection closes after it.
     */
    public byte[] response()
    {
        return response;
    }

    private int respond(final int status, final String json)
    {
        response = render(status, JSON, utf8(json), false);
        return RESPOND;
    }

    private boolean authorized(final byte[] head, final int headLength)
    {
        if (null == tokenBytes)
        {
            return false;
        }
        final byte[] given = bearer(head, headLength);
        return null != given && MessageDigest.isEqual(tokenBytes, given);
    }

    /** The token of the Authorization header's Bearer credentials, or null. */
    static byte[] bearer(final byte[] head, final int headLength)
    {
        final byte[] name = utf8("authorization:");
        int line = 0;
        while (line < headLength)
        {
            int end = line;
            while (end < headLength && '\n' != head[end])
            {
                end++;
            }
            if (end - line > name.length && startsWithIgnoreCase(head, line, name))
            {
                int from = line + name.length;
                int to = end;
                while (from < to && (' ' == head[from] || '\t' == head[from]))
                {
                    from++;
                }
                while (to > from && ('\r' == head[to - 1] || ' ' == head[to - 1] || '\t' == head[to - 1]))
                {
                    to--;
                }
                final byte[] scheme = utf8("bearer ");
                if (to - from > scheme.length && startsWithIgnoreCase(head, from, scheme))
                {
                    return Arrays.copyOfRange(head, from + scheme.length, to);
                }
                return null;
            }
            line = end + 1;
        }
        return null;
    }

    private static boolean startsWithIgnoreCase(final byte[] src, final int offset, final byte[] lowerPrefix)
    {
        for (int i = 0; i < lowerPrefix.length; i++)
        {
            final int c = src[offset + i];
            final int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
            if (lower != lowerPrefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The close reason from an optional {@code {"reason":"..."}} body; null when the body is not acceptable. */
    static String closeReason(final String body)
    {
        if (body.isBlank())
        {
            return DEFAULT_REASON;
        }
        String reason = DEFAULT_REASON;
        try (JsonParser parser = JSON_FACTORY.createParser(body))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return null;
            }
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("reason".equals(name))
                {
                    if (JsonToken.VALUE_STRING != value)
                    {
                        return null;
                    }
                    reason = parser.getText();
                }
                else
                {
                    parser.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        return reason.matches("[a-z0-9_]{1," + MAX_REASON_LENGTH + "}") ? reason : null;
    }

    private static boolean isRoomId(final String id)
    {
        return id.matches("[A-Za-z0-9_.-]{1,64}");
    }

    private static boolean isUserId(final String id)
    {
        return id.matches("[A-Za-z0-9_.:@-]{1,64}");
    }

    private static byte[] render(final int status, final String contentType, final byte[] body,
        final boolean challenge)
    {
        final String reason = HttpResponses.reasonPhrase(status);
        final String head = "HTTP/1.1 " + status + " " + (null == reason ? "Error" : reason) + "\r\n" +
            "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" +
            (challenge ? "WWW-Authenticate: Bearer realm=\"switchboard-admin\"\r\n" : "") +
            "Cache-Control: no-store\r\n\r\n";
        final byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        final byte[] out = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, out, headBytes.length, body.length);
        return out;
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
