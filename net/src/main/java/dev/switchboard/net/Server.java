package dev.switchboard.net;

import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.auth.Authenticators;
import dev.switchboard.engine.log.EventLogAgent;
import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.log.LifecycleLog;
import dev.switchboard.net.log.LifecycleQueueFullPolicy;
import org.agrona.concurrent.SystemEpochClock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts Switchboard: loads and validates the settings, logs them, starts the engine shards and IoAgents, and
 * drains gracefully on SIGTERM (a second SIGTERM exits at once).
 */
public final class Server
{
    private static final Logger LOG = LogManager.getLogger(Server.class);
    private static final AtomicInteger SIGNALS = new AtomicInteger();
    /** After a second signal, the longest wait for its log line before the process halts. */
    private static final long EXIT_NOW_LOG_WAIT_MS = 2_000;

    private Server()
    {
    }

    /**
     * Entry point.
     *
     * @param args command-line flags, see {@code --help}.
     */
    public static void main(final String[] args)
    {
        if (wantsVersion(args))
        {
            // Like --help, the version is the command's output for a person or a script, not a log event.
            System.out.println(BuildInfo.versionLine());
            return;
        }
        if (SettingsLoader.wantsHelp(args))
        {
            // The help text is the command's output for a person at a terminal, not a log event.
            System.out.println(SettingsLoader.usage());
            return;
        }
        final SwitchboardSettings settings;
        try
        {
            settings = SettingsLoader.load(args, System.getenv());
        }
        catch (final SettingsException ex)
        {
            exit(2, "bad_setting", ex.getMessage());
            return;
        }

        if (null != settings.webhookUrl() && null == settings.webhookSecret())
        {
            exit(2, "bad_setting", "webhookUrl needs webhookSecret: every webhook body is signed");
            return;
        }
        logSettings(settings);
        final Authenticator authenticator = authenticator(settings);
        final EventLogAgent events = new EventLogAgent();
        final ServerRuntime runtime;
        try
        {
            runtime = new ServerRuntime(settings, SystemEpochClock.INSTANCE,
                EngineConsumers.production(settings, SystemEpochClock.INSTANCE, events), authenticator, null);
        }
        catch (final IOException ex)
        {
            exit(1, "cannot_listen", settings.bindAddress() + ":" + settings.port() + ": " + ex.getMessage());
            return;
        }
        final Runnable onSignal = () ->
        {
            if (SIGNALS.incrementAndGet() > 1)
            {
                exitNow();
            }
            final Thread drainer = new Thread(() -> drainAndExit(runtime, settings, events), "switchboard-drain");
            // Not a daemon (the signal thread it inherits from is one): once the drain has stopped every agent
            // thread, the JVM would otherwise exit on its own before the drain thread flushed the log, losing
            // the last lines (drained among them) still in the asynchronous queue.
            drainer.setDaemon(false);
            drainer.start();
        };
        if (!installSignalHandler("TERM", onSignal) | !installSignalHandler("INT", onSignal))
        {
            // Without sun.misc.Signal, fall back to a plain shutdown hook (no drain spread).
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "switchboard-shutdown"));
        }
        events.start();
        runtime.start();
        logStarted(settings, runtime);
    }

    private static void logSettings(final SwitchboardSettings settings)
    {
        final LogLine line = LogLine.event("settings");
        for (final Map.Entry<String, String> e : settings.describe().entrySet())
        {
            line.with(e.getKey(), e.getValue());
        }
        LifecycleLog.info(LOG, line);
        BoxCacheCheck.warnIfTooSmall(settings.maxConnections());
    }

    private static Authenticator authenticator(final SwitchboardSettings settings)
    {
        final ExecutorService authExecutor = Executors.newFixedThreadPool(2, r ->
        {
            final Thread t = new Thread(r, "switchboard-auth");
            t.setDaemon(true);
            return t;
        });
        return Authenticators.fromSettings(settings, SystemEpochClock.INSTANCE, authExecutor);
    }

    private static void logStarted(final SwitchboardSettings settings, final ServerRuntime runtime)
    {
        LifecycleLog.info(LOG, LogLine.event("started").with("port", runtime.port())
            .with("ioThreads", settings.ioThreads()).with("engineThreads", settings.engineThreads())
            .with("threadingMode", settings.threadingMode()));
        if (runtime.adminPort() >= 0)
        {
            LifecycleLog.info(LOG, LogLine.event("admin_listening").with("adminPort", runtime.adminPort())
                .with("adminBindAddress", settings.adminBindAddress())
                .with("adminApi", null == settings.adminToken() ? "off (no adminToken: every admin call is 401)" : "on"));
        }
        if (settings.requireAuth() && null == settings.jwtSecret())
        {
            LifecycleLog.warn(LOG, LogLine.event("require_auth_without_secret")
                .with("action", "every socket is refused with 4401 until jwtSecret is set"));
        }
    }

    /**
     * Whether the arguments ask for the version: {@code --version} where a flag is expected (not as the value of
     * another flag).
     */
    private static boolean wantsVersion(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--version".equals(arg))
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
     * Log a fatal start-up problem as a JSON line (flushed: the async logger is shut down first) and exit.
     */
    private static void exit(final int status, final String event, final String reason)
    {
        LifecycleLog.error(LOG, LogLine.event(event).with("reason", reason), null);
        LifecycleLog.flushAndStop();
        System.exit(status);
    }

    /**
     * A second signal: exit at once. The line and the log flush get {@value #EXIT_NOW_LOG_WAIT_MS} ms on their own
     * thread, never more, since a stalled log collector (the queue full, lifecycle lines waiting for room) may be
     * why the operator is signalling again.
     */
    private static void exitNow()
    {
        final Thread flusher = new Thread(() ->
        {
            LifecycleLog.warn(LOG, LogLine.event("second_signal").with("action", "exit now"));
            LogManager.shutdown();
        }, "switchboard-exit-now");
        flusher.setDaemon(true);
        flusher.start();
        try
        {
            flusher.join(EXIT_NOW_LOG_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(143);
    }

    private static void drainAndExit(
        final ServerRuntime runtime, final SwitchboardSettings settings, final EventLogAgent events)
    {
        int status = 0;
        try
        {
            drain(runtime, settings);
            runtime.close();
            events.close();
        }
        catch (final RuntimeException | Error ex)
        {
            status = 1;
            LifecycleLog.error(LOG, LogLine.event("drain_error"), ex);
        }
        finally
        {
            LifecycleLog.flushAndStop();
            System.exit(status);
        }
    }

    private static void drain(final ServerRuntime runtime, final SwitchboardSettings settings)
    {
        final long startMs = System.currentTimeMillis();
        LifecycleLog.info(LOG, LogLine.event("draining").with("drainSeconds", settings.drainSeconds())
            .with("connectedSockets", runtime.connectedSockets()));
        if (null != runtime.cluster())
        {
            final boolean handedOver = runtime.handOverRooms(settings.redisTimeoutMillis() * 3L + 2_000L);
            LifecycleLog.info(LOG, LogLine.event("rooms_handed_over").with("complete", handedOver)
                .with("durationMs", System.currentTimeMillis() - startMs));
        }
        runtime.beginDrain();
        final long deadlineMs = startMs + settings.drainSeconds() * 1000L + 1_500L;
        while (runtime.connectedSockets() > 0 && System.currentTimeMillis() < deadlineMs)
        {
            LockSupport.parkNanos(20_000_000L);
        }
        LifecycleLog.info(LOG, LogLine.event("drained").with("remainingSockets", runtime.connectedSockets())
            .with("durationMs", System.currentTimeMillis() - startMs)
            .with("logLinesDiscarded", LifecycleQueueFullPolicy.discardedLines()));
    }

    /**
     * Install a handler through {@code sun.misc.Signal}, reached reflectively because javac's warning about
     * that internal API cannot be suppressed under {@code -Werror}.
     */
    private static boolean installSignalHandler(final String name, final Runnable action)
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object signal = signalClass.getConstructor(String.class).newInstance(name);
            final Object handler = Proxy.newProxyInstance(Server.class.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, arguments) ->
                {
                    switch (method.getName())
                    {
                        case "handle":
                            action.run();
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == arguments[0];
                        default:
                            return "switchboard-signal-handler-" + name;
                    }
                });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            LifecycleLog.warn(LOG, LogLine.event("signal_handler_unavailable").with("signal", name)
                .with("reason", ex.toString()));
            return false;
        }
    }
}
