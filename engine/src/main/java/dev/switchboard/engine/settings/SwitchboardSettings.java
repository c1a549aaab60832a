package dev.switchboard.engine.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of protocol sections 12 and 13, immutable, stored by the {@link SettingsTable} that declares them.
 * <p>
 * Built through {@link Builder}; {@link Builder#build()} validates each value once against its declaration and
 * names the bad setting in its exception. Tests build it directly; the server loads it from flags, environment
 * and file. The typed getters below are one-liners over the table; the per-module contexts
 * ({@link EngineSettings} and the net module's) carry the same values with units converted once.
 */
public final class SwitchboardSettings
{
    /** Fewest bytes of {@code jwtSecret}: an HS256 key shorter than the SHA-256 output is refused at start. */
    public static final int MIN_JWT_SECRET_BYTES = 32;
    /** Default of {@code port}. */
    public static final int DEFAULT_PORT = SettingsTable.PORT.intDefault();
    /** Default of {@code httpHeadTimeoutSeconds}. */
    public static final int DEFAULT_HTTP_HEAD_TIMEOUT_SECONDS = SettingsTable.HTTP_HEAD_TIMEOUT_SECONDS.intDefault();
    /** Default of {@code messageDeadlineSeconds}. */
    public static final int DEFAULT_MESSAGE_DEADLINE_SECONDS = SettingsTable.MESSAGE_DEADLINE_SECONDS.intDefault();
    /** Default of {@code maxConnectionsPerAddress}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = SettingsTable.MAX_CONNECTIONS_PER_ADDRESS.intDefault();
    /** Default of {@code upgradesPerAddressPerSecond}. */
    public static final int DEFAULT_UPGRADES_PER_ADDRESS_PER_SECOND =
        SettingsTable.UPGRADES_PER_ADDRESS_PER_SECOND.intDefault();
    /** Default of {@code joinsPerAddressPerSecond}. */
    public static final int DEFAULT_JOINS_PER_ADDRESS_PER_SECOND = SettingsTable.JOINS_PER_ADDRESS_PER_SECOND.intDefault();
    /** Default of {@code replayWindowBytes}. */
    public static final int DEFAULT_REPLAY_WINDOW_BYTES = SettingsTable.REPLAY_WINDOW_BYTES.intDefault();
    /** Default of {@code roomReplayWindowBytes}. */
    public static final int DEFAULT_ROOM_REPLAY_WINDOW_BYTES = SettingsTable.ROOM_REPLAY_WINDOW_BYTES.intDefault();
    /** Default of {@code framePoolRetainedBytes}. */
    public static final int DEFAULT_FRAME_POOL_RETAINED_BYTES = SettingsTable.FRAME_POOL_RETAINED_BYTES.intDefault();
    /** Default of {@code maxPatchEntries}. */
    public static final int DEFAULT_MAX_PATCH_ENTRIES = SettingsTable.MAX_PATCH_ENTRIES.intDefault();
    /** Default of {@code gameStateEntryRate}. */
    public static final int DEFAULT_GAME_STATE_ENTRY_RATE = SettingsTable.GAME_STATE_ENTRY_RATE.intDefault();
    /** Default of {@code gameStateEntryBurst}. */
    public static final int DEFAULT_GAME_STATE_ENTRY_BURST = SettingsTable.GAME_STATE_ENTRY_BURST.intDefault();

    private final int[] numbers;
    private final String[] texts;

    private SwitchboardSettings(final Builder b)
    {
        this.numbers = b.numbers.clone();
        this.texts = b.texts.clone();
    }

    /**
     * Settings with every default.
     *
     * @return the defaults.
     */
    public static SwitchboardSettings defaults()
    {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder starting from these settings.
     *
     * @return a new builder holding a copy of these values.
     */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        System.arraycopy(numbers, 0, b.numbers, 0, numbers.length);
        System.arraycopy(texts, 0, b.texts, 0, texts.length);
        return b;
    }

    /**
     * The value of a whole-number setting of the table.
     *
     * @param setting a setting of kind {@link Setting.Kind#INT}.
     * @return its value.
     */
    public int intValue(final Setting setting)
    {
        return numbers[setting.index()];
    }

    /**
     * The value of a true-or-false setting of the table.
     *
     * @param setting a setting of kind {@link Setting.Kind#BOOLEAN}.
     * @return its value.
     */
    public boolean booleanValue(final Setting setting)
    {
        return 0 != numbers[setting.index()];
    }

    /**
     * The value of a text setting of the table.
     *
     * @param setting a setting of kind {@link Setting.Kind#TEXT}.
     * @return its value, or null for none.
     */
    public String textValue(final Setting setting)
    {
        return texts[setting.index()];
    }

    /**
     * A setting's value as the start-up log prints it (secrets masked, {@code none} when unset).
     *
     * @param setting a setting of the table.
     * @return the printable value.
     */
    public String format(final Setting setting)
    {
        return Setting.Kind.TEXT == setting.kind() ? setting.format(texts[setting.index()]) :
            setting.format(numbers[setting.index()]);
    }

    /**
     * Every setting by name, in table order, for the start-up log line; secrets are masked.
     *
     * @return name to printable value.
     */
    public Map<String, String> describe()
    {
        final Map<String, String> m = new LinkedHashMap<>();
        for (final Setting setting : SettingsTable.all())
        {
            m.put(setting.name(), format(setting));
        }
        return m;
    }

    /**
     * The settings of one module by name, in table order, printed as {@link #describe()} prints them.
     *
     * @param module the module.
     * @return name to printable value, unmodifiable.
     */
    public Map<String, String> describe(final SettingModule module)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        for (final Setting setting : SettingsTable.all())
        {
            if (setting.module() == module)
            {
                m.put(setting.name(), format(setting));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Whether this node is part of a multi-node cluster, that is whether {@code redisUrl} is set.
     *
     * @return true in multi-node mode.
     */
    public boolean isClustered()
    {
        return null != redisUrl();
    }

    /**
     * The CPU for thread {@code index} from a CPU list setting, or -1 when the list is not set.
     *
     * @param cpus  the setting's value (may be null).
     * @param index the thread's index.
     * @return CPU id or -1.
     */
    public static int cpuFor(final String cpus, final int index)
    {
        if (null == cpus)
        {
            return -1;
        }
        return Integer.parseInt(cpus.split(",")[index].trim());
    }

    /** {@return setting {@code port}} */
    public int port()
    {
        return intValue(SettingsTable.PORT);
    }

    /** {@return setting {@code bindAddress}} */
    public String bindAddress()
    {
        return textValue(SettingsTable.BIND_ADDRESS);
    }

    /** {@return setting {@code ioThreads}} */
    public int ioThreads()
    {
        return intValue(SettingsTable.IO_THREADS);
    }

    /** {@return setting {@code engineThreads}} */
    public int engineThreads()
    {
        return intValue(SettingsTable.ENGINE_THREADS);
    }

    /** {@return setting {@code maxPayloadBytes}} */
    public int maxPayloadBytes()
    {
        return intValue(SettingsTable.MAX_PAYLOAD_BYTES);
    }

    /** {@return setting {@code hardFrameLimitBytes}} */
    public int hardFrameLimitBytes()
    {
        return intValue(SettingsTable.HARD_FRAME_LIMIT_BYTES);
    }

    /** {@return setting {@code pingIntervalSeconds}} */
    public int pingIntervalSeconds()
    {
        return intValue(SettingsTable.PING_INTERVAL_SECONDS);
    }

    /** {@return setting {@code idleTimeoutSeconds}} */
    public int idleTimeoutSeconds()
    {
        return intValue(SettingsTable.IDLE_TIMEOUT_SECONDS);
    }

    /** {@return setting {@code httpHeadTimeoutSeconds}} */
    public int httpHeadTimeoutSeconds()
    {
        return intValue(SettingsTable.HTTP_HEAD_TIMEOUT_SECONDS);
    }

    /** {@return setting {@code maxPipelinedRequests}} */
    public int maxPipelinedRequests()
    {
        return intValue(SettingsTable.MAX_PIPELINED_REQUESTS);
    }

    /** {@return setting {@code messageDeadlineSeconds}} */
    public int messageDeadlineSeconds()
    {
        return intValue(SettingsTable.MESSAGE_DEADLINE_SECONDS);
    }

    /** {@return setting {@code maxFragmentsPerMessage}} */
    public int maxFragmentsPerMessage()
    {
        return intValue(SettingsTable.MAX_FRAGMENTS_PER_MESSAGE);
    }

    /** {@return setting {@code maxConnectionsPerAddress}} */
    public int maxConnectionsPerAddress()
    {
        return intValue(SettingsTable.MAX_CONNECTIONS_PER_ADDRESS);
    }

    /** {@return setting {@code upgradesPerAddressPerSecond}} */
    public int upgradesPerAddressPerSecond()
    {
        return intValue(SettingsTable.UPGRADES_PER_ADDRESS_PER_SECOND);
    }

    /** {@return setting {@code joinsPerAddressPerSecond}} */
    public int joinsPerAddressPerSecond()
    {
        return intValue(SettingsTable.JOINS_PER_ADDRESS_PER_SECOND);
    }

    /** {@return setting {@code trustedProxies}} */
    public String trustedProxies()
    {
        return textValue(SettingsTable.TRUSTED_PROXIES);
    }

    /** {@return setting {@code dedupeWindow}} */
    public int dedupeWindow()
    {
        return intValue(SettingsTable.DEDUPE_WINDOW);
    }

    /** {@return setting {@code replayWindow}} */
    public int replayWindow()
    {
        return intValue(SettingsTable.REPLAY_WINDOW);
    }

    /** {@return setting {@code replayWindowBytes}} */
    public int replayWindowBytes()
    {
        return intValue(SettingsTable.REPLAY_WINDOW_BYTES);
    }

    /** {@return setting {@code roomReplayWindowBytes}} */
    public int roomReplayWindowBytes()
    {
        return intValue(SettingsTable.ROOM_REPLAY_WINDOW_BYTES);
    }

    /** {@return setting {@code framePoolRetainedBytes}} */
    public int framePoolRetainedBytes()
    {
        return intValue(SettingsTable.FRAME_POOL_RETAINED_BYTES);
    }

    /** {@return setting {@code tickMillis}} */
    public int tickMillis()
    {
        return intValue(SettingsTable.TICK_MILLIS);
    }

    /** {@return setting {@code fanoutSlice}} */
    public int fanoutSlice()
    {
        return intValue(SettingsTable.FANOUT_SLICE);
    }

    /** {@return setting {@code maxQueue}} */
    public int maxQueue()
    {
        return intValue(SettingsTable.MAX_QUEUE);
    }

    /** {@return setting {@code highWatermarkBytes}} */
    public int highWatermarkBytes()
    {
        return intValue(SettingsTable.HIGH_WATERMARK_BYTES);
    }

    /** {@return setting {@code lowWatermarkBytes}} */
    public int lowWatermarkBytes()
    {
        return intValue(SettingsTable.LOW_WATERMARK_BYTES);
    }

    /** {@return setting {@code slowConsumerBytes}} */
    public int slowConsumerBytes()
    {
        return intValue(SettingsTable.SLOW_CONSUMER_BYTES);
    }

    /** {@return setting {@code iceRate}} */
    public int iceRate()
    {
        return intValue(SettingsTable.ICE_RATE);
    }

    /** {@return setting {@code iceBurst}} */
    public int iceBurst()
    {
        return intValue(SettingsTable.ICE_BURST);
    }

    /** {@return setting {@code gameEventRate}} */
    public int gameEventRate()
    {
        return intValue(SettingsTable.GAME_EVENT_RATE);
    }

    /** {@return setting {@code gameEventBurst}} */
    public int gameEventBurst()
    {
        return intValue(SettingsTable.GAME_EVENT_BURST);
    }

    /** {@return setting {@code gameStateRate}} */
    public int gameStateRate()
    {
        return intValue(SettingsTable.GAME_STATE_RATE);
    }

    /** {@return setting {@code gameStateBurst}} */
    public int gameStateBurst()
    {
        return intValue(SettingsTable.GAME_STATE_BURST);
    }

    /** {@return setting {@code messageRate}} */
    public int messageRate()
    {
        return intValue(SettingsTable.MESSAGE_RATE);
    }

    /** {@return setting {@code messageBurst}} */
    public int messageBurst()
    {
        return intValue(SettingsTable.MESSAGE_BURST);
    }

    /** {@return setting {@code resumeWindowSeconds}} */
    public int resumeWindowSeconds()
    {
        return intValue(SettingsTable.RESUME_WINDOW_SECONDS);
    }

    /** {@return setting {@code hostlessRoomSeconds}} */
    public int hostlessRoomSeconds()
    {
        return intValue(SettingsTable.HOSTLESS_ROOM_SECONDS);
    }

    /** {@return setting {@code drainSeconds}} */
    public int drainSeconds()
    {
        return intValue(SettingsTable.DRAIN_SECONDS);
    }

    /** {@return setting {@code drainSpreadMillis}} */
    public int drainSpreadMillis()
    {
        return intValue(SettingsTable.DRAIN_SPREAD_MILLIS);
    }

    /** {@return setting {@code jwtSecret}} */
    public String jwtSecret()
    {
        return textValue(SettingsTable.JWT_SECRET);
    }

    /** {@return setting {@code jwtMaxLifetimeSeconds}} */
    public int jwtMaxLifetimeSeconds()
    {
        return intValue(SettingsTable.JWT_MAX_LIFETIME_SECONDS);
    }

    /** {@return setting {@code jwtLeewaySeconds}} */
    public int jwtLeewaySeconds()
    {
        return intValue(SettingsTable.JWT_LEEWAY_SECONDS);
    }

    /** {@return setting {@code jwtIssuer}} */
    public String jwtIssuer()
    {
        return textValue(SettingsTable.JWT_ISSUER);
    }

    /** {@return setting {@code jwtAudience}} */
    public String jwtAudience()
    {
        return textValue(SettingsTable.JWT_AUDIENCE);
    }

    /** {@return setting {@code requireAuth}} */
    public boolean requireAuth()
    {
        return booleanValue(SettingsTable.REQUIRE_AUTH);
    }

    /** {@return setting {@code adminPort}} */
    public int adminPort()
    {
        return intValue(SettingsTable.ADMIN_PORT);
    }

    /** {@return setting {@code adminBindAddress}} */
    public String adminBindAddress()
    {
        return textValue(SettingsTable.ADMIN_BIND_ADDRESS);
    }

    /** {@return setting {@code adminToken}} */
    public String adminToken()
    {
        return textValue(SettingsTable.ADMIN_TOKEN);
    }

    /** {@return setting {@code publicHarness}} */
    public boolean publicHarness()
    {
        return booleanValue(SettingsTable.PUBLIC_HARNESS);
    }

    /** {@return setting {@code webhookUrl}} */
    public String webhookUrl()
    {
        return textValue(SettingsTable.WEBHOOK_URL);
    }

    /** {@return setting {@code webhookSecret}} */
    public String webhookSecret()
    {
        return textValue(SettingsTable.WEBHOOK_SECRET);
    }

    /** {@return setting {@code webhookQueueSize}} */
    public int webhookQueueSize()
    {
        return intValue(SettingsTable.WEBHOOK_QUEUE_SIZE);
    }

    /** {@return setting {@code webhookMaxAttempts}} */
    public int webhookMaxAttempts()
    {
        return intValue(SettingsTable.WEBHOOK_MAX_ATTEMPTS);
    }

    /** {@return setting {@code webhookTimeoutMillis}} */
    public int webhookTimeoutMillis()
    {
        return intValue(SettingsTable.WEBHOOK_TIMEOUT_MILLIS);
    }

    /** {@return setting {@code iceServers}} */
    public String iceServers()
    {
        return textValue(SettingsTable.ICE_SERVERS);
    }

    /** {@return setting {@code turnSecret}} */
    public String turnSecret()
    {
        return textValue(SettingsTable.TURN_SECRET);
    }

    /** {@return setting {@code turnTtlSeconds}} */
    public int turnTtlSeconds()
    {
        return intValue(SettingsTable.TURN_TTL_SECONDS);
    }

    /** {@return setting {@code allowedOrigins}} */
    public String allowedOrigins()
    {
        return textValue(SettingsTable.ALLOWED_ORIGINS);
    }

    /** {@return setting {@code maxGameStateBytes}} */
    public int maxGameStateBytes()
    {
        return intValue(SettingsTable.MAX_GAME_STATE_BYTES);
    }

    /** {@return setting {@code maxGameStateEntries}} */
    public int maxGameStateEntries()
    {
        return intValue(SettingsTable.MAX_GAME_STATE_ENTRIES);
    }

    /** {@return setting {@code maxPatchEntries}} */
    public int maxPatchEntries()
    {
        return intValue(SettingsTable.MAX_PATCH_ENTRIES);
    }

    /** {@return setting {@code gameStateEntryRate}} */
    public int gameStateEntryRate()
    {
        return intValue(SettingsTable.GAME_STATE_ENTRY_RATE);
    }

    /** {@return setting {@code gameStateEntryBurst}} */
    public int gameStateEntryBurst()
    {
        return intValue(SettingsTable.GAME_STATE_ENTRY_BURST);
    }

    /** {@return setting {@code ringSize}} */
    public int ringSize()
    {
        return intValue(SettingsTable.RING_SIZE);
    }

    /** {@return setting {@code maxConnections}} */
    public int maxConnections()
    {
        return intValue(SettingsTable.MAX_CONNECTIONS);
    }

    /** {@return setting {@code waitStrategy}} */
    public String waitStrategy()
    {
        return textValue(SettingsTable.WAIT_STRATEGY);
    }

    /** {@return setting {@code threadingMode}} */
    public String threadingMode()
    {
        return textValue(SettingsTable.THREADING_MODE);
    }

    /** {@return setting {@code engineCpus}} */
    public String engineCpus()
    {
        return textValue(SettingsTable.ENGINE_CPUS);
    }

    /** {@return setting {@code ioCpus}} */
    public String ioCpus()
    {
        return textValue(SettingsTable.IO_CPUS);
    }

    /** {@return setting {@code redisUrl}} */
    public String redisUrl()
    {
        return textValue(SettingsTable.REDIS_URL);
    }

    /** {@return setting {@code nodeId}} */
    public String nodeId()
    {
        return textValue(SettingsTable.NODE_ID);
    }

    /** {@return setting {@code leaseTtlMillis}} */
    public int leaseTtlMillis()
    {
        return intValue(SettingsTable.LEASE_TTL_MILLIS);
    }

    /** {@return setting {@code snapshotIntervalMillis}} */
    public int snapshotIntervalMillis()
    {
        return intValue(SettingsTable.SNAPSHOT_INTERVAL_MILLIS);
    }

    /** {@return setting {@code redisTimeoutMillis}} */
    public int redisTimeoutMillis()
    {
        return intValue(SettingsTable.REDIS_TIMEOUT_MILLIS);
    }

    /** {@return setting {@code clusterSecret}} */
    public String clusterSecret()
    {
        return textValue(SettingsTable.CLUSTER_SECRET);
    }

    /** Mutable builder starting from the defaults; {@link #build()} validates. */
    public static final class Builder extends SettingsSetters
    {
        private final int[] numbers = new int[SettingsTable.all().size()];
        private final String[] texts = new String[SettingsTable.all().size()];

        private Builder()
        {
            for (final Setting setting : SettingsTable.all())
            {
                numbers[setting.index()] = setting.intDefault();
                texts[setting.index()] = setting.textDefault();
            }
        }

        @Override
        public Builder set(final Setting setting, final int value)
        {
            numbers[slot(setting, Setting.Kind.INT)] = value;
            return this;
        }

        @Override
        public Builder set(final Setting setting, final boolean value)
        {
            numbers[slot(setting, Setting.Kind.BOOLEAN)] = value ? 1 : 0;
            return this;
        }

        @Override
        public Builder set(final Setting setting, final String value)
        {
            texts[slot(setting, Setting.Kind.TEXT)] = value;
            return this;
        }

        /**
         * Validate every value against its declaration, then the rules between settings, and build.
         *
         * @return immutable settings.
         * @throws IllegalArgumentException naming the first bad setting.
         */
        public SwitchboardSettings build()
        {
            for (final Setting setting : SettingsTable.all())
            {
                final String refusal = Setting.Kind.TEXT == setting.kind() ? setting.refusal(texts[setting.index()]) :
                    Setting.Kind.INT == setting.kind() ? setting.refusal(numbers[setting.index()]) : null;
                if (null != refusal)
                {
                    throw new IllegalArgumentException(refusal);
                }
            }
            final SwitchboardSettings settings = new SwitchboardSettings(this);
            final String refusal = SettingsTable.crossRefusal(settings);
            if (null != refusal)
            {
                throw new IllegalArgumentException(refusal);
            }
            return settings;
        }

        private static int slot(final Setting setting, final Setting.Kind kind)
        {
            if (setting.kind() != kind || SettingsTable.named(setting.name()) != setting)
            {
                throw new IllegalArgumentException(setting.name() + " is not a " + kind + " setting of the table");
            }
            return setting.index();
        }
    }
}
