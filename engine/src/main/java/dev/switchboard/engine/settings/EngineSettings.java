package dev.switchboard.engine.settings;

/** The engine's settings with durations converted once: room rules, sessions, rate limits and rings. */
public final class EngineSettings extends ModuleSettings
{
    private long tickNs;
    private long resumeWindowMs;
    private long hostlessRoomMs;
    private long jwtLeewayMs;
    private long jwtMaxLifetimeMs;

    /** An empty context; give it settings, then {@link #conclude()}. */
    public EngineSettings()
    {
        super(SettingModule.ENGINE);
    }

    /**
     * Use these settings.
     *
     * @param settings validated settings.
     * @return this context.
     */
    public EngineSettings settings(final SwitchboardSettings settings)
    {
        use(settings);
        return this;
    }

    /**
     * Convert every duration once; reading is allowed from now on.
     *
     * @return this context.
     */
    public EngineSettings conclude()
    {
        concludeValues();
        tickNs = nanos(SettingsTable.TICK_MILLIS);
        resumeWindowMs = millis(SettingsTable.RESUME_WINDOW_SECONDS);
        hostlessRoomMs = millis(SettingsTable.HOSTLESS_ROOM_SECONDS);
        jwtLeewayMs = millis(SettingsTable.JWT_LEEWAY_SECONDS);
        jwtMaxLifetimeMs = millis(SettingsTable.JWT_MAX_LIFETIME_SECONDS);
        return this;
    }

    /** {@return the coalescing tick, {@code tickMillis}, in nanoseconds} */
    public long tickNs()
    {
        return tickNs;
    }

    /** {@return how long an away session stays resumable, {@code resumeWindowSeconds}, in milliseconds} */
    public long resumeWindowMs()
    {
        return resumeWindowMs;
    }

    /** {@return how long a room may have no host, {@code hostlessRoomSeconds}, in milliseconds} */
    public long hostlessRoomMs()
    {
        return hostlessRoomMs;
    }

    /** {@return the clock skew allowed on exp and nbf, {@code jwtLeewaySeconds}, in milliseconds} */
    public long jwtLeewayMs()
    {
        return jwtLeewayMs;
    }

    /** {@return the longest token lifetime, {@code jwtMaxLifetimeSeconds}, in milliseconds; 0 means no limit} */
    public long jwtMaxLifetimeMs()
    {
        return jwtMaxLifetimeMs;
    }
}
