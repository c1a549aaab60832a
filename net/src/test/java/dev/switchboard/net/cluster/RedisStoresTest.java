package dev.switchboard.net.cluster;

import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases, heartbeats and snapshots against a real redis-server.
 */
@SystemTest
class RedisStoresTest
{
    private static RedisServer redis;
    private static RedisLink link;

    @BeforeAll
    static void startRedis() throws Exception
    {
        redis = RedisServer.start();
        link = new RedisLink(redis.url(), 1000, null, null);
        try
        {
            Conditions.await(15_000, link::poll, "the link connects");
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError("no connection: " + link.lastError(), link.lastError());
        }
    }

    @AfterAll
    static void stopRedis() throws Exception
    {
        if (null != link)
        {
            link.close();
            redis.close();
        }
    }

    private static <T> T get(final Future<T> future) throws InterruptedException, ExecutionException, TimeoutException
    {
        return future.get(5, TimeUnit.SECONDS);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldLetOneNodeClaimARoomAndTellTheOtherWhoOwnsIt() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 5_000);
        final RoomLeases b = new RoomLeases("node-b", 5_000);
        final byte[] room = bytes("claim-room");

        final List<Object> first = get(a.claim(commands, room, room.length));
        assertEquals(RoomLeases.CLAIMED, first.get(0));
        assertArrayEquals(bytes("node-a"), (byte[])first.get(1));
        assertNull(first.get(2), "no snapshot yet");

        final List<Object> second = get(b.claim(commands, room, room.length));
        assertEquals(RoomLeases.OWNED_ELSEWHERE, second.get(0));
        assertArrayEquals(bytes("node-a"), (byte[])second.get(1));

        assertEquals(RoomLeases.ALREADY_OWNED, get(a.claim(commands, room, room.length)).get(0));
    }

    @Test
    void shouldReleaseOnlyTheLeaseThisNodeHolds() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 5_000);
        final RoomLeases b = new RoomLeases("node-b", 5_000);
        final byte[] room = bytes("release-room");
        get(a.claim(commands, room, room.length));
        final byte[] key = ClusterKeys.lease(room, room.length);

        assertEquals(0L, get(b.release(commands, key)), "another node's lease stays");
        assertArrayEquals(bytes("node-a"), get(commands.get(key)));
        assertEquals(1L, get(a.release(commands, key)));
        assertNull(get(commands.get(key)));
        assertEquals(RoomLeases.CLAIMED, get(b.claim(commands, room, room.length)).get(0), "free for the next");
    }

    @Test
    void shouldRenewOwnLeasesAndReportTheOnesTakenByAnotherNode() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 400);
        final RoomLeases b = new RoomLeases("node-b", 60_000);
        final byte[] mine = bytes("renew-mine");
        final byte[] lost = bytes("renew-lost");
        get(a.claim(commands, mine, mine.length));
        get(b.claim(commands, lost, lost.length));

        final List<Object> renewed = get(a.renew(commands,
            new byte[][] {ClusterKeys.lease(mine, mine.length), ClusterKeys.lease(lost, lost.length)}));
        assertEquals(List.of(1L, 0L), renewed);
        final long ttl = get(commands.pttl(ClusterKeys.lease(mine, mine.length)));
        assertTrue(ttl > 0 && ttl <= 400, "renewed with the lease TTL, got " + ttl);
        final List<KeyValue<byte[], byte[]>> owners = get(a.owners(commands,
            new byte[][] {ClusterKeys.lease(mine, mine.length), ClusterKeys.lease(lost, lost.length)}));
        assertArrayEquals(bytes("node-a"), owners.get(0).getValue());
        assertArrayEquals(bytes("node-b"), owners.get(1).getValue());
    }

    @Test
    void shouldLetALeaseExpireWhenItsOwnerStopsRenewing() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 300);
        final RoomLeases b = new RoomLeases("node-b", 300);
        final byte[] room = bytes("expire-room");
        get(a.claim(commands, room, room.length));
        Conditions.await(5_000, () ->
        {
            try
            {
                return null == get(commands.get(ClusterKeys.lease(room, room.length)));
            }
            catch (final Exception ex)
            {
                return false;
            }
        }, "the lease expires");
        assertEquals(RoomLeases.CLAIMED, get(b.claim(commands, room, room.length)).get(0));
    }

    @Test
    void shouldStoreSnapshotsOnlyForTheLeaseHolderAndHandThemToTheNextClaimer() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 5_000);
        final RoomLeases b = new RoomLeases("node-b", 5_000);
        final SnapshotStore snapshotsA = new SnapshotStore("node-a", 60_000);
        final SnapshotStore snapshotsB = new SnapshotStore("node-b", 60_000);
        final byte[] room = bytes("snapshot-room");
        final byte[] snapshot = {0, 1, 2, (byte)0xFF, 42};

        assertEquals(0L, get(snapshotsA.save(commands, room, room.length, snapshot)), "no lease, no write");
        get(a.claim(commands, room, room.length));
        assertEquals(1L, get(snapshotsA.save(commands, room, room.length, snapshot)));
        assertEquals(0L, get(snapshotsB.save(commands, room, room.length, new byte[] {9})), "not the owner");
        assertArrayEquals(snapshot, get(snapshotsB.load(commands, room, room.length)));

        get(a.release(commands, ClusterKeys.lease(room, room.length)));
        final List<Object> taken = get(b.claim(commands, room, room.length));
        assertEquals(RoomLeases.CLAIMED, taken.get(0));
        assertArrayEquals(snapshot, (byte[])taken.get(2), "the claim carries the handed-over snapshot");
    }

    @Test
    void shouldDropSnapshotAndLeaseWhenTheOwnerClosesTheRoom() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final RoomLeases a = new RoomLeases("node-a", 5_000);
        final RoomLeases b = new RoomLeases("node-b", 5_000);
        final SnapshotStore snapshots = new SnapshotStore("node-a", 60_000);
        final byte[] room = bytes("closed-room");
        get(a.claim(commands, room, room.length));
        get(snapshots.save(commands, room, room.length, new byte[] {1}));

        assertEquals(0L, get(b.closeRoom(commands, room, room.length)), "only the owner closes");
        assertEquals(1L, get(a.closeRoom(commands, room, room.length)));
        assertNull(get(commands.get(ClusterKeys.lease(room, room.length))));
        assertNull(get(snapshots.load(commands, room, room.length)));
    }

    @Test
    void shouldListLiveNodesByHeartbeatAndForgetANodeThatStopsBeating() throws Exception
    {
        final RedisAsyncCommands<byte[], byte[]> commands = link.commands();
        final NodeHeartbeats a = new NodeHeartbeats("beat-a", 60_000);
        final NodeHeartbeats b = new NodeHeartbeats("beat-b", 300);
        get(b.beat(commands));
        final List<Object> live = get(a.beat(commands));
        assertTrue(containsNode(live, "beat-a") && containsNode(live, "beat-b"), "both listed");
        assertTrue(get(commands.pttl(ClusterKeys.node("beat-b"))) > 0, "the heartbeat key has a TTL");

        Conditions.await(5_000, () ->
        {
            try
            {
                return !containsNode(get(a.beat(commands)), "beat-b");
            }
            catch (final Exception ex)
            {
                return false;
            }
        }, "beat-b drops out after its TTL");
        get(a.leave(commands));
        assertNull(get(commands.get(ClusterKeys.node("beat-a"))));
    }

    private static boolean containsNode(final List<Object> nodes, final String nodeId)
    {
        for (final Object node : nodes)
        {
            if (nodeId.equals(new String((byte[])node, StandardCharsets.US_ASCII)))
            {
                return true;
            }
        }
        return false;
    }
}
