package dev.switchboard.net.cluster;

import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster agent's context: every part is required, the parts must fit together, and the durations are
 * derived once by {@code conclude()}.
 */
class ClusterContextTest
{
    private static final int IO_AGENTS = 2;
    private static final int LEASE_TTL_MS = 900;

    private final RedisLink link = new RedisLink("redis://127.0.0.1:1", 100, null, null);

    @AfterEach
    void closeLink()
    {
        link.close();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> ManyToOneConcurrentArrayQueue<T>[] queues(final int count)
    {
        final ManyToOneConcurrentArrayQueue<T>[] queues = new ManyToOneConcurrentArrayQueue[count];
        for (int i = 0; i < count; i++)
        {
            queues[i] = new ManyToOneConcurrentArrayQueue<>(16);
        }
        return queues;
    }

    private static SwitchboardSettings settings(final int maxConnections)
    {
        return SwitchboardSettings.builder().redisUrl("redis://127.0.0.1:1").nodeId("node-a")
            .leaseTtlMillis(LEASE_TTL_MS).redisTimeoutMillis(500).resumeWindowSeconds(30).hostlessRoomSeconds(60)
            .maxConnections(maxConnections).build();
    }

    private ClusterContext complete()
    {
        final OutboundRing[] ioRings = new OutboundRing[IO_AGENTS];
        for (int i = 0; i < IO_AGENTS; i++)
        {
            ioRings[i] = new OutboundRing(16, true);
        }
        return new ClusterContext()
            .settings(settings(1_000))
            .nodeId("node-a")
            .clock(new CachedEpochClock())
            .link(link)
            .inbound(new InboundPublisher(new EngineShard[0]))
            .ownRing(new OutboundRing(16, true))
            .ownAgentIndex(IO_AGENTS)
            .ioRings(ioRings)
            .relayQueue(new RelayQueue(1 << 16, () -> { }))
            .hooks(new ClusterHooksQueue(1 << 16, 1_000, () -> { }))
            .directory(new RoomDirectory())
            .evictions(queues(IO_AGENTS))
            .routes(queues(IO_AGENTS))
            .inbox(new ManyToOneConcurrentArrayQueue<>(16))
            .undeliverable(new ManyToOneConcurrentArrayQueue<>(16))
            .counters(new ClusterCounters())
            .waker(() -> { });
    }

    @Test
    void shouldDeriveTheDurationsOnceInMilliseconds()
    {
        final ClusterContext ctx = complete().conclude();

        assertTrue(ctx.isConcluded());
        assertEquals(LEASE_TTL_MS, ctx.leaseTtlMs());
        assertEquals(LEASE_TTL_MS / 3, ctx.renewIntervalMs(), "a third of the lease lifetime");
        assertEquals(500, ctx.redisTimeoutMs());
        assertEquals((30 + 60) * 1000L + 2L * LEASE_TTL_MS, ctx.snapshotTtlMs(),
            "resume window and hostless wait, plus two lease lifetimes");
        assertEquals(ClusterAgent.snapshotTtlMillis(ctx.settings()), ctx.snapshotTtlMs());
        assertEquals(1_000, ctx.virtualCapacity());
        assertEquals(ctx.maxPayloadBytes() + ClusterContext.RECORD_OVERHEAD_BYTES, ctx.recordCapacityBytes());
    }

    @Test
    void shouldKeepAFloorUnderTheVirtualConnectionCapacity()
    {
        final ClusterContext ctx = complete().settings(settings(1)).conclude();

        assertEquals(ClusterContext.MIN_VIRTUAL_CAPACITY, ctx.virtualCapacity());
    }

    @Test
    void shouldCopyTheArraysItIsGiven()
    {
        final OutboundRing[] ioRings = {new OutboundRing(16, true), new OutboundRing(16, true)};
        final ClusterContext ctx = complete().ioRings(ioRings).conclude();
        ioRings[0] = null;

        assertNotSame(ioRings, ctx.ioRings());
        assertEquals(IO_AGENTS, ctx.ioRings().length);
        assertSame(ioRings[1], ctx.ioRings()[1]);
    }

    @Test
    void shouldRefuseEveryMissingPart()
    {
        final String[] parts = {"settings", "nodeId", "clock", "link", "inbound", "ownRing", "ioRings",
            "relayQueue", "hooks", "directory", "evictions", "routes", "inbox", "undeliverable", "counters", "waker"};
        final Consumer<ClusterContext>[] unset = unsetters();
        assertEquals(parts.length, unset.length);
        for (int i = 0; i < parts.length; i++)
        {
            final ClusterContext ctx = complete();
            unset[i].accept(ctx);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude, parts[i]);
            assertEquals(parts[i] + " must be set", ex.getMessage());
            assertFalse(ctx.isConcluded());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Consumer<ClusterContext>[] unsetters()
    {
        return new Consumer[] {
            (Consumer<ClusterContext>)c -> c.settings(null),
            (Consumer<ClusterContext>)c -> c.nodeId(null),
            (Consumer<ClusterContext>)c -> c.clock(null),
            (Consumer<ClusterContext>)c -> c.link(null),
            (Consumer<ClusterContext>)c -> c.inbound(null),
            (Consumer<ClusterContext>)c -> c.ownRing(null),
            (Consumer<ClusterContext>)c -> c.ioRings(null),
            (Consumer<ClusterContext>)c -> c.relayQueue(null),
            (Consumer<ClusterContext>)c -> c.hooks(null),
            (Consumer<ClusterContext>)c -> c.directory(null),
            (Consumer<ClusterContext>)c -> c.evictions(null),
            (Consumer<ClusterContext>)c -> c.routes(null),
            (Consumer<ClusterContext>)c -> c.inbox(null),
            (Consumer<ClusterContext>)c -> c.undeliverable(null),
            (Consumer<ClusterContext>)c -> c.counters(null),
            (Consumer<ClusterContext>)c -> c.waker(null)};
    }

    @Test
    void shouldRefuseQueuesThatDoNotMatchTheIoAgents()
    {
        assertThrows(IllegalArgumentException.class, () -> complete().evictions(queues(IO_AGENTS - 1)).conclude());
        assertThrows(IllegalArgumentException.class, () -> complete().routes(queues(IO_AGENTS + 1)).conclude());
    }

    @Test
    void shouldRefuseAnAgentIndexThatCollidesWithAnIoAgentOrOverflowsAConnectionId()
    {
        assertThrows(IllegalArgumentException.class, () -> complete().ownAgentIndex(IO_AGENTS - 1).conclude());
        assertThrows(IllegalArgumentException.class, () -> complete().ownAgentIndex(-1).conclude());
        assertThrows(IllegalArgumentException.class, () -> complete().ownAgentIndex(256).conclude());
        assertEquals(255, complete().ownAgentIndex(255).conclude().ownAgentIndex());
    }

    @Test
    void shouldRefuseANodeIdThatCannotNameARelayBatchsOrigin()
    {
        assertThrows(IllegalArgumentException.class, () -> complete().nodeId("").conclude());
        assertThrows(IllegalArgumentException.class, () -> complete().nodeId("node a").conclude());
    }

    @Test
    void shouldConcludeOnceAndAnswerDurationsOnlyAfterwards()
    {
        final ClusterContext ctx = complete();
        assertThrows(IllegalStateException.class, ctx::leaseTtlMs);
        assertThrows(IllegalStateException.class, ctx::virtualCapacity);

        ctx.conclude();

        assertThrows(IllegalStateException.class, ctx::conclude);
    }
}
