package dev.switchboard.net;

import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsContextsTest
{
    @Test
    void shouldConvertTheNetDurationsOnce()
    {
        final NetSettings net = new NetSettings().settings(SwitchboardSettings.builder().pingIntervalSeconds(5)
            .idleTimeoutSeconds(12).httpHeadTimeoutSeconds(3).messageDeadlineSeconds(4).drainSeconds(2)
            .drainSpreadMillis(1500).webhookTimeoutMillis(250).build()).conclude();

        assertEquals(5_000_000_000L, net.pingIntervalNs());
        assertEquals(12_000_000_000L, net.idleTimeoutNs());
        assertEquals(3_000_000_000L, net.httpHeadTimeoutNs());
        assertEquals(4_000_000_000L, net.messageDeadlineNs());
        assertEquals(2_000_000_000L, net.drainNs());
        assertEquals(1500L, net.drainSpreadMs());
        assertEquals(250L, net.webhookTimeoutMs());
        assertEquals(8080, net.intValue(SettingsTable.PORT));
        assertThrows(IllegalArgumentException.class, () -> net.intValue(SettingsTable.TICK_MILLIS), "engine's");
        assertThrows(IllegalArgumentException.class, () -> net.textValue(SettingsTable.REDIS_URL), "cluster's");
    }

    @Test
    void shouldConvertTheClusterDurationsOnce()
    {
        final ClusterSettings cluster = new ClusterSettings().settings(SwitchboardSettings.builder()
            .redisUrl("redis://127.0.0.1:6379").leaseTtlMillis(3000).snapshotIntervalMillis(100).redisTimeoutMillis(50)
            .build()).conclude();

        assertTrue(cluster.isClustered());
        assertEquals(3_000_000_000L, cluster.leaseTtlNs());
        assertEquals(1_000_000_000L, cluster.leaseRenewNs());
        assertEquals(100_000_000L, cluster.snapshotIntervalNs());
        assertEquals(50_000_000L, cluster.redisTimeoutNs());
        assertEquals(3000L, cluster.millis(SettingsTable.LEASE_TTL_MILLIS));
        assertFalse(new ClusterSettings().conclude().isClustered());
        assertThrows(IllegalArgumentException.class, () -> cluster.intValue(SettingsTable.PORT));
    }

    @Test
    void shouldDescribeOnlyTheirOwnSettings() throws Exception
    {
        final SwitchboardSettings settings = SettingsLoader.load(new String[] {"--port", "9000"}, Map.of());
        final NetSettings net = new NetSettings().settings(settings).conclude();

        assertEquals("9000", net.describe().get("port"));
        assertFalse(net.describe().containsKey("tickMillis"));
        assertEquals(settings.describe().get("redisUrl"), new ClusterSettings().settings(settings).conclude()
            .describe().get("redisUrl"));
    }
}
