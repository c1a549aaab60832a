package dev.switchboard.net.io;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressLimitsTest
{
    private static final long MAPPED = 0x0000_FFFF_0000_0000L;

    @Test
    void shouldRefuseTheSocketOverMaxConnectionsPerAddressAndAdmitAgainAfterAClose()
    {
        final AddressLimits limits = new AddressLimits(1024, 3, 100, 100, 42);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(limits.tryConnect(0, MAPPED | 1, 0));
        }
        assertFalse(limits.tryConnect(0, MAPPED | 1, 0));
        assertTrue(limits.tryConnect(0, MAPPED | 2, 0), "another address is not affected");
        limits.disconnect(0, MAPPED | 1, 5);
        assertTrue(limits.tryConnect(0, MAPPED | 1, 5));
        assertEquals(3, limits.connections(0, MAPPED | 1));
    }

    @Test
    void shouldNeverLetIoAgentsOnTwoThreadsTogetherPassTheLimit() throws Exception
    {
        final int limit = 3;
        final AddressLimits limits = AddressLimits.forNode(SwitchboardSettings.builder().ioThreads(2)
            .maxConnectionsPerAddress(limit).build());
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger mostHeld = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Runnable agent = () ->
        {
            try
            {
                start.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            for (int round = 0; round < 50_000; round++)
            {
                // Each agent takes as many sockets as the table lets it (up to the limit), then closes them: the two
                // together must never hold more than the limit ("held" counts up after an admit, down before a
                // release, so it never runs ahead of the table).
                int mine = 0;
                for (int i = 0; i < limit; i++)
                {
                    if (limits.tryConnect(0, MAPPED | 1, round))
                    {
                        mine++;
                        mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                    }
                }
                for (; mine > 0; mine--)
                {
                    held.decrementAndGet();
                    limits.disconnect(0, MAPPED | 1, round);
                }
            }
        };
        final Thread first = new Thread(agent, "agent-0");
        final Thread second = new Thread(agent, "agent-1");
        first.start();
        second.start();
        start.countDown();
        first.join(60_000);
        second.join(60_000);
        assertFalse(first.isAlive() || second.isAlive(), "both agents finished");
        assertTrue(mostHeld.get() <= limit, "at most " + limit + " at once, saw " + mostHeld.get());
        assertEquals(0, limits.connections(0, MAPPED | 1), "every admit was released");
    }

    @Test
    void shouldHoldUpgradesAndJoinsToTheirRateWithABurstOfTwiceIt()
    {
        final AddressLimits limits = new AddressLimits(64, 10, 5, 2, 7);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(limits.tryUpgrade(0, MAPPED | 9, 1_000), "burst of 10 at 5/s");
        }
        assertFalse(limits.tryUpgrade(0, MAPPED | 9, 1_000));
        assertFalse(limits.tryUpgrade(0, MAPPED | 9, 1_199));
        assertTrue(limits.tryUpgrade(0, MAPPED | 9, 1_200), "one earned every 200 ms");
        for (int i = 0; i < 4; i++)
        {
            assertTrue(limits.tryJoin(0, MAPPED | 9, 1_000));
        }
        assertFalse(limits.tryJoin(0, MAPPED | 9, 1_000), "joins have their own bucket");
        assertTrue(limits.tryJoin(0, MAPPED | 9, 1_500));
    }

    @Test
    void shouldStayWithinItsFixedCapacityUnderAMillionAddresses()
    {
        final AddressLimits limits = new AddressLimits(100, 1, 1, 1, 3);
        final int capacity = limits.capacity();
        assertEquals(256, capacity, "the next power of two of twice the slots");
        long now = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            limits.tryUpgrade(i, MAPPED | i, now);
            assertTrue(limits.size() <= capacity * 3 / 4);
            now += i % 1000 == 0 ? 1 : 0;
        }
        for (int i = 0; i < 100; i++)
        {
            assertTrue(limits.tryConnect(7, MAPPED | i, now), "addresses with sockets always get an entry");
        }
        for (int i = 0; i < 10_000; i++)
        {
            limits.tryUpgrade(8, MAPPED | i, now);
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(1, limits.connections(7, MAPPED | i), "evicting idle entries kept every counted socket");
            assertFalse(limits.tryConnect(7, MAPPED | i, now));
        }
    }

    @Test
    void shouldForgetAnIdleAddressOnlyOnceItsBucketsAreFullAgain()
    {
        final AddressLimits limits = new AddressLimits(64, 5, 1, 1, 11);
        assertTrue(limits.tryUpgrade(0, MAPPED | 5, 0));
        assertTrue(limits.tryUpgrade(0, MAPPED | 5, 0));
        assertFalse(limits.tryUpgrade(0, MAPPED | 5, 0));
        limits.sweep(1_000);
        assertEquals(1, limits.size(), "still refilling: the entry and its debt stay");
        assertTrue(limits.tryConnect(0, MAPPED | 6, 0));
        limits.sweep(10_000);
        assertEquals(1, limits.size(), "the idle entry is gone, the one with a socket stays");
        assertEquals(1, limits.connections(0, MAPPED | 6));
    }

    @Test
    void shouldPlaceAddressesByASeededHash()
    {
        // The same addresses fill the table in a different order under another seed: collisions depend on it.
        final AddressLimits a = new AddressLimits(32, 1, 1, 1, 1);
        final AddressLimits b = new AddressLimits(32, 1, 1, 1, 2);
        int differentLookups = 0;
        for (int i = 0; i < 40; i++)
        {
            a.tryConnect(0, MAPPED | i, 0);
            b.tryConnect(0, MAPPED | i, 0);
        }
        for (int i = 0; i < 40; i++)
        {
            differentLookups += a.connections(0, MAPPED | i) == b.connections(0, MAPPED | i) ? 0 : 1;
        }
        assertEquals(0, differentLookups, "both tables hold every address");
        assertTrue(a.slotOf(0, MAPPED | 1) != b.slotOf(0, MAPPED | 1) ||
            a.slotOf(0, MAPPED | 2) != b.slotOf(0, MAPPED | 2) || a.slotOf(0, MAPPED | 3) != b.slotOf(0, MAPPED | 3));
    }
}
