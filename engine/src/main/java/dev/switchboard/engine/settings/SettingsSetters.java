package dev.switchboard.engine.settings;

/**
 * The typed setters of {@link SwitchboardSettings.Builder}, one line each over the {@link SettingsTable}.
 * <p>
 * A setting needs a setter here only when code sets it by name; the loader sets every setting through
 * the untyped {@code set} methods.
 */
public abstract class SettingsSetters
{
    SettingsSetters()
    {
    }

    /**
     * Set a whole-number setting.
     *
     * @param setting a setting of kind {@link Setting.Kind#INT}.
     * @param value   the value, checked by {@code build()}.
     * @return this builder.
     */
    public abstract SwitchboardSettings.Builder set(Setting setting, int value);

    /**
     * Set a true-or-false setting.
     *
     * @param setting a setting of kind {@link Setting.Kind#BOOLEAN}.
     * @param value   the value.
     * @return this builder.
     */
    public abstract SwitchboardSettings.Builder set(Setting setting, boolean value);

    /**
     * Set a text setting.
     *
     * @param setting a setting of kind {@link Setting.Kind#TEXT}.
     * @param value   the value or null for none, checked by {@code build()}.
     * @return this builder.
     */
    public abstract SwitchboardSettings.Builder set(Setting setting, String value);

    /** {@return this builder, with {@code port} set to the given value} */
    public final SwitchboardSettings.Builder port(final int value)
    {
        return set(SettingsTable.PORT, value);
    }

    /** {@return this builder, with {@code bindAddress} set to the given value} */
    public final SwitchboardSettings.Builder bindAddress(final String value)
    {
        return set(SettingsTable.BIND_ADDRESS, value);
    }

    /** {@return this builder, with {@code ioThreads} set to the given value} */
    public final SwitchboardSettings.Builder ioThreads(final int value)
    {
        return set(SettingsTable.IO_THREADS, value);
    }

    /** {@return this builder, with {@code engineThreads} set to the given value} */
    public final SwitchboardSettings.Builder engineThreads(final int value)
    {
        return set(SettingsTable.ENGINE_THREADS, value);
    }

    /** {@return this builder, with {@code maxPayloadBytes} set to the given value} */
    public final SwitchboardSettings.Builder maxPayloadBytes(final int value)
    {
        return set(SettingsTable.MAX_PAYLOAD_BYTES, value);
    }

    /** {@return this builder, with {@code hardFrameLimitBytes} set to the given value} */
    public final SwitchboardSettings.Builder hardFrameLimitBytes(final int value)
    {
        return set(SettingsTable.HARD_FRAME_LIMIT_BYTES, value);
    }

    /** {@return this builder, with {@code pingIntervalSeconds} set to the given value} */
    public final SwitchboardSettings.Builder pingIntervalSeconds(final int value)
    {
        return set(SettingsTable.PING_INTERVAL_SECONDS, value);
    }

    /** {@return this builder, with {@code idleTimeoutSeconds} set to the given value} */
    public final SwitchboardSettings.Builder idleTimeoutSeconds(final int value)
    {
        return set(SettingsTable.IDLE_TIMEOUT_SECONDS, value);
    }

    /** {@return this builder, with {@code httpHeadTimeoutSeconds} set to the given value} */
    public final SwitchboardSettings.Builder httpHeadTimeoutSeconds(final int value)
    {
        return set(SettingsTable.HTTP_HEAD_TIMEOUT_SECONDS, value);
    }

    /** {@return this builder, with {@code maxPipelinedRequests} set to the given value} */
    public final SwitchboardSettings.Builder maxPipelinedRequests(final int value)
    {
        return set(SettingsTable.MAX_PIPELINED_REQUESTS, value);
    }

    /** {@return this builder, with {@code messageDeadlineSeconds} set to the given value} */
    public final SwitchboardSettings.Builder messageDeadlineSeconds(final int value)
    {
        return set(SettingsTable.MESSAGE_DEADLINE_SECONDS, value);
    }

    /** {@return this builder, with {@code maxFragmentsPerMessage} set to the given value} */
    public final SwitchboardSettings.Builder maxFragmentsPerMessage(final int value)
    {
        return set(SettingsTable.MAX_FRAGMENTS_PER_MESSAGE, value);
    }

    /** {@return this builder, with {@code maxConnectionsPerAddress} set to the given value} */
    public final SwitchboardSettings.Builder maxConnectionsPerAddress(final int value)
    {
        return set(SettingsTable.MAX_CONNECTIONS_PER_ADDRESS, value);
    }

    /** {@return this builder, with {@code upgradesPerAddressPerSecond} set to the given value} */
    public final SwitchboardSettings.Builder upgradesPerAddressPerSecond(final int value)
    {
        return set(SettingsTable.UPGRADES_PER_ADDRESS_PER_SECOND, value);
    }

    /** {@return this builder, with {@code joinsPerAddressPerSecond} set to the given value} */
    public final SwitchboardSettings.Builder joinsPerAddressPerSecond(final int value)
    {
        return set(SettingsTable.JOINS_PER_ADDRESS_PER_SECOND, value);
    }

    /** {@return this builder, with {@code trustedProxies} set to the given value} */
    public final SwitchboardSettings.Builder trustedProxies(final String value)
    {
        return set(SettingsTable.TRUSTED_PROXIES, value);
    }

    /** {@return this builder, with {@code dedupeWindow} set to the given value} */
    public final SwitchboardSettings.Builder dedupeWindow(final int value)
    {
        return set(SettingsTable.DEDUPE_WINDOW, value);
    }

    /** {@return this builder, with {@code replayWindow} set to the given value} */
    public final SwitchboardSettings.Builder replayWindow(final int value)
    {
        return set(SettingsTable.REPLAY_WINDOW, value);
    }

    /** {@return this builder, with {@code replayWindowBytes} set to the given value} */
    public final SwitchboardSettings.Builder replayWindowBytes(final int value)
    {
        return set(SettingsTable.REPLAY_WINDOW_BYTES, value);
    }

    /** {@return this builder, with {@code roomReplayWindowBytes} set to the given value} */
    public final SwitchboardSettings.Builder roomReplayWindowBytes(final int value)
    {
        return set(SettingsTable.ROOM_REPLAY_WINDOW_BYTES, value);
    }

    /** {@return this builder, with {@code framePoolRetainedBytes} set to the given value} */
    public final SwitchboardSettings.Builder framePoolRetainedBytes(final int value)
    {
        return set(SettingsTable.FRAME_POOL_RETAINED_BYTES, value);
    }

    /** {@return this builder, with {@code tickMillis} set to the given value} */
    public final SwitchboardSettings.Builder tickMillis(final int value)
    {
        return set(SettingsTable.TICK_MILLIS, value);
    }

    /** {@return this builder, with {@code fanoutSlice} set to the given value} */
    public final SwitchboardSettings.Builder fanoutSlice(final int value)
    {
        return set(SettingsTable.FANOUT_SLICE, value);
    }

    /** {@return this builder, with {@code maxQueue} set to the given value} */
    public final SwitchboardSettings.Builder maxQueue(final int value)
    {
        return set(SettingsTable.MAX_QUEUE, value);
    }

    /** {@return this builder, with {@code highWatermarkBytes} set to the given value} */
    public final SwitchboardSettings.Builder highWatermarkBytes(final int value)
    {
        return set(SettingsTable.HIGH_WATERMARK_BYTES, value);
    }

    /** {@return this builder, with {@code lowWatermarkBytes} set to the given value} */
    public final SwitchboardSettings.Builder lowWatermarkBytes(final int value)
    {
        return set(SettingsTable.LOW_WATERMARK_BYTES, value);
    }

    /** {@return this builder, with {@code slowConsumerBytes} set to the given value} */
    public final SwitchboardSettings.Builder slowConsumerBytes(final int value)
    {
        return set(SettingsTable.SLOW_CONSUMER_BYTES, value);
    }

    /** {@return this builder, with {@code iceRate} set to the given value} */
    public final SwitchboardSettings.Builder iceRate(final int value)
    {
        return set(SettingsTable.ICE_RATE, value);
    }

    /** {@return this builder, with {@code iceBurst} set to the given value} */
    public final SwitchboardSettings.Builder iceBurst(final int value)
    {
        return set(SettingsTable.ICE_BURST, value);
    }

    /** {@return this builder, with {@code gameEventRate} set to the given value} */
    public final SwitchboardSettings.Builder gameEventRate(final int value)
    {
        return set(SettingsTable.GAME_EVENT_RATE, value);
    }

    /** {@return this builder, with {@code gameEventBurst} set to the given value} */
    public final SwitchboardSettings.Builder gameEventBurst(final int value)
    {
        return set(SettingsTable.GAME_EVENT_BURST, value);
    }

    /** {@return this builder, with {@code gameStateRate} set to the given value} */
    public final SwitchboardSettings.Builder gameStateRate(final int value)
    {
        return set(SettingsTable.GAME_STATE_RATE, value);
    }

    /** {@return this builder, with {@code gameStateBurst} set to the given value} */
    public final SwitchboardSettings.Builder gameStateBurst(final int value)
    {
        return set(SettingsTable.GAME_STATE_BURST, value);
    }

    /** {@return this builder, with {@code messageRate} set to the given value} */
    public final SwitchboardSettings.Builder messageRate(final int value)
    {
        return set(SettingsTable.MESSAGE_RATE, value);
    }

    /** {@return this builder, with {@code messageBurst} set to the given value} */
    public final SwitchboardSettings.Builder messageBurst(final int value)
    {
        return set(SettingsTable.MESSAGE_BURST, value);
    }

    /** {@return this builder, with {@code resumeWindowSeconds} set to the given value} */
    public final SwitchboardSettings.Builder resumeWindowSeconds(final int value)
    {
        return set(SettingsTable.RESUME_WINDOW_SECONDS, value);
    }

    /** {@return this builder, with {@code hostlessRoomSeconds} set to the given value} */
    public final SwitchboardSettings.Builder hostlessRoomSeconds(final int value)
    {
        return set(SettingsTable.HOSTLESS_ROOM_SECONDS, value);
    }

    /** {@return this builder, with {@code drainSeconds} set to the given value} */
    public final SwitchboardSettings.Builder drainSeconds(final int value)
    {
        return set(SettingsTable.DRAIN_SECONDS, value);
    }

    /** {@return this builder, with {@code drainSpreadMillis} set to the given value} */
    public final SwitchboardSettings.Builder drainSpreadMillis(final int value)
    {
        return set(SettingsTable.DRAIN_SPREAD_MILLIS, value);
    }

    /** {@return this builder, with {@code jwtSecret} set to the given value} */
    public final SwitchboardSettings.Builder jwtSecret(final String value)
    {
        return set(SettingsTable.JWT_SECRET, value);
    }

    /** {@return this builder, with {@code jwtMaxLifetimeSeconds} set to the given value} */
    public final SwitchboardSettings.Builder jwtMaxLifetimeSeconds(final int value)
    {
        return set(SettingsTable.JWT_MAX_LIFETIME_SECONDS, value);
    }

    /** {@return this builder, with {@code jwtLeewaySeconds} set to the given value} */
    public final SwitchboardSettings.Builder jwtLeewaySeconds(final int value)
    {
        return set(SettingsTable.JWT_LEEWAY_SECONDS, value);
    }

    /** {@return this builder, with {@code jwtIssuer} set to the given value} */
    public final SwitchboardSettings.Builder jwtIssuer(final String value)
    {
        return set(SettingsTable.JWT_ISSUER, value);
    }

    /** {@return this builder, with {@code jwtAudience} set to the given value} */
    public final SwitchboardSettings.Builder jwtAudience(final String value)
    {
        return set(SettingsTable.JWT_AUDIENCE, value);
    }

    /** {@return this builder, with {@code requireAuth} set to the given value} */
    public final SwitchboardSettings.Builder requireAuth(final boolean value)
    {
        return set(SettingsTable.REQUIRE_AUTH, value);
    }

    /** {@return this builder, with {@code adminPort} set to the given value} */
    public final SwitchboardSettings.Builder adminPort(final int value)
    {
        return set(SettingsTable.ADMIN_PORT, value);
    }

    /** {@return this builder, with {@code adminBindAddress} set to the given value} */
    public final SwitchboardSettings.Builder adminBindAddress(final String value)
    {
        return set(SettingsTable.ADMIN_BIND_ADDRESS, value);
    }

    /** {@return this builder, with {@code adminToken} set to the given value} */
    public final SwitchboardSettings.Builder adminToken(final String value)
    {
        return set(SettingsTable.ADMIN_TOKEN, value);
    }

    /** {@return this builder, with {@code publicHarness} set to the given value} */
    public final SwitchboardSettings.Builder publicHarness(final boolean value)
    {
        return set(SettingsTable.PUBLIC_HARNESS, value);
    }

    /** {@return this builder, with {@code webhookUrl} set to the given value} */
    public final SwitchboardSettings.Builder webhookUrl(final String value)
    {
        return set(SettingsTable.WEBHOOK_URL, value);
    }

    /** {@return this builder, with {@code webhookSecret} set to the given value} */
    public final SwitchboardSettings.Builder webhookSecret(final String value)
    {
        return set(SettingsTable.WEBHOOK_SECRET, value);
    }

    /** {@return this builder, with {@code webhookQueueSize} set to the given value} */
    public final SwitchboardSettings.Builder webhookQueueSize(final int value)
    {
        return set(SettingsTable.WEBHOOK_QUEUE_SIZE, value);
    }

    /** {@return this builder, with {@code webhookMaxAttempts} set to the given value} */
    public final SwitchboardSettings.Builder webhookMaxAttempts(final int value)
    {
        return set(SettingsTable.WEBHOOK_MAX_ATTEMPTS, value);
    }

    /** {@return this builder, with {@code webhookTimeoutMillis} set to the given value} */
    public final SwitchboardSettings.Builder webhookTimeoutMillis(final int value)
    {
        return set(SettingsTable.WEBHOOK_TIMEOUT_MILLIS, value);
    }

    /** {@return this builder, with {@code iceServers} set to the given value} */
    public final SwitchboardSettings.Builder iceServers(final String value)
    {
        return set(SettingsTable.ICE_SERVERS, value);
    }

    /** {@return this builder, with {@code turnSecret} set to the given value} */
    public final SwitchboardSettings.Builder turnSecret(final String value)
    {
        return set(SettingsTable.TURN_SECRET, value);
    }

    /** {@return this builder, with {@code turnTtlSeconds} set to the given value} */
    public final SwitchboardSettings.Builder turnTtlSeconds(final int value)
    {
        return set(SettingsTable.TURN_TTL_SECONDS, value);
    }

    /** {@return this builder, with {@code allowedOrigins} set to the given value} */
    public final SwitchboardSettings.Builder allowedOrigins(final String value)
    {
        return set(SettingsTable.ALLOWED_ORIGINS, value);
    }

    /** {@return this builder, with {@code maxGameStateBytes} set to the given value} */
    public final SwitchboardSettings.Builder maxGameStateBytes(final int value)
    {
        return set(SettingsTable.MAX_GAME_STATE_BYTES, value);
    }

    /** {@return this builder, with {@code maxGameStateEntries} set to the given value} */
    public final SwitchboardSettings.Builder maxGameStateEntries(final int value)
    {
        return set(SettingsTable.MAX_GAME_STATE_ENTRIES, value);
    }

    /** {@return this builder, with {@code maxPatchEntries} set to the given value} */
    public final SwitchboardSettings.Builder maxPatchEntries(final int value)
    {
        return set(SettingsTable.MAX_PATCH_ENTRIES, value);
    }

    /** {@return this builder, with {@code gameStateEntryRate} set to the given value} */
    public final SwitchboardSettings.Builder gameStateEntryRate(final int value)
    {
        return set(SettingsTable.GAME_STATE_ENTRY_RATE, value);
    }

    /** {@return this builder, with {@code gameStateEntryBurst} set to the given value} */
    public final SwitchboardSettings.Builder gameStateEntryBurst(final int value)
    {
        return set(SettingsTable.GAME_STATE_ENTRY_BURST, value);
    }

    /** {@return this builder, with {@code ringSize} set to the given value} */
    public final SwitchboardSettings.Builder ringSize(final int value)
    {
        return set(SettingsTable.RING_SIZE, value);
    }

    /** {@return this builder, with {@code maxConnections} set to the given value} */
    public final SwitchboardSettings.Builder maxConnections(final int value)
    {
        return set(SettingsTable.MAX_CONNECTIONS, value);
    }

    /** {@return this builder, with {@code waitStrategy} set to the given value} */
    public final SwitchboardSettings.Builder waitStrategy(final String value)
    {
        return set(SettingsTable.WAIT_STRATEGY, value);
    }

    /** {@return this builder, with {@code threadingMode} set to the given value} */
    public final SwitchboardSettings.Builder threadingMode(final String value)
    {
        return set(SettingsTable.THREADING_MODE, value);
    }

    /** {@return this builder, with {@code engineCpus} set to the given value} */
    public final SwitchboardSettings.Builder engineCpus(final String value)
    {
        return set(SettingsTable.ENGINE_CPUS, value);
    }

    /** {@return this builder, with {@code ioCpus} set to the given value} */
    public final SwitchboardSettings.Builder ioCpus(final String value)
    {
        return set(SettingsTable.IO_CPUS, value);
    }

    /** {@return this builder, with {@code redisUrl} set to the given value} */
    public final SwitchboardSettings.Builder redisUrl(final String value)
    {
        return set(SettingsTable.REDIS_URL, value);
    }

    /** {@return this builder, with {@code nodeId} set to the given value} */
    public final SwitchboardSettings.Builder nodeId(final String value)
    {
        return set(SettingsTable.NODE_ID, value);
    }

    /** {@return this builder, with {@code leaseTtlMillis} set to the given value} */
    public final SwitchboardSettings.Builder leaseTtlMillis(final int value)
    {
        return set(SettingsTable.LEASE_TTL_MILLIS, value);
    }

    /** {@return this builder, with {@code snapshotIntervalMillis} set to the given value} */
    public final SwitchboardSettings.Builder snapshotIntervalMillis(final int value)
    {
        return set(SettingsTable.SNAPSHOT_INTERVAL_MILLIS, value);
    }

    /** {@return this builder, with {@code redisTimeoutMillis} set to the given value} */
    public final SwitchboardSettings.Builder redisTimeoutMillis(final int value)
    {
        return set(SettingsTable.REDIS_TIMEOUT_MILLIS, value);
    }

    /** {@return this builder, with {@code clusterSecret} set to the given value} */
    public final SwitchboardSettings.Builder clusterSecret(final String value)
    {
        return set(SettingsTable.CLUSTER_SECRET, value);
    }
}
