package dev.switchboard.engine;

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
    /** Default of {@code jwtSecret}. */
    public static final String DEFAULT_JWT_SECRET = null;
    /** Default of {@code allowedOrigins}. */
    public static final String DEFAULT_ALLOWED_ORIGINS = null;
    /** Default of {@code maxGameStateBytes}. */
    public static final int DEFAULT_MAX_GAME_STATE_BYTES = 262144;
    /** Default of {@code ringSize}. */
    public static final int DEFAULT_RING_SIZE = 16384;
    /** Default of {@code maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16384;
    /** Default of {@code waitStrategy}. */
    public static final String DEFAULT_WAIT_STRATEGY = "blocking";
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

    private final int port;
    private final String bindAddress;
    private final int ioThreads;
    private final int engineThreads;
    private final int maxPayloadBytes;
    private final int hardFrameLimitBytes;
    private final int pingIntervalSeconds;
    private final int idleTimeoutSeconds;
    private final int httpHeadTimeoutSeconds;
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
    private final String allowedOrigins;
    private final int maxGameStateBytes;
    private final int ringSize;
    private final int maxConnections;
    private final String waitStrategy;
    private final String engineCpus;
    private final String ioCpus;
    private final String redisUrl;
    private final String nodeId;
    private final int leaseTtlMillis;
    private final int snapshotIntervalMillis;
    private final int redisTimeoutMillis;

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
        this.allowedOrigins = b.allowedOrigins;
        this.maxGameStateBytes = b.maxGameStateBytes;
        this.ringSize = b.ringSize;
        this.maxConnections = b.maxConnections;
        this.waitStrategy = b.waitStrategy;
        this.engineCpus = b.engineCpus;
        this.ioCpus = b.ioCpus;
        this.redisUrl = b.redisUrl;
        this.nodeId = b.nodeId;
        this.leaseTtlMillis = b.leaseTtlMillis;
        this.snapshotIntervalMillis = b.snapshotIntervalMillis;
        this.redisTimeoutMillis = b.redisTimeoutMillis;
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
        b.allowedOrigins = allowedOrigins;
        b.maxGameStateBytes = maxGameStateBytes;
        b.ringSize = ringSize;
        b.maxConnections = maxConnections;
        b.waitStrategy = waitStrategy;
        b.engineCpus = engineCpus;
        b.ioCpus = ioCpus;
        b.redisUrl = redisUrl;
        b.nodeId = nodeId;
        b.leaseTtlMillis = leaseTtlMillis;
        b.snapshotIntervalMillis = snapshotIntervalMillis;
        b.redisTimeoutMillis = redisTimeoutMillis;
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
        m.put("allowedOrigins", null == allowedOrigins ? "none" : allowedOrigins);
        m.put("maxGameStateBytes", String.valueOf(maxGameStateBytes));
        m.put("ringSize", String.valueOf(ringSize));
        m.put("maxConnections", String.valueOf(maxConnections));
        m.put("waitStrategy", null == waitStrategy ? "none" : waitStrategy);
        m.put("engineCpus", null == engineCpus ? "none" : engineCpus);
        m.put("ioCpus", null == ioCpus ? "none" : ioCpus);
        m.put("redisUrl", null == redisUrl ? "none" : maskPassword(redisUrl));
        m.put("nodeId", null == nodeId ? "none" : nodeId);
        m.put("leaseTtlMillis", String.valueOf(leaseTtlMillis));
        m.put("snapshotIntervalMillis", String.valueOf(snapshotIntervalMillis));
        m.put("redisTimeoutMillis", String.valueOf(redisTimeoutMillis));
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
        private String allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
        private int maxGameStateBytes = DEFAULT_MAX_GAME_STATE_BYTES;
        private int ringSize = DEFAULT_RING_SIZE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private String waitStrategy = DEFAULT_WAIT_STRATEGY;
        private String engineCpus = DEFAULT_ENGINE_CPUS;
        private String ioCpus = DEFAULT_IO_CPUS;
        private String redisUrl = DEFAULT_REDIS_URL;
        private String nodeId = DEFAULT_NODE_ID;
        private int leaseTtlMillis = DEFAULT_LEASE_TTL_MILLIS;
        private int snapshotIntervalMillis = DEFAULT_SNAPSHOT_INTERVAL_MILLIS;
        private int redisTimeoutMillis = DEFAULT_REDIS_TIMEOUT_MILLIS;

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
            checkCpus("engineCpus", engineCpus, engineThreads);
            checkCpus("ioCpus", ioCpus, ioThreads);
            checkRange("leaseTtlMillis", leaseTtlMillis, 300, 600000);
            checkRange("snapshotIntervalMillis", snapshotIntervalMillis, 10, 600000);
            checkRange("redisTimeoutMillis", redisTimeoutMillis, 50, 60000);
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
