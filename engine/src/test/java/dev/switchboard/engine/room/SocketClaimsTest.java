package dev.switchboard.engine.room;

import dev.switchboard.engine.outbound.ConnectionIds;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketClaimsTest
{
    private final SocketClaims claims = SocketClaims.forShards(3, 16, 16);
    private final long socket = ConnectionIds.compose(1, 7, 5);

    @Test
    void shouldLetOneShardHoldASocketUntilItReleasesIt()
    {
        assertTrue(claims.claim(socket, 2));
        assertTrue(claims.claim(socket, 2), "claiming again is idempotent");
        assertEquals(2, claims.holder(socket));

        assertFalse(claims.claim(socket, 0));
        claims.release(socket, 0);
        assertEquals(2, claims.holder(socket), "only the holder releases");

        claims.release(socket, 2);
        assertEquals(-1, claims.holder(socket));
        assertTrue(claims.claim(socket, 0));
        assertEquals(0, claims.holder(socket));
    }

    @Test
    void shouldOverwriteAClaimLeftByAnEarlierTenantOfTheSlot()
    {
        assertTrue(claims.claim(socket, 1));
        final long nextTenant = ConnectionIds.compose(1, 8, 5);

        assertEquals(-1, claims.holder(nextTenant));
        assertTrue(claims.claim(nextTenant, 2));
        assertEquals(2, claims.holder(nextTenant));
        assertEquals(-1, claims.holder(socket));
        claims.release(socket, 1);
        assertEquals(2, claims.holder(nextTenant), "the old tenant's release leaves the new claim alone");
    }

    @Test
    void shouldKeepSocketsOfOtherAgentsAndSlotsApart()
    {
        final long sameSlotOtherAgent = ConnectionIds.compose(0, 7, 5);
        final long otherSlot = ConnectionIds.compose(1, 7, 6);

        assertTrue(claims.claim(socket, 0));
        assertTrue(claims.claim(sameSlotOtherAgent, 1));
        assertTrue(claims.claim(otherSlot, 2));

        assertEquals(0, claims.holder(socket));
        assertEquals(1, claims.holder(sameSlotOtherAgent));
        assertEquals(2, claims.holder(otherSlot));
    }

    @Test
    void shouldNotArbitrateWithOneShardOrOutsideTheSizedTables()
    {
        assertSame(SocketClaims.NONE, SocketClaims.forShards(1, 16));
        assertTrue(SocketClaims.NONE.claim(socket, 0));
        assertTrue(SocketClaims.NONE.claim(socket, 1));
        assertEquals(-1, SocketClaims.NONE.holder(socket));

        final SocketClaims small = SocketClaims.forShards(2, 4, 0);
        final long beyondSlots = ConnectionIds.compose(0, 1, 4);
        final long unusedAgent = ConnectionIds.compose(1, 1, 0);
        final long beyondAgents = ConnectionIds.compose(9, 1, 0);
        for (final long id : new long[] {beyondSlots, unusedAgent, beyondAgents})
        {
            assertTrue(small.claim(id, 0));
            assertTrue(small.claim(id, 1), "fails open: a sizing mistake never refuses a join");
        }
        assertThrows(IllegalArgumentException.class, () -> SocketClaims.forShards(0, 4));
        assertThrows(IllegalArgumentException.class, () -> SocketClaims.forShards(256, 4));
    }

    @Test
    void shouldGiveARacedSocketToExactlyOneShard() throws InterruptedException
    {
        for (int round = 0; round < 500; round++)
        {
            final long id = ConnectionIds.compose(0, round, round % 16);
            final AtomicInteger winners = new AtomicInteger();
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] shards = new Thread[3];
            for (int s = 0; s < shards.length; s++)
            {
                final int shard = s;
                shards[s] = new Thread(() ->
                {
                    awaitQuietly(start);
                    if (claims.claim(id, shard))
                    {
                        winners.incrementAndGet();
                    }
                });
                shards[s].start();
            }
            start.countDown();
            for (final Thread shard : shards)
            {
                shard.join();
            }
            assertEquals(1, winners.get(), "round " + round);
            claims.release(id, claims.holder(id));
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
