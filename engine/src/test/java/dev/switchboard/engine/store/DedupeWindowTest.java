package dev.switchboard.engine.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DedupeWindowTest
{
    @Test
    void shouldForgetOldestIdWhenFull()
    {
        final DedupeWindow window = new DedupeWindow(3);
        window.add(1, 1);
        window.add(2, 2);
        window.add(3, 3);
        assertTrue(window.contains(1, 1));
        window.add(4, 4);
        assertFalse(window.contains(1, 1));
        assertTrue(window.contains(2, 2));
        assertTrue(window.contains(4, 4));
        assertEquals(3, window.size());
    }

    @Test
    void shouldTreatZeroIdAndHalvesAsDistinctValues()
    {
        final DedupeWindow window = new DedupeWindow(4);
        window.add(0, 0);
        assertTrue(window.contains(0, 0));
        assertFalse(window.contains(0, 1));
        assertFalse(window.contains(1, 0));
    }

    @Test
    void shouldMatchReferenceModelUnderRandomTraffic()
    {
        final Random random = new Random(7);
        final int capacity = 64;
        final DedupeWindow window = new DedupeWindow(capacity);
        final ArrayDeque<Long> order = new ArrayDeque<>();
        final Set<Long> present = new HashSet<>();
        for (int i = 0; i < 200_000; i++)
        {
            final long id = random.nextInt(300);
            final long hi = id * 31;
            final long lo = id ^ 0x5555;
            assertEquals(present.contains(id), window.contains(hi, lo), "step " + i);
            if (!present.contains(id))
            {
                if (order.size() == capacity)
                {
                    present.remove(order.removeFirst());
                }
                order.addLast(id);
                present.add(id);
            }
            window.add(hi, lo);
        }
    }

    @Test
    void shouldBeEmptyAfterClear()
    {
        final DedupeWindow window = new DedupeWindow(2);
        window.add(5, 6);
        window.clear();
        assertFalse(window.contains(5, 6));
        assertEquals(0, window.size());
    }
}
