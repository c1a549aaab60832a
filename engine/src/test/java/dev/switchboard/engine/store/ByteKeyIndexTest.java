package dev.switchboard.engine.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index as its owners use it: a probe loop comparing the owner's keys, inserts at the slot where the probe
 * ended ({@link ByteKeyIndex#addAt}) or by hash ({@link ByteKeyIndex#add}), removals that move the last entry,
 * checked against a map over thousands of random operations across many table growths.
 */
class ByteKeyIndexTest
{
    private final ByteKeyIndex index = new ByteKeyIndex(2);
    private final List<byte[]> keys = new ArrayList<>();

    private int find(final byte[] key)
    {
        final int hash = ByteKeyIndex.hash(key, 0, key.length);
        int entry;
        for (int slot = index.homeSlot(hash); (entry = index.entryAt(slot)) >= 0; slot = index.nextSlot(slot))
        {
            if (index.hashAt(entry) == hash && Arrays.equals(keys.get(entry), key))
            {
                return entry;
            }
        }
        return -1;
    }

    /** Insert the way ByteEntries does: one probe, then addAt at the empty slot it ended on. */
    private int putAtProbeEnd(final byte[] key)
    {
        final int hash = ByteKeyIndex.hash(key, 0, key.length);
        int slot = index.homeSlot(hash);
        int entry;
        while ((entry = index.entryAt(slot)) >= 0)
        {
            if (index.hashAt(entry) == hash && Arrays.equals(keys.get(entry), key))
            {
                return entry;
            }
            slot = index.nextSlot(slot);
        }
        final int added = index.addAt(slot, hash);
        assertEquals(keys.size(), added, "entries are dense");
        keys.add(key);
        return added;
    }

    private void remove(final int entry)
    {
        final int last = index.removeAt(entry);
        keys.set(entry, keys.get(last));
        keys.remove(last);
    }

    @Test
    void shouldAgreeWithAMapThroughGrowthAndRemovals()
    {
        final Random random = new Random(17);
        final Map<String, Boolean> model = new HashMap<>();
        for (int op = 0; op < 20_000; op++)
        {
            final byte[] key = ("key-" + random.nextInt(3_000)).getBytes(StandardCharsets.US_ASCII);
            final String name = new String(key, StandardCharsets.US_ASCII);
            final int choice = random.nextInt(10);
            if (choice < 6)
            {
                if (model.containsKey(name) || random.nextBoolean())
                {
                    putAtProbeEnd(key);
                }
                else
                {
                    keys.add(key);
                    assertEquals(keys.size() - 1, index.add(ByteKeyIndex.hash(key, 0, key.length)));
                }
                model.put(name, true);
            }
            else if (choice < 8)
            {
                final int entry = find(key);
                assertEquals(model.containsKey(name), entry >= 0, name);
                if (entry >= 0)
                {
                    remove(entry);
                    model.remove(name);
                }
            }
            else
            {
                assertEquals(model.containsKey(name), find(key) >= 0, name);
            }
            assertEquals(model.size(), index.count());
        }
        for (final String name : model.keySet())
        {
            assertTrue(find(name.getBytes(StandardCharsets.US_ASCII)) >= 0, name);
        }
        assertTrue(index.longestProbe() < 64, "probe runs stay short: " + index.longestProbe());

        index.clear();
        keys.clear();
        assertEquals(0, index.count());
        assertEquals(-1, find("key-1".getBytes(StandardCharsets.US_ASCII)));
    }
}
