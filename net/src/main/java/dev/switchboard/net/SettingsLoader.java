package dev.switchboard.net;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.engine.SwitchboardSettings;

/**
 * Loads {@link SwitchboardSettings} from command-line flags, environment variables and a properties file
 * (protocol section 12); runs once at start, off every hot path.
 * <p>
 * Setting {@code hostlessRoomSeconds} is flag {@code --hostless-room-seconds 5} or
 * {@code --hostless-room-seconds=5}, variable {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS=5} and file key
 * {@code hostlessRoomSeconds=5}. The flag wins, then the variable, then the file named by {@code --config FILE}
 * or {@code SWITCHBOARD_CONFIG}; a setting given nowhere keeps its default. Nothing unknown is ignored: an
 * unknown flag, file key or {@code SWITCHBOARD_} variable, a flag given twice or without a value, a number that
 * does not parse and a value the settings refuse all fail with a {@link SettingsException} naming the setting and
 * where its value came from.
 */
public final class SettingsLoader
{
    /** Prefix of every environment variable the loader reads. */
    public static final String ENV_PREFIX = "SWITCHBOARD_";

    /** Environment variable naming the properties file. */
    public static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";

    /** Flag naming the properties file. */
    public static final String CONFIG_FLAG = "--config";

    private static final String CONFIG_SETTING = "config";
    private static final String DEFAULT_ORIGIN = "default";

    private static final List<Setting> SETTINGS = List.of(
        intSetting("port", "TCP port to listen on.", SwitchboardSettings.Builder::port),
        stringSetting("bindAddress", "Address to bind.", SwitchboardSettings.Builder::bindAddress),
        intSetting("ioThreads", "Number of IoAgent selector threads.", SwitchboardSettings.Builder::ioThreads),
        intSetting("engineThreads", "Number of engine shards, each one thread.",
            SwitchboardSettings.Builder::engineThreads),
        intSetting("maxPayloadBytes", "Largest message processed; bigger ones get payload_too_large.",
            SwitchboardSettings.Builder::maxPayloadBytes),
        intSetting("hardFrameLimitBytes", "Frame or reassembled message length that closes with 1009.",
            SwitchboardSettings.Builder::hardFrameLimitBytes),
        intSetting("pingIntervalSeconds", "Seconds between server pings.",
            SwitchboardSettings.Builder::pingIntervalSeconds),
        intSetting("idleTimeoutSeconds", "Seconds without a client frame before close 4009.",
            SwitchboardSettings.Builder::idleTimeoutSeconds),
        intSetting("httpHeadTimeoutSeconds", "Seconds to finish an HTTP request head before the socket is dropped.",
            SwitchboardSettings.Builder::httpHeadTimeoutSeconds),
        intSetting("maxPipelinedRequests", "HTTP requests in flight per connection; reading pauses at the cap.",
            SwitchboardSettings.Builder::maxPipelinedRequests),
        intSetting("messageDeadlineSeconds", "Seconds a WebSocket message may take from first to last byte; then 1008.",
            SwitchboardSettings.Builder::messageDeadlineSeconds),
        intSetting("maxFragmentsPerMessage", "Frames one fragmented WebSocket message may have; more close 1008.",
            SwitchboardSettings.Builder::maxFragmentsPerMessage),
        intSetting("maxConnectionsPerAddress", "Sockets one remote address may hold at once per IoAgent.",
            SwitchboardSettings.Builder::maxConnectionsPerAddress),
        intSetting("upgradesPerAddressPerSecond", "WebSocket upgrades per remote address per second; more get 429.",
            SwitchboardSettings.Builder::upgradesPerAddressPerSecond),
        intSetting("joinsPerAddressPerSecond", "Joins and resumes per remote address per second; more: rate_limited.",
            SwitchboardSettings.Builder::joinsPerAddressPerSecond),
        stringSetting("trustedProxies", "Comma-separated proxy addresses whose X-Forwarded-For is believed; none.",
            SwitchboardSettings.Builder::trustedProxies),
        intSetting("dedupeWindow", "MsgIds remembered per session for duplicate suppression.",
            SwitchboardSettings.Builder::dedupeWindow),
        intSetting("replayWindow", "Directed and broadcast frames kept per session and room for resume replay.",
            SwitchboardSettings.Builder::replayWindow),
        intSetting("replayWindowBytes", "Encoded bytes of directed frames kept per session for resume replay.",
            SwitchboardSettings.Builder::replayWindowBytes),
        intSetting("roomReplayWindowBytes", "Encoded bytes of broadcast frames kept per room for resume replay.",
            SwitchboardSettings.Builder::roomReplayWindowBytes),
        intSetting("framePoolRetainedBytes", "Bytes of free frames each engine's frame pool keeps for reuse.",
            SwitchboardSettings.Builder::framePoolRetainedBytes),
        intSetting("tickMillis", "Coalescing tick in milliseconds, 16 to 33.", SwitchboardSettings.Builder::tickMillis),
        intSetting("fanoutSlice", "Recipients served per broadcast slice before other rooms get a turn.",
            SwitchboardSettings.Builder::fanoutSlice),
        intSetting("maxQueue", "Co-host request queue capacity.", SwitchboardSettings.Builder::maxQueue),
        intSetting("highWatermarkBytes", "Buffered bytes that put a socket into drop mode.",
            SwitchboardSettings.Builder::highWatermarkBytes),
        intSetting("lowWatermarkBytes", "Buffered bytes under which a socket leaves drop mode.",
            SwitchboardSettings.Builder::lowWatermarkBytes),
        intSetting("slowConsumerBytes", "Buffered bytes that close a socket with 4008 slow_consumer.",
            SwitchboardSettings.Builder::slowConsumerBytes),
        intSetting("iceRate", "ice_candidate tokens per second per session.", SwitchboardSettings.Builder::iceRate),
        intSetting("iceBurst", "ice_candidate bucket size.", SwitchboardSettings.Builder::iceBurst),
        intSetting("gameEventRate", "game_event tokens per second per session.",
            SwitchboardSettings.Builder::gameEventRate),
        intSetting("gameEventBurst", "game_event bucket size.", SwitchboardSettings.Builder::gameEventBurst),
        intSetting("gameStateRate", "game_state tokens per second per session.",
            SwitchboardSettings.Builder::gameStateRate),
        intSetting("gameStateBurst", "game_state bucket size.", SwitchboardSettings.Builder::gameStateBurst),
        intSetting("messageRate", "Messages of any type per second per session.",
            SwitchboardSettings.Builder::messageRate),
        intSetting("messageBurst", "Bucket size for messages of any type.", SwitchboardSettings.Builder::messageBurst),
        intSetting("resumeWindowSeconds", "Seconds an away session stays resumable.",
            SwitchboardSettings.Builder::resumeWindowSeconds),
        intSetting("hostlessRoomSeconds", "Seconds a room may have no host before it is torn down.",
            SwitchboardSettings.Builder::hostlessRoomSeconds),
        intSetting("drainSeconds", "Seconds over which sockets are closed on graceful shutdown.",
            SwitchboardSettings.Builder::drainSeconds),
        intSetting("drainSpreadMillis", "Upper bound of the retry_after_ms told to each drained socket.",
            SwitchboardSettings.Builder::drainSpreadMillis),
        stringSetting("jwtSecret", "HS256 secret for authTokens; none means everyone is a guest. Prefer the " +
            "variable or the file: flags show in the process list.", SwitchboardSettings.Builder::jwtSecret),
        intSetting("jwtMaxLifetimeSeconds", "Longest lifetime a token may claim (exp minus iat, or minus now without iat); 0 means no limit.",
            SwitchboardSettings.Builder::jwtMaxLifetimeSeconds),
        intSetting("jwtLeewaySeconds", "Clock skew allowed on exp and nbf, in seconds.",
            SwitchboardSettings.Builder::jwtLeewaySeconds),
        stringSetting("jwtIssuer", "Required iss claim of every token; none means iss is not checked.",
            SwitchboardSettings.Builder::jwtIssuer),
        stringSetting("jwtAudience", "Required aud claim (a string or one entry of an array); none means aud is not checked.",
            SwitchboardSettings.Builder::jwtAudience),
        booleanSetting("requireAuth", "Whether a socket without a valid token is refused with 4401 instead of joining as a guest. (true or false)",
            SwitchboardSettings.Builder::requireAuth),
        intSetting("adminPort", "TCP port of the operator surface (admin API, /metrics, full /healthz); -1 means off, 0 a free port.",
            SwitchboardSettings.Builder::adminPort),
        stringSetting("adminBindAddress", "Address the operator port binds.",
            SwitchboardSettings.Builder::adminBindAddress),
        stringSetting("adminToken", "Bearer token of the admin API, at least 16 characters; none means every admin call is refused with 401.",
            SwitchboardSettings.Builder::adminToken),
        booleanSetting("publicHarness", "Whether the public port serves the harness page under /harness/. (true or false)",
            SwitchboardSettings.Builder::publicHarness),
        stringSetting("webhookUrl", "URL that receives webhook events as JSON POSTs; none means webhooks are off.",
            SwitchboardSettings.Builder::webhookUrl),
        stringSetting("webhookSecret", "HMAC-SHA256 key that signs every webhook body; required with webhookUrl.",
            SwitchboardSettings.Builder::webhookSecret),
        intSetting("webhookQueueSize", "Webhook events held for delivery at once; more are dropped and counted.",
            SwitchboardSettings.Builder::webhookQueueSize),
        intSetting("webhookMaxAttempts", "Delivery attempts of one webhook event before it is dropped and counted.",
            SwitchboardSettings.Builder::webhookMaxAttempts),
        intSetting("webhookTimeoutMillis", "Time after which one webhook POST counts as failed.",
            SwitchboardSettings.Builder::webhookTimeoutMillis),
        stringSetting("iceServers", "Comma-separated STUN/TURN URLs handed to clients in joined and resume_ok; none means no iceServers.",
            SwitchboardSettings.Builder::iceServers),
        stringSetting("turnSecret", "Shared secret of coturn's use-auth-secret; TURN URLs then get time-limited credentials.",
            SwitchboardSettings.Builder::turnSecret),
        intSetting("turnTtlSeconds", "Lifetime of the TURN credentials handed out.",
            SwitchboardSettings.Builder::turnTtlSeconds),
        stringSetting("allowedOrigins", "Comma-separated Origin values allowed to upgrade; none means any.",
            SwitchboardSettings.Builder::allowedOrigins),
        intSetting("maxGameStateBytes", "Largest merged game state a room may hold.",
            SwitchboardSettings.Builder::maxGameStateBytes),
        intSetting("maxGameStateEntries", "Most top-level keys a room's merged game state may hold.",
            SwitchboardSettings.Builder::maxGameStateEntries),
        intSetting("maxPatchEntries", "Most top-level keys one game_state patch may carry.",
            SwitchboardSettings.Builder::maxPatchEntries),
        intSetting("gameStateEntryRate", "game_state patch keys per second per session.",
            SwitchboardSettings.Builder::gameStateEntryRate),
        intSetting("gameStateEntryBurst", "Bucket size of game_state patch keys; at least maxPatchEntries.",
            SwitchboardSettings.Builder::gameStateEntryBurst),
        intSetting("ringSize", "Slots in each inbound and outbound ring; a power of two.",
            SwitchboardSettings.Builder::ringSize),
        intSetting("maxConnections", "Sockets one server accepts at once; more are refused.",
            SwitchboardSettings.Builder::maxConnections),
        stringSetting("waitStrategy", "How engine threads wait for work: blocking, yielding or busy-spin.",
            SwitchboardSettings.Builder::waitStrategy),
        stringSetting("threadingMode", "How agents map to threads: shared (engine shards on the IoAgents' " +
            "threads; one thread with one IoAgent) or dedicated (a thread each).", SwitchboardSettings.Builder::threadingMode),
        stringSetting("engineCpus", "CPU ids to pin engine threads to, one per shard (e.g. 2,3); none: no pinning.",
            SwitchboardSettings.Builder::engineCpus),
        stringSetting("ioCpus", "CPU ids to pin IoAgent threads to, one per agent (e.g. 1); none: no pinning.",
            SwitchboardSettings.Builder::ioCpus),
        stringSetting("redisUrl", "Redis of the cluster (redis://host:port); none: a single node, no outside service.",
            SwitchboardSettings.Builder::redisUrl),
        stringSetting("nodeId", "This node's id in the cluster; none: a random id made at start and logged.",
            SwitchboardSettings.Builder::nodeId),
        intSetting("leaseTtlMillis", "Lifetime of a room lease and a node heartbeat; renewed every third of it.",
            SwitchboardSettings.Builder::leaseTtlMillis),
        intSetting("snapshotIntervalMillis", "Least time between two Redis snapshots of the same changed room.",
            SwitchboardSettings.Builder::snapshotIntervalMillis),
        intSetting("redisTimeoutMillis", "Time after which a Redis command or connection attempt has failed.",
            SwitchboardSettings.Builder::redisTimeoutMillis),
        stringSetting("clusterSecret", "HMAC-SHA256 key (32+ bytes) every node shares to sign relay batches and " +
            "snapshots; none: unsigned. Prefer the variable or the file.", SwitchboardSettings.Builder::clusterSecret));

    private static final Map<String, Setting> BY_NAME = index(0);
    private static final Map<String, Setting> BY_FLAG = index(1);
    private static final Map<String, Setting> BY_ENV = index(2);

    private SettingsLoader()
    {
    }

    /**
     * Load the settings: flags win, then environment, then the properties file named by {@code --config FILE},
     * {@code --config=FILE} or {@code SWITCHBOARD_CONFIG}; {@code --help} and {@code -h} are skipped, see
     * {@link #wantsHelp(String[])}.
     *
     * @param args        command-line arguments.
     * @param environment environment variables, usually {@link System#getenv()}.
     * @return validated settings.
     * @throws SettingsException naming the bad setting, its value and where it came from.
     */
    public static SwitchboardSettings load(final String[] args, final Map<String, String> environment)
        throws SettingsException
    {
        final Map<Setting, Value> fromFlags = new HashMap<>();
        final Value configFromFlag = parseFlags(args, fromFlags);
        final Map<Setting, Value> fromEnv = new HashMap<>();
        final Value configFromEnv = parseEnvironment(environment, fromEnv);
        final Value config = null != configFromFlag ? configFromFlag : configFromEnv;
        final Map<Setting, Value> fromFile = null == config ? Collections.emptyMap() : parseFile(config);

        final SwitchboardSettings.Builder builder = SwitchboardSettings.builder();
        final Map<String, String> origins = new HashMap<>();
        for (final Setting setting : SETTINGS)
        {
            Value value = fromFlags.get(setting);
            if (null == value)
            {
                value = fromEnv.get(setting);
            }
            if (null == value)
            {
                value = fromFile.get(setting);
            }
            if (null != value)
            {
                origins.put(setting.name, value.origin);
                try
                {
                    setting.apply(builder, value);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw rejected(ex.getMessage(), origins);
                }
            }
        }

        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw rejected(ex.getMessage(), origins);
        }
    }

    /**
     * Whether the arguments ask for help: {@code --help} or {@code -h} where a flag is expected.
     *
     * @param args command-line arguments.
     * @return true when the caller should print {@link #usage()} and exit.
     */
    public static boolean wantsHelp(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (isHelp(arg))
            {
                return true;
            }
            if (arg.startsWith("--") && arg.indexOf('=') < 0 && i + 1 < args.length && !args[i + 1].startsWith("--"))
            {
                i++;
            }
        }
        return false;
    }

    /**
     * Help text: how values are found, then every setting with its flag, variable, default and meaning.
     *
     * @return the text, lines separated by {@code \n}.
     */
    public static String usage()
    {
        final Map<String, String> defaults = SwitchboardSettings.defaults().describe();
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("Usage: switchboard [--config FILE] [--<setting> VALUE | --<setting>=VALUE]...\n")
            .append("Each setting is read from its flag, else its environment variable, else the properties file\n")
            .append("named by --config FILE or ").append(CONFIG_ENV)
            .append(" (key = setting name), else its default.\n")
            .append("Unknown flags, keys and ").append(ENV_PREFIX).append("* variables, and bad values, stop the ")
            .append("server.\n\n")
            .append("  --config FILE   ").append(CONFIG_ENV).append("\n      Properties file of settings.\n")
            .append("  --help, -h\n      Print this text and exit.\n")
            .append("  --version\n      Print the version and the Java version, and exit.\n\n");
        for (final Setting setting : SETTINGS)
        {
            sb.append("  ").append(setting.flag).append(setting.isInt ? " N" : " TEXT")
                .append("   ").append(setting.env)
                .append("   (file: ").append(setting.name)
                .append(", default: ").append(defaults.getOrDefault(setting.name, "none")).append(")\n")
                .append("      ").append(setting.meaning).append('\n');
        }
        return sb.toString();
    }

    /**
     * The command-line flag of a setting, {@code --} and its name in kebab case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the flag such as {@code --hostless-room-seconds}.
     */
    public static String flagOf(final String settingName)
    {
        final StringBuilder sb = new StringBuilder(settingName.length() + 8).append("--");
        for (int i = 0; i < settingName.length(); i++)
        {
            final char c = settingName.charAt(i);
            if (Character.isUpperCase(c))
            {
                sb.append('-').append(Character.toLowerCase(c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The environment variable of a setting, {@code SWITCHBOARD_} and its name in upper snake case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the variable such as {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS}.
     */
    public static String envOf(final String settingName)
    {
        final StringBuilder sb = new StringBuilder(settingName.length() + 20).append(ENV_PREFIX);
        for (int i = 0; i < settingName.length(); i++)
        {
            final char c = settingName.charAt(i);
            if (Character.isUpperCase(c))
            {
                sb.append('_').append(c);
            }
            else
            {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * Every setting's name, one-sentence meaning and kind, in the order of {@code --help}; for generated
     * documentation such as the distribution's {@code config/switchboard.properties}.
     *
     * @return the settings, unmodifiable.
     */
    public static List<SettingDoc> documentation()
    {
        final List<SettingDoc> docs = new ArrayList<>(SETTINGS.size());
        for (final Setting setting : SETTINGS)
        {
            docs.add(new SettingDoc(setting.name, setting.meaning, setting.isInt));
        }
        return Collections.unmodifiableList(docs);
    }

    /**
     * One setting as documentation.
     *
     * @param name        the setting's name, also its properties-file key.
     * @param meaning     one sentence on what it does.
     * @param wholeNumber whether its value is a whole number (else text).
     */
    public record SettingDoc(String name, String meaning, boolean wholeNumber)
    {
    }

    private static Value parseFlags(final String[] args, final Map<Setting, Value> out) throws SettingsException
    {
        Value config = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (isHelp(arg))
            {
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2)
            {
                throw new SettingsException(arg,
                    "unexpected argument '" + arg + "': settings are given as --name VALUE or --name=VALUE");
            }
            final int eq = arg.indexOf('=');
            final String flag = eq < 0 ? arg : arg.substring(0, eq);
            final Setting setting = BY_FLAG.get(flag);
            final boolean isConfig = CONFIG_FLAG.equals(flag);
            if (null == setting && !isConfig)
            {
                throw new SettingsException(flag, "unknown flag " + flag + suggestion(flag, BY_FLAG.keySet()));
            }
            final String name = isConfig ? CONFIG_SETTING : setting.name;
            final String raw;
            if (eq >= 0)
            {
                raw = arg.substring(eq + 1);
            }
            else if (i + 1 < args.length && !args[i + 1].startsWith("--"))
            {
                raw = args[++i];
            }
            else
            {
                throw new SettingsException(name, name + " has no value (from " + flag + "): give " + flag +
                    " VALUE or " + flag + "=VALUE");
            }
            final Value value = new Value(raw, "from " + flag);
            if (isConfig)
            {
                if (null != config)
                {
                    throw new SettingsException(name, "config is given twice (from " + flag + ")");
                }
                config = value;
            }
            else
            {
                if (out.containsKey(setting))
                {
                    throw new SettingsException(name, name + " is given twice (from " + flag + ")");
                }
                setting.check(value);
                out.put(setting, value);
            }
        }
        return config;
    }

    private static Value parseEnvironment(final Map<String, String> environment, final Map<Setting, Value> out)
        throws SettingsException
    {
        Value config = null;
        for (final Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet())
        {
            final String variable = entry.getKey();
            if (!variable.startsWith(ENV_PREFIX))
            {
                continue;
            }
            final Value value = new Value(entry.getValue(), "from " + variable);
            if (CONFIG_ENV.equals(variable))
            {
                config = value;
                continue;
            }
            final Setting setting = BY_ENV.get(variable);
            if (null == setting)
            {
                final List<String> known = new ArrayList<>(BY_ENV.keySet());
                known.add(CONFIG_ENV);
                throw new SettingsException(variable,
                    "unknown environment variable " + variable + suggestion(variable, known));
            }
            setting.check(value);
            out.put(setting, value);
        }
        return config;
    }

    private static Map<Setting, Value> parseFile(final Value config) throws SettingsException
    {
        final String fileName = config.raw;
        if (fileName.isEmpty())
        {
            throw new SettingsException(CONFIG_SETTING, "config names no file (" + config.origin + ")");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(fileName), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new SettingsException(CONFIG_SETTING, "config file '" + fileName + "' cannot be read (" +
                config.origin + "): " + ex);
        }

        final Map<Setting, Value> out = new HashMap<>();
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            final Setting setting = BY_NAME.get(key);
            if (null == setting)
            {
                throw new SettingsException(key,
                    "unknown key " + key + " in config file '" + fileName + "'" + suggestion(key, BY_NAME.keySet()));
            }
            final Value value =
                new Value(properties.getProperty(key), "from key " + key + " in file '" + fileName + "'");
            setting.check(value);
            out.put(setting, value);
        }
        return out;
    }

    private static SettingsException rejected(final String message, final Map<String, String> origins)
    {
        final TreeMap<Integer, String> namedAt = new TreeMap<>();
        for (final Setting setting : SETTINGS)
        {
            final Matcher matcher = Pattern.compile("\\b" + setting.name + "\\b").matcher(message);
            if (matcher.find())
            {
                namedAt.put(matcher.start(), setting.name);
            }
        }
        if (namedAt.isEmpty())
        {
            return new SettingsException(null, message);
        }
        final String first = namedAt.firstEntry().getValue();
        final StringBuilder sb = new StringBuilder(message).append(" (");
        if (1 == namedAt.size())
        {
            sb.append(origins.getOrDefault(first, DEFAULT_ORIGIN));
        }
        else
        {
            String separator = "";
            for (final String name : namedAt.values())
            {
                sb.append(separator).append(name).append(' ').append(origins.getOrDefault(name, DEFAULT_ORIGIN));
                separator = "; ";
            }
        }
        return new SettingsException(first, sb.append(')').toString());
    }

    private static String suggestion(final String given, final Iterable<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(given.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return null != best && bestDistance <= 2 ? "; did you mean " + best + "?" : "; see --help";
    }

    private static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static boolean isHelp(final String arg)
    {
        return "--help".equals(arg) || "-h".equals(arg);
    }

    private static Map<String, Setting> index(final int by)
    {
        final Map<String, Setting> map = new LinkedHashMap<>();
        for (final Setting setting : SETTINGS)
        {
            map.put(0 == by ? setting.name : 1 == by ? setting.flag : setting.env, setting);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Setting intSetting(
        final String name, final String meaning, final ObjIntConsumer<SwitchboardSettings.Builder> setter)
    {
        return new Setting(name, meaning, true, setter, null);
    }

    private static Setting stringSetting(
        final String name, final String meaning, final BiConsumer<SwitchboardSettings.Builder, String> setter)
    {
        return new Setting(name, meaning, false, null, setter);
    }

    private static Setting booleanSetting(
        final String name, final String meaning, final BiConsumer<SwitchboardSettings.Builder, Boolean> setter)
    {
        return new Setting(name, meaning, false, null, (builder, raw) -> setter.accept(builder, parseBoolean(name, raw)));
    }

    private static boolean parseBoolean(final String name, final String raw)
    {
        final String text = raw.trim();
        if ("true".equalsIgnoreCase(text))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(text))
        {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + raw + "'");
    }

    private static final class Value
    {
        private final String raw;
        private final String origin;

        private Value(final String raw, final String origin)
        {
            this.raw = raw;
            this.origin = origin;
        }
    }

    private static final class Setting
    {
        private final String name;
        private final String flag;
        private final String env;
        private final String meaning;
        private final boolean isInt;
        private final ObjIntConsumer<SwitchboardSettings.Builder> intSetter;
        private final BiConsumer<SwitchboardSettings.Builder, String> stringSetter;

        private Setting(
            final String name,
            final String meaning,
            final boolean isInt,
            final ObjIntConsumer<SwitchboardSettings.Builder> intSetter,
            final BiConsumer<SwitchboardSettings.Builder, String> stringSetter)
        {
            this.name = name;
            this.flag = flagOf(name);
            this.env = envOf(name);
            this.meaning = meaning;
            this.isInt = isInt;
            this.intSetter = intSetter;
            this.stringSetter = stringSetter;
        }

        private void check(final Value value) throws SettingsException
        {
            if (isInt)
            {
                parseInt(value);
            }
        }

        private void apply(final SwitchboardSettings.Builder builder, final Value value) throws SettingsException
        {
            if (isInt)
            {
                intSetter.accept(builder, parseInt(value));
            }
            else
            {
                stringSetter.accept(builder, value.raw);
            }
        }

        private int parseInt(final Value value) throws SettingsException
        {
            final String text = value.raw.trim();
            try
            {
                return Integer.parseInt(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new SettingsException(name,
                    name + " must be a whole number, got '" + value.raw + "' (" + value.origin + ")");
            }
        }
    }
}
