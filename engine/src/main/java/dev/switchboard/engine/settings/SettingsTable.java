package dev.switchboard.engine.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.settings.Setting.bool;
import static dev.switchboard.engine.settings.Setting.integer;
import static dev.switchboard.engine.settings.Setting.text;
import static dev.switchboard.engine.settings.SettingModule.CLUSTER;
import static dev.switchboard.engine.settings.SettingModule.ENGINE;
import static dev.switchboard.engine.settings.SettingModule.NET;
import static dev.switchboard.engine.settings.SettingRules.iceServerUrls;
import static dev.switchboard.engine.settings.SettingRules.matches;
import static dev.switchboard.engine.settings.SettingRules.minBytesWhenSet;
import static dev.switchboard.engine.settings.SettingRules.minCharsWhenSet;
import static dev.switchboard.engine.settings.SettingRules.notBlankWhenSet;
import static dev.switchboard.engine.settings.SettingRules.oneOf;
import static dev.switchboard.engine.settings.SettingRules.powerOfTwo;
import static dev.switchboard.engine.settings.SettingRules.required;
import static dev.switchboard.engine.settings.SettingRules.startsWith;
import static dev.switchboard.engine.settings.SettingUnit.BYTES;
import static dev.switchboard.engine.settings.SettingUnit.MILLIS;
import static dev.switchboard.engine.settings.SettingUnit.NONE;
import static dev.switchboard.engine.settings.SettingUnit.PER_SECOND;
import static dev.switchboard.engine.settings.SettingUnit.SECONDS;

/**
 * The one table of settings (protocol sections 12 and 13): each setting is declared here once, with its name,
 * kind, default, range or rule, unit, module and meaning, in the order of {@code --help} and the start-up log.
 * <p>
 * The declaration drives {@link SwitchboardSettings} (storage, validation, {@code describe()}), the per-module
 * contexts, the flag / environment / file loader, {@code --help}, the distribution's config template and the
 * README's settings table. Adding a setting is one {@code declare(...)} line here; a typed getter on
 * {@link SwitchboardSettings} and setter on its builder are optional one-liners for callers that want them.
 * Rules between settings are {@link #crossRefusal(SwitchboardSettings)}. Each constant below is the setting's
 * handle for {@link SwitchboardSettings#intValue(Setting)} and the module contexts; its meaning is its declaration.
 */
public final class SettingsTable
{
    private static final List<Setting> ALL = new ArrayList<>();

    public static final Setting PORT = declare(integer("port", NET, NONE, 8080)
        .range(0, 65535)
        .meaning("TCP port to listen on."));
    public static final Setting BIND_ADDRESS = declare(text("bindAddress", NET, "0.0.0.0")
        .rule(required())
        .meaning("Address to bind."));
    public static final Setting IO_THREADS = declare(integer("ioThreads", NET, NONE, 1)
        .range(1, 64)
        .meaning("Number of IoAgent selector threads."));
    public static final Setting ENGINE_THREADS = declare(integer("engineThreads", ENGINE, NONE, 1)
        .range(1, 64)
        .meaning("Number of engine shards, each one thread."));
    public static final Setting MAX_PAYLOAD_BYTES = declare(integer("maxPayloadBytes", NET, BYTES, 65536)
        .range(128, 16777216)
        .meaning("Largest message processed; bigger ones get payload_too_large."));
    public static final Setting HARD_FRAME_LIMIT_BYTES = declare(integer("hardFrameLimitBytes", NET, BYTES, 1048576)
        .range(128, 1073741824)
        .meaning("Frame or reassembled message length that closes with 1009."));
    public static final Setting PING_INTERVAL_SECONDS = declare(integer("pingIntervalSeconds", NET, SECONDS, 20)
        .range(1, 3600)
        .meaning("Seconds between server pings."));
    public static final Setting IDLE_TIMEOUT_SECONDS = declare(integer("idleTimeoutSeconds", NET, SECONDS, 45)
        .range(1, 86400)
        .meaning("Seconds without a client frame before close 4009."));
    public static final Setting HTTP_HEAD_TIMEOUT_SECONDS = declare(integer("httpHeadTimeoutSeconds", NET, SECONDS, 10)
        .range(1, 3600)
        .meaning("Seconds to finish an HTTP request head before the socket is dropped."));
    public static final Setting MAX_PIPELINED_REQUESTS = declare(integer("maxPipelinedRequests", NET, NONE, 16)
        .range(1, 4096)
        .meaning("HTTP requests in flight per connection; reading pauses at the cap."));
    public static final Setting MESSAGE_DEADLINE_SECONDS = declare(integer("messageDeadlineSeconds", NET, SECONDS, 10)
        .range(1, 3600)
        .meaning("Seconds a WebSocket message may take from first to last byte; then 1008."));
    public static final Setting MAX_FRAGMENTS_PER_MESSAGE = declare(integer("maxFragmentsPerMessage", NET, NONE, 1024)
        .range(1, 1048576)
        .meaning("Frames one fragmented WebSocket message may have; more close 1008."));
    public static final Setting MAX_CONNECTIONS_PER_ADDRESS =
        declare(integer("maxConnectionsPerAddress", NET, NONE, 256)
        .range(1, 16777216)
        .meaning("Sockets one remote address may hold at once on this node, across its IoAgents."));
    public static final Setting UPGRADES_PER_ADDRESS_PER_SECOND =
        declare(integer("upgradesPerAddressPerSecond", NET, PER_SECOND, 100)
        .range(1, 1000000)
        .meaning("WebSocket upgrades per remote address per second; more get 429."));
    public static final Setting JOINS_PER_ADDRESS_PER_SECOND =
        declare(integer("joinsPerAddressPerSecond", NET, PER_SECOND, 100)
        .range(1, 1000000)
        .meaning("Joins and resumes per remote address per second; more: rate_limited."));
    public static final Setting TRUSTED_PROXIES = declare(text("trustedProxies", NET, null)
        .rule(matches("\\s*[0-9A-Fa-f:.]+\\s*(,\\s*[0-9A-Fa-f:.]+\\s*)*", "comma-separated IPv4 or IPv6 addresses"))
        .meaning("Comma-separated proxy addresses whose X-Forwarded-For is believed; none."));
    public static final Setting DEDUPE_WINDOW = declare(integer("dedupeWindow", ENGINE, NONE, 64)
        .range(1, 65536)
        .meaning("MsgIds remembered per session for duplicate suppression."));
    public static final Setting REPLAY_WINDOW = declare(integer("replayWindow", ENGINE, NONE, 128)
        .range(1, 65536)
        .meaning("Directed and broadcast frames kept per session and room for resume replay."));
    public static final Setting REPLAY_WINDOW_BYTES = declare(integer("replayWindowBytes", ENGINE, BYTES, 65536)
        .range(1024, 1073741824)
        .meaning("Encoded bytes of directed frames kept per session for resume replay."));
    public static final Setting ROOM_REPLAY_WINDOW_BYTES =
        declare(integer("roomReplayWindowBytes", ENGINE, BYTES, 1048576)
        .range(1024, 1073741824)
        .meaning("Encoded bytes of broadcast frames kept per room for resume replay."));
    public static final Setting FRAME_POOL_RETAINED_BYTES =
        declare(integer("framePoolRetainedBytes", ENGINE, BYTES, 8388608)
        .range(0, 1073741824)
        .meaning("Bytes of free frames each engine's frame pool keeps for reuse."));
    public static final Setting TICK_MILLIS = declare(integer("tickMillis", ENGINE, MILLIS, 16)
        .range(16, 33)
        .meaning("Coalescing tick in milliseconds, 16 to 33."));
    public static final Setting FANOUT_SLICE = declare(integer("fanoutSlice", ENGINE, NONE, 100)
        .range(1, 1000000)
        .meaning("Recipients served per broadcast slice before other rooms get a turn."));
    public static final Setting MAX_QUEUE = declare(integer("maxQueue", ENGINE, NONE, 100)
        .range(1, 100000)
        .meaning("Co-host request queue capacity."));
    public static final Setting HIGH_WATERMARK_BYTES = declare(integer("highWatermarkBytes", ENGINE, BYTES, 1048576)
        .range(1024, 1073741824)
        .meaning("Buffered bytes that put a socket into drop mode."));
    public static final Setting LOW_WATERMARK_BYTES = declare(integer("lowWatermarkBytes", ENGINE, BYTES, 262144)
        .range(0, 1073741824)
        .meaning("Buffered bytes under which a socket leaves drop mode."));
    public static final Setting SLOW_CONSUMER_BYTES = declare(integer("slowConsumerBytes", ENGINE, BYTES, 8388608)
        .range(1024, 1073741824)
        .meaning("Buffered bytes that close a socket with 4008 slow_consumer."));
    public static final Setting ICE_RATE = declare(integer("iceRate", ENGINE, PER_SECOND, 50)
        .range(1, 1000000)
        .meaning("ice_candidate tokens per second per session."));
    public static final Setting ICE_BURST = declare(integer("iceBurst", ENGINE, NONE, 100)
        .range(1, 1000000)
        .meaning("ice_candidate bucket size."));
    public static final Setting GAME_EVENT_RATE = declare(integer("gameEventRate", ENGINE, PER_SECOND, 5)
        .range(1, 1000000)
        .meaning("game_event tokens per second per session."));
    public static final Setting GAME_EVENT_BURST = declare(integer("gameEventBurst", ENGINE, NONE, 10)
        .range(1, 1000000)
        .meaning("game_event bucket size."));
    public static final Setting GAME_STATE_RATE = declare(integer("gameStateRate", ENGINE, PER_SECOND, 60)
        .range(1, 1000000)
        .meaning("game_state tokens per second per session."));
    public static final Setting GAME_STATE_BURST = declare(integer("gameStateBurst", ENGINE, NONE, 120)
        .range(1, 1000000)
        .meaning("game_state bucket size."));
    public static final Setting MESSAGE_RATE = declare(integer("messageRate", ENGINE, PER_SECOND, 200)
        .range(1, 1000000)
        .meaning("Messages of any type per second per session."));
    public static final Setting MESSAGE_BURST = declare(integer("messageBurst", ENGINE, NONE, 400)
        .range(1, 1000000)
        .meaning("Bucket size for messages of any type."));
    public static final Setting RESUME_WINDOW_SECONDS = declare(integer("resumeWindowSeconds", ENGINE, SECONDS, 120)
        .range(1, 86400)
        .meaning("Seconds an away session stays resumable."));
    public static final Setting HOSTLESS_ROOM_SECONDS = declare(integer("hostlessRoomSeconds", ENGINE, SECONDS, 120)
        .range(1, 86400)
        .meaning("Seconds a room may have no host before it is torn down."));
    public static final Setting DRAIN_SECONDS = declare(integer("drainSeconds", NET, SECONDS, 10)
        .range(0, 3600)
        .meaning("Seconds over which sockets are closed on graceful shutdown."));
    public static final Setting DRAIN_SPREAD_MILLIS = declare(integer("drainSpreadMillis", NET, MILLIS, 5000)
        .range(0, 3600000)
        .meaning("Upper bound of the retry_after_ms told to each drained socket."));
    public static final Setting JWT_SECRET = declare(text("jwtSecret", ENGINE, null)
        .rule(minBytesWhenSet(SwitchboardSettings.MIN_JWT_SECRET_BYTES, "HS256 keys shorter than the hash are guessable"))
        .secret()
        .meaning("HS256 secret for authTokens; none means everyone is a guest. Prefer the variable or the file: " +
            "flags show in the process list."));
    public static final Setting JWT_MAX_LIFETIME_SECONDS = declare(integer("jwtMaxLifetimeSeconds", ENGINE, SECONDS, 0)
        .range(0, 315360000)
        .meaning("Longest lifetime a token may claim (exp minus iat, or minus now without iat); 0 means no limit."));
    public static final Setting JWT_LEEWAY_SECONDS = declare(integer("jwtLeewaySeconds", ENGINE, SECONDS, 30)
        .range(0, 600)
        .meaning("Clock skew allowed on exp and nbf, in seconds."));
    public static final Setting JWT_ISSUER = declare(text("jwtIssuer", ENGINE, null)
        .rule(notBlankWhenSet())
        .meaning("Required iss claim of every token; none means iss is not checked."));
    public static final Setting JWT_AUDIENCE = declare(text("jwtAudience", ENGINE, null)
        .rule(notBlankWhenSet())
        .meaning("Required aud claim (a string or one entry of an array); none means aud is not checked."));
    public static final Setting REQUIRE_AUTH = declare(bool("requireAuth", NET, false)
        .meaning("Whether a socket without a valid token is refused with 4401 instead of joining as a " +
            "guest."));
    public static final Setting ADMIN_PORT = declare(integer("adminPort", NET, NONE, -1)
        .range(-1, 65535)
        .meaning("TCP port of the operator surface (admin API, /metrics, full /healthz); -1 means off, 0 a free " +
            "port."));
    public static final Setting ADMIN_BIND_ADDRESS = declare(text("adminBindAddress", NET, "127.0.0.1")
        .rule(required())
        .meaning("Address the operator port binds."));
    public static final Setting ADMIN_TOKEN = declare(text("adminToken", NET, null)
        .rule(minCharsWhenSet(16)).secret()
        .meaning("Bearer token of the admin API, at least 16 characters; none means every admin call is refused " +
            "with 401."));
    public static final Setting PUBLIC_HARNESS = declare(bool("publicHarness", NET, true)
        .meaning("Whether the public port serves the harness page under /harness/."));
    public static final Setting WEBHOOK_URL = declare(text("webhookUrl", NET, null)
        .rule(startsWith("http://", "https://"))
        .meaning("URL that receives webhook events as JSON POSTs; none means webhooks are off."));
    public static final Setting WEBHOOK_SECRET = declare(text("webhookSecret", NET, null)
        .rule(notBlankWhenSet()).secret()
        .meaning("HMAC-SHA256 key that signs every webhook body; required with webhookUrl."));
    public static final Setting WEBHOOK_QUEUE_SIZE = declare(integer("webhookQueueSize", NET, NONE, 4096)
        .range(16, 1048576)
        .meaning("Webhook events held for delivery at once; more are dropped and counted."));
    public static final Setting WEBHOOK_MAX_ATTEMPTS = declare(integer("webhookMaxAttempts", NET, NONE, 5)
        .range(1, 20)
        .meaning("Delivery attempts of one webhook event before it is dropped and counted."));
    public static final Setting WEBHOOK_TIMEOUT_MILLIS = declare(integer("webhookTimeoutMillis", NET, MILLIS, 5000)
        .range(100, 60000)
        .meaning("Time after which one webhook POST counts as failed."));
    public static final Setting ICE_SERVERS = declare(text("iceServers", ENGINE, null)
        .rule(iceServerUrls())
        .meaning("Comma-separated STUN/TURN URLs handed to clients in joined and resume_ok; none means no " +
            "iceServers."));
    public static final Setting TURN_SECRET = declare(text("turnSecret", ENGINE, null)
        .rule(notBlankWhenSet()).secret()
        .meaning("Shared secret of coturn's use-auth-secret; TURN URLs then get time-limited credentials."));
    public static final Setting TURN_TTL_SECONDS = declare(integer("turnTtlSeconds", ENGINE, SECONDS, 3600)
        .range(60, 604800)
        .meaning("Lifetime of the TURN credentials handed out."));
    public static final Setting ALLOWED_ORIGINS = declare(text("allowedOrigins", NET, null)
        .meaning("Comma-separated Origin values allowed to upgrade; none means any."));
    public static final Setting MAX_GAME_STATE_BYTES = declare(integer("maxGameStateBytes", ENGINE, BYTES, 262144)
        .range(1024, 1073741824)
        .meaning("Largest merged game state a room may hold."));
    public static final Setting MAX_GAME_STATE_ENTRIES = declare(integer("maxGameStateEntries", ENGINE, NONE, 4096)
        .range(1, 1048576)
        .meaning("Most top-level keys a room's merged game state may hold."));
    public static final Setting MAX_PATCH_ENTRIES = declare(integer("maxPatchEntries", ENGINE, NONE, 1024)
        .range(1, 1048576)
        .meaning("Most top-level keys one game_state patch may carry."));
    public static final Setting GAME_STATE_ENTRY_RATE = declare(integer("gameStateEntryRate", ENGINE, PER_SECOND, 8192)
        .range(1, 100000000)
        .meaning("game_state patch keys per second per session."));
    public static final Setting GAME_STATE_ENTRY_BURST = declare(integer("gameStateEntryBurst", ENGINE, NONE, 16384)
        .range(1, 100000000)
        .meaning("Bucket size of game_state patch keys; at least maxPatchEntries."));
    public static final Setting RING_SIZE = declare(integer("ringSize", ENGINE, NONE, 16384)
        .range(64, 1073741824).intRule(powerOfTwo())
        .meaning("Slots in each inbound and outbound ring; a power of two."));
    public static final Setting MAX_CONNECTIONS = declare(integer("maxConnections", NET, NONE, 16384)
        .range(1, 16777216)
        .meaning("Sockets one server accepts at once; more are refused."));
    public static final Setting WAIT_STRATEGY = declare(text("waitStrategy", ENGINE, "blocking")
        .rule(oneOf("blocking", "yielding", "busy-spin"))
        .meaning("How engine threads wait for work: blocking, yielding or busy-spin."));
    public static final Setting THREADING_MODE = declare(text("threadingMode", NET, "shared")
        .rule(oneOf("shared", "dedicated"))
        .meaning("How agents map to threads: shared runs the engine shards on the IoAgents' threads (shard i on " +
            "IoAgent i mod ioThreads), so with one IoAgent a message goes socket, engine, socket on one thread; " +
            "dedicated gives each IoAgent and shard its own thread, for pinned cores with yielding or busy-spin."));
    public static final Setting ENGINE_CPUS = declare(text("engineCpus", ENGINE, null)
        .meaning("CPU ids to pin engine threads to, one per shard (e.g. 2,3); none: no pinning."));
    public static final Setting IO_CPUS = declare(text("ioCpus", NET, null)
        .meaning("CPU ids to pin IoAgent threads to, one per agent (e.g. 1); none: no pinning."));
    public static final Setting REDIS_URL = declare(text("redisUrl", CLUSTER, null)
        .rule(startsWith("redis://", "rediss://")).display(SettingRules::maskPassword)
        .meaning("Redis of the cluster (redis://host:port); none: a single node, no outside service."));
    public static final Setting NODE_ID = declare(text("nodeId", CLUSTER, null)
        .rule(matches("[A-Za-z0-9_.-]{1,64}", "1 to 64 of [A-Za-z0-9_.-]"))
        .meaning("This node's id in the cluster; none: a random id made at start and logged."));
    public static final Setting LEASE_TTL_MILLIS = declare(integer("leaseTtlMillis", CLUSTER, MILLIS, 5000)
        .range(300, 600000)
        .meaning("Lifetime of a room lease and a node heartbeat; renewed every third of it."));
    public static final Setting SNAPSHOT_INTERVAL_MILLIS =
        declare(integer("snapshotIntervalMillis", CLUSTER, MILLIS, 250)
        .range(10, 600000)
        .meaning("Least time between two Redis snapshots of the same changed room."));
    public static final Setting REDIS_TIMEOUT_MILLIS = declare(integer("redisTimeoutMillis", CLUSTER, MILLIS, 1000)
        .range(50, 60000)
        .meaning("Time after which a Redis command or connection attempt has failed."));
    public static final Setting CLUSTER_SECRET = declare(text("clusterSecret", CLUSTER, null)
        .rule(minBytesWhenSet(32, null)).secret()
        .meaning("HMAC-SHA256 key (32+ bytes) every node shares to sign relay batches and snapshots; none: " +
            "unsigned. Prefer the variable or the file."));

    private static final List<Setting> SETTINGS = Collections.unmodifiableList(ALL);
    private static final Map<String, Setting> BY_NAME = byName();

    private SettingsTable()
    {
    }

    /**
     * Every setting in declaration order.
     *
     * @return the settings, unmodifiable.
     */
    public static List<Setting> all()
    {
        return SETTINGS;
    }

    /**
     * The setting of a name.
     *
     * @param name a setting name such as {@code tickMillis}.
     * @return the setting, or null when there is none of that name.
     */
    public static Setting named(final String name)
    {
        return BY_NAME.get(name);
    }

    /**
     * Why settings that are each valid do not fit together, or null when they do.
     *
     * @param s settings whose every value passed its own range and rule.
     * @return the full message naming the settings, or null.
     */
    static String crossRefusal(final SwitchboardSettings s)
    {
        if (s.gameStateEntryBurst() < s.maxPatchEntries())
        {
            return "gameStateEntryBurst must be at least maxPatchEntries, got " +
                s.gameStateEntryBurst() + " < " + s.maxPatchEntries();
        }
        if (s.lowWatermarkBytes() >= s.highWatermarkBytes())
        {
            return "lowWatermarkBytes must be below highWatermarkBytes, got " +
                s.lowWatermarkBytes() + " >= " + s.highWatermarkBytes();
        }
        if (s.slowConsumerBytes() < s.highWatermarkBytes())
        {
            return "slowConsumerBytes must be at least highWatermarkBytes, got " +
                s.slowConsumerBytes() + " < " + s.highWatermarkBytes();
        }
        if (s.maxPayloadBytes() > s.hardFrameLimitBytes())
        {
            return "maxPayloadBytes must not exceed hardFrameLimitBytes, got " +
                s.maxPayloadBytes() + " > " + s.hardFrameLimitBytes();
        }
        if (s.idleTimeoutSeconds() <= s.pingIntervalSeconds())
        {
            return "idleTimeoutSeconds must exceed pingIntervalSeconds, got " +
                s.idleTimeoutSeconds() + " <= " + s.pingIntervalSeconds();
        }
        final String engineCpus = SettingRules.cpuListRefusal("engineCpus", s.engineCpus(), s.engineThreads());
        return null != engineCpus ? engineCpus : SettingRules.cpuListRefusal("ioCpus", s.ioCpus(), s.ioThreads());
    }

    private static Setting declare(final Setting.Spec spec)
    {
        final Setting setting = spec.declare(ALL.size());
        ALL.add(setting);
        return setting;
    }

    private static Map<String, Setting> byName()
    {
        final Map<String, Setting> map = new LinkedHashMap<>();
        for (final Setting setting : ALL)
        {
            if (null != map.put(setting.name(), setting))
            {
                throw new IllegalStateException("setting declared twice: " + setting.name());
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
