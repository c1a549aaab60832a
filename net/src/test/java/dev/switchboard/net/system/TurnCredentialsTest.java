package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICE servers and TURN credentials against the real server process: {@code joined} and {@code resume_ok} carry
 * {@code iceServers}, and each TURN credential is checked by recomputing the HMAC the way coturn does.
 */
@SystemTest
class TurnCredentialsTest
{
    private static final String TURN_SECRET = "coturn-static-auth-secret-for-the-test";
    private static final int TTL_SECONDS = 900;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> iceServers(final String message)
    {
        return (List<Map<String, Object>>)((Map<String, Object>)Json.object(message).get("payload")).get("iceServers");
    }

    private static void assertCoturnCredentials(final Map<String, Object> turn, final String userId) throws Exception
    {
        final String username = (String)turn.get("username");
        final int colon = username.indexOf(':');
        final long expiry = Long.parseLong(username.substring(0, colon));
        assertEquals(userId, username.substring(colon + 1), "username is <expiry>:<userId>");
        final long nowSeconds = System.currentTimeMillis() / 1000;
        assertTrue(expiry > nowSeconds + TTL_SECONDS - 120 && expiry <= nowSeconds + TTL_SECONDS + 1,
            "expiry is about turnTtlSeconds from now: " + expiry + " vs now " + nowSeconds);
        final Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TURN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        final String expected = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, turn.get("credential"), "credential = base64(HMAC-SHA1(turnSecret, username))");
    }

    @Test
    void shouldHandOutIceServersWithTurnCredentialsOnJoinedAndResumeOk() throws Exception
    {
        try (ServerProcess server = new ServerProcess(
            "--ice-servers", "stun:stun.example.org:3478,turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
            "--turn-secret", TURN_SECRET, "--turn-ttl-seconds", String.valueOf(TTL_SECONDS)))
        {
            final String token;
            final String userId;
            try (JsonClient client = JsonClient.connect(server.port()))
            {
                final String joined = client.join("turn-room", "host");
                userId = JsonClient.field(joined, "userId");
                token = JsonClient.field(joined, "sessionToken");
                final List<Map<String, Object>> servers = iceServers(joined);
                assertEquals(2, servers.size(), joined);
                assertEquals(List.of("stun:stun.example.org:3478"), servers.get(0).get("urls"));
                assertFalse(servers.get(0).containsKey("credential"));
                assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"),
                    servers.get(1).get("urls"));
                assertCoturnCredentials(servers.get(1), userId);
                client.raw().close();
            }
            try (JsonClient again = JsonClient.connect(server.port()))
            {
                again.send("resume", "turn-room", "",
                    "{\"sessionToken\":\"" + token + "\",\"lastDseq\":0,\"lastRseq\":0}");
                final String ok = again.untilType("resume_ok");
                final List<Map<String, Object>> servers = iceServers(ok);
                assertEquals(2, servers.size(), ok);
                assertCoturnCredentials(servers.get(1), userId);
            }
            try (JsonClient other = JsonClient.connect(server.port()))
            {
                final String joined = other.join("turn-room", "viewer");
                final Map<String, Object> turn = iceServers(joined).get(1);
                assertCoturnCredentials(turn, JsonClient.field(joined, "userId"));
                assertNotEquals(userId, JsonClient.field(joined, "userId"), "credentials are per user");
            }
        }
    }

    @Test
    void shouldSendNoIceServersWhenNoneAreConfigured() throws Exception
    {
        try (ServerProcess server = new ServerProcess(); JsonClient client = JsonClient.connect(server.port()))
        {
            final String joined = client.join("plain-room", "host");
            assertFalse(joined.contains("iceServers"), joined);
        }
    }
}
