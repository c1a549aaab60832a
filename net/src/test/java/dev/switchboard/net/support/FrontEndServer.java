package dev.switchboard.net.support;

import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.auth.GuestOnlyAuthenticator;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.ServerRuntime;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network front end on a free loopback port with the {@link StandInConsumer} in place of the engine.
 */
public final class FrontEndServer implements AutoCloseable
{
    private final ServerRuntime runtime;
    private final List<StandInConsumer> standIns = new CopyOnWriteArrayList<>();

    /**
     * Start with the given settings (port and bind address are forced to a free loopback port).
     *
     * @param settings      settings to start from.
     * @param authenticator the authenticator, or null for guests only.
     * @throws IOException if the server cannot bind.
     */
    public FrontEndServer(final SwitchboardSettings settings, final Authenticator authenticator) throws IOException
    {
        this(settings, authenticator, SystemEpochClock.INSTANCE);
    }

    /**
     * Start with the given settings and clock (a fake clock drives the front end's timeouts).
     *
     * @param settings      settings to start from.
     * @param authenticator the authenticator, or null for guests only.
     * @param clock         the clock the IoAgents read.
     * @throws IOException if the server cannot bind.
     */
    public FrontEndServer(
        final SwitchboardSettings settings,
        final Authenticator authenticator,
        final EpochClock clock) throws IOException
    {
        final SwitchboardSettings bound = EngineServer.loopbackTestSettings(settings);
        runtime = new ServerRuntime(bound, clock,
            (shard, thread, publisher) ->
            {
                final StandInConsumer consumer = new StandInConsumer(publisher, thread);
                standIns.add(consumer);
                return consumer;
            },
            null != authenticator ? authenticator : new GuestOnlyAuthenticator(), null);
        runtime.start();
    }

    /**
     * Start with default settings.
     *
     * @throws IOException if the server cannot bind.
     */
    public FrontEndServer() throws IOException
    {
        this(SwitchboardSettings.defaults(), null);
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
     * The runtime.
     *
     * @return runtime.
     */
    public ServerRuntime runtime()
    {
        return runtime;
    }

    /**
     * The stand-in of shard 0.
     *
     * @return the stand-in.
     */
    public StandInConsumer standIn()
    {
        return standIns.get(0);
    }

    @Override
    public void close()
    {
        runtime.close();
    }
}
