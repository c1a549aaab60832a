package dev.switchboard.bench.load;

import com.sun.management.OperatingSystemMXBean;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator CLI: opens the fleet of WebSocket clients, runs the scenario open loop, prints a progress line
 * each second and writes a JSON summary, HdrHistogram {@code .hgrm} files and a per-second {@code timeline.csv};
 * ends with a table for people, a verdict ({@code valid}, with its reasons) and k6-style thresholds that set the
 * exit code.
 */
public final class LoadGenerator
{
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long AGENT_JOIN_TIMEOUT_MS = 10_000L;

    private final LoadSettings settings;
    private final String commandLine;
    private final TimelineCsv timeline = new TimelineCsv();

    private FleetState fleet;
    private FleetCounters[] counters;
    private Thread[] threads;
    private long cpuStartNs;
    private long sendStopNs;
    private int joinedAtStart;
    private long windowFirstNumber;
    private long windowEndNumber;
    private long deliveriesAtMeasure;
    private long deliveriesAtEnd;
    private long cpuAtMeasureNs;
    private long cpuAtStopNs;
    private long cpuEndNs;
    private long previousSent;
    private long previousReceived;
    private Map<String, Object> sockets;

    /**
     * Makes a generator for validated settings; one generator runs once.
     *
     * @param settings    the run's settings.
     * @param commandLine the command line, recorded in the summary.
     */
    public LoadGenerator(final LoadSettings settings, final String commandLine)
    {
        this.settings = settings;
        this.commandLine = commandLine;
    }

    /**
     * Entry point: {@code --url ws://127.0.0.1:8080/ws --scenario small-rooms --duration 30 --out results/x}.
     *
     * @param args command-line flags.
     */
    public static void main(final String[] args)
    {
        if (LoadSettings.wantsHelp(args))
        {
            System.out.println(LoadSettings.USAGE);
            return;
        }
        final LoadSettings settings;
        try
        {
            settings = LoadSettings.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("loadgen: " + ex.getMessage());
            System.err.println(LoadSettings.USAGE);
            System.exit(2);
            return;
        }
        final int exitCode = new LoadGenerator(settings, String.join(" ", args)).run();
        System.exit(exitCode);
    }

    /**
     * Runs the scenario to the end and writes the results.
     *
     * @return the process exit code: 0 when the results were written, 1 when they were not,
     *     {@link Thresholds#BREACH_EXIT_CODE} when they were written and a threshold was breached.
     */
    public int run()
    {
        final Instant startedAt = Instant.now();
        fleet = new FleetState(settings, new SecureRandom().nextLong());
        final String serverFlags = settings.requiredServerFlags();
        printPlan(serverFlags);
        startAgents();
        cpuStartNs = processCpuNs();
        awaitJoins();
        runTraffic();
        drainAndStop();
        final double achievedRate =
            (double)FleetCounters.sum(counters, FleetCounters.SENT_IN_WINDOW) / settings.durationSeconds;
        final long missing =
            fleet.tracker.missingDeliveries(MessageTracker.KIND_GAME_EVENT, windowFirstNumber, windowEndNumber);
        final long rateLimited = FleetCounters.sum(counters, FleetCounters.RATE_LIMITED);
        final long connectFailures = FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES);
        final RunVerdict verdict = RunVerdict.judge(settings, achievedRate, rateLimited, missing, connectFailures);
        final List<Thresholds.Check> checks = Thresholds.evaluate(
            settings, fleet.all.cumulative(), fleet.ack.cumulative(), missing, rateLimited);
        final LoadSummary summary = summary(startedAt, serverFlags, achievedRate, missing, verdict, checks);
        final String json = summary.toJson();
        System.out.println(json);
        try
        {
            writeResults(json, fleet.channels());
            timeline.write(settings.outDir.resolve("timeline.csv"));
        }
        catch (final IOException ex)
        {
            System.err.println("loadgen: cannot write results to " + settings.outDir + ": " + ex);
            return 1;
        }
        printTable(achievedRate, missing, verdict, checks);
        if (!Thresholds.allPassed(checks))
        {
            System.out.println("loadgen: a threshold was breached: exit " + Thresholds.BREACH_EXIT_CODE);
            return Thresholds.BREACH_EXIT_CODE;
        }
        return 0;
    }

    private void printPlan(final String serverFlags)
    {
        System.out.printf(Locale.ROOT, "loadgen: %s against %s: %d rooms x %d sockets = %d sockets, %.2f game " +
            "events/s per room from %d publisher(s) per room, target %.1f msgs/s, warmup %d s, measure %d s%n",
            settings.scenario.flagName(), settings.url, settings.rooms, settings.roomSize, settings.totalSockets(),
            settings.ratePerRoom, settings.publishersPerRoom, settings.targetRate(), settings.warmupSeconds,
            settings.durationSeconds);
        if (!settings.viewerUrl.isEmpty())
        {
            System.out.println("loadgen: sockets that do not publish connect to " + settings.viewerUrl);
        }
        System.out.println(serverFlags.isEmpty() ?
            "loadgen: the server's default rate limits (PROTOCOL.md section 5) allow this run" :
            "loadgen: a publisher sends over the server's default limits: start the server with " + serverFlags);
    }

    private void startAgents()
    {
        final int agentCount = Math.min(settings.threads, settings.totalSockets());
        counters = new FleetCounters[agentCount];
        threads = new Thread[agentCount];
        for (int i = 0; i < agentCount; i++)
        {
            counters[i] = new FleetCounters();
            threads[i] = new Thread(new ClientAgent(fleet, counters[i], i, agentCount), "loadgen-agent-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void awaitJoins()
    {
        final long connectStartNs = System.nanoTime() + SECOND_NS / 20;
        fleet.startConnecting(connectStartNs);
        final long joinDeadlineNs = connectStartNs + settings.joinTimeoutSeconds * SECOND_NS;
        long nextPrintNs = connectStartNs + SECOND_NS;
        while (true)
        {
            final long nowNs = System.nanoTime();
            final long joined = FleetCounters.sum(counters, FleetCounters.JOINED);
            final long failed = FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES);
            final boolean done = joined + failed >= settings.totalSockets() || nowNs - joinDeadlineNs >= 0;
            if (done || nowNs - nextPrintNs >= 0)
            {
                System.out.printf(Locale.ROOT, "[connect %5.1fs] connected %d joined %d/%d failures %d%n",
                    (nowNs - connectStartNs) / 1e9, FleetCounters.sum(counters, FleetCounters.CONNECTED), joined,
                    settings.totalSockets(), failed);
                nextPrintNs += SECOND_NS;
            }
            if (done)
            {
                break;
            }
            sleepUntil(Math.min(joinDeadlineNs, nowNs + SECOND_NS / 20));
        }
    }

    private void runTraffic()
    {
        final long trafficStartNs = System.nanoTime() + SECOND_NS / 10;
        final long measureStartNs = trafficStartNs + settings.warmupSeconds * SECOND_NS;
        sendStopNs = measureStartNs + settings.durationSeconds * SECOND_NS;
        joinedAtStart = (int)FleetCounters.sum(counters, FleetCounters.JOINED);
        fleet.startTraffic(trafficStartNs, measureStartNs, sendStopNs);
        final LatencyChannel[] channels = fleet.channels();
        final MinuteLatencyLog firstByMinute =
            new MinuteLatencyLog(settings.outDir.resolve("firstRecipient-by-minute.csv"));
        windowFirstNumber = fleet.tracker.nextNumber();
        cpuAtMeasureNs = processCpuNs();
        for (int second = 1; ; second++)
        {
            final long tickNs = trafficStartNs + second * SECOND_NS;
            sleepUntil(tickNs);
            final boolean keep = tickNs - SECOND_NS - measureStartNs >= 0;
            Histogram allThisSecond = null;
            for (final LatencyChannel channel : channels)
            {
                final Histogram interval = channel.sample(keep);
                if (channel == fleet.all)
                {
                    allThisSecond = interval;
                }
                if (channel == fleet.firstRecipient)
                {
                    firstByMinute.onSecond(second, interval);
                }
            }
            if (tickNs == measureStartNs || (0 == settings.warmupSeconds && 1 == second))
            {
                windowFirstNumber = fleet.tracker.nextNumber();
                deliveriesAtMeasure = FleetCounters.sum(counters, FleetCounters.DELIVERIES);
                cpuAtMeasureNs = processCpuNs();
            }
            reportSecond(second, keep, allThisSecond);
            if (tickNs - sendStopNs >= 0)
            {
                break;
            }
        }
        firstByMinute.finish();
    }

    private void reportSecond(final int second, final boolean keep, final Histogram allThisSecond)
    {
        final long sent = FleetCounters.sum(counters, FleetCounters.SENT);
        final long received = FleetCounters.sum(counters, FleetCounters.RECEIVED);
        final double allThisSecondP99Us =
            null == allThisSecond ? 0.0 : LoadSummary.micros(allThisSecond.getValueAtPercentile(99.0));
        System.out.printf(Locale.ROOT,
            "[%s %3ds] sockets %d joined %d | sent/s %d | received/s %d | p99 us: all this second %.1f, " +
            "window all %.1f last %.1f ack %.1f | errors %d rateLimited %d disconnects %d connectFailures %d%n",
            keep ? "measure" : "warmup ", second,
            FleetCounters.sum(counters, FleetCounters.CONNECTED),
            FleetCounters.sum(counters, FleetCounters.JOINED),
            sent - previousSent, received - previousReceived,
            allThisSecondP99Us,
            LoadSummary.micros(fleet.all.cumulative().getValueAtPercentile(99.0)),
            LoadSummary.micros(fleet.lastRecipient.cumulative().getValueAtPercentile(99.0)),
            LoadSummary.micros(fleet.ack.cumulative().getValueAtPercentile(99.0)),
            FleetCounters.sum(counters, FleetCounters.ERRORS),
            FleetCounters.sum(counters, FleetCounters.RATE_LIMITED),
            FleetCounters.sum(counters, FleetCounters.DISCONNECTS),
            FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES));
        timeline.add(second, keep, FleetCounters.sum(counters, FleetCounters.CONNECTED),
            FleetCounters.sum(counters, FleetCounters.JOINED), sent - previousSent, received - previousReceived,
            allThisSecondP99Us,
            FleetCounters.sum(counters, FleetCounters.ERRORS),
            FleetCounters.sum(counters, FleetCounters.RATE_LIMITED),
            FleetCounters.sum(counters, FleetCounters.DISCONNECTS),
            FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES));
        previousSent = sent;
        previousReceived = received;
    }

    private void drainAndStop()
    {
        windowEndNumber = fleet.tracker.nextNumber();
        cpuAtStopNs = processCpuNs();
        final long drainDeadlineNs = sendStopNs + settings.drainSeconds * SECOND_NS;
        while (System.nanoTime() - drainDeadlineNs < 0 &&
            fleet.tracker.missingDeliveries(MessageTracker.KIND_GAME_EVENT, windowFirstNumber, windowEndNumber) > 0)
        {
            sleepUntil(Math.min(drainDeadlineNs, System.nanoTime() + SECOND_NS / 5));
        }
        for (final LatencyChannel channel : fleet.channels())
        {
            channel.sample(true);
        }
        deliveriesAtEnd = FleetCounters.sum(counters, FleetCounters.DELIVERIES);
        sockets = socketsMap(counters, joinedAtStart);
        fleet.stop();
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(AGENT_JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        cpuEndNs = processCpuNs();
    }

    private LoadSummary summary(
        final Instant startedAt,
        final String serverFlags,
        final double achievedRate,
        final long missing,
        final RunVerdict verdict,
        final List<Thresholds.Check> checks)
    {
        final LoadSummary summary = new LoadSummary()
            .put("scenario", settings.scenario.flagName())
            .put("url", settings.url)
            .put("viewerUrl", settings.viewerUrl)
            .put("command", "bench/loadgen " + commandLine)
            .put("startedAt", startedAt.toString())
            .put("settings", settingsMap())
            .put("serverFlagsRequired", serverFlags)
            .put("targetRate", settings.targetRate())
            .put("achievedRate", achievedRate)
            .put("deliveriesPerSec", (double)(deliveriesAtEnd - deliveriesAtMeasure) / settings.durationSeconds)
            .put("valid", verdict.valid())
            .put("invalidReasons", verdict.reasons())
            .put("serverFlagsToFix", verdict.fixFlags())
            .put("thresholdsPassed", Thresholds.allPassed(checks))
            .put("generatorOnSchedule", LoadSummary.isOnSchedule(fleet.sendLag.cumulative()))
            .put("sockets", sockets)
            .put("sent", FleetCounters.sum(counters, FleetCounters.SENT))
            .put("sentInWindow", FleetCounters.sum(counters, FleetCounters.SENT_IN_WINDOW))
            .put("missedSends", FleetCounters.sum(counters, FleetCounters.MISSED))
            .put("deliveries", FleetCounters.sum(counters, FleetCounters.DELIVERIES))
            .put("missingDeliveries", missing)
            .put("incompleteMessages",
                fleet.tracker.incompleteMessages(MessageTracker.KIND_GAME_EVENT, windowFirstNumber, windowEndNumber))
            .put("untrackedDeliveries", FleetCounters.sum(counters, FleetCounters.UNTRACKED))
            .put("crossRoomDeliveries", FleetCounters.sum(counters, FleetCounters.CROSS_ROOM))
            .put("mismatchedDeliveries", FleetCounters.sum(counters, FleetCounters.MISMATCHED))
            .put("acks", FleetCounters.sum(counters, FleetCounters.ACKS))
            .put("errors", FleetCounters.sum(counters, FleetCounters.ERRORS))
            .put("rateLimited", FleetCounters.sum(counters, FleetCounters.RATE_LIMITED))
            .put("connectFailures", FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES))
            .put("disconnects", FleetCounters.sum(counters, FleetCounters.DISCONNECTS))
            .put("protocolErrors", FleetCounters.sum(counters, FleetCounters.PROTOCOL_ERRORS))
            .put("backlogOverflows", FleetCounters.sum(counters, FleetCounters.BACKLOG_OVERFLOWS))
            .put("flowControl", FleetCounters.sum(counters, FleetCounters.FLOW_CONTROL))
            .put("churnCycles", FleetCounters.sum(counters, FleetCounters.CHURN_CYCLES))
            .put("otherRelayed", FleetCounters.sum(counters, FleetCounters.OTHER_RELAYED))
            .put("cpuSeconds", (cpuEndNs - cpuStartNs) / 1e9)
            .put("cpuSecondsInWindow", (cpuAtStopNs - cpuAtMeasureNs) / 1e9);
        for (final LatencyChannel channel : fleet.channels())
        {
            if (channel.cumulative().getTotalCount() > 0 || channel == fleet.ack || channel == fleet.all ||
                channel == fleet.firstRecipient || channel == fleet.lastRecipient)
            {
                summary.latency(channel.name(), channel.cumulative());
            }
        }
        summary.put("thresholds", thresholdsMap(checks));
        return summary;
    }

    private void printTable(
        final double achievedRate, final long missing, final RunVerdict verdict, final List<Thresholds.Check> checks)
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("deliveries", FleetCounters.sum(counters, FleetCounters.DELIVERIES));
        counts.put("missing", missing);
        counts.put("rateLimited", FleetCounters.sum(counters, FleetCounters.RATE_LIMITED));
        counts.put("errors", FleetCounters.sum(counters, FleetCounters.ERRORS));
        counts.put("disconnects", FleetCounters.sum(counters, FleetCounters.DISCONNECTS));
        counts.put("connectFailures", FleetCounters.sum(counters, FleetCounters.CONNECT_FAILURES));
        final Map<String, Histogram> latencies = new LinkedHashMap<>();
        for (final LatencyChannel channel : new LatencyChannel[] {fleet.all, fleet.firstRecipient,
            fleet.lastRecipient, fleet.ack})
        {
            latencies.put(channel.name(), channel.cumulative());
        }
        System.out.print(SummaryTable.render(settings, achievedRate, counts, latencies, checks, verdict));
        System.out.println("loadgen: results in " + settings.outDir.toAbsolutePath());
    }

    private static Map<String, Object> thresholdsMap(final List<Thresholds.Check> checks)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (final Thresholds.Check check : checks)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("limit", check.limit());
            entry.put("actual", check.actual());
            entry.put("passed", check.passed());
            map.put(check.name(), entry);
        }
        return map;
    }

    private Map<String, Object> settingsMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("rooms", settings.rooms);
        map.put("roomSize", settings.roomSize);
        map.put("ratePerRoom", settings.ratePerRoom);
        map.put("publishersPerRoom", settings.publishersPerRoom);
        map.put("durationSeconds", settings.durationSeconds);
        map.put("warmupSeconds", settings.warmupSeconds);
        map.put("connectRate", settings.connectRatePerSecond);
        map.put("threads", settings.threads);
        map.put("payloadBytes", settings.payloadBytes);
        if (Scenario.SLOW_CONSUMERS == settings.scenario)
        {
            map.put("slowShare", settings.slowShare);
        }
        if (Scenario.MIXED == settings.scenario)
        {
            map.put("stateHz", settings.stateHz);
            map.put("offerIntervalSeconds", settings.offerIntervalSeconds);
            map.put("iceBurst", settings.iceBurst);
        }
        if (Scenario.CHURN == settings.scenario)
        {
            map.put("sessionSeconds", settings.sessionSeconds);
            map.put("cycles", settings.cycles);
        }
        return map;
    }

    private Map<String, Object> socketsMap(final FleetCounters[] counters, final int joinedAtStart)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("planned", settings.totalSockets());
        map.put("joinedAtStart", joinedAtStart);
        map.put("joinedAtEnd", FleetCounters.sum(counters, FleetCounters.JOINED));
        return map;
    }

    private void writeResults(final String json, final LatencyChannel[] channels) throws IOException
    {
        final Path dir = settings.outDir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), json + "\n", StandardCharsets.UTF_8);
        for (final LatencyChannel channel : channels)
        {
            if (channel.cumulative().getTotalCount() > 0)
            {
                try (PrintStream out = new PrintStream(
                    Files.newOutputStream(dir.resolve(channel.name() + ".hgrm")), false, StandardCharsets.UTF_8))
                {
                    channel.cumulative().outputPercentileDistribution(out, 5, 1000.0);
                }
            }
        }
    }

    private static void sleepUntil(final long deadlineNs)
    {
        long leftNs;
        while ((leftNs = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(leftNs);
        }
    }

    private static long processCpuNs()
    {
        final var bean = ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof OperatingSystemMXBean)
        {
            return ((OperatingSystemMXBean)bean).getProcessCpuTime();
        }
        return 0L;
    }
}
