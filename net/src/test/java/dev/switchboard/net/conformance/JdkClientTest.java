package dev.switchboard.net.conformance;

import dev.switchboard.net.support.FrontEndServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's strict {@link java.net.http.WebSocket} client against the running front end: ping/pong,
 * fragmented messages and the close handshake.
 */
class JdkClientTest
{
    private static FrontEndServer server;

    @BeforeAll
    static void start() throws Exception
    {
        server = new FrontEndServer();
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static final class Listener implements WebSocket.Listener
    {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(final WebSocket webSocket, final ByteBuffer message)
        {
            pongs.add(message);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
        {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error)
        {
            closed.completeExceptionally(error);
        }
    }

    private static WebSocket open(final Listener listener) throws Exception
    {
        return HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), listener)
            .get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldExchangeTextAndPongWithJdkClient() throws Exception
    {
        final Listener listener = new Listener();
        final WebSocket ws = open(listener);
        ws.sendText("{\"type\":\"ping\",\"ts\":123}", true).get(5, TimeUnit.SECONDS);
        final String reply = listener.texts.poll(5, TimeUnit.SECONDS);
        assertNotNull(reply);
        assertTrue(reply.contains("\"type\":\"pong\"") && reply.contains("\"ts\":123}"), reply);

        ws.sendPing(ByteBuffer.wrap("hb".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
        final ByteBuffer pong = listener.pongs.poll(5, TimeUnit.SECONDS);
        assertNotNull(pong);
        assertEquals("hb", StandardCharsets.UTF_8.decode(pong).toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertEquals(1000, listener.closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldReassembleFragmentsSentByJdkClient() throws Exception
    {
        final Listener listener = new Listener();
        final WebSocket ws = open(listener);
        ws.sendText("{\"type\":\"ping\",", false).get(5, TimeUnit.SECONDS);
        ws.sendText("\"ts\":77,\"pad\":\"κόσμε\"", false).get(5, TimeUnit.SECONDS);
        ws.sendText("}", true).get(5, TimeUnit.SECONDS);
        final String reply = listener.texts.poll(5, TimeUnit.SECONDS);
        assertNotNull(reply);
        assertTrue(reply.contains("\"ts\":77}"), reply);
        ws.sendClose(4000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(4000, listener.closed.get(5, TimeUnit.SECONDS));
    }
}
