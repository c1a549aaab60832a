package dev.switchboard.engine;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of protocol section 12, immutable, with every default in one place.
 * <p>
 * Built through {@link Builder}; {@link Builder#build()} validates each value once and names the bad setting
 * in its exception. Tests build it directly; the server loads it from flags, environment and file.
 */
public final class SwitchboardSettings
{
    /** Default of {@code port}. */
    public static final int DEFAULT_PORT = 8080;
    /** Default of {@code bindAddress}. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** Default of {@code ioThreads}. */
    public static final int DEFAULT_IO_THREADS = 1;
    /** Default of {@code engineThreads}. */
    public static final int DEFAULT_ENGINE_THREADS = 1;
    /** Default of {@code maxPayloadBytes}. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 65536;
    /** Default of {@code hardFrameLimitBytes}. */
    public static final int DEFAULT_HARD_FRAME_LIMIT_BYTES = 1048576;
    /** Default of {@code pingIntervalSeconds}. */
    public static final int DEFAULT_PING_INTERVAL_SECONDS = 20;
    /** Default of {@code idleTimeoutSeconds}. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 45;
    /** Default of {@code httpHeadTimeoutSeconds}. */
    public static final int DEFAULT_HTTP_HEAD_TIMEOUT_SECONDS = 10;
    /** Default of {@code maxPipelinedRequests}. */
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 16;
    /** Default of {@code messageDeadlineSeconds}. */
    public static final int DEFAULT_MESSAGE_DEADLINE_SECONDS = 10;
    /** Default of {@code maxFragmentsPerMessage}. */
    public static final int DEFAULT_MAX_FRAGMENTS_PER_MESSAGE = 1024;
    /** Default of {@code maxConnectionsPerAddress}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    /** Default of {@code upgradesPerAddressPerSecond}. */
    public static final int DEFAULT_UPGRADES_PER_ADDRESS_PER_SECOND = 100;
    /** Default of {@code joinsPerAddressPerSecond}. */
    public static final int DEFAULT_JOINS_PER_ADDRESS_PER_SECOND = 100;
    /** Default of {@code trustedProxies}: none. */
    public static final String DEFAULT_TRUSTED_PROXIES = null;
    /** Default of {@code dedupeWindow}. */
    public static final int DEFAULT_DEDUPE_WINDOW = 64;
    /** Default of {@code replayWindow}. */
    public static final int DEFAULT_REPLAY_WINDOW = 128;
    /** Default of {@code replayWindowBytes}. */
    public static final int DEFAULT_REPLAY_WINDOW_BYTES = 65536;
    /** Default of {@code roomReplayWindowBytes}. */
    public static final int DEFAULT_ROOM_REPLAY_WINDOW_BYTES = 1048576;
    /** Default of {@code framePoolRetainedBytes}. */
    public static final int DEFAULT_FRAME_POOL_RETAINED_BYTES = 8388608;
    /** Default of {@code tickMillis}. */
    public static final int DEFAULT_TICK_MILLIS = 16;
    /** Default of {@code fanoutSlice}. */
    public static final int DEFAULT_FANOUT_SLICE = 100;
    /** Default of {@code maxQueue}. */
    public static final int DEFAULT_MAX_QUEUE = 100;
    /** Default of {@code highWatermarkBytes}. */
    public static final int DEFAULT_HIGH_WATERMARK_BYTES = 1048576;
    /** Default of {@code lowWatermarkBytes}. */
    public static final int DEFAULT_LOW_WATERMARK_BYTES = 262144;
    /** Default of {@code slowConsumerBytes}. */
    public static final int DEFAULT_SLOW_CONSUMER_BYTES = 8388608;
    /** Default of {@code iceRate}. */
    public static final int DEFAULT_ICE_RATE = 50;
    /** Default of {@code iceBurst}. */
    public static final int DEFAULT_ICE_BURST = 100;
    /** Default of {@code gameEventRate}. */
    public static final int DEFAULT_GAME_EVENT_RATE = 5;
    /** Default of {@code gameEventBurst}. */
    public static final int DEFAULT_GAME_EVENT_BURST = 10;
    /** Default of {@code gameStateRate}. */
    public static final int DEFAULT_GAME_STATE_RATE = 60;
    /** Default of {@code gameStateBurst}. */
    public static final int DEFAULT_GAME_STATE_BURST = 120;
    /** Default of {@code messageRate}. */
    public static final int DEFAULT_MESSAGE_RATE = 200;
    /** Default of {@code messageBurst}. */
    public static final int DEFAULT_MESSAGE_BURST = 400;
    /** Default of {@code resumeWindowSeconds}. */
    public static final int DEFAULT_RESUME_WINDOW_SECONDS = 120;
    /** Default of {@code hostlessRoomSeconds}. */
    public static final int DEFAULT_HOSTLESS_ROOM_SECONDS = 120;
    /** Default of {@code drainSeconds}. */
    public static final int DEFAULT_DRAIN_SECONDS = 10;
    /** Default of {@code drainSpreadMillis}. */
    public static final int DEFAULT_DRAIN_SPREAD_MILLIS = 5000;
    /** Fewest bytes of {@code jwtSecret}: an HS256 key shorter than the SHA-256 output is refused at start. */
    public static final int MIN_JWT_SECRET_BYTES = 32;
    /** Default of {@code jwtSecret}. */
    public static final String DEFAULT_JWT_SECRET = null;
    /** Default of {@code jwtMaxLifetimeSeconds}. */
    public static final int DEFAULT_JWT_MAX_LIFETIME_SECONDS = 0;
    /** Default of {@code jwtLeewaySeconds}. */
    public static final int DEFAULT_JWT_LEEWAY_SECONDS = 30;
    /** Default of {@code jwtIssuer}. */
    public static final String DEFAULT_JWT_ISSUER = null;
    /** Default of {@code jwtAudience}. */
    public static final String DEFAULT_JWT_AUDIENCE = null;
    /** Default of {@code requireAuth}. */
    public static final boolean DEFAULT_REQUIRE_AUTH = false;
    /** Default of {@code adminPort}. */
    public static final int DEFAULT_ADMIN_PORT = -1;
    /** Default of {@code adminBindAddress}. */
    public static final String DEFAULT_ADMIN_BIND_ADDRESS = "127.0.0.1";
    /** Default of {@code adminToken}. */
    public static final String DEFAULT_ADMIN_TOKEN = null;
    /** Default of {@code publicHarness}. */
    public static final boolean DEFAULT_PUBLIC_HARNESS = true;
    /** Default of {@code webhookUrl}. */
    public static final String DEFAULT_WEBHOOK_URL = null;
    /** Default of {@code webhookSecret}. */
    public static final String DEFAULT_WEBHOOK_SECRET = null;
    /** Default of {@code webhookQueueSize}. */
    public static final int DEFAULT_WEBHOOK_QUEUE_SIZE = 4096;
    /** Default of {@code webhookMaxAttempts}. */
    public static final int DEFAULT_WEBHOOK_MAX_ATTEMPTS = 5;
    /** Default of {@code webhookTimeoutMillis}. */
    public static final int DEFAULT_WEBHOOK_TIMEOUT_MILLIS = 5000;
    /** Default of {@code iceServers}. */
    public static final String DEFAULT_ICE_SERVERS = null;
    /** Default of {@code turnSecret}. */
    public static final String DEFAULT_TURN_SECRET = null;
    /** Default of {@code turnTtlSeconds}. */
    public static final int DEFAULT_TURN_TTL_SECONDS = 3600;
    /** Default of {@code allowedOrigins}. */
    public static final String DEFAULT_ALLOWED_ORIGINS = null;
    /** Default of {@code maxGameStateBytes}. */
    public static final int DEFAULT_MAX_GAME_STATE_BYTES = 262144;
    /** Default of {@code maxGameStateEntries}. */
    public static final int DEFAULT_MAX_GAME_STATE_ENTRIES = 4096;
    /** Default of {@code maxPatchEntries}. */
    public static final int DEFAULT_MAX_PATCH_ENTRIES = 1024;
    /** Default of {@code gameStateEntryRate}. */
    public static final int DEFAULT_GAME_STATE_ENTRY_RATE = 8192;
    /** Default of {@code gameStateEntryBurst}. */
    public static final int DEFAULT_GAME_STATE_ENTRY_BURST = 16384;
    /** Default of {@code ringSize}. */
    public static final int DEFAULT_RING_SIZE = 16384;
    /** Default of {@code maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16384;
    /** Default of {@code waitStrategy}. */
    public static final String DEFAULT_WAIT_STRATEGY = "blocking";
    /** Default of {@code threadingMode}: one thread per node, which costs least CPU per delivery on 1-2 cores. */
    public static final String DEFAULT_THREADING_MODE = "shared";
    /** Default of {@code engineCpus}. */
    public static final String DEFAULT_ENGINE_CPUS = null;
    /** Default of {@code ioCpus}. */
    public static final String DEFAULT_IO_CPUS = null;
    /** Default of {@code redisUrl}: none, a single node with no outside service. */
    public static final String DEFAULT_REDIS_URL = null;
    /** Default of {@code nodeId}: none, a random id is made at start. */
    public static final String DEFAULT_NODE_ID = null;
    /** Default of {@code leaseTtlMillis}. */
    public static final int DEFAULT_LEASE_TTL_MILLIS = 5000;
    /** Default of {@code snapshotIntervalMillis}. */
    public static final int DEFAULT_SNAPSHOT_INTERVAL_MILLIS = 250;
    /** Default of {@code redisTimeoutMillis}. */
    public static final int DEFAULT_REDIS_TIMEOUT_MILLIS = 1000;
    /** Default of {@code clusterSecret}: none, batches and snapshots travel unsigned. */
    public static final String DEFAULT_CLUSTER_SECRET = null;

    private final int port;
    private final String bindAddress;
    private final int ioThreads;
    private final int engineThreads;
    private final int maxPayloadBytes;
    private final int hardFrameLimitBytes;
    private final int pingIntervalSeconds;
    private final int idleTimeoutSeconds;
    private final int httpHeadTimeoutSeconds;
    private final int maxPipelinedRequests;
    private final int messageDeadlineSeconds;
    private final int maxFragmentsPerMessage;
    private final int maxConnectionsPerAddress;
    private final int upgradesPerAddressPerSecond;
    private final int joinsPerAddressPerSecond;
    private final String trustedProxies;
    private final int dedupeWindow;
    private final int replayWindow;
    private final int replayWindowBytes;
    private final int roomReplayWindowBytes;
    private final int framePoolRetainedBytes;
    private final int tickMillis;
    private final int fanoutSlice;
    private final int maxQueue;
    private final int highWatermarkBytes;
    private final int lowWatermarkBytes;
    private final int slowConsumerBytes;
    private final int iceRate;
    private final int iceBurst;
    private final int gameEventRate;
    private final int gameEventBurst;
    private final int gameStateRate;
    private final int gameStateBurst;
    private final int messageRate;
    private final int messageBurst;
    private final int resumeWindowSeconds;
    private final int hostlessRoomSeconds;
    private final int drainSeconds;
    private final int drainSpreadMillis;
    private final String jwtSecret;
    private final int jwtMaxLifetimeSeconds;
    private final int jwtLeewaySeconds;
    private final String jwtIssuer;
    private final String jwtAudience;
    private final boolean requireAuth;
    private final int adminPort;
    private final String adminBindAddress;
    private final String adminToken;
    private final boolean publicHarness;
    private final String webhookUrl;
    private final String webhookSecret;
    private final int webhookQueueSize;
    private final int webhookMaxAttempts;
    private final int webhookTimeoutMillis;
    private final String iceServers;
    private final String turnSecret;
    private final int turnTtlSeconds;
    private final String allowedOrigins;
    private final int maxGameStateBytes;
    private final int maxGameStateEntries;
    private final int maxPatchEntries;
    private final int gameStateEntryRate;
    private final int gameStateEntryBurst;
    private final int ringSize;
    private final int maxConnections;
    private final String waitStrategy;
    private final String threadingMode;
    private final String engineCpus;
    private final String ioCpus;
    private final String redisUrl;
    private final String nodeId;
    private final int leaseTtlMillis;
    private final int snapshotIntervalMillis;
    private final int redisTimeoutMillis;
    private final String clusterSecret;

    private SwitchboardSettings(final Builder b)
    {
        this.port = b.port;
        this.bindAddress = b.bindAddress;
        this.ioThreads = b.ioThreads;
        this.engineThreads = b.engineThreads;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.hardFrameLimitBytes = b.hardFrameLimitBytes;
        this.pingIntervalSeconds = b.pingIntervalSeconds;
        this.idleTimeoutSeconds = b.idleTimeoutSeconds;
        this.httpHeadTimeoutSeconds = b.httpHeadTimeoutSeconds;
        this.maxPipelinedRequests = b.maxPipelinedRequests;
        this.messageDeadlineSeconds = b.messageDeadlineSeconds;
        this.maxFragmentsPerMessage = b.maxFragmentsPerMessage;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.upgradesPerAddressPerSecond = b.upgradesPerAddressPerSecond;
        this.joinsPerAddressPerSecond = b.joinsPerAddressPerSecond;
        this.trustedProxies = b.trustedProxies;
        this.dedupeWindow = b.dedupeWindow;
        this.replayWindow = b.replayWindow;
        this.replayWindowBytes = b.replayWindowBytes;
        this.roomReplayWindowBytes = b.roomReplayWindowBytes;
        this.framePoolRetainedBytes = b.framePoolRetainedBytes;
        this.tickMillis = b.tickMillis;
        this.fanoutSlice = b.fanoutSlice;
        this.maxQueue = b.maxQueue;
        this.highWatermarkBytes = b.highWatermarkBytes;
        this.lowWatermarkBytes = b.lowWatermarkBytes;
        this.slowConsumerBytes = b.slowConsumerBytes;
        this.iceRate = b.iceRate;
        this.iceBurst = b.iceBurst;
        this.gameEventRate = b.gameEventRate;
        this.gameEventBurst = b.gameEventBurst;
        this.gameStateRate = b.gameStateRate;
        this.gameStateBurst = b.gameStateBurst;
        this.messageRate = b.messageRate;
        this.messageBurst = b.messageBurst;
        this.resumeWindowSeconds = b.resumeWindowSeconds;
        this.hostlessRoomSeconds = b.hostlessRoomSeconds;
        this.drainSeconds = b.drainSeconds;
        this.drainSpreadMillis = b.drainSpreadMillis;
        this.jwtSecret = b.jwtSecret;
        this.jwtMaxLifetimeSeconds = b.jwtMaxLifetimeSeconds;
        this.jwtLeewaySeconds = b.jwtLeewaySeconds;
        this.jwtIssuer = b.jwtIssuer;
        this.jwtAudience = b.jwtAudience;
        this.requireAuth = b.requireAuth;
        this.adminPort = b.adminPort;
        this.adminBindAddress = b.adminBindAddress;
        this.adminToken = b.adminToken;
        this.publicHarness = b.publicHarness;
        this.webhookUrl = b.webhookUrl;
        this.webhookSecret = b.webhookSecret;
        this.webhookQueueSize = b.webhookQueueSize;
        this.webhookMaxAttempts = b.webhookMaxAttempts;
        this.webhookTimeoutMillis = b.webhookTimeoutMillis;
        this.iceServers = b.iceServers;
        this.turnSecret = b.turnSecret;
        this.turnTtlSeconds = b.turnTtlSeconds;
        this.allowedOrigins = b.allowedOrigins;
        this.maxGameStateBytes = b.maxGameStateBytes;
        this.maxGameStateEntries = b.maxGameStateEntries;
        this.maxPatchEntries = b.maxPatchEntries;
        this.gameStateEntryRate = b.gameStateEntryRate;
        this.gameStateEntryBurst = b.gameStateEntryBurst;
        this.ringSize = b.ringSize;
        this.maxConnections = b.maxConnections;
        this.waitStrategy = b.waitStrategy;
        this.threadingMode = b.threadingMode;
        this.engineCpus = b.engineCpus;
        this.ioCpus = b.ioCpus;
        this.redisUrl = b.redisUrl;
        this.nodeId = b.nodeId;
        this.leaseTtlMillis = b.leaseTtlMillis;
        this.snapshotIntervalMillis = b.snapshotIntervalMillis;
        this.redisTimeoutMillis = b.redisTimeoutMillis;
        this.clusterSecret = b.clusterSecret;
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
        b.port = port;
        b.bindAddress = bindAddress;
        b.ioThreads = ioThreads;
        b.engineThreads = engineThreads;
        b.maxPayloadBytes = maxPayloadBytes;
        b.hardFrameLimitBytes = hardFrameLimitBytes;
        b.pingIntervalSeconds = pingIntervalSeconds;
        b.idleTimeoutSeconds = idleTimeoutSeconds;
        b.httpHeadTimeoutSeconds = httpHeadTimeoutSeconds;
        b.maxPipelinedRequests = maxPipelinedRequests;
        b.messageDeadlineSeconds = messageDeadlineSeconds;
        b.maxFragmentsPerMessage = maxFragmentsPerMessage;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.upgradesPerAddressPerSecond = upgradesPerAddressPerSecond;
        b.joinsPerAddressPerSecond = joinsPerAddressPerSecond;
        b.trustedProxies = trustedProxies;
        b.dedupeWindow = dedupeWindow;
        b.replayWindow = replayWindow;
        b.replayWindowBytes = replayWindowBytes;
        b.roomReplayWindowBytes = roomReplayWindowBytes;
        b.framePoolRetainedBytes = framePoolRetainedBytes;
        b.tickMillis = tickMillis;
        b.fanoutSlice = fanoutSlice;
        b.maxQueue = maxQueue;
        b.highWatermarkBytes = highWatermarkBytes;
        b.lowWatermarkBytes = lowWatermarkBytes;
        b.slowConsumerBytes = slowConsumerBytes;
        b.iceRate = iceRate;
        b.iceBurst = iceBurst;
        b.gameEventRate = gameEventRate;
        b.gameEventBurst = gameEventBurst;
        b.gameStateRate = gameStateRate;
        b.gameStateBurst = gameStateBurst;
        b.messageRate = messageRate;
        b.messageBurst = messageBurst;
        b.resumeWindowSeconds = resumeWindowSeconds;
        b.hostlessRoomSeconds = hostlessRoomSeconds;
        b.drainSeconds = drainSeconds;
        b.drainSpreadMillis = drainSpreadMillis;
        b.jwtSecret = jwtSecret;
        b.jwtMaxLifetimeSeconds = jwtMaxLifetimeSeconds;
        b.jwtLeewaySeconds = jwtLeewaySeconds;
        b.jwtIssuer = jwtIssuer;
        b.jwtAudience = jwtAudience;
        b.requireAuth = requireAuth;
        b.adminPort = adminPort;
        b.adminBindAddress = adminBindAddress;
        b.adminToken = adminToken;
        b.publicHarness = publicHarness;
        b.webhookUrl = webhookUrl;
        b.webhookSecret = webhookSecret;
        b.webhookQueueSize = webhookQueueSize;
        b.webhookMaxAttempts = webhookMaxAttempts;
        b.webhookTimeoutMillis = webhookTimeoutMillis;
        b.iceServers = iceServers;
        b.turnSecret = turnSecret;
        b.turnTtlSeconds = turnTtlSeconds;
        b.allowedOrigins = allowedOrigins;
        b.maxGameStateBytes = maxGameStateBytes;
        b.maxGameStateEntries = maxGameStateEntries;
        b.maxPatchEntries = maxPatchEntries;
        b.gameStateEntryRate = gameStateEntryRate;
        b.gameStateEntryBurst = gameStateEntryBurst;
        b.ringSize = ringSize;
        b.maxConnections = maxConnections;
        b.waitStrategy = waitStrategy;
        b.threadingMode = threadingMode;
        b.engineCpus = engineCpus;
        b.ioCpus = ioCpus;
        b.redisUrl = redisUrl;
        b.nodeId = nodeId;
        b.leaseTtlMillis = leaseTtlMillis;
        b.snapshotIntervalMillis = snapshotIntervalMillis;
        b.redisTimeoutMillis = redisTimeoutMillis;
        b.clusterSecret = clusterSecret;
        return b;
    }

    /**
     * TCP port to listen on.
     *
     * @return the value of {@code port}.
     */
    public int port()
    {
        return port;
    }

    /**
     * Address to bind.
     *
     * @return the value of {@code bindAddress}.
     */
    public String bindAddress()
    {
        return bindAddress;
    }

    /**
     * Number of IoAgent selector threads.
     *
     * @return the value of {@code ioThreads}.
     */
    public int ioThreads()
    {
        return ioThreads;
    }

    /**
     * Number of engine shards, each one thread.
     *
     * @return the value of {@code engineThreads}.
     */
    public int engineThreads()
    {
        return engineThreads;
    }

    /**
     * Largest message processed; bigger ones are discarded with payload_too_large.
     *
     * @return the value of {@code maxPayloadBytes}.
     */
    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /**
     * Frame length or reassembled message length that closes with 1009.
     *
     * @return the value of {@code hardFrameLimitBytes}.
     */
    public int hardFrameLimitBytes()
    {
        return hardFrameLimitBytes;
    }

    /**
     * Seconds between server pings.
     *
     * @return the value of {@code pingIntervalSeconds}.
     */
    public int pingIntervalSeconds()
    {
        return pingIntervalSeconds;
    }

    /**
     * Seconds without a client frame before close 4009.
     *
     * @return the value of {@code idleTimeoutSeconds}.
     */
    public int idleTimeoutSeconds()
    {
        return idleTimeoutSeconds;
    }

    /**
     * Seconds to finish an HTTP request head before the socket is dropped.
     *
     * @return the value of {@code httpHeadTimeoutSeconds}.
     */
    public int httpHeadTimeoutSeconds()
    {
        return httpHeadTimeoutSeconds;
    }

    /**
     * HTTP requests one connection may have in flight; reading pauses at the cap.
     *
     * @return the value of {@code maxPipelinedRequests}.
     */
    public int maxPipelinedRequests()
    {
        return maxPipelinedRequests;
    }

    /**
     * Seconds from a WebSocket message's first byte to its last; then 1008.
     *
     * @return the value of {@code messageDeadlineSeconds}.
     */
    public int messageDeadlineSeconds()
    {
        return messageDeadlineSeconds;
    }

    /**
     * Frames one fragmented WebSocket message may have; more close 1008.
     *
     * @return the value of {@code maxFragmentsPerMessage}.
     */
    public int maxFragmentsPerMessage()
    {
        return maxFragmentsPerMessage;
    }

    /**
     * Sockets one remote address may hold per IoAgent; more are refused.
     *
     * @return the value of {@code maxConnectionsPerAddress}.
     */
    public int maxConnectionsPerAddress()
    {
        return maxConnectionsPerAddress;
    }

    /**
     * Upgrades per remote address per second, burst twice that; then 429.
     *
     * @return the value of {@code upgradesPerAddressPerSecond}.
     */
    public int upgradesPerAddressPerSecond()
    {
        return upgradesPerAddressPerSecond;
    }

    /**
     * Joins and resumes per address per second, burst twice that.
     *
     * @return the value of {@code joinsPerAddressPerSecond}.
     */
    public int joinsPerAddressPerSecond()
    {
        return joinsPerAddressPerSecond;
    }

    /**
     * Comma-separated proxy addresses whose X-Forwarded-For is believed.
     *
     * @return the value of {@code trustedProxies}, or null.
     */
    public String trustedProxies()
    {
        return trustedProxies;
    }

    /**
     * MsgIds remembered per session for duplicate suppression.
     *
     * @return the value of {@code dedupeWindow}.
     */
    public int dedupeWindow()
    {
        return dedupeWindow;
    }

    /**
     * Directed and broadcast frames kept for resume replay.
     *
     * @return the value of {@code replayWindow}.
     */
    public int replayWindow()
    {
        return replayWindow;
    }

    /**
     * Encoded bytes of directed frames kept per session for resume replay.
     *
     * @return the value of {@code replayWindowBytes}.
     */
    public int replayWindowBytes()
    {
        return replayWindowBytes;
    }

    /**
     * Encoded bytes of broadcast frames kept per room for resume replay.
     *
     * @return the value of {@code roomReplayWindowBytes}.
     */
    public int roomReplayWindowBytes()
    {
        return roomReplayWindowBytes;
    }

    /**
     * Bytes of free frames each engine's frame pool keeps for reuse.
     *
     * @return the value of {@code framePoolRetainedBytes}.
     */
    public int framePoolRetainedBytes()
    {
        return framePoolRetainedBytes;
    }

    /**
     * Coalescing tick in milliseconds.
     *
     * @return the value of {@code tickMillis}.
     */
    public int tickMillis()
    {
        return tickMillis;
    }

    /**
     * Recipients served per broadcast slice before other rooms get a turn.
     *
     * @return the value of {@code fanoutSlice}.
     */
    public int fanoutSlice()
    {
        return fanoutSlice;
    }

    /**
     * Co-host request queue capacity.
     *
     * @return the value of {@code maxQueue}.
     */
    public int maxQueue()
    {
        return maxQueue;
    }

    /**
     * BufferedAmount that puts a socket into drop mode.
     *
     * @return the value of {@code highWatermarkBytes}.
     */
    public int highWatermarkBytes()
    {
        return highWatermarkBytes;
    }

    /**
     * BufferedAmount under which a socket leaves drop mode.
     *
     * @return the value of {@code lowWatermarkBytes}.
     */
    public int lowWatermarkBytes()
    {
        return lowWatermarkBytes;
    }

    /**
     * BufferedAmount that closes a socket with 4008.
     *
     * @return the value of {@code slowConsumerBytes}.
     */
    public int slowConsumerBytes()
    {
        return slowConsumerBytes;
    }

    /**
     * Ice_candidate tokens per second.
     *
     * @return the value of {@code iceRate}.
     */
    public int iceRate()
    {
        return iceRate;
    }

    /**
     * Ice_candidate bucket size.
     *
     * @return the value of {@code iceBurst}.
     */
    public int iceBurst()
    {
        return iceBurst;
    }

    /**
     * Game_event tokens per second.
     *
     * @return the value of {@code gameEventRate}.
     */
    public int gameEventRate()
    {
        return gameEventRate;
    }

    /**
     * Game_event bucket size.
     *
     * @return the value of {@code gameEventBurst}.
     */
    public int gameEventBurst()
    {
        return gameEventBurst;
    }

    /**
     * Game_state tokens per second.
     *
     * @return the value of {@code gameStateRate}.
     */
    public int gameStateRate()
    {
        return gameStateRate;
    }

    /**
     * Game_state bucket size.
     *
     * @return the value of {@code gameStateBurst}.
     */
    public int gameStateBurst()
    {
        return gameStateBurst;
    }

    /**
     * Overall messages per second per session.
     *
     * @return the value of {@code messageRate}.
     */
    public int messageRate()
    {
        return messageRate;
    }

    /**
     * Overall bucket size.
     *
     * @return the value of {@code messageBurst}.
     */
    public int messageBurst()
    {
        return messageBurst;
    }

    /**
     * Seconds an away session stays resumable.
     *
     * @return the value of {@code resumeWindowSeconds}.
     */
    public int resumeWindowSeconds()
    {
        return resumeWindowSeconds;
    }

    /**
     * Seconds a room may have no host before it is torn down.
     *
     * @return the value of {@code hostlessRoomSeconds}.
     */
    public int hostlessRoomSeconds()
    {
        return hostlessRoomSeconds;
    }

    /**
     * Seconds over which sockets are closed on graceful shutdown.
     *
     * @return the value of {@code drainSeconds}.
     */
    public int drainSeconds()
    {
        return drainSeconds;
    }

    /**
     * Upper bound of the retry_after_ms told to each drained socket.
     *
     * @return the value of {@code drainSpreadMillis}.
     */
    public int drainSpreadMillis()
    {
        return drainSpreadMillis;
    }

    /**
     * HS256 secret for authTokens; none means every client is a guest.
     *
     * @return the value of {@code jwtSecret}.
     */
    public String jwtSecret()
    {
        return jwtSecret;
    }

    /**
     * Longest lifetime a token may claim (exp minus iat, or minus now without iat); 0 means no limit.
     *
     * @return the value of {@code jwtMaxLifetimeSeconds}.
     */
    public int jwtMaxLifetimeSeconds()
    {
        return jwtMaxLifetimeSeconds;
    }

    /**
     * Clock skew allowed on exp and nbf, in seconds.
     *
     * @return the value of {@code jwtLeewaySeconds}.
     */
    public int jwtLeewaySeconds()
    {
        return jwtLeewaySeconds;
    }

    /**
     * Required iss claim of every token; none means iss is not checked.
     *
     * @return the value of {@code jwtIssuer}.
     */
    public String jwtIssuer()
    {
        return jwtIssuer;
    }

    /**
     * Required aud claim (a string or one entry of an array); none means aud is not checked.
     *
     * @return the value of {@code jwtAudience}.
     */
    public String jwtAudience()
    {
        return jwtAudience;
    }

    /**
     * Whether a socket without a valid token is refused with 4401 instead of joining as a guest.
     *
     * @return the value of {@code requireAuth}.
     */
    public boolean requireAuth()
    {
        return requireAuth;
    }

    /**
     * TCP port of the operator surface (admin API, /metrics, full /healthz); -1 means off, 0 a free port.
     *
     * @return the value of {@code adminPort}.
     */
    public int adminPort()
    {
        return adminPort;
    }

    /**
     * Address the operator port binds.
     *
     * @return the value of {@code adminBindAddress}.
     */
    public String adminBindAddress()
    {
        return adminBindAddress;
    }

    /**
     * Bearer token of the admin API, at least 16 characters; none means every admin call is refused with 401.
     *
     * @return the value of {@code adminToken}.
     */
    public String adminToken()
    {
        return adminToken;
    }

    /**
     * Whether the public port serves the harness page under /harness/.
     *
     * @return the value of {@code publicHarness}.
     */
    public boolean publicHarness()
    {
        return publicHarness;
    }

    /**
     * URL that receives webhook events as JSON POSTs; none means webhooks are off.
     *
     * @return the value of {@code webhookUrl}.
     */
    public String webhookUrl()
    {
        return webhookUrl;
    }

    /**
     * HMAC-SHA256 key that signs every webhook body; required with webhookUrl.
     *
     * @return the value of {@code webhookSecret}.
     */
    public String webhookSecret()
    {
        return webhookSecret;
    }

    /**
     * Webhook events held for delivery at once; more are dropped and counted.
     *
     * @return the value of {@code webhookQueueSize}.
     */
    public int webhookQueueSize()
    {
        return webhookQueueSize;
    }

    /**
     * Delivery attempts of one webhook event before it is dropped and counted.
     *
     * @return the value of {@code webhookMaxAttempts}.
     */
    public int webhookMaxAttempts()
    {
        return webhookMaxAttempts;
    }

    /**
     * Time after which one webhook POST counts as failed.
     *
     * @return the value of {@code webhookTimeoutMillis}.
     */
    public int webhookTimeoutMillis()
    {
        return webhookTimeoutMillis;
    }

    /**
     * Comma-separated STUN/TURN URLs handed to clients in joined and resume_ok; none means no iceServers.
     *
     * @return the value of {@code iceServers}.
     */
    public String iceServers()
    {
        return iceServers;
    }

    /**
     * Shared secret of coturn's use-auth-secret; TURN URLs then get time-limited credentials.
     *
     * @return the value of {@code turnSecret}.
     */
    public String turnSecret()
    {
        return turnSecret;
    }

    /**
     * Lifetime of the TURN credentials handed out.
     *
     * @return the value of {@code turnTtlSeconds}.
     */
    public int turnTtlSeconds()
    {
        return turnTtlSeconds;
    }

    /**
     * Comma-separated Origin values allowed to upgrade; none means any.
     *
     * @return the value of {@code allowedOrigins}.
     */
    public String allowedOrigins()
    {
        return allowedOrigins;
    }

    /**
     * Largest merged game state a room may hold; a patch past it is invalid_message.
     *
     * @return the value of {@code maxGameStateBytes}.
     */
    public int maxGameStateBytes()
    {
        return maxGameStateBytes;
    }

    /**
     * Most top-level keys a room's merged game state may hold; a patch past it is invalid_message.
     *
     * @return the value of {@code maxGameStateEntries}.
     */
    public int maxGameStateEntries()
    {
        return maxGameStateEntries;
    }

    /**
     * Most top-level keys one game_state patch may carry; a larger patch is invalid_message.
     *
     * @return the value of {@code maxPatchEntries}.
     */
    public int maxPatchEntries()
    {
        return maxPatchEntries;
    }

    /**
     * Game-state patch keys per second per session (the game_state bucket charged by entries).
     *
     * @return the value of {@code gameStateEntryRate}.
     */
    public int gameStateEntryRate()
    {
        return gameStateEntryRate;
    }

    /**
     * Size of the per-session bucket of game-state patch keys; at least maxPatchEntries.
     *
     * @return the value of {@code gameStateEntryBurst}.
     */
    public int gameStateEntryBurst()
    {
        return gameStateEntryBurst;
    }

    /**
     * Slots in each inbound and outbound ring; a power of two.
     *
     * @return the value of {@code ringSize}.
     */
    public int ringSize()
    {
        return ringSize;
    }

    /**
     * Sockets one server accepts at once; more are refused.
     *
     * @return the value of {@code maxConnections}.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * How engine threads wait for work: blocking, yielding or busy-spin.
     *
     * @return the value of {@code waitStrategy}.
     */
    public String waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * How agents map to threads: shared (engine shards run on the IoAgents' threads; one thread with one IoAgent) or dedicated (a thread each).
     *
     * @return the value of {@code threadingMode}.
     */
    public String threadingMode()
    {
        return threadingMode;
    }

    /**
     * Comma-separated CPU ids to pin engine threads to, one per shard in order; none means no pinning.
     *
     * @return the value of {@code engineCpus}.
     */
    public String engineCpus()
    {
        return engineCpus;
    }

    /**
     * Comma-separated CPU ids to pin IoAgent threads to, one per agent in order; none means no pinning.
     *
     * @return the value of {@code ioCpus}.
     */
    public String ioCpus()
    {
        return ioCpus;
    }

    /**
     * Redis URL of the cluster ({@code redis://host:port}); none means a single node with no outside service.
     *
     * @return the value of {@code redisUrl}, or null.
     */
    public String redisUrl()
    {
        return redisUrl;
    }

    /**
     * Whether this node is part of a multi-node cluster, that is whether {@code redisUrl} is set.
     *
     * @return true in multi-node mode.
     */
    public boolean isClustered()
    {
        return null != redisUrl;
    }

    /**
     * This node's id in the cluster; none means a random id is made at start (and logged).
     *
     * @return the value of {@code nodeId}, or null.
     */
    public String nodeId()
    {
        return nodeId;
    }

    /**
     * Lifetime of a room lease and of a node heartbeat; the owner renews every third of it.
     *
     * @return the value of {@code leaseTtlMillis}.
     */
    public int leaseTtlMillis()
    {
        return leaseTtlMillis;
    }

    /**
     * Least time between two snapshots of the same changed room written to Redis.
     *
     * @return the value of {@code snapshotIntervalMillis}.
     */
    public int snapshotIntervalMillis()
    {
        return snapshotIntervalMillis;
    }

    /**
     * Time after which a Redis command (or a connection attempt) counts as failed.
     *
     * @return the value of {@code redisTimeoutMillis}.
     */
    public int redisTimeoutMillis()
    {
        return redisTimeoutMillis;
    }

    /**
     * Shared HMAC-SHA256 key that signs relay batches and snapshots between nodes; none: unsigned.
     *
     * @return the value of {@code clusterSecret}, or null.
     */
    public String clusterSecret()
    {
        return clusterSecret;
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

    /**
     * Every setting by name, in declaration order, for the start-up log line; the JWT secret is masked.
     *
     * @return name to printable value.
     */
    public Map<String, String> describe()
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("port", String.valueOf(port));
        m.put("bindAddress", null == bindAddress ? "none" : bindAddress);
        m.put("ioThreads", String.valueOf(ioThreads));
        m.put("engineThreads", String.valueOf(engineThreads));
        m.put("maxPayloadBytes", String.valueOf(maxPayloadBytes));
        m.put("hardFrameLimitBytes", String.valueOf(hardFrameLimitBytes));
        m.put("pingIntervalSeconds", String.valueOf(pingIntervalSeconds));
        m.put("idleTimeoutSeconds", String.valueOf(idleTimeoutSeconds));
        m.put("httpHeadTimeoutSeconds", String.valueOf(httpHeadTimeoutSeconds));
        m.put("maxPipelinedRequests", String.valueOf(maxPipelinedRequests));
        m.put("messageDeadlineSeconds", String.valueOf(messageDeadlineSeconds));
        m.put("maxFragmentsPerMessage", String.valueOf(maxFragmentsPerMessage));
        m.put("maxConnectionsPerAddress", String.valueOf(maxConnectionsPerAddress));
        m.put("upgradesPerAddressPerSecond", String.valueOf(upgradesPerAddressPerSecond));
        m.put("joinsPerAddressPerSecond", String.valueOf(joinsPerAddressPerSecond));
        m.put("trustedProxies", null == trustedProxies ? "none" : trustedProxies);
        m.put("dedupeWindow", String.valueOf(dedupeWindow));
        m.put("replayWindow", String.valueOf(replayWindow));
        m.put("replayWindowBytes", String.valueOf(replayWindowBytes));
        m.put("roomReplayWindowBytes", String.valueOf(roomReplayWindowBytes));
        m.put("framePoolRetainedBytes", String.valueOf(framePoolRetainedBytes));
        m.put("tickMillis", String.valueOf(tickMillis));
        m.put("fanoutSlice", String.valueOf(fanoutSlice));
        m.put("maxQueue", String.valueOf(maxQueue));
        m.put("highWatermarkBytes", String.valueOf(highWatermarkBytes));
        m.put("lowWatermarkBytes", String.valueOf(lowWatermarkBytes));
        m.put("slowConsumerBytes", String.valueOf(slowConsumerBytes));
        m.put("iceRate", String.valueOf(iceRate));
        m.put("iceBurst", String.valueOf(iceBurst));
        m.put("gameEventRate", String.valueOf(gameEventRate));
        m.put("gameEventBurst", String.valueOf(gameEventBurst));
        m.put("gameStateRate", String.valueOf(gameStateRate));
        m.put("gameStateBurst", String.valueOf(gameStateBurst));
        m.put("messageRate", String.valueOf(messageRate));
        m.put("messageBurst", String.valueOf(messageBurst));
        m.put("resumeWindowSeconds", String.valueOf(resumeWindowSeconds));
        m.put("hostlessRoomSeconds", String.valueOf(hostlessRoomSeconds));
        m.put("drainSeconds", String.valueOf(drainSeconds));
        m.put("drainSpreadMillis", String.valueOf(drainSpreadMillis));
        m.put("jwtSecret", null == jwtSecret ? "none" : "***");
        m.put("jwtMaxLifetimeSeconds", String.valueOf(jwtMaxLifetimeSeconds));
        m.put("jwtLeewaySeconds", String.valueOf(jwtLeewaySeconds));
        m.put("jwtIssuer", null == jwtIssuer ? "none" : jwtIssuer);
        m.put("jwtAudience", null == jwtAudience ? "none" : jwtAudience);
        m.put("requireAuth", String.valueOf(requireAuth));
        m.put("adminPort", String.valueOf(adminPort));
        m.put("adminBindAddress", null == adminBindAddress ? "none" : adminBindAddress);
        m.put("adminToken", null == adminToken ? "none" : "***");
        m.put("publicHarness", String.valueOf(publicHarness));
        m.put("webhookUrl", null == webhookUrl ? "none" : webhookUrl);
        m.put("webhookSecret", null == webhookSecret ? "none" : "***");
        m.put("webhookQueueSize", String.valueOf(webhookQueueSize));
        m.put("webhookMaxAttempts", String.valueOf(webhookMaxAttempts));
        m.put("webhookTimeoutMillis", String.valueOf(webhookTimeoutMillis));
        m.put("iceServers", null == iceServers ? "none" : iceServers);
        m.put("turnSecret", null == turnSecret ? "none" : "***");
        m.put("turnTtlSeconds", String.valueOf(turnTtlSeconds));
        m.put("allowedOrigins", null == allowedOrigins ? "none" : allowedOrigins);
        m.put("maxGameStateBytes", String.valueOf(maxGameStateBytes));
        m.put("maxGameStateEntries", String.valueOf(maxGameStateEntries));
        m.put("maxPatchEntries", String.valueOf(maxPatchEntries));
        m.put("gameStateEntryRate", String.valueOf(gameStateEntryRate));
        m.put("gameStateEntryBurst", String.valueOf(gameStateEntryBurst));
        m.put("ringSize", String.valueOf(ringSize));
        m.put("maxConnections", String.valueOf(maxConnections));
        m.put("waitStrategy", null == waitStrategy ? "none" : waitStrategy);
        m.put("threadingMode", null == threadingMode ? "none" : threadingMode);
        m.put("engineCpus", null == engineCpus ? "none" : engineCpus);
        m.put("ioCpus", null == ioCpus ? "none" : ioCpus);
        m.put("redisUrl", null == redisUrl ? "none" : maskPassword(redisUrl));
        m.put("nodeId", null == nodeId ? "none" : nodeId);
        m.put("leaseTtlMillis", String.valueOf(leaseTtlMillis));
        m.put("snapshotIntervalMillis", String.valueOf(snapshotIntervalMillis));
        m.put("redisTimeoutMillis", String.valueOf(redisTimeoutMillis));
        m.put("clusterSecret", null == clusterSecret ? "none" : "***");
        return m;
    }

    private static String maskPassword(final String url)
    {
        final int at = url.lastIndexOf('@');
        final int scheme = url.indexOf("://");
        return at > 0 && scheme > 0 ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder
    {
        private int port = DEFAULT_PORT;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int ioThreads = DEFAULT_IO_THREADS;
        private int engineThreads = DEFAULT_ENGINE_THREADS;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int hardFrameLimitBytes = DEFAULT_HARD_FRAME_LIMIT_BYTES;
        private int pingIntervalSeconds = DEFAULT_PING_INTERVAL_SECONDS;
        private int idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
        private int httpHeadTimeoutSeconds = DEFAULT_HTTP_HEAD_TIMEOUT_SECONDS;
        private int maxPipelinedRequests = DEFAULT_MAX_PIPELINED_REQUESTS;
        private int messageDeadlineSeconds = DEFAULT_MESSAGE_DEADLINE_SECONDS;
        private int maxFragmentsPerMessage = DEFAULT_MAX_FRAGMENTS_PER_MESSAGE;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int upgradesPerAddressPerSecond = DEFAULT_UPGRADES_PER_ADDRESS_PER_SECOND;
        private int joinsPerAddressPerSecond = DEFAULT_JOINS_PER_ADDRESS_PER_SECOND;
        private String trustedProxies = DEFAULT_TRUSTED_PROXIES;
        private int dedupeWindow = DEFAULT_DEDUPE_WINDOW;
        private int replayWindow = DEFAULT_REPLAY_WINDOW;
        private int replayWindowBytes = DEFAULT_REPLAY_WINDOW_BYTES;
        private int roomReplayWindowBytes = DEFAULT_ROOM_REPLAY_WINDOW_BYTES;
        private int framePoolRetainedBytes = DEFAULT_FRAME_POOL_RETAINED_BYTES;
        private int tickMillis = DEFAULT_TICK_MILLIS;
        private int fanoutSlice = DEFAULT_FANOUT_SLICE;
        private int maxQueue = DEFAULT_MAX_QUEUE;
        private int highWatermarkBytes = DEFAULT_HIGH_WATERMARK_BYTES;
        private int lowWatermarkBytes = DEFAULT_LOW_WATERMARK_BYTES;
        private int slowConsumerBytes = DEFAULT_SLOW_CONSUMER_BYTES;
        private int iceRate = DEFAULT_ICE_RATE;
        private int iceBurst = DEFAULT_ICE_BURST;
        private int gameEventRate = DEFAULT_GAME_EVENT_RATE;
        private int gameEventBurst = DEFAULT_GAME_EVENT_BURST;
        private int gameStateRate = DEFAULT_GAME_STATE_RATE;
        private int gameStateBurst = DEFAULT_GAME_STATE_BURST;
        private int messageRate = DEFAULT_MESSAGE_RATE;
        private int messageBurst = DEFAULT_MESSAGE_BURST;
        private int resumeWindowSeconds = DEFAULT_RESUME_WINDOW_SECONDS;
        private int hostlessRoomSeconds = DEFAULT_HOSTLESS_ROOM_SECONDS;
        private int drainSeconds = DEFAULT_DRAIN_SECONDS;
        private int drainSpreadMillis = DEFAULT_DRAIN_SPREAD_MILLIS;
        private String jwtSecret = DEFAULT_JWT_SECRET;
        private int jwtMaxLifetimeSeconds = DEFAULT_JWT_MAX_LIFETIME_SECONDS;
        private int jwtLeewaySeconds = DEFAULT_JWT_LEEWAY_SECONDS;
        private String jwtIssuer = DEFAULT_JWT_ISSUER;
        private String jwtAudience = DEFAULT_JWT_AUDIENCE;
        private boolean requireAuth = DEFAULT_REQUIRE_AUTH;
        private int adminPort = DEFAULT_ADMIN_PORT;
        private String adminBindAddress = DEFAULT_ADMIN_BIND_ADDRESS;
        private String adminToken = DEFAULT_ADMIN_TOKEN;
        private boolean publicHarness = DEFAULT_PUBLIC_HARNESS;
        private String webhookUrl = DEFAULT_WEBHOOK_URL;
        private String webhookSecret = DEFAULT_WEBHOOK_SECRET;
        private int webhookQueueSize = DEFAULT_WEBHOOK_QUEUE_SIZE;
        private int webhookMaxAttempts = DEFAULT_WEBHOOK_MAX_ATTEMPTS;
        private int webhookTimeoutMillis = DEFAULT_WEBHOOK_TIMEOUT_MILLIS;
        private String iceServers = DEFAULT_ICE_SERVERS;
        private String turnSecret = DEFAULT_TURN_SECRET;
        private int turnTtlSeconds = DEFAULT_TURN_TTL_SECONDS;
        private String allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
        private int maxGameStateBytes = DEFAULT_MAX_GAME_STATE_BYTES;
        private int maxGameStateEntries = DEFAULT_MAX_GAME_STATE_ENTRIES;
        private int maxPatchEntries = DEFAULT_MAX_PATCH_ENTRIES;
        private int gameStateEntryRate = DEFAULT_GAME_STATE_ENTRY_RATE;
        private int gameStateEntryBurst = DEFAULT_GAME_STATE_ENTRY_BURST;
        private int ringSize = DEFAULT_RING_SIZE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private String waitStrategy = DEFAULT_WAIT_STRATEGY;
        private String threadingMode = DEFAULT_THREADING_MODE;
        private String engineCpus = DEFAULT_ENGINE_CPUS;
        private String ioCpus = DEFAULT_IO_CPUS;
        private String redisUrl = DEFAULT_REDIS_URL;
        private String nodeId = DEFAULT_NODE_ID;
        private int leaseTtlMillis = DEFAULT_LEASE_TTL_MILLIS;
        private int snapshotIntervalMillis = DEFAULT_SNAPSHOT_INTERVAL_MILLIS;
        private int redisTimeoutMillis = DEFAULT_REDIS_TIMEOUT_MILLIS;
        private String clusterSecret = DEFAULT_CLUSTER_SECRET;

        private Builder()
        {
        }

        /**
         * Set {@code port}: tCP port to listen on.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder port(final int value)
        {
            this.port = value;
            return this;
        }

        /**
         * Set {@code bindAddress}: address to bind.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder bindAddress(final String value)
        {
            this.bindAddress = value;
            return this;
        }

        /**
         * Set {@code ioThreads}: number of IoAgent selector threads.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder ioThreads(final int value)
        {
            this.ioThreads = value;
            return this;
        }

        /**
         * Set {@code engineThreads}: number of engine shards, each one thread.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder engineThreads(final int value)
        {
            this.engineThreads = value;
            return this;
        }

        /**
         * Set {@code maxPayloadBytes}: largest message processed; bigger ones are discarded with payload_too_large.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxPayloadBytes(final int value)
        {
            this.maxPayloadBytes = value;
            return this;
        }

        /**
         * Set {@code hardFrameLimitBytes}: frame length or reassembled message length that closes with 1009.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder hardFrameLimitBytes(final int value)
        {
            this.hardFrameLimitBytes = value;
            return this;
        }

        /**
         * Set {@code pingIntervalSeconds}: seconds between server pings.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder pingIntervalSeconds(final int value)
        {
            this.pingIntervalSeconds = value;
            return this;
        }

        /**
         * Set {@code idleTimeoutSeconds}: seconds without a client frame before close 4009.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder idleTimeoutSeconds(final int value)
        {
            this.idleTimeoutSeconds = value;
            return this;
        }

        /**
         * Set {@code httpHeadTimeoutSeconds}: seconds to finish an HTTP request head before the socket is dropped.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder httpHeadTimeoutSeconds(final int value)
        {
            this.httpHeadTimeoutSeconds = value;
            return this;
        }

        /**
         * Set {@code maxPipelinedRequests}: HTTP requests one connection may have in flight; reading pauses at the cap.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxPipelinedRequests(final int value)
        {
            this.maxPipelinedRequests = value;
            return this;
        }

        /**
         * Set {@code messageDeadlineSeconds}: seconds from a WebSocket message's first byte to its last; then 1008.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder messageDeadlineSeconds(final int value)
        {
            this.messageDeadlineSeconds = value;
            return this;
        }

        /**
         * Set {@code maxFragmentsPerMessage}: frames one fragmented WebSocket message may have; more close 1008.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxFragmentsPerMessage(final int value)
        {
            this.maxFragmentsPerMessage = value;
            return this;
        }

        /**
         * Set {@code maxConnectionsPerAddress}: sockets one remote address may hold per IoAgent; more are refused.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxConnectionsPerAddress(final int value)
        {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        /**
         * Set {@code upgradesPerAddressPerSecond}: upgrades per remote address per second, burst twice that; then 429.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder upgradesPerAddressPerSecond(final int value)
        {
            this.upgradesPerAddressPerSecond = value;
            return this;
        }

        /**
         * Set {@code joinsPerAddressPerSecond}: joins and resumes per address per second, burst twice that.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder joinsPerAddressPerSecond(final int value)
        {
            this.joinsPerAddressPerSecond = value;
            return this;
        }

        /**
         * Set {@code trustedProxies}: comma-separated proxy addresses whose X-Forwarded-For is believed.
         *
         * @param value the value, or null.
         * @return this builder.
         */
        public Builder trustedProxies(final String value)
        {
            this.trustedProxies = value;
            return this;
        }

        /**
         * Set {@code dedupeWindow}: msgIds remembered per session for duplicate suppression.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder dedupeWindow(final int value)
        {
            this.dedupeWindow = value;
            return this;
        }

        /**
         * Set {@code replayWindow}: directed and broadcast frames kept for resume replay.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder replayWindow(final int value)
        {
            this.replayWindow = value;
            return this;
        }

        /**
         * Set {@code replayWindowBytes}: encoded bytes of directed frames kept per session for resume replay.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder replayWindowBytes(final int value)
        {
            this.replayWindowBytes = value;
            return this;
        }

        /**
         * Set {@code roomReplayWindowBytes}: encoded bytes of broadcast frames kept per room for resume replay.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder roomReplayWindowBytes(final int value)
        {
            this.roomReplayWindowBytes = value;
            return this;
        }

        /**
         * Set {@code framePoolRetainedBytes}: bytes of free frames each engine's frame pool keeps for reuse.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder framePoolRetainedBytes(final int value)
        {
            this.framePoolRetainedBytes = value;
            return this;
        }

        /**
         * Set {@code tickMillis}: coalescing tick in milliseconds.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder tickMillis(final int value)
        {
            this.tickMillis = value;
            return this;
        }

        /**
         * Set {@code fanoutSlice}: recipients served per broadcast slice before other rooms get a turn.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder fanoutSlice(final int value)
        {
            this.fanoutSlice = value;
            return this;
        }

        /**
         * Set {@code maxQueue}: co-host request queue capacity.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxQueue(final int value)
        {
            this.maxQueue = value;
            return this;
        }

        /**
         * Set {@code highWatermarkBytes}: bufferedAmount that puts a socket into drop mode.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder highWatermarkBytes(final int value)
        {
            this.highWatermarkBytes = value;
            return this;
        }

        /**
         * Set {@code lowWatermarkBytes}: bufferedAmount under which a socket leaves drop mode.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder lowWatermarkBytes(final int value)
        {
            this.lowWatermarkBytes = value;
            return this;
        }

        /**
         * Set {@code slowConsumerBytes}: bufferedAmount that closes a socket with 4008.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder slowConsumerBytes(final int value)
        {
            this.slowConsumerBytes = value;
            return this;
        }

        /**
         * Set {@code iceRate}: ice_candidate tokens per second.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder iceRate(final int value)
        {
            this.iceRate = value;
            return this;
        }

        /**
         * Set {@code iceBurst}: ice_candidate bucket size.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder iceBurst(final int value)
        {
            this.iceBurst = value;
            return this;
        }

        /**
         * Set {@code gameEventRate}: game_event tokens per second.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameEventRate(final int value)
        {
            this.gameEventRate = value;
            return this;
        }

        /**
         * Set {@code gameEventBurst}: game_event bucket size.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameEventBurst(final int value)
        {
            this.gameEventBurst = value;
            return this;
        }

        /**
         * Set {@code gameStateRate}: game_state tokens per second.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameStateRate(final int value)
        {
            this.gameStateRate = value;
            return this;
        }

        /**
         * Set {@code gameStateBurst}: game_state bucket size.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameStateBurst(final int value)
        {
            this.gameStateBurst = value;
            return this;
        }

        /**
         * Set {@code messageRate}: overall messages per second per session.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder messageRate(final int value)
        {
            this.messageRate = value;
            return this;
        }

        /**
         * Set {@code messageBurst}: overall bucket size.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder messageBurst(final int value)
        {
            this.messageBurst = value;
            return this;
        }

        /**
         * Set {@code resumeWindowSeconds}: seconds an away session stays resumable.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder resumeWindowSeconds(final int value)
        {
            this.resumeWindowSeconds = value;
            return this;
        }

        /**
         * Set {@code hostlessRoomSeconds}: seconds a room may have no host before it is torn down.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder hostlessRoomSeconds(final int value)
        {
            this.hostlessRoomSeconds = value;
            return this;
        }

        /**
         * Set {@code drainSeconds}: seconds over which sockets are closed on graceful shutdown.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder drainSeconds(final int value)
        {
            this.drainSeconds = value;
            return this;
        }

        /**
         * Set {@code drainSpreadMillis}: upper bound of the retry_after_ms told to each drained socket.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder drainSpreadMillis(final int value)
        {
            this.drainSpreadMillis = value;
            return this;
        }

        /**
         * Set {@code jwtSecret}: hS256 secret for authTokens; none means every client is a guest.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder jwtSecret(final String value)
        {
            this.jwtSecret = value;
            return this;
        }

        /**
         * Set {@code jwtMaxLifetimeSeconds}: longest lifetime a token may claim (exp minus iat, or minus now without iat); 0 means no limit.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder jwtMaxLifetimeSeconds(final int value)
        {
            this.jwtMaxLifetimeSeconds = value;
            return this;
        }

        /**
         * Set {@code jwtLeewaySeconds}: clock skew allowed on exp and nbf, in seconds.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder jwtLeewaySeconds(final int value)
        {
            this.jwtLeewaySeconds = value;
            return this;
        }

        /**
         * Set {@code jwtIssuer}: required iss claim of every token; none means iss is not checked.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder jwtIssuer(final String value)
        {
            this.jwtIssuer = value;
            return this;
        }

        /**
         * Set {@code jwtAudience}: required aud claim (a string or one entry of an array); none means aud is not checked.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder jwtAudience(final String value)
        {
            this.jwtAudience = value;
            return this;
        }

        /**
         * Set {@code requireAuth}: whether a socket without a valid token is refused with 4401 instead of joining as a guest.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder requireAuth(final boolean value)
        {
            this.requireAuth = value;
            return this;
        }

        /**
         * Set {@code adminPort}: tCP port of the operator surface (admin API, /metrics, full /healthz); -1 means off, 0 a free port.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder adminPort(final int value)
        {
            this.adminPort = value;
            return this;
        }

        /**
         * Set {@code adminBindAddress}: address the operator port binds.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder adminBindAddress(final String value)
        {
            this.adminBindAddress = value;
            return this;
        }

        /**
         * Set {@code adminToken}: bearer token of the admin API, at least 16 characters; none means every admin call is refused with 401.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder adminToken(final String value)
        {
            this.adminToken = value;
            return this;
        }

        /**
         * Set {@code publicHarness}: whether the public port serves the harness page under /harness/.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder publicHarness(final boolean value)
        {
            this.publicHarness = value;
            return this;
        }

        /**
         * Set {@code webhookUrl}: uRL that receives webhook events as JSON POSTs; none means webhooks are off.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder webhookUrl(final String value)
        {
            this.webhookUrl = value;
            return this;
        }

        /**
         * Set {@code webhookSecret}: hMAC-SHA256 key that signs every webhook body; required with webhookUrl.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder webhookSecret(final String value)
        {
            this.webhookSecret = value;
            return this;
        }

        /**
         * Set {@code webhookQueueSize}: webhook events held for delivery at once; more are dropped and counted.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder webhookQueueSize(final int value)
        {
            this.webhookQueueSize = value;
            return this;
        }

        /**
         * Set {@code webhookMaxAttempts}: delivery attempts of one webhook event before it is dropped and counted.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder webhookMaxAttempts(final int value)
        {
            this.webhookMaxAttempts = value;
            return this;
        }

        /**
         * Set {@code webhookTimeoutMillis}: time after which one webhook POST counts as failed.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder webhookTimeoutMillis(final int value)
        {
            this.webhookTimeoutMillis = value;
            return this;
        }

        /**
         * Set {@code iceServers}: comma-separated STUN/TURN URLs handed to clients in joined and resume_ok; none means no iceServers.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder iceServers(final String value)
        {
            this.iceServers = value;
            return this;
        }

        /**
         * Set {@code turnSecret}: shared secret of coturn's use-auth-secret; TURN URLs then get time-limited credentials.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder turnSecret(final String value)
        {
            this.turnSecret = value;
            return this;
        }

        /**
         * Set {@code turnTtlSeconds}: lifetime of the TURN credentials handed out.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder turnTtlSeconds(final int value)
        {
            this.turnTtlSeconds = value;
            return this;
        }

        /**
         * Set {@code allowedOrigins}: comma-separated Origin values allowed to upgrade; none means any.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder allowedOrigins(final String value)
        {
            this.allowedOrigins = value;
            return this;
        }

        /**
         * Set {@code maxGameStateBytes}: largest merged game state a room may hold; a patch past it is invalid_message.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxGameStateBytes(final int value)
        {
            this.maxGameStateBytes = value;
            return this;
        }

        /**
         * Set {@code maxGameStateEntries}: most top-level keys a room's merged game state may hold.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxGameStateEntries(final int value)
        {
            this.maxGameStateEntries = value;
            return this;
        }

        /**
         * Set {@code maxPatchEntries}: most top-level keys one game_state patch may carry.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxPatchEntries(final int value)
        {
            this.maxPatchEntries = value;
            return this;
        }

        /**
         * Set {@code gameStateEntryRate}: game-state patch keys per second per session.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameStateEntryRate(final int value)
        {
            this.gameStateEntryRate = value;
            return this;
        }

        /**
         * Set {@code gameStateEntryBurst}: size of the per-session bucket of game-state patch keys.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder gameStateEntryBurst(final int value)
        {
            this.gameStateEntryBurst = value;
            return this;
        }

        /**
         * Set {@code ringSize}: slots in each inbound and outbound ring; a power of two.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder ringSize(final int value)
        {
            this.ringSize = value;
            return this;
        }

        /**
         * Set {@code maxConnections}: sockets one server accepts at once; more are refused.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder maxConnections(final int value)
        {
            this.maxConnections = value;
            return this;
        }

        /**
         * Set {@code waitStrategy}: how engine threads wait for work: blocking, yielding or busy-spin.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder waitStrategy(final String value)
        {
            this.waitStrategy = value;
            return this;
        }

        /**
         * Set {@code threadingMode}: how agents map to threads: shared (IoAgent and engine shards on one thread) or dedicated (a thread each).
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder threadingMode(final String value)
        {
            this.threadingMode = value;
            return this;
        }

        /**
         * Set {@code engineCpus}: comma-separated CPU ids to pin engine threads to, one per shard in order; none means no pinning.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder engineCpus(final String value)
        {
            this.engineCpus = value;
            return this;
        }

        /**
         * Set {@code ioCpus}: comma-separated CPU ids to pin IoAgent threads to, one per agent in order; none means no pinning.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder ioCpus(final String value)
        {
            this.ioCpus = value;
            return this;
        }

        /**
         * Set {@code redisUrl}: the cluster's Redis ({@code redis://host:port}); empty means a single node.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder redisUrl(final String value)
        {
            this.redisUrl = null == value || value.isEmpty() ? null : value;
            return this;
        }

        /**
         * Set {@code nodeId}: this node's id in the cluster; empty means a random id made at start.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder nodeId(final String value)
        {
            this.nodeId = null == value || value.isEmpty() ? null : value;
            return this;
        }

        /**
         * Set {@code leaseTtlMillis}: lifetime of a room lease and of a node heartbeat.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder leaseTtlMillis(final int value)
        {
            this.leaseTtlMillis = value;
            return this;
        }

        /**
         * Set {@code snapshotIntervalMillis}: least time between two snapshots of the same changed room.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder snapshotIntervalMillis(final int value)
        {
            this.snapshotIntervalMillis = value;
            return this;
        }

        /**
         * Set {@code redisTimeoutMillis}: time after which a Redis command counts as failed.
         *
         * @param value the value.
         * @return this builder.
         */
        public Builder redisTimeoutMillis(final int value)
        {
            this.redisTimeoutMillis = value;
            return this;
        }

        /**
         * Set {@code clusterSecret}: shared HMAC-SHA256 key that signs relay batches and snapshots.
         *
         * @param value the value, empty or null for none.
         * @return this builder.
         */
        public Builder clusterSecret(final String value)
        {
            this.clusterSecret = null == value || value.isEmpty() ? null : value;
            return this;
        }

        /**
         * Validate every value and build.
         *
         * @return immutable settings.
         * @throws IllegalArgumentException naming the first bad setting.
         */
        public SwitchboardSettings build()
        {
            checkRange("port", port, 0, 65535);
            checkRange("ioThreads", ioThreads, 1, 64);
            checkRange("engineThreads", engineThreads, 1, 64);
            checkRange("maxPayloadBytes", maxPayloadBytes, 128, 16777216);
            checkRange("hardFrameLimitBytes", hardFrameLimitBytes, 128, 1073741824);
            checkRange("pingIntervalSeconds", pingIntervalSeconds, 1, 3600);
            checkRange("idleTimeoutSeconds", idleTimeoutSeconds, 1, 86400);
            checkRange("httpHeadTimeoutSeconds", httpHeadTimeoutSeconds, 1, 3600);
            checkRange("maxPipelinedRequests", maxPipelinedRequests, 1, 4096);
            checkRange("messageDeadlineSeconds", messageDeadlineSeconds, 1, 3600);
            checkRange("maxFragmentsPerMessage", maxFragmentsPerMessage, 1, 1048576);
            checkRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 16777216);
            checkRange("upgradesPerAddressPerSecond", upgradesPerAddressPerSecond, 1, 1000000);
            checkRange("joinsPerAddressPerSecond", joinsPerAddressPerSecond, 1, 1000000);
            if (null != trustedProxies && !trustedProxies.matches("\\s*[0-9A-Fa-f:.]+\\s*(,\\s*[0-9A-Fa-f:.]+\\s*)*"))
            {
                throw new IllegalArgumentException(
                    "trustedProxies must be comma-separated IPv4 or IPv6 addresses, got " + trustedProxies);
            }
            checkRange("dedupeWindow", dedupeWindow, 1, 65536);
            checkRange("replayWindow", replayWindow, 1, 65536);
            checkRange("replayWindowBytes", replayWindowBytes, 1024, 1073741824);
            checkRange("roomReplayWindowBytes", roomReplayWindowBytes, 1024, 1073741824);
            checkRange("framePoolRetainedBytes", framePoolRetainedBytes, 0, 1073741824);
            checkRange("tickMillis", tickMillis, 16, 33);
            checkRange("fanoutSlice", fanoutSlice, 1, 1000000);
            checkRange("maxQueue", maxQueue, 1, 100000);
            checkRange("highWatermarkBytes", highWatermarkBytes, 1024, 1073741824);
            checkRange("lowWatermarkBytes", lowWatermarkBytes, 0, 1073741824);
            checkRange("slowConsumerBytes", slowConsumerBytes, 1024, 1073741824);
            checkRange("iceRate", iceRate, 1, 1000000);
            checkRange("iceBurst", iceBurst, 1, 1000000);
            checkRange("gameEventRate", gameEventRate, 1, 1000000);
            checkRange("gameEventBurst", gameEventBurst, 1, 1000000);
            checkRange("gameStateRate", gameStateRate, 1, 1000000);
            checkRange("gameStateBurst", gameStateBurst, 1, 1000000);
            checkRange("messageRate", messageRate, 1, 1000000);
            checkRange("messageBurst", messageBurst, 1, 1000000);
            checkRange("resumeWindowSeconds", resumeWindowSeconds, 1, 86400);
            checkRange("hostlessRoomSeconds", hostlessRoomSeconds, 1, 86400);
            checkRange("drainSeconds", drainSeconds, 0, 3600);
            checkRange("drainSpreadMillis", drainSpreadMillis, 0, 3600000);
            checkRange("maxGameStateBytes", maxGameStateBytes, 1024, 1073741824);
            checkRange("maxGameStateEntries", maxGameStateEntries, 1, 1048576);
            checkRange("maxPatchEntries", maxPatchEntries, 1, 1048576);
            checkRange("gameStateEntryRate", gameStateEntryRate, 1, 100000000);
            checkRange("gameStateEntryBurst", gameStateEntryBurst, 1, 100000000);
            if (gameStateEntryBurst < maxPatchEntries)
            {
                throw new IllegalArgumentException("gameStateEntryBurst must be at least maxPatchEntries, got " +
                    gameStateEntryBurst + " < " + maxPatchEntries);
            }
            checkRange("ringSize", ringSize, 64, 1073741824);
            checkRange("maxConnections", maxConnections, 1, 16777216);
            if (Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize must be a power of two, got " + ringSize);
            }
            if (lowWatermarkBytes >= highWatermarkBytes)
            {
                throw new IllegalArgumentException("lowWatermarkBytes must be below highWatermarkBytes, got " +
                    lowWatermarkBytes + " >= " + highWatermarkBytes);
            }
            if (slowConsumerBytes < highWatermarkBytes)
            {
                throw new IllegalArgumentException("slowConsumerBytes must be at least highWatermarkBytes, got " +
                    slowConsumerBytes + " < " + highWatermarkBytes);
            }
            if (maxPayloadBytes > hardFrameLimitBytes)
            {
                throw new IllegalArgumentException("maxPayloadBytes must not exceed hardFrameLimitBytes, got " +
                    maxPayloadBytes + " > " + hardFrameLimitBytes);
            }
            if (idleTimeoutSeconds <= pingIntervalSeconds)
            {
                throw new IllegalArgumentException("idleTimeoutSeconds must exceed pingIntervalSeconds, got " +
                    idleTimeoutSeconds + " <= " + pingIntervalSeconds);
            }
            if (null == bindAddress || bindAddress.isBlank())
            {
                throw new IllegalArgumentException("bindAddress must not be empty");
            }
            if (!"blocking".equals(waitStrategy) && !"yielding".equals(waitStrategy) &&
                !"busy-spin".equals(waitStrategy))
            {
                throw new IllegalArgumentException(
                    "waitStrategy must be blocking, yielding or busy-spin, got " + waitStrategy);
            }
            if (!"shared".equals(threadingMode) && !"dedicated".equals(threadingMode))
            {
                throw new IllegalArgumentException(
                    "threadingMode must be shared or dedicated, got " + threadingMode);
            }
            checkCpus("engineCpus", engineCpus, engineThreads);
            checkCpus("ioCpus", ioCpus, ioThreads);
            checkRange("leaseTtlMillis", leaseTtlMillis, 300, 600000);
            checkRange("snapshotIntervalMillis", snapshotIntervalMillis, 10, 600000);
            checkRange("redisTimeoutMillis", redisTimeoutMillis, 50, 60000);
            if (null != clusterSecret && clusterSecret.getBytes(StandardCharsets.UTF_8).length < 32)
            {
                throw new IllegalArgumentException("clusterSecret must be at least 32 bytes when set");
            }
            if (null != redisUrl && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://"))
            {
                throw new IllegalArgumentException("redisUrl must start with redis:// or rediss://, got " + redisUrl);
            }
            if (null != nodeId && !nodeId.matches("[A-Za-z0-9_.-]{1,64}"))
            {
                throw new IllegalArgumentException("nodeId must be 1 to 64 of [A-Za-z0-9_.-], got " + nodeId);
            }
            if (null != jwtSecret && jwtSecret.isEmpty())
            {
                throw new IllegalArgumentException("jwtSecret must not be empty when set");
            }
            if (null != jwtSecret && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES)
            {
                throw new IllegalArgumentException("jwtSecret must be at least " + MIN_JWT_SECRET_BYTES +
                    " bytes (HS256 keys shorter than the hash are guessable), got " +
                    jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            checkRange("jwtMaxLifetimeSeconds", jwtMaxLifetimeSeconds, 0, 315360000);
            checkRange("jwtLeewaySeconds", jwtLeewaySeconds, 0, 600);
            checkNotBlank("jwtIssuer", jwtIssuer);
            checkNotBlank("jwtAudience", jwtAudience);
            checkRange("adminPort", adminPort, -1, 65535);
            if (null == adminBindAddress || adminBindAddress.isBlank())
            {
                throw new IllegalArgumentException("adminBindAddress must not be empty");
            }
            if (null != adminToken && adminToken.length() < 16)
            {
                throw new IllegalArgumentException("adminToken must be at least 16 characters, got " + adminToken.length());
            }
            if (null != webhookUrl && !webhookUrl.startsWith("http://") && !webhookUrl.startsWith("https://"))
            {
                throw new IllegalArgumentException("webhookUrl must start with http:// or https://, got " + webhookUrl);
            }
            checkNotBlank("webhookSecret", webhookSecret);
            checkRange("webhookQueueSize", webhookQueueSize, 16, 1048576);
            checkRange("webhookMaxAttempts", webhookMaxAttempts, 1, 20);
            checkRange("webhookTimeoutMillis", webhookTimeoutMillis, 100, 60000);
            checkIceServers(iceServers);
            checkNotBlank("turnSecret", turnSecret);
            checkRange("turnTtlSeconds", turnTtlSeconds, 60, 604800);
            return new SwitchboardSettings(this);
        }

        private static void checkCpus(final String name, final String cpus, final int threads)
        {
            if (null == cpus)
            {
                return;
            }
            final String[] parts = cpus.split(",", -1);
            if (parts.length != threads)
            {
                throw new IllegalArgumentException(
                    name + " must list one CPU per thread (" + threads + "), got \"" + cpus + "\"");
            }
            for (final String part : parts)
            {
                try
                {
                    if (Integer.parseInt(part.trim()) < 0)
                    {
                        throw new NumberFormatException(part);
                    }
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException(name + " must be CPU ids like 0,1, got \"" + cpus + "\"");
                }
            }
        }

        private static void checkNotBlank(final String name, final String value)
        {
            if (null != value && value.isBlank())
            {
                throw new IllegalArgumentException(name + " must not be empty when set");
            }
        }

        private static void checkIceServers(final String urls)
        {
            if (null == urls)
            {
                return;
            }
            for (final String url : urls.split(",", -1))
            {
                final String u = url.trim();
                if (!(u.startsWith("stun:") || u.startsWith("stuns:") || u.startsWith("turn:") ||
                    u.startsWith("turns:")) || u.length() > 256 || u.indexOf('"') >= 0 || u.indexOf('\\') >= 0)
                {
                    throw new IllegalArgumentException(
                        "iceServers must be comma-separated stun:, stuns:, turn: or turns: URLs, got \"" + u + "\"");
                }
            }
        }

        private static void checkRange(final String name, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", got " + value);
            }
        }
    }
}
