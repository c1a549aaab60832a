package dev.switchboard.net.system;

import dev.switchboard.engine.hash.Fnv1aCollisions;
import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #13 rows 1 and 10 and the unknown-type log line, against a real server process: huge game-state
 * patches are refused or cheap and another room's pings keep being answered; room ids crafted to collide under
 * the former unseeded FNV-1a are served like any others; one log line per sender per unknown type.
 * <p>
 * No timed upper bound is tight: a ping must be answered within {@value #PING_BOUND_MS} ms (the finding was 538 ms
 * per patch, several patches in a row); the speed goal itself is measured by {@code GameStateBenchmark}.
 */
@SystemTest
class AbuseEngineSystemTest
{
    private static final long PING_BOUND_MS = 2_000;

    private static String patch(final String prefix, final int from, final int keys)
    {
        final StringBuilder json = new StringBuilder("{");
        for (int i = from; i < from + keys; i++)
        {
            if (json.length() > 1)
            {
                json.append(',');
            }
            json.append('"').append(prefix).append(i).append("\":").append(i % 100);
        }
        return json.append('}').toString();
    }

    private static String sendPatch(final JsonClient host, final String room, final long version, final String patch)
        throws Exception
    {
        return host.send("game_state", room, "", "{\"version\":" + version + ",\"patch\":" + patch + "}");
    }

    private static long pingMs(final JsonClient client, final String room, final int ts) throws Exception
    {
        final long start = System.nanoTime();
        client.send("ping", room, "\"ts\":" + ts, null);
        client.until(t -> t.startsWith("{\"type\":\"pong\"") && t.contains("\"ts\":" + ts));
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void shouldRefuseOversizedPatchesAndKeepAnsweringPingsInAnotherRoom() throws Exception
    {
        try (ServerProcess server = new ServerProcess(
            "--game-state-entry-rate", "1000000", "--game-state-entry-burst", "1000000");
            JsonClient attacker = JsonClient.connect(server.port());
            JsonClient victim = JsonClient.connect(server.port()))
        {
            attacker.join("attack-room", "host");
            victim.join("victim-room", "host");
            final List<Long> pings = new ArrayList<>();
            pings.add(pingMs(victim, "victim-room", 1));

            // Row 1: four 5,000-key patches (about 55 KB each): over maxPatchEntries, refused before any per-key work.
            final List<String> oversized = new ArrayList<>();
            for (int p = 0; p < 4; p++)
            {
                oversized.add(sendPatch(attacker, "attack-room", 1 + p, patch("k", p * 5_000, 5_000)));
                pings.add(pingMs(victim, "victim-room", 10 + p));
            }
            for (final String id : oversized)
            {
                final String error = attacker.until(t -> t.contains("\"for\":\"" + id + "\""));
                assertTrue(error.contains("\"code\":\"invalid_message\""), error);
            }

            // A 4,000-key state from four patches at the cap, then one overwriting 1,000 existing keys: accepted.
            for (int p = 0; p < 4; p++)
            {
                sendPatch(attacker, "attack-room", 10 + p, patch("s", p * 1_000, 1_000));
                pings.add(pingMs(victim, "victim-room", 20 + p));
            }
            final String overwrite = sendPatch(attacker, "attack-room", 20, patch("s", 0, 1_000));
            pings.add(pingMs(victim, "victim-room", 30));
            // Then 1,000 new keys would make 5,000 > maxGameStateEntries (4,096): refused.
            final String overEntries = sendPatch(attacker, "attack-room", 21, patch("n", 0, 1_000));
            final String error = attacker.until(t -> t.contains("\"for\":\"" + overEntries + "\""));
            assertTrue(error.contains("\"code\":\"invalid_message\""), error);
            pings.add(pingMs(victim, "victim-room", 31));
            assertTrue(attacker.seen().stream().noneMatch(t -> t.contains("\"for\":\"" + overwrite + "\"")),
                "the overwrite was accepted without an error");

            try (JsonClient viewer = JsonClient.connect(server.port()))
            {
                final String joined = viewer.join("attack-room", "viewer");
                assertTrue(joined.contains("\"version\":20"), "the state is at the overwrite's version");
                final Map<?, ?> state = (Map<?, ?>)((Map<?, ?>)((Map<?, ?>)Json
                    .object(joined).get("payload")).get("gameState")).get("state");
                assertEquals(4_000, state.size());
            }
            for (final long ms : pings)
            {
                assertTrue(ms < PING_BOUND_MS, "victim pings (ms): " + pings);
            }
            Conditions.await(10_000, () -> 4 == sampleOrZero(server,
                "engine_game_state_refused_total{reason=\"patch_entries\"}") &&
                1 == sampleOrZero(server, "engine_game_state_refused_total{reason=\"state_entries\"}"),
                "the refusals are counted by reason");
            Conditions.await(10_000, () -> !ProcessProbe.events(server, "game_state_refused").isEmpty(),
                "one game_state_refused line");
            assertEquals(1, ProcessProbe.events(server, "game_state_refused").size(), "once per episode");
        }
    }

    private static double sampleOrZero(final ServerProcess server, final String series)
    {
        try
        {
            return ProcessProbe.sample(server, series);
        }
        catch (final Exception ex)
        {
            return -1;
        }
    }

    @Test
    void shouldServeRoomIdsCraftedToCollideUnderFnv1aLikeAnyOthers() throws Exception
    {
        // Row 10: 120 room ids sharing one home slot of every table up to 4,096 slots under the old hash.
        final List<byte[]> ids = Fnv1aCollisions.craft("room-", 120, 12);
        try (ServerProcess server = new ServerProcess();
            JsonClient victim = JsonClient.connect(server.port()))
        {
            victim.join("victim-room", "host");
            final List<JsonClient> hosts = new ArrayList<>();
            try
            {
                for (final byte[] id : ids)
                {
                    final JsonClient host = JsonClient.connect(server.port());
                    hosts.add(host);
                    final String room = new String(id, StandardCharsets.US_ASCII);
                    assertTrue(host.join(room, "host").contains("\"roomId\":\"" + room + "\""));
                }
                final List<Long> pings = new ArrayList<>();
                for (int i = 0; i < 5; i++)
                {
                    pings.add(pingMs(victim, "victim-room", i));
                }
                for (final long ms : pings)
                {
                    assertTrue(ms < PING_BOUND_MS, "victim pings (ms): " + pings);
                }
                // Every crafted room is found again by id: a viewer joins the last one and sees its host.
                try (JsonClient viewer = JsonClient.connect(server.port()))
                {
                    final String room = new String(ids.get(ids.size() - 1), StandardCharsets.US_ASCII);
                    assertTrue(viewer.join(room, "viewer").contains("\"roomSize\":2"));
                }
                Conditions.await(10_000, () -> sampleOrZero(server, "rooms_total") >= ids.size() + 1,
                    "every crafted room is open");
            }
            finally
            {
                for (final JsonClient host : hosts)
                {
                    host.close();
                }
            }
        }
    }

    @Test
    void shouldLogOneUnknownTypeLinePerSender() throws Exception
    {
        try (ServerProcess server = new ServerProcess();
            JsonClient first = JsonClient.connect(server.port());
            JsonClient second = JsonClient.connect(server.port()))
        {
            first.join("typed-room", "host");
            second.join("typed-room", "viewer");
            for (int i = 0; i < 20; i++)
            {
                first.send("bogus_type", "typed-room", "", "{}");
            }
            second.send("bogus_type", "typed-room", "", "{}");
            second.send("another_bogus_type", "typed-room", "", "{}");
            for (int i = 0; i < 20; i++)
            {
                first.until(t -> t.contains("\"code\":\"unknown_type\""));
            }
            second.until(t -> t.contains("\"code\":\"unknown_type\""));
            second.until(t -> t.contains("\"code\":\"unknown_type\""));
            // Every name the server does not know is one type (id 0): one line per sender per 10 s.
            Conditions.await(10_000, () -> 2 == ProcessProbe.events(server, "unknown_type").size(),
                "one line per sender: " + ProcessProbe.events(server, "unknown_type"));
            final List<Map<String, Object>> lines = ProcessProbe.events(server, "unknown_type");
            assertEquals(2, lines.stream().map(e -> e.get("senderId")).distinct().count(), lines.toString());
        }
    }
}
