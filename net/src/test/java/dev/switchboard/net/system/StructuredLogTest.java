package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server process's output parsed as JSON lines: the critical paths carry roomId, senderId, type and
 * durationMs as fields of a JSON object, not text inside a string.
 */
class StructuredLogTest
{
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(final List<String> lines)
    {
        final List<Map<String, Object>> events = new ArrayList<>();
        for (final String line : lines)
        {
            final Map<String, Object> json = Json.object(line); // every line must be a JSON object
            assertTrue(json.containsKey("ts") && json.containsKey("level"), line);
            if (json.get("message") instanceof Map)
            {
                events.add((Map<String, Object>)json.get("message"));
            }
        }
        return events;
    }

    private static Map<String, Object> find(final List<Map<String, Object>> events, final String event)
    {
        return events.stream().filter(e -> event.equals(e.get("event"))).findFirst().orElse(null);
    }

    @Test
    void shouldLogJoinResumeAndRateLimitEpisodesAsJsonObjects() throws Exception
    {
        try (ServerProcess server = new ServerProcess("--game-event-rate", "1", "--game-event-burst", "1"))
        {
            final String token;
            try (JsonClient host = JsonClient.connect(server.port()))
            {
                token = (String)((Map<?, ?>)Json.object(host.join("logs", "host")).get("payload"))
                    .get("sessionToken");
                for (int i = 0; i < 3; i++)
                {
                    host.send("game_event", "logs", "", "{\"i\":" + i + "}");
                }
                host.untilType("game_error");
            }
            try (JsonClient back = JsonClient.connect(server.port()))
            {
                back.send("resume", "logs", "", "{\"sessionToken\":\"" + token + "\",\"lastDseq\":0,\"lastRseq\":0}");
                back.untilType("resume_ok");
            }
            Conditions.await(10_000, () -> null != find(events(server.lines), "resume") &&
                null != find(events(server.lines), "rate_limited"), "join, resume and rate-limit log lines");
            final List<Map<String, Object>> events = events(server.lines);
            for (final String name : new String[] {"join", "resume", "rate_limited"})
            {
                final Map<String, Object> event = find(events, name);
                assertTrue(null != event, name + " in " + events);
                assertEquals("logs", event.get("roomId"), name);
                assertTrue(((String)event.get("senderId")).startsWith("guest-"), name);
                assertTrue(event.get("type") instanceof String, name);
                assertTrue(event.get("durationMs") instanceof Number, name);
            }
        }
    }
}
