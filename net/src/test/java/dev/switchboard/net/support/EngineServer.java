package dev.switchboard.net.support;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.auth.Authenticator;
import dev.switchboard.engine.auth.GuestOnlyAuthenticator;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.net.ServerRuntime;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.security.SecureRandom;
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
        final SwitchboardSettings bound = settings.toBuilder().port(0).bindAddress("127.0.0.1").build();
        runtime = new ServerRuntime(bound, clock,
            (shard, thread, publisher) ->
            {
                final Engine engine = new Engine(new EngineContext(
                    bound, clock, publisher, new FramePool(8192, thread), new SecureRandom(), shard));
                engines.add(engine);
                return new SlotConsumer()
                {
                    @Override
                    public void onEvent(final InboundSlot slot)
                    {
                        engine.onEvent(slot);
                    }

                    @Override
                    public void onEndOfBatch()
                    {
                        engine.onEndOfBatch();
                    }
                };
            },
            null != authenticator ? authenticator : new GuestOnlyAuthenticator(), null, "blocking");
        runtime.start();
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
    }
}
