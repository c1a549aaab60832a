package dev.switchboard.engine.room;

import dev.switchboard.engine.hash.Fnv1aCollisions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteEntriesTest
{
    private final ByteEntries entries = new ByteEntries();

    private void put(final String key, final String value)
    {
        final byte[] bytes = (key + value).getBytes(StandardCharsets.US_ASCII);
        entries.put(bytes, 0, key.length(), key.length(), value.length());
    }

    private int find(final String key)
    {
        final byte[] bytes = ("~" + key).getBytes(StandardCharsets.US_ASCII);
        return entries.find(bytes, 1, key.length());
    }

    private String valueAt(final int index)
    {
        return new String(entries.value(index), 0, entries.valueLength(index), StandardCharsets.US_ASCII);
    }

    private void assertMatches(final Map<String, String> model)
    {
        assertEquals(model.size(), entries.count());
        long bytes = 2;
        for (final Map.Entry<String, String> e : model.entrySet())
        {
            final int index = find(e.getKey());
            assertTrue(index >= 0, e.getKey());
            assertEquals(e.getValue(), valueAt(index));
            bytes += e.getKey().length() + 3 + e.getValue().length();
        }
        assertEquals(bytes + Math.max(0, model.size() - 1), entries.encodedBytes());
    }

    @Test
    void shouldAgreeWithAMapThroughPutsRemovalsAndClears()
    {
        final Random random = new Random(7);
        final Map<String, String> model = new HashMap<>();
        for (int round = 0; round < 20_000; round++)
        {
            final String key = "k" + random.nextInt(600);
            final int op = random.nextInt(10);
            if (op < 6)
            {
                final String value = Integer.toString(random.nextInt(1_000_000));
                put(key, value);
                model.put(key, value);
            }
            else if (op < 9)
            {
                final int index = find(key);
                assertEquals(model.containsKey(key), index >= 0, key);
                if (index >= 0)
                {
                    entries.removeAt(index);
                    model.remove(key);
                }
            }
            else if (0 == random.nextInt(200))
            {
                entries.clear();
                model.clear();
            }
            if (0 == round % 997)
            {
                assertMatches(model);
            }
        }
        assertMatches(model);
    }

    @Test
    void shouldNotChainKeysCraftedToCollideUnderFnv1a()
    {
        final List<byte[]> keys = Fnv1aCollisions.craft("key", 400, 12);
        final List<String> names = new ArrayList<>();
        for (final byte[] key : keys)
        {
            final String name = new String(key, StandardCharsets.US_ASCII);
            names.add(name);
            put(name, "1");
        }
        for (final String name : names)
        {
            assertTrue(find(name) >= 0);
        }
        // Under FNV-1a all 400 share a home slot: the longest probe would be 400.
        assertTrue(entries.longestProbe() < 40, "longest probe " + entries.longestProbe());
    }
}
