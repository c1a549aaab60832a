package dev.switchboard.net.io;

import dev.switchboard.engine.auth.AuthResult;
import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.admin.AdminApi;
import dev.switchboard.net.http.AllowedOrigins;
import dev.switchboard.net.http.Handshake;
import dev.switchboard.net.http.HttpRequestParser;
import dev.switchboard.net.http.HttpResponses;
import dev.switchboard.net.http.StaticFiles;
import dev.switchboard.net.http.StatusPages;
import dev.switchboard.net.ws.AssemblyBufferPool;
import dev.switchboard.net.ws.CloseCodes;
import dev.switchboard.net.ws.FrameDecoder;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 on the agent's sockets before any upgrade: /healthz, /metrics, the harness files, the operator
 * port's admin API, and the WebSocket upgrade with its authentication; IoAgent thread only, except the
 * authenticator's callback, which only offers to a queue.
 */
final class HttpAdapter
{
    private static final Logger LOG = LogManager.getLogger(HttpAdapter.class);
    private static final String CONTENT_TYPE_JSON = "application/json";
    private static final String CONTENT_TYPE_METRICS = "text/plain; version=0.0.4; charset=utf-8";

    private final IoLoop loop;
    private final SwitchboardSettings settings;
    private final ConnectionTable table;
    private final IoCounters counters;
    private final HeadBufferPool headPool;
    private final StatusPages statusPages;
    private final StaticFiles staticFiles;
    private final AllowedOrigins allowedOrigins;
    private final Authenticator authenticator;
    private final boolean authenticatorIgnoresTokens;
    private final ManyToOneConcurrentArrayQueue<AuthCompletion> authCompletions;
    private final AssemblyBufferPool assemblyPool;
    private final AddressAdmission admission;
    private final HttpRequestParser request = new HttpRequestParser();
    private final Handshake handshake = new Handshake();
    private OutboundDrain drain;
    private ConnectionCloser closer;
    private WebSocketInbound inbound;
    private AdminApi adminApi;

    /**
     * Serve one agent's HTTP.
     *
     * @param loop            the agent's clock, frame pool and drain state.
     * @param settings        limits and routes.
     * @param table           the agent's connections.
     * @param counters        the agent's counters.
     * @param headPool        pooled buffers for request heads.
     * @param statusPages     bodies of /healthz and /metrics.
     * @param staticFiles     the harness files.
     * @param authenticator   maps authTokens to user ids, off this thread.
     * @param authCompletions where the authenticator's answers wait for the agent's thread.
     * @param admission       the per-address limits.
     */
    HttpAdapter(
        final IoLoop loop,
        final SwitchboardSettings settings,
        final ConnectionTable table,
        final IoCounters counters,
        final HeadBufferPool headPool,
        final StatusPages statusPages,
        final StaticFiles staticFiles,
        final Authenticator authenticator,
        final ManyToOneConcurrentArrayQueue<AuthCompletion> authCompletions,
        final AddressAdmission admission)
    {
        this.loop = loop;
        this.settings = settings;
        this.table = table;
        this.counters = counters;
        this.headPool = headPool;
        this.statusPages = statusPages;
        this.staticFiles = staticFiles;
        this.allowedOrigins = AllowedOrigins.parse(settings.allowedOrigins());
        this.authenticator = authenticator;
        this.authenticatorIgnoresTokens = null == settings.jwtSecret();
        this.authCompletions = authCompletions;
        this.assemblyPool = new AssemblyBufferPool(settings.maxPayloadBytes(), 32);
        this.admission = admission;
    }

    /**
     * Connect the parts this one calls back, once, before the agent starts.
     *
     * @param drain   queues responses.
     * @param closer  closes connections.
     * @param inbound decodes the frames that follow an upgrade and publishes operator requests.
     */
    void wire(final OutboundDrain drain, final ConnectionCloser closer, final WebSocketInbound inbound)
    {
        this.drain = drain;
        this.closer = closer;
        this.inbound = inbound;
    }

    /**
     * Serve the operator port's requests with the admin API, before the agent starts.
     *
     * @param api the router of its requests.
     */
    void adminApi(final AdminApi api)
    {
        this.adminApi = api;
    }

    /**
     * Bytes read from a socket still speaking HTTP.
     *
     * @param connection the connection.
     * @param src        the bytes, never more than its head buffer has room for.
     * @param offset     first byte.
     * @param length     number of bytes.
     */
    void onHttpBytes(final Connection connection, final byte[] src, final int offset, final int length)
    {
        if (null == connection.headBuffer)
        {
            connection.headBuffer = headPool.acquire();
            connection.headLength = 0;
        }
        System.arraycopy(src, offset, connection.headBuffer, connection.headLength, length);
        if (0 == connection.headLength && length > 0)
        {
            connection.requestInProgress = true;
            connection.requestStartMs = loop.nowMs();
        }
        connection.headLength += length;
        parseHttpRequests(connection);
    }

    /**
     * Serve the complete requests in the head buffer, one at a time, until it holds none or
     * {@code maxPipelinedRequests} responses wait to be written; then reading pauses until the drain has
     * written enough of them, so a client that pipelines without reading costs at most that many responses.
     *
     * @param connection the connection.
     */
    void parseHttpRequests(final Connection connection)
    {
        final byte[] head = connection.headBuffer;
        while (ConnectionState.HTTP == connection.state && connection.headLength > 0)
        {
            if (connection.queueCount >= settings.maxPipelinedRequests())
            {
                if (!connection.isPaused(Connection.PAUSE_PIPELINE))
                {
                    ConnectionLog.logSampled(LOG, IoCounters.increment(counters.pipelinePauses), "pipeline_paused",
                        connection);
                    connection.pauseReading(Connection.PAUSE_PIPELINE);
                }
                return;
            }
            final int headLength = parseOne(connection, head);
            if (headLength <= 0)
            {
                return;
            }
            // keep-alive: shift any pipelined bytes to the front; the next request's timer starts now
            final int rest = connection.headLength - headLength;
            System.arraycopy(head, headLength, head, 0, rest);
            connection.headLength = rest;
            connection.requestInProgress = rest > 0;
            connection.requestStartMs = loop.nowMs();
            connection.acceptedMs = loop.nowMs();
        }
        if (ConnectionState.HTTP == connection.state && 0 == connection.headLength && null != connection.headBuffer)
        {
            headPool.release(connection.headBuffer);
            connection.headBuffer = null;
        }
    }

    /**
     * Parse and serve the request at the front of the head buffer.
     *
     * @return its head's length when the connection stays on HTTP for the next one; 0 otherwise.
     */
    private int parseOne(final Connection connection, final byte[] head)
    {
        final int result = request.parse(head, 0, connection.headLength);
        if (HttpRequestParser.INCOMPLETE == result)
        {
            if (connection.headLength >= head.length)
            {
                respondAndClose(connection, 431);
            }
            return 0;
        }
        if (HttpRequestParser.TOO_LARGE == result)
        {
            respondAndClose(connection, 431);
            return 0;
        }
        if (HttpRequestParser.BAD_REQUEST == result)
        {
            respondAndClose(connection, 400);
            return 0;
        }
        if (connection.admin)
        {
            serveAdmin(connection, head, result);
            return 0;
        }
        if (request.pathEquals("/ws"))
        {
            upgrade(connection, result);
            return 0;
        }
        serveHttp(connection);
        return ConnectionState.HTTP == connection.state ? result : 0;
    }

    private void serveHttp(final Connection connection)
    {
        final boolean keepAlive = request.keepAlive() && !request.hasBody();
        if (request.hasBody() || (request.isHttp11() && 0 == request.hostLength()))
        {
            respondAndClose(connection, 400);
            return;
        }
        if (!request.isGet() && !request.isHead())
        {
            respond(connection, HttpResponses.status(405, keepAlive), keepAlive);
            return;
        }
        if (request.pathEquals("/healthz"))
        {
            // With the operator port on (served by agent 0 only), every agent's public /healthz hides room ids.
            final byte[] body = settings.adminPort() >= 0 ? statusPages.publicHealthz() : statusPages.healthz();
            respondDynamic(connection, statusPages.draining() ? 503 : 200, CONTENT_TYPE_JSON, body, keepAlive);
        }
        else if (request.pathEquals("/metrics"))
        {
            respondDynamic(connection, 200, CONTENT_TYPE_METRICS, statusPages.metrics(), keepAlive);
        }
        else
        {
            final byte[] file = settings.publicHarness() &&
                (request.pathEquals("/harness") || request.pathStartsWith("/harness/")) ?
                staticFiles.response(request, keepAlive) : null;
            respond(connection, null != file ? file : HttpResponses.status(404, keepAlive, request.isHead()),
                keepAlive);
        }
    }

    // ---------------------------------------------------------------- operator port

    private void serveAdmin(final Connection connection, final byte[] head, final int headLength)
    {
        switch (adminApi.onRequest(connection.id, request, head, headLength, connection.headLength))
        {
            case AdminApi.INCOMPLETE:
                return;
            case AdminApi.PUBLISH:
                // One request per connection: stop reading until the engine's answer closes it.
                connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_READ);
                connection.headLength = 0;
                inbound.publishToEngine(adminApi.shard(), adminApi.slot());
                return;
            default:
                connection.headLength = 0;
                respond(connection, adminApi.response(), false);
        }
    }

    /**
     * The engine's answer to an operator request: write it and close.
     *
     * @param connectionId the operator-port connection.
     * @param response     the complete HTTP response.
     */
    void sendAdminAnswer(final long connectionId, final byte[] response)
    {
        final Connection connection = table.get(connectionId);
        if (null != connection && connection.admin && ConnectionState.HTTP == connection.state)
        {
            respond(connection, response, false);
        }
    }

    // ---------------------------------------------------------------- responses

    private void respondDynamic(
        final Connection connection,
        final int status,
        final String contentType,
        final byte[] body,
        final boolean keepAlive)
    {
        final int bodyLength = request.isHead() ? 0 : body.length;
        final Frame frame = loop.framePool().acquire(512 + bodyLength, MessageType.UNKNOWN, false);
        final byte[] dst = frame.buffer();
        final int headLength = HttpResponses.writeHead(dst, 0, status, contentType, body.length, keepAlive);
        frame.ensurePayloadCapacity(headLength + bodyLength);
        System.arraycopy(body, 0, frame.buffer(), headLength, bodyLength);
        frame.sealRaw(0, headLength + bodyLength);
        enqueueResponse(connection, frame, keepAlive);
    }

    private void respond(final Connection connection, final byte[] response, final boolean keepAlive)
    {
        final Frame frame = loop.framePool().acquire(response.length, MessageType.UNKNOWN, false);
        frame.ensurePayloadCapacity(response.length);
        System.arraycopy(response, 0, frame.buffer(), 0, response.length);
        frame.sealRaw(0, response.length);
        enqueueResponse(connection, frame, keepAlive);
    }

    private void enqueueResponse(final Connection connection, final Frame frame, final boolean keepAlive)
    {
        drain.enqueueOwned(connection, frame);
        if (!keepAlive)
        {
            connection.state = ConnectionState.CLOSING;
            connection.closeAfterFlush();
        }
    }

    private void respondAndClose(final Connection connection, final int status)
    {
        respond(connection, HttpResponses.status(status, false), false);
    }

    // ---------------------------------------------------------------- upgrade

    private void upgrade(final Connection connection, final int headLength)
    {
        final int status = 0 != loop.drainRequestedMs() ? 503 : handshake.validate(request, allowedOrigins);
        if (0 != status)
        {
            respondAndClose(connection, status);
            return;
        }
        if (AddressAccounting.VIA_TRUSTED_PROXY == connection.addressAccounting &&
            !admission.admitForwardedClient(connection, request))
        {
            respondAndClose(connection, 429);
            return;
        }
        if (!admission.tryUpgrade(connection))
        {
            respondAndClose(connection, 429);
            return;
        }
        final Frame frame = loop.framePool().acquire(256, MessageType.UNKNOWN, false);
        final int length = handshake.writeAccept(request, frame.buffer(), 0);
        frame.sealRaw(0, length);
        drain.enqueueOwned(connection, frame);
        IoCounters.increment(counters.upgrades);
        startWebSocket(connection, headLength);
        authenticate(connection);
    }

    /**
     * The 101 is queued: give the socket its frame decoder and timers, and keep the bytes after the head, which
     * are WebSocket frames the client sent right away, at the front of the head buffer.
     */
    private void startWebSocket(final Connection connection, final int headLength)
    {
        final long nowMs = loop.nowMs();
        connection.decoder = new FrameDecoder(settings.maxPayloadBytes(), settings.hardFrameLimitBytes(),
            settings.maxFragmentsPerMessage(), assemblyPool);
        connection.frameBudget.reset(nowMs);
        connection.requestInProgress = false;
        connection.lastReadMs = nowMs;
        connection.lastPingMs = nowMs;
        final byte[] head = connection.headBuffer;
        final int rest = connection.headLength - headLength;
        System.arraycopy(head, headLength, head, 0, rest);
        connection.headLength = rest;
    }

    private void authenticate(final Connection connection)
    {
        final String token = authenticatorIgnoresTokens ? null : request.queryParameter("authToken");
        if (settings.requireAuth() && (null == token || token.isEmpty()))
        {
            IoCounters.increment(counters.unauthorized);
            connection.state = ConnectionState.OPEN;
            closer.closeWith(connection, CloseCodes.UNAUTHORIZED, "unauthorized");
            return;
        }
        if (null == token)
        {
            openAfterAuth(connection);
            return;
        }
        connection.state = ConnectionState.AUTH_PENDING;
        connection.pauseReading(Connection.PAUSE_AUTH);
        final long connectionId = connection.id;
        final ManyToOneConcurrentArrayQueue<AuthCompletion> completions = authCompletions;
        final IoLoop loop = this.loop;
        authenticator.authenticate(token).whenComplete((result, error) ->
        {
            final AuthResult outcome = null != error ? AuthResult.rejected("authenticator failed") : result;
            while (!completions.offer(new AuthCompletion(connectionId, outcome)))
            {
                Thread.onSpinWait();
            }
            loop.wake();
        });
    }

    /**
     * Apply the authenticator's answers: open the accepted sockets, close the others with 4401.
     */
    void drainAuthCompletions()
    {
        AuthCompletion completion;
        while (null != (completion = authCompletions.poll()))
        {
            final Connection connection = table.get(completion.connectionId);
            if (null == connection || ConnectionState.AUTH_PENDING != connection.state)
            {
                continue;
            }
            final AuthResult result = completion.result;
            if (!result.isAccepted() || (result.isGuest() && settings.requireAuth()))
            {
                IoCounters.increment(counters.unauthorized);
                closer.closeWith(connection, CloseCodes.UNAUTHORIZED, "unauthorized");
                continue;
            }
            if (!result.isGuest())
            {
                final byte[] userId = result.userId().getBytes(StandardCharsets.US_ASCII);
                final int length = Math.min(userId.length, connection.authUserId.length);
                System.arraycopy(userId, 0, connection.authUserId, 0, length);
                connection.authUserIdLength = length;
                connection.grants = result.grants();
            }
            connection.resumeReading(Connection.PAUSE_AUTH);
            openAfterAuth(connection);
        }
    }

    private void openAfterAuth(final Connection connection)
    {
        connection.state = ConnectionState.OPEN;
        final byte[] head = connection.headBuffer;
        final int pending = connection.headLength;
        connection.headBuffer = null;
        connection.headLength = 0;
        if (pending > 0)
        {
            inbound.decodeFrames(connection, head, 0, pending);
        }
        headPool.release(head);
        inbound.pauseIfRoutePending(connection);
    }

    /**
     * The authenticator's answer for one connection, handed from its thread to the agent's.
     */
    static final class AuthCompletion
    {
        final long connectionId;
        final AuthResult result;

        AuthCompletion(final long connectionId, final AuthResult result)
        {
            this.connectionId = connectionId;
            this.result = result;
        }
    }
}
