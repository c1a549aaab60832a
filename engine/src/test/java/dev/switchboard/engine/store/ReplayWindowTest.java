package dev.switchboard.engine.store;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest
{
    private final FramePool pool = new FramePool(16, null);

    private Frame frame()
    {
        return pool.acquire(16, MessageType.ACK, false).sealText(0);
    }

    /** A sealed frame of exactly {@code wireBytes} bytes on the wire (header of 2 bytes below 126). */
    private Frame frameOfWireBytes(final int wireBytes)
    {
        final int header = wireBytes - 2 < 126 ? 2 : 4;
        return pool.acquire(wireBytes, MessageType.WEBRTC_OFFER, false).sealText(wireBytes - header);
    }

    @Test
    void shouldCopyFramesWithoutHoldingThemAndDropOldestWhenFull()
    {
        final ReplayWindow window = new ReplayWindow(2);
        final Frame a = frameOfWireBytes(50);
        final Frame b = frameOfWireBytes(60);
        final Frame c = frameOfWireBytes(70);
        window.add(a, 1, 10, 0);
        window.add(b, 2, 11, 0);
        assertEquals(1, a.refCount(), "the window copies the text and takes no reference");
        window.add(c, 3, 12, 7);
        assertEquals(2, window.firstSeq());
        assertEquals(1, window.firstAfter(2));
        assertEquals(7, window.sender(1));
        assertEquals(0, window.sender(0));
        assertEquals(12, window.stamp(1));
        assertEquals(1, window.evictedSeq());
        assertEquals(MessageType.WEBRTC_OFFER, window.type(1));
        assertEquals(68, window.textLength(1));
        for (int k = 0; k < 68; k++)
        {
            assertEquals(c.buffer()[c.payloadOffset() + k], window.text()[window.textOffset(1) + k]);
        }
        a.release();
        b.release();
        c.release();
        assertEquals(pool.allocatedCount(), pool.freeCount(), "every frame went back to the pool");
        window.clear();
        assertEquals(0, window.size());
        assertEquals(-1, window.firstSeq());
        assertEquals(0, window.evictedSeq());
    }

    @Test
    void shouldEvictOldestWhenByteBoundIsHitBeforeCountBound()
    {
        final ReplayBytes tally = new ReplayBytes();
        final ReplayWindow window = new ReplayWindow(100, 300, tally);
        for (int seq = 1; seq <= 4; seq++)
        {
            final Frame f = frameOfWireBytes(100);
            window.add(f, seq, seq, 0);
            f.release();
        }
        assertEquals(3, window.size());
        assertEquals(300, window.heldBytes());
        assertEquals(300, tally.heldBytes());
        assertEquals(2, window.firstSeq());
        assertEquals(1, window.evictedSeq());

        final Frame big = frameOfWireBytes(250);
        window.add(big, 5, 5, 0);
        big.release();
        assertEquals(1, window.size(), "every older entry leaves until the 250 bytes fit");
        assertEquals(5, window.firstSeq());
        assertEquals(4, window.evictedSeq());
        assertEquals(250, tally.heldBytes());

        window.clear();
        assertEquals(0, tally.heldBytes());
    }

    @Test
    void shouldEvictOldestWhenCountBoundIsHitBeforeByteBound()
    {
        final ReplayWindow window = new ReplayWindow(3, 1 << 20, new ReplayBytes());
        for (int seq = 1; seq <= 5; seq++)
        {
            window.addAck(seq, seq, 1000 + seq, seq, -seq, 120);
        }
        assertEquals(3, window.size());
        assertEquals(3, window.firstSeq());
        assertEquals(2, window.evictedSeq());
        assertEquals(360, window.heldBytes());
    }

    @Test
    void shouldNotKeepAFrameLargerThanTheWholeByteBoundAndCountItAsEvicted()
    {
        final ReplayWindow window = new ReplayWindow(8, 200, new ReplayBytes());
        final Frame small = frameOfWireBytes(100);
        window.add(small, 1, 1, 0);
        small.release();
        final Frame huge = frameOfWireBytes(300);
        window.add(huge, 2, 2, 0);
        huge.release();
        assertEquals(1, window.size(), "older entries stay: they are still valid");
        assertEquals(1, window.firstSeq());
        assertEquals(2, window.evictedSeq());
    }

    @Test
    void shouldKeepAcksAndErrorsAsFieldsWithoutAnyFrame()
    {
        final ReplayWindow window = new ReplayWindow(8, 4096, new ReplayBytes());
        window.addAck(1, 10, 1_764_160_000_123L, 0x1122L, 0x3344L, 110);
        window.addError(ReplayWindow.KIND_ERROR, ErrorCode.FORBIDDEN, true, 2, 11, 1_764_160_000_456L, 5, 6, 200);
        window.addError(ReplayWindow.KIND_GAME_ERROR, ErrorCode.RATE_LIMITED, true, 3, 12, 7, 8, 9, 150);
        final Frame relay = frameOfWireBytes(100);
        window.add(relay, 4, 13, 0);
        relay.release();

        assertEquals(ReplayWindow.KIND_ACK, window.kind(0));
        assertEquals(1_764_160_000_123L, window.tsMs(0));
        assertEquals(0x1122L, window.msgIdHi(0));
        assertEquals(0x3344L, window.msgIdLo(0));
        assertEquals(ReplayWindow.KIND_ERROR, window.kind(1));
        assertEquals(ErrorCode.FORBIDDEN, window.errorCode(1));
        assertTrue(window.hasFor(1));
        assertEquals(ReplayWindow.KIND_GAME_ERROR, window.kind(2));
        assertEquals(ErrorCode.RATE_LIMITED, window.errorCode(2));
        assertEquals(ReplayWindow.KIND_FRAME, window.kind(3));
        assertEquals(98, window.textLength(3));
        assertEquals(560, window.heldBytes());
        assertEquals(1, pool.allocatedCount(), "only the relayed frame came from the pool");
        assertThrows(IllegalArgumentException.class, () -> window.addAck(5, 14, 0, 0, 0, 70_000));
    }

    @Test
    void shouldEvictCompactRecordsAndFramesOldestFirstByTheirWireLength()
    {
        final ReplayWindow window = new ReplayWindow(100, 400, new ReplayBytes());
        window.addAck(1, 1, 0, 0, 1, 150);
        final Frame relay = frameOfWireBytes(200);
        window.add(relay, 2, 2, 0);
        relay.release();
        window.addAck(3, 3, 0, 0, 3, 100);
        window.addAck(4, 4, 0, 0, 4, 100);
        assertEquals(3, window.size(), "the 150-byte ack left first");
        assertEquals(2, window.firstSeq());
        window.addAck(5, 5, 0, 0, 5, 100);
        assertEquals(3, window.firstSeq(), "then the 200-byte frame");
        assertEquals(300, window.heldBytes());
        assertEquals(2, window.evictedSeq());
    }

    @Test
    void shouldGrowOnDemandAndKeepEntryArraysButNotABigArenaOnClear()
    {
        final ReplayWindow window = new ReplayWindow(128, 1 << 20, new ReplayBytes());
        assertEquals(0, window.capacity(), "nothing allocated before the first entry");
        window.addAck(1, 1, 0, 0, 1, 100);
        assertEquals(ReplayWindow.INITIAL_CAPACITY, window.capacity());
        for (int seq = 2; seq <= 200; seq++)
        {
            window.addAck(seq, seq, seq, 0, seq, 100);
        }
        assertEquals(128, window.capacity(), "grown to the bound, never past it");
        assertEquals(128, window.size());
        for (int i = 0; i < window.size(); i++)
        {
            assertEquals(73 + i, window.seq(i), "order kept across growth and wrap");
            assertEquals(73 + i, window.tsMs(i));
        }
        window.clear();
        assertEquals(128, window.capacity(), "entry arrays are kept for the next owner of a pooled session");
        assertEquals(0, window.heldBytes());
        assertEquals(0, window.size());
        window.skip(9);
        assertEquals(9, window.evictedSeq(), "a sequence never kept counts as evicted");
    }

    @Test
    void shouldWrapTheTextArenaAndKeepEveryTextIntactAcrossGrowthAndWrap()
    {
        final ReplayWindow window = new ReplayWindow(16, 4096, new ReplayBytes());
        assertEquals(0, window.arenaBytes());
        final Random random = new Random(7);
        for (int seq = 1; seq <= 500; seq++)
        {
            final int length = 20 + random.nextInt(700);
            final Frame f = pool.acquire(length, MessageType.GAME_EVENT, false);
            for (int k = 0; k < length; k++)
            {
                f.buffer()[Frame.PAYLOAD_OFFSET + k] = (byte)(seq + k);
            }
            f.sealText(length);
            window.add(f, seq, seq, 0);
            f.release();
            if (random.nextInt(5) == 0)
            {
                window.addAck(++seq, seq, seq, 0, seq, 120);
            }
            assertTrue(window.heldBytes() <= 4096, "bounded: " + window.heldBytes());
            assertTrue(window.arenaBytes() <= 4096);
            int texts = 0;
            for (int i = 0; i < window.size(); i++)
            {
                if (ReplayWindow.KIND_FRAME == window.kind(i))
                {
                    texts++;
                    final long s = window.seq(i);
                    final int off = window.textOffset(i);
                    for (int k = 0; k < window.textLength(i); k++)
                    {
                        assertEquals((byte)(s + k), window.text()[off + k], "text of seq " + s + " intact");
                    }
                }
            }
            assertTrue(texts >= 1, "the newest text is always kept");
        }
        assertEquals(pool.allocatedCount(), pool.freeCount());
        final int arena = window.arenaBytes();
        window.clear();
        assertEquals(arena > ReplayWindow.KEPT_ARENA_BYTES ? 0 : arena, window.arenaBytes());
        final ReplayWindow big = new ReplayWindow(8, 1 << 20, new ReplayBytes());
        final Frame f = frameOfWireBytes(60_000);
        big.add(f, 1, 1, 0);
        f.release();
        assertTrue(big.arenaBytes() > ReplayWindow.KEPT_ARENA_BYTES);
        big.clear();
        assertEquals(0, big.arenaBytes(), "a big arena is given back");
    }

    @Test
    void shouldAddEveryWindowsBytesToTheSharedTally()
    {
        final ReplayBytes tally = new ReplayBytes();
        final ReplayWindow a = new ReplayWindow(4, 1000, tally);
        final ReplayWindow b = new ReplayWindow(4, 1000, tally);
        final Frame shared = frameOfWireBytes(300);
        a.add(shared, 1, 1, 0);
        b.add(shared, 1, 2, 0);
        shared.release();
        assertEquals(600, tally.heldBytes(), "a frame shared by two holders counts once per holder");
        a.clear();
        assertEquals(300, tally.heldBytes());
        b.clear();
        assertEquals(0, tally.heldBytes());
    }
}
