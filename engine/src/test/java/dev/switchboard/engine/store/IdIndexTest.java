package dev.switchboard.engine.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class IdIndexTest
{
    private static final class Item
    {
        final byte[] id;

        Item(final String id)
        {
            this.id = id.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final IdIndex<Item> index = new IdIndex<>(4)
    {
        @Override
        protected byte[] keyBytes(final Item value)
        {
            return value.id;
        }

        @Override

        protected int keyLength(final Item value)
        {
            return value.id.length;
        }
    };

    @Test
    void shouldFindEveryPresentItemThroughGrowthAndRemoval()
    {
        final List<Item> items = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            final Item item = new Item("id-" + i);
            items.add(item);
            index.put(item);
        }
        final Random random = new Random(3);
        final List<Item> removed = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            final Item item = items.remove(random.nextInt(items.size()));
            index.remove(item);
            removed.add(item);
        }
        assertEquals(500, index.size());
        for (final Item item : items)
        {
            assertSame(item, index.get(item.id, 0, item.id.length));
        }
        for (final Item item : removed)
        {
            assertNull(index.get(item.id, 0, item.id.length));
        }
    }
}
