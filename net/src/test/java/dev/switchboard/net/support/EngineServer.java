package dev.switchboard.net.support;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.auth.GuestOnlyAuthenticator;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.log.EventLogAgent;
import dev.switchboard.engine.outbound.OutboundPublisher;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.EngineConsumers;
import dev.switchboard.net.EngineHost;
import dev.switchboard.net.ServerRuntime;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole server (front end and room engine) on a free loopback port, in this JVM, with an injectable clock
 * for timeout tests; the engines are reachable for assertions on their own counts.
 */
public final class EngineServer implements AutoCloseable
{
    private final ServerRuntime runtime;
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    private final EventLogAgent events = new EventLogAgent();

    /**
     * Start with the given settings and clock (port and bind address are forced to a free loopback port).
     *
     * @param settings      settings to start from.
     * @param authenticator the authenticator, or null for guests only.
     * @param clock         the clock every component reads.
     * @throws IOException if the server cannot bind.
     */
    public EngineServer(final SwitchboardSettings settings, final Authenticator authenticator, final EpochClock clock)
        throws IOException
    {
        final SwitchboardSettings bound = loopbackTestSettings(settings);
        final ServerRuntime.ShardConsumers production = EngineConsumers.production(bound, clock, events);
        runtime = new ServerRuntime(bound, clock,
            new ServerRuntime.ShardConsumers()
            {
                @Override
                public SlotConsumer create(
                    final int shard, final Thread thread, final OutboundPublisher publisher)
                {
                    return create(shard, thread, publisher, ClusterHooks.NONE);
                }

                @Override
                public SlotConsumer create(
                    final int shard,
                    final Thread thread,
                    final OutboundPublisher publisher,
                    final ClusterHooks clusterHooks)
                {
                    final EngineHost host = (EngineHost)production.create(shard, thread, publisher, clusterHooks);
                    engines.add(host.engine());
                    return host;
                }
            },
            null != authenticator ? authenticator : new GuestOnlyAuthenticator(), null);
        events.start();
        runtime.start();
    }

    /**
     * The settings on an ephemeral loopback port. Every in-process test client comes from 127.0.0.1, often on a fake
     * clock that hardly moves, so per-address limits left at their defaults are lifted (AbuseSystemTest attacks
     * them against a real server process).
     *
     * @param settings the test's settings.
     * @return the settings to start the server with.
     */
    public static SwitchboardSettings loopbackTestSettings(final SwitchboardSettings settings)
    {
        final SwitchboardSettings.Builder builder = settings.toBuilder().port(0).bindAddress("127.0.0.1");
        if (SwitchboardSettings.DEFAULT_UPGRADES_PER_ADDRESS_PER_SECOND == settings.upgradesPerAddressPerSecond())
        {
            builder.upgradesPerAddressPerSecond(1_000_000);
        }
        if (SwitchboardSettings.DEFAULT_JOINS_PER_ADDRESS_PER_SECOND == settings.joinsPerAddressPerSecond())
        {
            builder.joinsPerAddressPerSecond(1_000_000);
        }
        if (SwitchboardSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS == settings.maxConnectionsPerAddress())
        {
            builder.maxConnectionsPerAddress(settings.maxConnections());
        }
        builder.threadingMode(threadingModeUnderTest(settings));
        return builder.build();
    }

    /** The system property that runs every system test in one threading mode (Surefire sets it per execution). */
    public static final String THREADING_MODE_PROPERTY = "switchboard.test.threadingMode";

    /**
     * The threading mode a test server runs in: the test's own when it chose one (or needs more than one IoAgent,
     * which only {@code dedicated} runs), else the one named by {@link #THREADING_MODE_PROPERTY}, else the default.
     *
     * @param settings the test's settings.
     * @return the mode.
     */
    public static String threadingModeUnderTest(final SwitchboardSettings settings)
    {
        final String mode = System.getProperty(THREADING_MODE_PROPERTY);
        if (null == mode || mode.isEmpty() ||
            !SettingsTable.THREADING_MODE.textDefault().equals(settings.threadingMode()) || settings.ioThreads() > 1)
        {
            return settings.threadingMode();
        }
        return mode;
    }

    /**
     * Start with the given settings on the system clock.
     *
     * @param settings settings to start from.
     * @throws IOException if the server cannot bind.
     */
    public EngineServer(final SwitchboardSettings settings) throws IOException
    {
        this(settings, null, SystemEpochClock.INSTANCE);
    }

    /**
     * Start with default settings on the system clock.
     *
     * @throws IOException if the server cannot bind.
     */
    public EngineServer() throws IOException
    {
        this(SwitchboardSettings.defaults());
    }

    /**
     * The port.
     *
     * @return port.
     */
    public int port()
    {
        return runtime.port();
    }

    /**
     * The WebSocket URL.
     *
     * @return ws://127.0.0.1:port/ws
     */
    public String url()
    {
        return "ws://127.0.0.1:" + port() + "/ws";
    }

    /**
     * The runtime.
     *
     * @return runtime.
     */
    public ServerRuntime runtime()
    {
        return runtime;
    }

    /**
     * The engine of shard 0 (read its counts only through thread-safe counters, or after traffic settles).
     *
     * @return the engine.
     */
    public Engine engine()
    {
        return engines.get(0);
    }

    @Override
    public void close()
    {
        runtime.close();
        events.close();
    }
}
