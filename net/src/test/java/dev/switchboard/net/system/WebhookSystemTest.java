package dev.switchboard.net.system;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks against the real server process: every event kind reaches a test receiver with a signature that
 * verifies, and a receiver that never answers does not slow joins in another room while its drops are counted.
 */
@SystemTest
class WebhookSystemTest
{
    private static final String SECRET = "webhook-secret-for-the-system-test";

    private record Received(String id, String signature, String body)
    {
    }

    private static String hmacHex(final String body) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean has(final List<Received> received, final String event, final String extra)
    {
        for (final Received r : received)
        {
            if (r.body.contains("\"event\":\"" + event + "\"") && r.body.contains(extra))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldDeliverEveryEventKindSignedWithAUniqueId() throws Exception
    {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hooks", exchange ->
        {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Switchboard-Event-Id"),
                exchange.getRequestHeaders().getFirst("X-Switchboard-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (ServerProcess server = new ServerProcess("--webhook-url",
            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks", "--webhook-secret", SECRET))
        {
            try (JsonClient host = JsonClient.connect(server.port()); JsonClient viewer = JsonClient.connect(server.port()))
            {
                final String hostId = JsonClient.field(host.join("hooked", "host"), "userId");
                final String viewerId = JsonClient.field(viewer.join("hooked", "viewer"), "userId");
                viewer.send("cohost_request", "hooked", "", null);
                viewer.untilType("ack");
                host.send("cohost_accept", "hooked", "", "{\"userId\":\"" + viewerId + "\"}");
                viewer.untilType("role_changed");
                host.send("cohost_end", "hooked", "", null);
                viewer.untilType("role_changed");
                viewer.send("leave", "hooked", "", null);
                viewer.raw().readUntilClose();
                host.send("leave", "hooked", "", null);
                host.raw().readUntilClose();

                Conditions.await(20_000, () -> has(received, "room_finished", "\"reason\":\"empty\""),
                    "room_finished arrives: " + received);
                assertTrue(has(received, "room_started", "\"userId\":\"" + hostId + "\""), received.toString());
                assertTrue(has(received, "participant_joined", "\"role\":\"host\""), received.toString());
                assertTrue(has(received, "participant_joined", "\"userId\":\"" + viewerId + "\",\"role\":\"viewer\""));
                assertTrue(has(received, "cohost_changed", "\"reason\":\"accepted\""), received.toString());
                assertTrue(has(received, "cohost_changed", "\"reason\":\"ended\""), received.toString());
                assertTrue(has(received, "participant_left", "\"userId\":\"" + viewerId + "\""), received.toString());
                assertTrue(has(received, "participant_left", "\"userId\":\"" + hostId + "\""), received.toString());
            }
            final Set<String> ids = new HashSet<>();
            for (final Received r : received)
            {
                assertEquals("sha256=" + hmacHex(r.body), r.signature, "signature verifies for " + r.body);
                final Map<String, Object> event = Json.object(r.body);
                assertEquals(r.id, event.get("id"), "header id equals body id");
                assertTrue(ids.add(r.id), "ids are unique");
                assertEquals("hooked", event.get("roomId"));
                assertTrue(event.get("ts") instanceof Long);
            }
            assertEquals(8, received.size(), "one POST per event, none retried: " + received);
        }
        finally
        {
            receiver.stop(0);
        }
    }

    @Test
    void shouldKeepJoinsInAnotherRoomFastWhileADeadReceiverDropsEvents() throws Exception
    {
        // A black hole: the kernel accepts the TCP connection but nobody ever reads or answers.
        try (ServerSocket blackHole = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
            ServerProcess server = new ServerProcess("--webhook-url",
                "http://127.0.0.1:" + blackHole.getLocalPort() + "/hooks", "--webhook-secret", SECRET,
                "--webhook-queue-size", "16", "--webhook-max-attempts", "2", "--webhook-timeout-millis", "1000"))
        {
            for (int i = 0; i < 40; i++)
            {
                try (JsonClient churn = JsonClient.connect(server.port()))
                {
                    churn.join("churn-" + i, "host");
                    churn.send("leave", "churn-" + i, "", null);
                    churn.raw().readUntilClose();
                }
            }
            for (int i = 0; i < 5; i++)
            {
                try (JsonClient other = JsonClient.connect(server.port()))
                {
                    final String joined = other.join("other-room-" + i, "host");
                    assertTrue(joined.startsWith("{\"type\":\"joined\""), joined);
                }
            }
            Conditions.await(30_000, () -> droppedTotal(server.port()) > 0,
                "webhook_dropped_total counts the events the dead receiver cost");
            Conditions.await(10_000, () -> server.lines.stream().anyMatch(l -> l.contains("webhook_dropped")),
                "the drops are logged");
        }
    }

    private static long droppedTotal(final int port)
    {
        try
        {
            final String metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            final Matcher m = Pattern.compile("(?m)^webhook_dropped_total\\{reason=\"[a-z_]+\"} ([0-9.E]+)$")
                .matcher(metrics);
            double total = 0;
            while (m.find())
            {
                total += Double.parseDouble(m.group(1));
            }
            return (long)total;
        }
        catch (final IOException | InterruptedException ex)
        {
            return -1;
        }
    }
}
