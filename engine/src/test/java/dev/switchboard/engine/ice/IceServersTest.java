package dev.switchboard.engine.ice;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.protocol.JsonWriter;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class IceServersTest
{
    private static final long NOW_MS = 1_764_160_000_123L;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> write(final SwitchboardSettings settings, final String userId)
    {
        final IceServers servers = IceServers.fromSettings(settings);
        final FramePool pool = new FramePool(4, null);
        final Frame frame = pool.acquire(64, MessageType.UNKNOWN, false);
        final JsonWriter writer = new JsonWriter().wrap(frame);
        writer.raw((byte)'{').raw("\"x\":1".getBytes(StandardCharsets.US_ASCII));
        final byte[] user = userId.getBytes(StandardCharsets.US_ASCII);
        servers.write(writer, user, user.length, NOW_MS);
        writer.raw((byte)'}');
        final String json = new String(frame.buffer(), Frame.PAYLOAD_OFFSET, writer.length(), StandardCharsets.UTF_8);
        return (List<Map<String, Object>>)Json.object(json).get("iceServers");
    }

    @Test
    void shouldGiveTurnUrlsCredentialsInTheCoturnRestForm() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .iceServers("stun:stun.example.org:3478, turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349")
            .turnSecret("coturn-static-auth-secret").turnTtlSeconds(600).build();
        final List<Map<String, Object>> list = write(settings, "alice");
        assertEquals(2, list.size());
        assertEquals(List.of("stun:stun.example.org:3478"), list.get(0).get("urls"));
        assertFalse(list.get(0).containsKey("username"), "STUN needs no credentials");
        final Map<String, Object> turn = list.get(1);
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"),
            turn.get("urls"));
        final String username = (String)turn.get("username");
        assertEquals((NOW_MS / 1000 + 600) + ":alice", username);
        final Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("coturn-static-auth-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))),
            turn.get("credential"));
    }

    @Test
    void shouldMatchTheJdkHmacForKeysLongerThanTheSha1BlockAndForManyUsers() throws Exception
    {
        final String longSecret = "k".repeat(100);
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .iceServers("turn:turn.example.org:3478").turnSecret(longSecret).build();
        final Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(longSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        for (final String user : new String[]{ "a", "guest-AbCdEfGhIjKl", "x".repeat(64) })
        {
            final Map<String, Object> turn = write(settings, user).get(0);
            final String username = (String)turn.get("username");
            assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))),
                turn.get("credential"), user);
        }
    }

    @Test
    void shouldListTurnWithoutCredentialsWithoutASecretAndNothingWithoutUrls()
    {
        final List<Map<String, Object>> list = write(SwitchboardSettings.builder()
            .iceServers("turn:turn.example.org:3478").build(), "bob");
        assertEquals(1, list.size());
        assertFalse(list.get(0).containsKey("credential"));
        assertNull(IceServers.fromSettings(SwitchboardSettings.defaults()));
    }
}
