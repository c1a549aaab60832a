package dev.switchboard.bench.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The load generator's settings, parsed from the command line and validated once; every default lives here.
 */
public final class LoadSettings
{
    /** The server's default {@code gameEventRate} (PROTOCOL.md section 5). */
    public static final double SERVER_DEFAULT_GAME_EVENT_RATE = 5.0;

    /** The server's default {@code messageRate} (PROTOCOL.md section 5). */
    public static final double SERVER_DEFAULT_MESSAGE_RATE = 200.0;

    /** The most sockets one generator process opens; the machine allows 20,000 open files per process. */
    public static final int MAX_SOCKETS = 18_000;

    /** A threshold flag left unset. */
    public static final double NO_THRESHOLD = -1.0;

    /** Usage text printed on a bad flag and by {@code --help}. */
    public static final String USAGE =
        "usage: loadgen --url ws://127.0.0.1:8080/ws --scenario small-rooms|huge-room|mixed|churn|slow-consumers\n" +
        "  [--duration S=30] [--warmup S=5] [--rooms N] [--room-size N] [--rate R (game events/s per room)]\n" +
        "  [--publishers N=1 (publishers per room sharing --rate)] [--connect-rate N=2000 (sockets/s)]\n" +
        "  [--threads N=2 (selector threads)] [--out DIR] [--slow-share F] [--state-hz R=30] [--offer-interval S=5]\n" +
        "  [--ice-burst N=5] [--session-seconds S=5] [--cycles N=0 (churn: stop after N leave/rejoin cycles; 0: no limit)]\n" +
        "  [--payload-bytes N=0] [--drain S=2] [--join-timeout S=60]\n" +
        "  [--viewer-url ws://127.0.0.1:PORT/ws (sockets that do not publish connect here: another cluster node)]\n" +
        "  [--auth-token T (sent as ?authToken=T: a JWT when the server has --jwt-secret)]\n" +
        "  [--tls-trust FILE (wss://: PEM certificates to trust besides the JVM's, e.g. a self-signed proxy's)]\n" +
        "thresholds (k6-style: any breach exits 99; results are written either way):\n" +
        "  [--max-p99-ms X] [--max-p999-ms X] (delivery latency, all recipients) [--max-ack-p99-ms X]\n" +
        "  [--max-missing N (missing deliveries)] [--max-rate-limited N (messages the server refused)]\n" +
        "  [--help]\n" +
        "exit codes: 0 results written, 1 results not written, 2 bad flags, 99 a threshold was breached.\n" +
        "The summary's valid is false, with its reasons and the server flags that fix them, when the send rate fell\n" +
        "short, messages were rate-limited, deliveries are missing or sockets failed to connect.";

    private static final String KNOWN_FLAGS =
        "|url|scenario|duration|warmup|rooms|room-size|rate|publishers|connect-rate|threads|out|slow-share|state-hz|" +
        "offer-interval|ice-burst|session-seconds|cycles|payload-bytes|drain|join-timeout|viewer-url|auth-token|" +
        "max-p99-ms|max-p999-ms|max-ack-p99-ms|max-missing|max-rate-limited|tls-trust|";

    /** Host of the server, always a loopback address. */
    public final String host;

    /** Port of the server. */
    public final int port;

    /** Request path of the WebSocket endpoint. */
    public final String path;

    /** The URL as given. */
    public final String url;

    /** Whether the sockets speak TLS ({@code wss://}). */
    public final boolean tls;

    /** Certificates to trust for {@code wss://} besides the JVM's, or null. */
    public final Path tlsTrustFile;

    /**
     * Port that the sockets which never publish connect to: {@link #port} unless {@code --viewer-url} names
     * another node of a cluster, so that every delivery crosses from one node to the other.
     */
    public final int viewerPort;

    /** The viewer URL as given, or the empty string when every socket uses {@link #url}. */
    public final String viewerUrl;

    /** The traffic shape. */
    public final Scenario scenario;

    /** Length of the measurement window in seconds. */
    public final int durationSeconds;

    /** Seconds of traffic before the measurement window, not recorded. */
    public final int warmupSeconds;

    /** Number of rooms. */
    public final int rooms;

    /** Sockets per room, the host included. */
    public final int roomSize;

    /** Game events per second per room. */
    public final double ratePerRoom;

    /** Members of each room that publish game events, sharing {@link #ratePerRoom}. */
    public final int publishersPerRoom;

    /** New sockets opened per second. */
    public final int connectRatePerSecond;

    /** Selector threads. */
    public final int threads;

    /** Directory for the summary and histogram files. */
    public final Path outDir;

    /** Share of the viewers that stop reading after warmup (slow-consumers). */
    public final double slowShare;

    /** Game state updates per second from each host (mixed). */
    public final double stateHz;

    /** Seconds between two offers of one viewer to its host (mixed). */
    public final double offerIntervalSeconds;

    /** ICE candidates sent after each offer and each answer (mixed). */
    public final int iceBurst;

    /** Seconds a churning viewer stays in its room before it leaves and joins again (churn). */
    public final double sessionSeconds;

    /** Churn only: leave/rejoin cycles the whole fleet performs before viewers stay, or 0 for no limit. */
    public final int cycles;

    /** Padding bytes added to each game event payload. */
    public final int payloadBytes;

    /** Seconds to wait for in-flight deliveries after the last send. */
    public final int drainSeconds;

    /** Seconds allowed for all sockets to connect and join before traffic starts anyway. */
    public final int joinTimeoutSeconds;

    /** Token sent as {@code ?authToken=} on every socket, or the empty string for none. */
    public final String authToken;

    /** Threshold on the delivery p99 over all recipients in milliseconds, or {@link #NO_THRESHOLD}. */
    public final double maxP99Ms;

    /** Threshold on the delivery p99.9 over all recipients in milliseconds, or {@link #NO_THRESHOLD}. */
    public final double maxP999Ms;

    /** Threshold on the ack p99 in milliseconds, or {@link #NO_THRESHOLD}. */
    public final double maxAckP99Ms;

    /** Threshold on missing deliveries, or {@link #NO_THRESHOLD}. */
    public final double maxMissing;

    /** Threshold on rate-limited messages, or {@link #NO_THRESHOLD}. */
    public final double maxRateLimited;

    private LoadSettings(final Map<String, String> flags)
    {
        url = flags.getOrDefault("url", "ws://127.0.0.1:8080/ws");
        final URI uri = loopbackUri("url", url);
        host = uri.getHost();
        tls = "wss".equals(uri.getScheme());
        port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        tlsTrustFile = flags.containsKey("tls-trust") ? Path.of(flags.get("tls-trust")) : null;
        if (null != tlsTrustFile && !Files.isReadable(tlsTrustFile))
        {
            throw new IllegalArgumentException("--tls-trust " + tlsTrustFile + " is not a readable file");
        }
        authToken = flags.getOrDefault("auth-token", "");
        final String query = null == uri.getRawQuery() ? "" : uri.getRawQuery();
        final String token = authToken.isEmpty() ? "" :
            "authToken=" + URLEncoder.encode(authToken, StandardCharsets.UTF_8);
        final String fullQuery = query.isEmpty() ? token : token.isEmpty() ? query : query + "&" + token;
        path = (null == uri.getRawPath() || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) +
            (fullQuery.isEmpty() ? "" : "?" + fullQuery);
        viewerUrl = flags.getOrDefault("viewer-url", "");
        if (viewerUrl.isEmpty())
        {
            viewerPort = port;
        }
        else
        {
            final URI viewerUri = loopbackUri("viewer-url", viewerUrl);
            final String viewerPath = null == viewerUri.getRawPath() || viewerUri.getRawPath().isEmpty() ? "/" :
                viewerUri.getRawPath() + (null == viewerUri.getRawQuery() ? "" : "?" + viewerUri.getRawQuery());
            if (!(null == uri.getRawPath() || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath() +
                (query.isEmpty() ? "" : "?" + query)).equals(viewerPath))
            {
                throw new IllegalArgumentException("--viewer-url must have the same path as --url: " + viewerUrl);
            }
            if (!uri.getScheme().equals(viewerUri.getScheme()))
            {
                throw new IllegalArgumentException("--viewer-url must use the scheme of --url: " + viewerUrl);
            }
            viewerPort = viewerUri.getPort() > 0 ? viewerUri.getPort() : tls ? 443 : 80;
        }

        final String scenarioName = flags.getOrDefault("scenario", "small-rooms");
        scenario = Scenario.fromFlag(scenarioName);
        if (null == scenario)
        {
            throw new IllegalArgumentException("unknown --scenario " + scenarioName);
        }
        durationSeconds = intFlag(flags, "duration", 30, 1, 3600);
        warmupSeconds = intFlag(flags, "warmup", 5, 0, 600);
        rooms = intFlag(flags, "rooms", scenario.defaultRooms(), 1, MAX_SOCKETS);
        roomSize = intFlag(flags, "room-size", scenario.defaultRoomSize(), 1, MAX_SOCKETS);
        ratePerRoom = doubleFlag(flags, "rate", scenario.defaultRatePerRoom(), 0.001, 100_000.0);
        publishersPerRoom = intFlag(flags, "publishers", 1, 1, roomSize);
        connectRatePerSecond = intFlag(flags, "connect-rate", 2_000, 1, 100_000);
        threads = intFlag(flags, "threads", 2, 1, 64);
        outDir = Path.of(flags.getOrDefault("out", "results/" + scenario.flagName()));
        slowShare = doubleFlag(flags, "slow-share", Scenario.SLOW_CONSUMERS == scenario ? 0.1 : 0.0, 0.0, 0.9);
        stateHz = doubleFlag(flags, "state-hz", 30.0, 0.001, 1_000.0);
        offerIntervalSeconds = doubleFlag(flags, "offer-interval", 5.0, 0.01, 3_600.0);
        iceBurst = intFlag(flags, "ice-burst", 5, 0, 100);
        sessionSeconds = doubleFlag(flags, "session-seconds", 5.0, 0.1, 3_600.0);
        cycles = intFlag(flags, "cycles", 0, 0, 100_000_000);
        if (cycles > 0 && Scenario.CHURN != scenario)
        {
            throw new IllegalArgumentException("--cycles applies to --scenario churn only");
        }
        payloadBytes = intFlag(flags, "payload-bytes", 0, 0, 60_000);
        drainSeconds = intFlag(flags, "drain", 2, 0, 60);
        joinTimeoutSeconds = intFlag(flags, "join-timeout", 60, 1, 600);
        maxP99Ms = doubleFlag(flags, "max-p99-ms", NO_THRESHOLD, 0.0, 1e9);
        maxP999Ms = doubleFlag(flags, "max-p999-ms", NO_THRESHOLD, 0.0, 1e9);
        maxAckP99Ms = doubleFlag(flags, "max-ack-p99-ms", NO_THRESHOLD, 0.0, 1e9);
        maxMissing = doubleFlag(flags, "max-missing", NO_THRESHOLD, 0.0, 1e15);
        maxRateLimited = doubleFlag(flags, "max-rate-limited", NO_THRESHOLD, 0.0, 1e15);
        if ((long)rooms * roomSize > MAX_SOCKETS)
        {
            throw new IllegalArgumentException(
                "--rooms x --room-size = " + (long)rooms * roomSize + " sockets, over the limit of " + MAX_SOCKETS);
        }
    }

    private static URI loopbackUri(final String flag, final String value)
    {
        final URI uri;
        try
        {
            uri = new URI(value);
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("--" + flag + " is not a URL: " + value, ex);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()))
        {
            throw new IllegalArgumentException("--" + flag + " must use ws:// or wss://: " + value);
        }
        final String uriHost = uri.getHost();
        if (!"127.0.0.1".equals(uriHost) && !"localhost".equals(uriHost))
        {
            throw new IllegalArgumentException(
                "--" + flag + " must name 127.0.0.1: the generator only sends to loopback");
        }
        return uri;
    }

    /**
     * Whether the command line asks for the usage text.
     *
     * @param args the command line.
     * @return true when it holds {@code --help} or {@code -h}.
     */
    public static boolean wantsHelp(final String[] args)
    {
        for (final String arg : args)
        {
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Server flags that lift the server's per-session limits above this run's rates (twice the per-socket rate,
     * bursts twice that), whether or not the defaults would allow it: the fix to print when messages were
     * rate-limited by a server started with lower limits.
     *
     * @return flags such as {@code --game-event-rate 40 --game-event-burst 80 --message-rate 400 --message-burst 800}.
     */
    public String serverFlagsForThisRate()
    {
        final long gameEventRate = Math.max((long)SERVER_DEFAULT_GAME_EVENT_RATE,
            (long)Math.ceil(ratePerPublisher() * 2));
        double perSocket = ratePerPublisher();
        if (Scenario.MIXED == scenario)
        {
            perSocket += stateHz + (1 + iceBurst) / offerIntervalSeconds;
        }
        final long messageRate = Math.max((long)SERVER_DEFAULT_MESSAGE_RATE, (long)Math.ceil(perSocket * 2));
        return "--game-event-rate " + gameEventRate + " --game-event-burst " + gameEventRate * 2 +
            " --message-rate " + messageRate + " --message-burst " + messageRate * 2;
    }

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args the command line.
     * @return validated settings.
     * @throws IllegalArgumentException naming the bad flag.
     */
    public static LoadSettings parse(final String[] args)
    {
        final Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("expected --flag value at " + arg);
            }
            final String name = arg.substring(2);
            if (!KNOWN_FLAGS.contains("|" + name + "|"))
            {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            flags.put(name, args[++i]);
        }
        return new LoadSettings(flags);
    }

    /**
     * Total sockets the run opens.
     *
     * @return rooms times room size.
     */
    public int totalSockets()
    {
        return rooms * roomSize;
    }

    /**
     * Game events per second each publisher sends.
     *
     * @return the rate per publisher.
     */
    public double ratePerPublisher()
    {
        return ratePerRoom / publishersPerRoom;
    }

    /**
     * Messages per second the schedule plans over all sockets: game events, plus game state and offers in mixed.
     *
     * @return the target send rate.
     */
    public double targetRate()
    {
        double rate = rooms * ratePerRoom;
        if (Scenario.MIXED == scenario)
        {
            rate += rooms * stateHz + rooms * (roomSize - 1) / offerIntervalSeconds;
        }
        return rate;
    }

    /**
     * The server flags this run needs because a publisher's rate exceeds the server's default limits of PROTOCOL.md
     * section 5; empty when the defaults suffice.
     *
     * @return flags to start the server with, such as {@code --game-event-rate 20 --game-event-burst 40}.
     */
    public String requiredServerFlags()
    {
        final StringBuilder flags = new StringBuilder();
        final double perPublisher = ratePerPublisher();
        if (perPublisher > SERVER_DEFAULT_GAME_EVENT_RATE)
        {
            final long rate = (long)Math.ceil(perPublisher * 2);
            flags.append("--game-event-rate ").append(rate).append(" --game-event-burst ").append(rate * 2);
        }
        double perSocket = perPublisher;
        if (Scenario.MIXED == scenario)
        {
            perSocket += stateHz + (1 + iceBurst) / offerIntervalSeconds;
        }
        if (perSocket > SERVER_DEFAULT_MESSAGE_RATE)
        {
            final long rate = (long)Math.ceil(perSocket * 2);
            flags.append(flags.length() > 0 ? " " : "")
                .append("--message-rate ").append(rate).append(" --message-burst ").append(rate * 2);
        }
        return flags.toString();
    }

    private static int intFlag(
        final Map<String, String> flags, final String name, final int defaultValue, final int min, final int max)
    {
        final String text = flags.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            final int value = Integer.parseInt(text);
            if (value < min || value > max)
            {
                throw new IllegalArgumentException("--" + name + " must be in [" + min + ", " + max + "]: " + text);
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " is not an integer: " + text, ex);
        }
    }

    private static double doubleFlag(
        final Map<String, String> flags, final String name, final double defaultValue, final double min, final double max)
    {
        final String text = flags.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            final double value = Double.parseDouble(text);
            if (!(value >= min && value <= max))
            {
                throw new IllegalArgumentException("--" + name + " must be in [" + min + ", " + max + "]: " + text);
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " is not a number: " + text, ex);
        }
    }
}
