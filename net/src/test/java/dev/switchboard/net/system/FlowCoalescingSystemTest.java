package dev.switchboard.net.system;

import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-tick coalescing over real loopback sockets: a burst of game_state patches reaches a viewer as fewer frames
 * whose shallow merge (null deleting) equals the host's state, and a burst of ICE candidates reaches its target
 * as fewer batches holding every candidate in order.
 */
@SystemTest
class FlowCoalescingSystemTest
{
    private static final int PATCHES = 100;
    private static final int CANDIDATES = 60;

    @Test
    @SuppressWarnings("unchecked")
    void shouldDeliverABurstOfPatchesAsFewerFramesWhoseMergeEqualsTheHostsState() throws Exception
    {
        try (EngineServer server = new EngineServer();
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            host.join("room", "host");
            viewer.join("room", "viewer");
            final Random random = new Random(7);
            final Map<String, Object> expected = new HashMap<>();
            final StringBuilder batch = new StringBuilder();
            for (int version = 1; version <= PATCHES; version++)
            {
                final String key = "k" + random.nextInt(6);
                final boolean delete = random.nextInt(4) == 0;
                if (delete)
                {
                    expected.remove(key);
                }
                else
                {
                    expected.put(key, (long)version);
                }
                batch.setLength(0);
                batch.append("{\"version\":").append(version).append(",\"patch\":{\"").append(key).append("\":")
                    .append(delete ? "null" : Integer.toString(version)).append("}}");
                host.send("game_state", "room", "", batch.toString());
            }

            final Map<String, Object> state = new LinkedHashMap<>();
            int frames = 0;
            long version = 0;
            while (version < PATCHES)
            {
                final Map<String, Object> message = Json.object(viewer.untilType("game_state"));
                final Map<String, Object> payload = (Map<String, Object>)message.get("payload");
                final long frameVersion = (Long)payload.get("version");
                assertTrue(frameVersion > version, "versions rise");
                version = frameVersion;
                frames++;
                for (final Map.Entry<String, Object> entry : ((Map<String, Object>)payload.get("patch")).entrySet())
                {
                    if (null == entry.getValue())
                    {
                        state.remove(entry.getKey());
                    }
                    else
                    {
                        state.put(entry.getKey(), entry.getValue());
                    }
                }
            }
            assertEquals(expected, state);
            assertTrue(frames < PATCHES, frames + " frames for " + PATCHES + " patches");
            for (final String text : host.seen())
            {
                assertTrue(!text.startsWith("{\"type\":\"game_state\""), "not echoed to the host");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDeliverABurstOfCandidatesAsFewerBatchesInOrderCarryingTheLastMsgIdAndSeq() throws Exception
    {
        try (EngineServer server = new EngineServer();
            JsonClient host = JsonClient.connect(server.port());
            JsonClient viewer = JsonClient.connect(server.port()))
        {
            final String hostId = JsonClient.field(host.join("room", "host"), "userId");
            viewer.join("room", "viewer");
            final String[] msgIds = new String[CANDIDATES];
            for (int i = 0; i < CANDIDATES; i++)
            {
                msgIds[i] = viewer.send("ice_candidate", "room", "\"to\":\"" + hostId + "\"",
                    "{\"candidate\":\"c" + i + "\",\"sdpMid\":\"0\",\"usernameFragment\":\"uf1\"}");
            }
            int received = 0;
            int batches = 0;
            final long viewerSeqBase = 1;
            while (received < CANDIDATES)
            {
                final Map<String, Object> message = Json.object(host.untilType("ice_candidate"));
                final List<Map<String, Object>> candidates =
                    (List<Map<String, Object>>)((Map<String, Object>)message.get("payload")).get("candidates");
                for (final Map<String, Object> candidate : candidates)
                {
                    assertEquals("c" + received, candidate.get("candidate"));
                    assertEquals("uf1", candidate.get("usernameFragment"));
                    received++;
                }
                batches++;
                assertEquals(msgIds[received - 1], message.get("msgId"));
                assertEquals(viewerSeqBase + received, message.get("seq"));
            }
            assertEquals(CANDIDATES, received);
            assertTrue(batches < CANDIDATES, batches + " batches for " + CANDIDATES + " candidates");
        }
    }
}
