package dev.switchboard.net.system;

import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.Json;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.EngineHost;
import dev.switchboard.net.io.IoCounters;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two IoAgents and two engine shards: rooms are spread over the shards by room id, and every room still
 * works end to end whichever IoAgent its members landed on.
 */
@SystemTest
class ShardedSystemTest
{
    @Test
    void shouldBuildSingleProducerRingsWithOneIoAgentSinceNoThreadPublishesTicks() throws Exception
    {
        try (EngineServer server = new EngineServer())
        {
            for (final EngineShard shard : server.runtime().shards())
            {
                assertFalse(shard.isMultiProducer(), "shard " + shard.index());
            }
        }
    }

    @Test
    void shouldBuildMultiProducerRingsWhenSeveralIoAgentsPublish() throws Exception
    {
        final SwitchboardSettings settings =
            SwitchboardSettings.builder().threadingMode("dedicated").ioThreads(2).engineThreads(2).build();
        try (EngineServer server = new EngineServer(settings))
        {
            for (final EngineShard shard : server.runtime().shards())
            {
                assertTrue(shard.isMultiProducer(), "shard " + shard.index());
            }
        }
    }

    @Test
    void shouldCountOneAddressesSocketsAgainstOneLimitAcrossIoAgents() throws Exception
    {
        final int limit = 2;
        final SwitchboardSettings settings = SwitchboardSettings.builder().threadingMode("dedicated").ioThreads(2)
            .maxConnectionsPerAddress(limit).build();
        try (EngineServer server = new EngineServer(settings))
        {
            final IoCounters[] agents = server.runtime().ioCounters();
            final List<Socket> sockets = new ArrayList<>();
            try
            {
                // Open sockets until each IoAgent has taken more than the limit: with a table per IoAgent, each would
                // then admit the limit (twice the limit in all); with the node's table, the limit in all.
                while (sockets.size() < 200 && (handled(agents[0]) <= limit || handled(agents[1]) <= limit))
                {
                    sockets.add(new Socket("127.0.0.1", server.port()));
                    final int opened = sockets.size();
                    Conditions.await(10_000, () -> handled(agents[0]) + handled(agents[1]) == opened,
                        "the IoAgents took socket " + opened);
                }
                assertTrue(handled(agents[0]) > limit && handled(agents[1]) > limit, "both IoAgents took sockets");
                assertEquals(limit, agents[0].accepted.get() + agents[1].accepted.get(),
                    "one limit for the node: " + sockets.size() + " sockets opened");
                assertEquals(sockets.size() - limit,
                    agents[0].addressConnectionRefusals.get() + agents[1].addressConnectionRefusals.get());
            }
            finally
            {
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }
        }
    }

    private static long handled(final IoCounters agent)
    {
        return agent.accepted.get() + agent.addressConnectionRefusals.get();
    }

    @Test
    void shouldServeRoomsSpreadOverTwoShardsFromTwoIoAgents() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder().threadingMode("dedicated").ioThreads(2).engineThreads(2).build();
        try (EngineServer server = new EngineServer(settings, null, SystemEpochClock.INSTANCE))
        {
            final List<JsonClient> clients = new ArrayList<>();
            try
            {
                final Set<Integer> shardsUsed = new HashSet<>();
                // Room ids hash with a per-process seed: pick four ids per shard so both shards are exercised.
                final InboundPublisher shards =
                    new InboundPublisher(server.runtime().shards());
                final List<String> roomIds = new ArrayList<>();
                final int[] perShard = new int[shards.shardCount()];
                for (int n = 0; roomIds.size() < 8; n++)
                {
                    final String candidate = "shard-room-" + n;
                    final int shard = shards.shardFor(
                        candidate.getBytes(StandardCharsets.US_ASCII), candidate.length());
                    if (perShard[shard] < 8 / perShard.length)
                    {
                        perShard[shard]++;
                        roomIds.add(candidate);
                    }
                }
                for (int room = 0; room < 8; room++)
                {
                    final String roomId = roomIds.get(room);
                    shardsUsed.add(shards.shardFor(
                        roomId.getBytes(StandardCharsets.US_ASCII), roomId.length()));
                    final JsonClient host = JsonClient.connect(server.port());
                    final JsonClient viewer = JsonClient.connect(server.port());
                    clients.add(host);
                    clients.add(viewer);
                    host.join(roomId, "host");
                    viewer.join(roomId, "viewer");
                    final String msgId = host.send("game_event", roomId, "", "{\"room\":" + room + "}");
                    host.until(t -> t.contains("\"for\":\"" + msgId + "\""));
                    final Map<String, Object> event = Json.object(viewer.untilType("game_event"));
                    assertEquals(roomId, event.get("roomId"));
                    assertEquals(Map.of("room", (long)room), event.get("payload"));
                }
                assertEquals(2, shardsUsed.size(), "the eight rooms land on both shards");
                long sessions = 0;
                for (final EngineHost host : server.runtime().engineHosts())
                {
                    sessions += host.counters().sessions();
                    assertTrue(host.counters().rooms() > 0, "every shard owns rooms");
                }
                assertEquals(16, sessions);
            }
            finally
            {
                for (final JsonClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    @Test
    void shouldKeepASocketInOneRoomWhenItsSecondRoomLivesOnTheOtherShard() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder().ioThreads(1).engineThreads(2).build();
        try (EngineServer server = new EngineServer(settings, null, SystemEpochClock.INSTANCE);
            JsonClient socket = JsonClient.connect(server.port());
            JsonClient other = JsonClient.connect(server.port()))
        {
            final InboundPublisher shards = new InboundPublisher(server.runtime().shards());
            final String first = roomOnShard(shards, 0);
            final String second = roomOnShard(shards, 1);
            socket.join(first, "host");

            final String refusedId = socket.send("join", second, "", "{\"role\":\"viewer\"}");
            final String refused = socket.until(t -> t.contains("\"for\":\"" + refusedId + "\""));
            assertTrue(refused.contains("\"code\":\"already_joined\""), refused);

            // The refused join left nothing on the second shard: another socket hosts that room.
            other.join(second, "host");
            long sessions = 0;
            for (final EngineHost host : server.runtime().engineHosts())
            {
                sessions += host.counters().sessions();
            }
            assertEquals(2, sessions, "one session per socket");
        }
    }

    private static String roomOnShard(final InboundPublisher shards, final int shard)
    {
        for (int n = 0; ; n++)
        {
            final String candidate = "claims-room-" + n;
            if (shard == shards.shardFor(candidate.getBytes(StandardCharsets.US_ASCII), candidate.length()))
            {
                return candidate;
            }
        }
    }
}
