package dev.switchboard.engine.ring;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producers signal a consumer thread only while it is parked, and no wake-up is lost between the consumer's
 * park announcement and its park.
 */
class WakeableIdleStrategyTest
{
    /** A parker with an explicit permit, so each interleaving is played out on one thread. */
    private static final class PermitParker implements WakeableIdleStrategy.Parker
    {
        boolean permit;
        int parks;
        int parksThatWouldSleep;
        int unparks;

        @Override
        public void park(final long timeoutNs)
        {
            parks++;
            if (permit)
            {
                permit = false;
                return;
            }
            parksThatWouldSleep++;
        }

        @Override
        public void unpark()
        {
            unparks++;
            permit = true;
        }
    }

    /** A duty cycle whose pending check can run a producer in the middle of the consumer's idle. */
    private static final class Cycle implements DutyCycle
    {
        boolean pending;
        Runnable duringCheck = () -> { };
        long timeoutNs = Long.MAX_VALUE;

        @Override
        public boolean hasPendingWork()
        {
            duringCheck.run();
            return pending;
        }

        @Override
        public long parkTimeoutNs()
        {
            return timeoutNs;
        }
    }

    @Test
    void shouldNotSignalAThreadThatIsRunning()
    {
        final PermitParker parker = new PermitParker();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy("blocking", new Cycle(), parker);
        idle.wake();
        idle.wake();
        assertEquals(0, parker.unparks);
        assertEquals(0, idle.wakeups());
    }

    @Test
    void shouldNotSignalItselfWhenWorkDoneInsideThePark()
    {
        // An IoAgent's park handles the keys that woke it inside select; a key's message published to a shard on
        // the same thread wakes that shard's strategy, which is this one.
        final Cycle cycle = new Cycle();
        final AtomicInteger selfUnparks = new AtomicInteger();
        final WakeableIdleStrategy[] strategy = new WakeableIdleStrategy[1];
        strategy[0] = new WakeableIdleStrategy("blocking", cycle, new WakeableIdleStrategy.Parker()
        {
            @Override
            public void park(final long timeoutNs)
            {
                strategy[0].awake();
                strategy[0].wake();
            }

            @Override
            public void unpark()
            {
                selfUnparks.incrementAndGet();
            }
        });
        strategy[0].idle(0);
        assertEquals(0, selfUnparks.get(), "no selector wake-up sent to the running thread");
        assertEquals(0, strategy[0].wakeups());
    }

    @Test
    void shouldSignalWhenAParkHandlesNoWorkItself()
    {
        // Without awake(), the same publication inside the park is a signal: the case awake() exists for.
        final Cycle cycle = new Cycle();
        final AtomicInteger unparks = new AtomicInteger();
        final WakeableIdleStrategy[] strategy = new WakeableIdleStrategy[1];
        strategy[0] = new WakeableIdleStrategy("blocking", cycle, new WakeableIdleStrategy.Parker()
        {
            @Override
            public void park(final long timeoutNs)
            {
                strategy[0].wake();
            }

            @Override
            public void unpark()
            {
                unparks.incrementAndGet();
            }
        });
        strategy[0].idle(0);
        assertEquals(1, unparks.get());
        assertEquals(1, strategy[0].wakeups());
    }

    @Test
    void shouldNotParkWhenWorkWasPublishedBeforeTheAnnouncement()
    {
        final PermitParker parker = new PermitParker();
        final Cycle cycle = new Cycle();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy("blocking", cycle, parker);
        cycle.pending = true; // published, and the producer saw no announcement so it did not signal
        idle.wake();
        idle.idle(0);
        assertEquals(0, parker.parks, "the consumer's check after the announcement sees the work");
        assertEquals(0, idle.wakeups());
    }

    @Test
    void shouldNotLoseAWakeUpPublishedBetweenTheAnnouncementAndThePark()
    {
        final PermitParker parker = new PermitParker();
        final Cycle cycle = new Cycle();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy("blocking", cycle, parker);
        // The consumer announced and is checking; the producer publishes and wakes now, and the check (as on a
        // weakly ordered read) still says nothing is pending.
        cycle.duringCheck = idle::wake;
        idle.idle(0);
        assertEquals(1, parker.parks);
        assertEquals(0, parker.parksThatWouldSleep, "the signal sent before the park makes it return");
        assertEquals(1, idle.wakeups());
    }

    @Test
    void shouldSignalOncePerParkWhateverTheNumberOfProducers()
    {
        final PermitParker parker = new PermitParker();
        final Cycle cycle = new Cycle();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy("blocking", cycle, parker);
        cycle.duringCheck = () ->
        {
            idle.wake();
            idle.wake();
            idle.wake();
        };
        idle.idle(0);
        assertEquals(1, parker.unparks, "the first producer takes the announcement, the others see it gone");
        cycle.duringCheck = () -> { };
        idle.wake();
        assertEquals(1, idle.wakeups(), "after the park the thread runs, and is not signalled");
    }

    @Test
    void shouldNeverParkOrSignalWithTheSpinningStrategies()
    {
        for (final String strategy : new String[] {"yielding", "busy-spin"})
        {
            final PermitParker parker = new PermitParker();
            final Cycle cycle = new Cycle();
            final WakeableIdleStrategy idle = new WakeableIdleStrategy(strategy, cycle, parker);
            idle.idle(0);
            idle.wake();
            assertEquals(0, parker.parks, strategy);
            assertEquals(0, parker.unparks, strategy);
            assertFalse(idle.parks(), strategy);
        }
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy("sleepy", new Cycle(),
            new PermitParker()));
    }

    @Test
    void shouldNotParkPastTheNextDeadline()
    {
        final AtomicLong parkedForNs = new AtomicLong();
        final Cycle cycle = new Cycle();
        cycle.timeoutNs = 7_000_000L;
        final WakeableIdleStrategy idle = new WakeableIdleStrategy("blocking", cycle,
            new WakeableIdleStrategy.Parker()
            {
                @Override
                public void park(final long timeoutNs)
                {
                    parkedForNs.set(timeoutNs);
                }

                @Override
                public void unpark()
                {
                }
            });
        idle.idle(0);
        assertEquals(7_000_000L, parkedForNs.get());
        cycle.timeoutNs = 0;
        parkedForNs.set(-1);
        idle.idle(0);
        assertEquals(-1, parkedForNs.get(), "a deadline that is due now: no park at all");
        cycle.timeoutNs = Long.MAX_VALUE;
        idle.idle(0);
        assertEquals(WakeableIdleStrategy.MAX_PARK_NS, parkedForNs.get(), "no deadline: a bounded park");
    }

    /**
     * Two real threads hand a token back and forth through queues, each parking when it has nothing to do: a
     * lost wake-up would leave a thread parked for the whole {@link WakeableIdleStrategy#MAX_PARK_NS} with a
     * token waiting, which the parker records.
     */
    @Test
    void shouldHandTokensBetweenTwoParkingThreadsWithoutALostWakeUp() throws Exception
    {
        final int rounds = 20_000;
        final OneToOneConcurrentArrayQueue<Integer> ping = new OneToOneConcurrentArrayQueue<>(4);
        final OneToOneConcurrentArrayQueue<Integer> pong = new OneToOneConcurrentArrayQueue<>(4);
        final AtomicInteger fullParks = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();
        final WakeableIdleStrategy consumerIdle = new WakeableIdleStrategy("blocking",
            cycleOf(ping), new TimingParker(fullParks));
        final WakeableIdleStrategy producerIdle = new WakeableIdleStrategy("blocking",
            cycleOf(pong), new TimingParker(fullParks));
        final Thread consumer = new Thread(() ->
        {
            for (int received = 0; received < rounds && !failed.get(); )
            {
                final Integer token = ping.poll();
                if (null == token)
                {
                    consumerIdle.idle(0);
                    continue;
                }
                received++;
                while (!pong.offer(token))
                {
                    Thread.onSpinWait();
                }
                producerIdle.wake();
            }
        }, "consumer");
        consumer.start();
        int answered = 0;
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < rounds && System.nanoTime() < deadlineNs; i++)
        {
            while (!ping.offer(i))
            {
                Thread.onSpinWait();
            }
            consumerIdle.wake();
            while (null == pong.poll() && System.nanoTime() < deadlineNs)
            {
                producerIdle.idle(0);
            }
            answered++;
        }
        failed.set(answered < rounds);
        consumer.join(10_000);
        assertEquals(rounds, answered, "every token came back");
        assertEquals(0, fullParks.get(), "no thread slept a whole park with a token waiting for it");
        assertTrue(consumerIdle.wakeups() + producerIdle.wakeups() > 0, "the threads did park and were woken");
    }

    private static DutyCycle cycleOf(final OneToOneConcurrentArrayQueue<Integer> queue)
    {
        return new DutyCycle()
        {
            @Override
            public boolean hasPendingWork()
            {
                return !queue.isEmpty();
            }

            @Override
            public long parkTimeoutNs()
            {
                return Long.MAX_VALUE;
            }
        };
    }

    /** Parks with {@link LockSupport} and counts parks that ran to their full timeout. */
    private static final class TimingParker implements WakeableIdleStrategy.Parker
    {
        private final WakeableIdleStrategy.ThreadParker delegate = new WakeableIdleStrategy.ThreadParker();
        private final AtomicInteger fullParks;

        TimingParker(final AtomicInteger fullParks)
        {
            this.fullParks = fullParks;
        }

        @Override
        public void beforePark()
        {
            delegate.beforePark();
        }

        @Override
        public void park(final long timeoutNs)
        {
            final long startNs = System.nanoTime();
            delegate.park(timeoutNs);
            if (System.nanoTime() - startNs >= timeoutNs)
            {
                fullParks.incrementAndGet();
            }
        }

        @Override
        public void unpark()
        {
            delegate.unpark();
        }
    }
}
