package dev.switchboard.engine.session;

import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.protocol.MessageType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplayWindowTest
{
    private final FramePool pool = new FramePool(16, null);

    private Frame frame()
    {
        return pool.acquire(16, MessageType.ACK, false).sealText(0);
    }

    @Test
    void shouldHoldOneReferencePerFrameAndReleaseOldestWhenFull()
    {
        final ReplayWindow window = new ReplayWindow(2);
        final Frame a = frame();
        final Frame b = frame();
        final Frame c = frame();
        window.add(a, 1, 10, 0);
        window.add(b, 2, 11, 0);
        assertEquals(2, a.refCount());
        a.release();
        assertEquals(1, a.refCount());
        window.add(c, 3, 12, 7);
        assertEquals(0, a.refCount());
        assertEquals(2, window.firstSeq());
        assertEquals(1, window.firstAfter(2));
        assertEquals(7, window.sender(1));
        assertEquals(12, window.stamp(1));
        b.release();
        c.release();
        window.clear();
        assertEquals(0, window.size());
        assertEquals(-1, window.firstSeq());
        assertEquals(pool.allocatedCount(), pool.freeCount());
    }
}
