package dev.switchboard.net.cluster;

import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease keeper alone, on a clock driven by hand ({@code nowMs} arguments) against a real redis-server:
 * renewal once per interval, a lease lost to another node, claims never opened given back after one lease
 * lifetime, and the release of every lease at a handover.
 */
class LeaseKeeperTest
{
    private static final int LEASE_TTL_MS = 900;
    private static final long RENEW_INTERVAL_MS = LEASE_TTL_MS / 3;
    private static final long T0_MS = 1_000_000L;

    private static RedisServer redis;
    private static RedisLink link;

    private final String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final RoomLeases leases = new RoomLeases(nodeId, LEASE_TTL_MS);
    private final RoomDirectory directory = new RoomDirectory();
    private final ClusterCounters counters = new ClusterCounters();
    private final List<String> evicted = new ArrayList<>();
    private final LeaseKeeper keeper = new LeaseKeeper(nodeId, LEASE_TTL_MS, RENEW_INTERVAL_MS, leases, directory,
        counters, (room, roomKey) -> evicted.add(roomKey));

    @BeforeAll
    static void startRedis() throws Exception
    {
        redis = RedisServer.start();
        link = new RedisLink(redis.url(), 1000, null, null);
        Conditions.await(15_000, link::poll, "the link connects");
    }

    @AfterAll
    static void stopRedis()
    {
        if (null != link)
        {
            link.close();
            redis.close();
        }
    }

    private static RedisAsyncCommands<byte[], byte[]> commands()
    {
        return link.commands();
    }

    private static <T> T get(final Future<T> future) throws Exception
    {
        return future.get(5, TimeUnit.SECONDS);
    }

    private static <T> T getUnchecked(final Future<T> future)
    {
        try
        {
            return get(future);
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static byte[] room(final String name)
    {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] leaseKey(final byte[] room)
    {
        return ClusterKeys.lease(room, room.length);
    }

    private byte[] claimed(final String name) throws Exception
    {
        final byte[] room = room(name + "-" + nodeId);
        assertEquals(RoomLeases.CLAIMED, get(leases.claim(commands(), room, room.length)).get(0));
        return room;
    }

    private static String key(final byte[] room)
    {
        return new String(room, StandardCharsets.US_ASCII);
    }

    private void pollRenewal()
    {
        Conditions.await(5_000, keeper::pollRenewal, "the renewal finishes");
    }

    @Test
    void shouldBeDueOncePerRenewalInterval()
    {
        keeper.start(T0_MS);

        assertTrue(keeper.isRenewDue(T0_MS), "due at start");
        assertFalse(keeper.isRenewDue(T0_MS));
        assertFalse(keeper.isRenewDue(T0_MS + RENEW_INTERVAL_MS - 1));
        assertTrue(keeper.isRenewDue(T0_MS + RENEW_INTERVAL_MS));
        assertFalse(keeper.isRenewDue(T0_MS + RENEW_INTERVAL_MS + 1));
        assertTrue(keeper.isRenewDue(T0_MS + 10 * RENEW_INTERVAL_MS), "a long gap: due once, not ten times");
        assertFalse(keeper.isRenewDue(T0_MS + 10 * RENEW_INTERVAL_MS + 1));
    }

    @Test
    void shouldRenewEveryOwnedLease() throws Exception
    {
        final byte[] room = claimed("renewed");
        keeper.add(room, key(room));
        get(commands().pexpire(leaseKey(room), 50));

        keeper.renew(commands());
        pollRenewal();

        assertEquals(1, counters.leaseRenewals.get());
        assertEquals(0, counters.leasesLost.get());
        assertTrue(keeper.owns(key(room)));
        assertTrue(get(commands().pttl(leaseKey(room))) > 50, "the lease lives a full lifetime again");
        assertTrue(evicted.isEmpty());
    }

    @Test
    void shouldNotRenewWhenNothingIsOwned()
    {
        keeper.renew(commands());

        assertFalse(keeper.pollRenewal(), "no renewal was started");
    }

    @Test
    void shouldEvictARoomLeasedToAnotherNodeAtRenewal() throws Exception
    {
        final byte[] kept = claimed("kept");
        final byte[] lost = claimed("lost");
        keeper.add(kept, key(kept));
        keeper.add(lost, key(lost));
        get(commands().del(leaseKey(lost)));
        final RoomLeases other = new RoomLeases("node-other", LEASE_TTL_MS);
        assertEquals(RoomLeases.CLAIMED, get(other.claim(commands(), lost, lost.length)).get(0));

        keeper.renew(commands());
        pollRenewal();

        assertEquals(List.of(key(lost)), evicted);
        assertEquals(1, counters.leasesLost.get());
        assertArrayEquals(room("node-other"), get(commands().get(leaseKey(lost))), "the other node keeps it");
    }

    @Test
    void shouldGiveBackAClaimTheEngineNeverOpenedAfterOneLeaseLifetime() throws Exception
    {
        final byte[] room = claimed("never-opened");
        keeper.addClaimed(room, key(room), T0_MS);
        assertTrue(directory.isOwned(room, room.length));

        keeper.releaseClaimsNeverOpened(commands(), T0_MS + LEASE_TTL_MS - 1);
        assertTrue(keeper.owns(key(room)), "still within one lease lifetime");

        keeper.releaseClaimsNeverOpened(commands(), T0_MS + LEASE_TTL_MS);
        assertFalse(keeper.owns(key(room)));
        assertFalse(directory.isOwned(room, room.length), "the IoAgents stop routing it here");
        Conditions.await(5_000, () -> null == getUnchecked(commands().get(leaseKey(room))),
            "the lease is released in Redis");
    }

    @Test
    void shouldKeepAClaimTheEngineOpened() throws Exception
    {
        final byte[] room = claimed("opened");
        keeper.addClaimed(room, key(room), T0_MS);
        keeper.opened(key(room));

        keeper.releaseClaimsNeverOpened(commands(), T0_MS + 10L * LEASE_TTL_MS);

        assertTrue(keeper.owns(key(room)));
        assertArrayEquals(room(nodeId), get(commands().get(leaseKey(room))));
    }

    @Test
    void shouldReleaseEveryLeaseAtAHandoverAndTakeNoRoomAfterwards() throws Exception
    {
        final byte[] first = claimed("handover-1");
        final byte[] second = claimed("handover-2");
        keeper.add(first, key(first));
        keeper.add(second, key(second));
        final int[] completions = new int[1];

        assertEquals(2, keeper.releaseAll(commands(), (result, error) -> completions[0]++));

        assertTrue(keeper.isHandedOver());
        assertEquals(0, keeper.ownedCount());
        assertEquals(0, directory.size());
        assertEquals(2, keeper.releaseCount());
        Conditions.await(5_000, keeper::releasesDone, "both releases complete");
        assertNull(get(commands().get(leaseKey(first))));
        assertNull(get(commands().get(leaseKey(second))));

        final byte[] late = room("late-" + nodeId);
        keeper.add(late, key(late));
        assertFalse(keeper.owns(key(late)), "no room is taken after the handover");
        assertFalse(directory.isOwned(late, late.length));
    }
}
