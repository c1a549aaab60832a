package dev.switchboard.net;

import dev.switchboard.engine.settings.ModuleSettings;
import dev.switchboard.engine.settings.SettingModule;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;

/** The network side's settings with durations converted once: sockets, HTTP, WebSocket, operator port, webhooks. */
public final class NetSettings extends ModuleSettings
{
    private long pingIntervalNs;
    private long idleTimeoutNs;
    private long httpHeadTimeoutNs;
    private long messageDeadlineNs;
    private long drainNs;
    private long drainSpreadMs;
    private long webhookTimeoutMs;

    /** An empty context; give it settings, then {@link #conclude()}. */
    public NetSettings()
    {
        super(SettingModule.NET);
    }

    /**
     * Use these settings.
     *
     * @param settings validated settings.
     * @return this context.
     */
    public NetSettings settings(final SwitchboardSettings settings)
    {
        use(settings);
        return this;
    }

    /**
     * Convert every duration once; reading is allowed from now on.
     *
     * @return this context.
     */
    public NetSettings conclude()
    {
        concludeValues();
        pingIntervalNs = nanos(SettingsTable.PING_INTERVAL_SECONDS);
        idleTimeoutNs = nanos(SettingsTable.IDLE_TIMEOUT_SECONDS);
        httpHeadTimeoutNs = nanos(SettingsTable.HTTP_HEAD_TIMEOUT_SECONDS);
        messageDeadlineNs = nanos(SettingsTable.MESSAGE_DEADLINE_SECONDS);
        drainNs = nanos(SettingsTable.DRAIN_SECONDS);
        drainSpreadMs = millis(SettingsTable.DRAIN_SPREAD_MILLIS);
        webhookTimeoutMs = millis(SettingsTable.WEBHOOK_TIMEOUT_MILLIS);
        return this;
    }

    /** {@return the time between server pings, {@code pingIntervalSeconds}, in nanoseconds} */
    public long pingIntervalNs()
    {
        return pingIntervalNs;
    }

    /** {@return the time without a client frame before close 4009, {@code idleTimeoutSeconds}, in nanoseconds} */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** {@return the time to finish an HTTP request head, {@code httpHeadTimeoutSeconds}, in nanoseconds} */
    public long httpHeadTimeoutNs()
    {
        return httpHeadTimeoutNs;
    }

    /** {@return the time a WebSocket message may take, {@code messageDeadlineSeconds}, in nanoseconds} */
    public long messageDeadlineNs()
    {
        return messageDeadlineNs;
    }

    /** {@return the time over which sockets close on graceful shutdown, {@code drainSeconds}, in nanoseconds} */
    public long drainNs()
    {
        return drainNs;
    }

    /** {@return the upper bound of the retry_after_ms told to drained sockets, {@code drainSpreadMillis}} */
    public long drainSpreadMs()
    {
        return drainSpreadMs;
    }

    /** {@return the time after which one webhook POST has failed, {@code webhookTimeoutMillis}} */
    public long webhookTimeoutMs()
    {
        return webhookTimeoutMs;
    }
}
