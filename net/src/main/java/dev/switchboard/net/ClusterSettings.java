package dev.switchboard.net;

import dev.switchboard.engine.settings.ModuleSettings;
import dev.switchboard.engine.settings.SettingModule;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;

/** Multi-node settings with durations converted once: Redis, leases, snapshots and the cluster secret. */
public final class ClusterSettings extends ModuleSettings
{
    private long leaseTtlNs;
    private long leaseRenewNs;
    private long snapshotIntervalNs;
    private long redisTimeoutNs;

    /** An empty context; give it settings, then {@link #conclude()}. */
    public ClusterSettings()
    {
        super(SettingModule.CLUSTER);
    }

    /**
     * Use these settings.
     *
     * @param settings validated settings.
     * @return this context.
     */
    public ClusterSettings settings(final SwitchboardSettings settings)
    {
        use(settings);
        return this;
    }

    /**
     * Convert every duration once; reading is allowed from now on.
     *
     * @return this context.
     */
    public ClusterSettings conclude()
    {
        concludeValues();
        leaseTtlNs = nanos(SettingsTable.LEASE_TTL_MILLIS);
        leaseRenewNs = leaseTtlNs / 3;
        snapshotIntervalNs = nanos(SettingsTable.SNAPSHOT_INTERVAL_MILLIS);
        redisTimeoutNs = nanos(SettingsTable.REDIS_TIMEOUT_MILLIS);
        return this;
    }

    /** {@return whether this node is part of a cluster, that is whether {@code redisUrl} is set} */
    public boolean isClustered()
    {
        return null != textValue(SettingsTable.REDIS_URL);
    }

    /** {@return the lifetime of a room lease and of a node heartbeat, {@code leaseTtlMillis}, in nanoseconds} */
    public long leaseTtlNs()
    {
        return leaseTtlNs;
    }

    /** {@return how often an owner renews its leases, a third of {@code leaseTtlMillis}, in nanoseconds} */
    public long leaseRenewNs()
    {
        return leaseRenewNs;
    }

    /** {@return the least time between two snapshots of a room, {@code snapshotIntervalMillis}, in nanoseconds} */
    public long snapshotIntervalNs()
    {
        return snapshotIntervalNs;
    }

    /** {@return the time after which a Redis command has failed, {@code redisTimeoutMillis}, in nanoseconds} */
    public long redisTimeoutNs()
    {
        return redisTimeoutNs;
    }
}
