package dev.switchboard.engine.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogLineTest
{
    @Test
    void shouldKeepTheEventNameAndTypedFields()
    {
        final LogLine line = LogLine.event("started").with("port", 8080).with("ok", true).with("name", "a");
        assertEquals("started", line.eventName());
        assertEquals(8080, (Integer)line.getIndexedReadOnlyStringMap().getValue("port"));
        assertEquals(Boolean.TRUE, line.getIndexedReadOnlyStringMap().getValue("ok"));
        assertEquals("a", line.getIndexedReadOnlyStringMap().getValue("name"));
    }

    @Test
    void shouldRefuseTheKeysTheLayoutWritesAndAnEmptyEventName()
    {
        for (final String key : LogLine.RESERVED_KEYS)
        {
            assertThrows(IllegalArgumentException.class, () -> LogLine.event("x").with(key, 1), key);
            assertThrows(IllegalArgumentException.class, () -> LogLine.event("x").with(key, "v"), key);
        }
        assertThrows(IllegalArgumentException.class, () -> LogLine.event(""));
        assertThrows(IllegalArgumentException.class, () -> LogLine.event(null));
    }
}
