package dev.switchboard.net;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoxCacheCheckTest
{
    @Test
    void shouldFindTheIntegerCacheUpperBoundByProbing()
    {
        final int high = BoxCacheCheck.integerCacheHigh(1 << 24);
        assertTrue(high >= 127, "the cache always reaches 127: " + high);
        assertSame(Integer.valueOf(high), Integer.valueOf(high));
        assertNotSame(Integer.valueOf(high + 1), Integer.valueOf(high + 1), "the bound is exact");
    }

    @Test
    void shouldStopProbingAtTheLimitAsked()
    {
        assertEquals(127, BoxCacheCheck.integerCacheHigh(127));
        assertEquals(200, BoxCacheCheck.integerCacheHigh(200), "the test JVM caches at least up to 65536");
    }

    @Test
    void shouldCoverTheDefaultConnectionsInTheTestJvmLikeTheLauncherAndWarnWhenTooSmall()
    {
        assertEquals(SwitchboardSettings.defaults().maxConnections() + BoxCacheCheck.RESERVED_DESCRIPTORS,
            BoxCacheCheck.descriptorsNeeded(SwitchboardSettings.defaults().maxConnections()));
        assertTrue(BoxCacheCheck.warnIfTooSmall(SwitchboardSettings.defaults().maxConnections()),
            "Surefire's argLine sets -XX:AutoBoxCacheMax=65536 as bin/switchboard does");
        assertFalse(BoxCacheCheck.warnIfTooSmall(1 << 24), "16M connections are beyond a 65536 cache");
    }
}
