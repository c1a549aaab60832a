package dev.switchboard.net.system;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator port against the real server process: every admin endpoint, the bearer token, the full and the
 * public /healthz, /metrics, and a public port that serves neither the admin API nor (when turned off) the harness.
 */
@SystemTest
class AdminApiSystemTest
{
    private static final String TOKEN = "admin-token-for-the-system-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception
    {
        server = new ServerProcess("--admin-port", "0", "--admin-token", TOKEN, "--public-harness", "false");
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static HttpResponse<String> call(final int port, final String method, final String path,
        final String token, final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, null == body ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (null != token)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(final String method, final String path, final String body)
        throws Exception
    {
        return call(server.adminPort(), method, path, TOKEN, body);
    }

    @Test
    void shouldRefuseAMissingOrWrongBearerTokenWith401OnEveryAdminRoute() throws Exception
    {
        final String[][] routes = {
            { "GET", "/admin/rooms" }, { "GET", "/admin/rooms/r" }, { "POST", "/admin/rooms/r/close" },
            { "DELETE", "/admin/rooms/r/members/u" }, { "POST", "/admin/rooms/r/events" },
            { "POST", "/admin/rooms/r/state" } };
        for (final String[] route : routes)
        {
            final HttpResponse<String> missing = call(server.adminPort(), route[0], route[1], null, "{}");
            assertEquals(401, missing.statusCode(), route[1]);
            assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, call(server.adminPort(), route[0], route[1], TOKEN + "x", "{}").statusCode(), route[1]);
            assertEquals(401, call(server.adminPort(), route[0], route[1], "", "{}").statusCode(), route[1]);
        }
    }

    @Test
    void shouldRefuseABodyThatDoesNotFitAndAChunkedOne() throws Exception
    {
        final HttpResponse<String> tooLarge = admin("POST", "/admin/rooms/r/events",
            "{\"blob\":\"" + "x".repeat(9000) + "\"}");
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());
        try (Socket socket = new Socket("127.0.0.1", server.adminPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /admin/rooms/r/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(socket.getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 411"), answer);
        }
    }

    @Test
    void shouldNotServeTheAdminApiOrTheHarnessOnThePublicPort() throws Exception
    {
        assertEquals(404, call(server.port(), "GET", "/admin/rooms", TOKEN, null).statusCode());
        assertEquals(404, call(server.port(), "GET", "/harness/", null, null).statusCode());
        assertEquals(404, call(server.adminPort(), "GET", "/harness/", TOKEN, null).statusCode());
        assertEquals(404, call(server.adminPort(), "GET", "/admin/nothing", TOKEN, null).statusCode());
    }

    @Test
    void shouldServeEveryAdminEndpointAgainstALiveRoom() throws Exception
    {
        try (JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port());
            JsonClient queued = JsonClient.connect(server.port()))
        {
            final String hostId = JsonClient.field(host.join("ops", "host"), "userId");
            final String viewerId = JsonClient.field(viewer.join("ops", "viewer"), "userId");
            final String queuedId = JsonClient.field(queued.join("ops", "viewer"), "userId");
            queued.send("cohost_request", "ops", "", null);
            queued.untilType("ack");

            // Room list and the full /healthz come from the engines' snapshots (about once a second).
            Conditions.await(10_000, () -> get(server.adminPort(), "/admin/rooms")
                .contains("{\"roomId\":\"ops\",\"size\":3}"), "the room list shows ops with 3 members");
            Conditions.await(10_000, () -> get(server.adminPort(), "/healthz").contains("\"roomSizes\":{\"ops\":3}"),
                "the operator port's /healthz has room sizes");
            final String publicHealth = call(server.port(), "GET", "/healthz", null, null).body();
            assertTrue(publicHealth.contains("\"rooms\":1"), publicHealth);
            assertFalse(publicHealth.contains("roomSizes"), "the public /healthz drops room ids: " + publicHealth);
            final HttpResponse<String> metrics = call(server.adminPort(), "GET", "/metrics", null, null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("msgs_in_total"), "Prometheus text on the operator port");

            final HttpResponse<String> described = admin("GET", "/admin/rooms/ops", null);
            assertEquals(200, described.statusCode());
            assertTrue(described.body().contains("\"host\":\"" + hostId + "\""), described.body());
            assertTrue(described.body().contains("{\"userId\":\"" + viewerId + "\",\"role\":\"viewer\",\"live\":true"),
                described.body());
            assertTrue(described.body().contains("\"queue\":[\"" + queuedId + "\"]"), described.body());
            assertEquals(404, admin("GET", "/admin/rooms/no-such-room", null).statusCode());
            assertEquals(400, admin("GET", "/admin/rooms/bad%20id", null).statusCode());

            final HttpResponse<String> event = admin("POST", "/admin/rooms/ops/events", "{\"announce\":\"break\"}");
            assertEquals(200, event.statusCode(), event.body());
            for (final JsonClient member : new JsonClient[]{ host, viewer })
            {
                final String received = member.untilType("game_event");
                assertEquals("server", JsonClient.field(received, "senderId"), received);
                assertTrue(received.contains("\"payload\":{\"announce\":\"break\"}"), received);
            }
            assertEquals(400, admin("POST", "/admin/rooms/ops/events", "[1,2]").statusCode(), "not an object");

            final HttpResponse<String> state = admin("POST", "/admin/rooms/ops/state", "{\"round\":2}");
            assertEquals(200, state.statusCode(), state.body());
            final String patch = viewer.untilType("game_state");
            assertEquals("server", JsonClient.field(patch, "senderId"), patch);
            assertTrue(patch.contains("\"patch\":{\"round\":2}"), patch);
            assertTrue(host.untilType("game_state").contains("\"round\":2"), "the host learns the new state too");

            final HttpResponse<String> removed = admin("DELETE", "/admin/rooms/ops/members/" + queuedId, null);
            assertEquals(200, removed.statusCode(), removed.body());
            final RawWebSocket.Frame close = queued.raw().readUntilClose();
            assertEquals(4410, close.closeCode());
            assertEquals("removed", close.closeReason());
            assertEquals(404, admin("DELETE", "/admin/rooms/ops/members/" + queuedId, null).statusCode());
            assertEquals(405, admin("POST", "/admin/rooms/ops/members/" + viewerId, null).statusCode());

            assertEquals(400, admin("POST", "/admin/rooms/ops/close", "{\"reason\":\"Not OK!\"}").statusCode());
            final HttpResponse<String> closed = admin("POST", "/admin/rooms/ops/close", "{\"reason\":\"maintenance\"}");
            assertEquals(200, closed.statusCode(), closed.body());
            for (final JsonClient member : new JsonClient[]{ host, viewer })
            {
                final String roomClosed = member.untilType("room_closed");
                assertTrue(roomClosed.contains("\"reason\":\"maintenance\""), roomClosed);
            }
            assertEquals(404, admin("POST", "/admin/rooms/ops/close", null).statusCode(), "gone now");
        }
    }

    private static String get(final int port, final String path)
    {
        try
        {
            return call(port, "GET", path, TOKEN, null).body();
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }
}
