package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One selector thread of the client fleet: connects its share of the sockets, upgrades and joins them, sends the
 * scheduled messages of its publishers without waiting for replies, and records every delivery it reads. The agent
 * runs the duty cycle and dispatches selector events; each step is owned by a class of its own.
 */
public final class ClientAgent implements Runnable
{
    private static final long SLOW_TICK_NS = 20_000_000L;
    private static final long PRECISE_WAIT_NS = 1_000_000L;
    private static final long PARK_NS = 100_000L;

    private final FleetState fleet;
    private final AgentRoster roster;
    private final ConnectionCloser closer;
    private final FrameSender sender;
    private final ClientConnector connector;
    private final PublishScheduler scheduler;
    private final ServerFrameAdapter frameAdapter;
    private final ConnectionTimers timers;
    private final Consumer<SelectionKey> keyHandler = this::onSelected;
    private Selector selector;
    private long nextSlowTickNs;

    /**
     * Makes the agent owning the sockets whose global index modulo {@code agentCount} is {@code agentIndex}.
     *
     * @param fleet      shared run state.
     * @param counters   this agent's counters.
     * @param agentIndex this agent's index.
     * @param agentCount number of agents.
     */
    public ClientAgent(final FleetState fleet, final FleetCounters counters, final int agentIndex, final int agentCount)
    {
        this.fleet = fleet;
        this.roster = new AgentRoster(fleet, agentIndex, agentCount);
        this.closer = new ConnectionCloser(fleet, counters);
        this.sender = new FrameSender(
            counters, closer, ClientMessagePublisher.MAX_MESSAGE_BYTES, 0x9E3779B9 ^ (agentIndex + 1) * 0x85EBCA6B);
        this.connector = new ClientConnector(fleet, counters, closer, sender, roster.connections);
        final ClientMessagePublisher publisher = new ClientMessagePublisher(fleet, closer, sender);
        this.scheduler = new PublishScheduler(fleet, counters, roster, publisher);
        final ServerMessageAdapter messages = new ServerMessageAdapter(fleet, counters, closer, publisher, scheduler);
        this.frameAdapter = new ServerFrameAdapter(counters, closer, sender, publisher, messages);
        this.timers = new ConnectionTimers(fleet, counters, closer, connector, publisher, scheduler, roster.connections);
    }

    /**
     * Runs the duty cycle until the fleet stops, then closes every socket.
     */
    @Override
    public void run()
    {
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            ProblemLog.print("cannot open a selector: " + ex);
            return;
        }
        connector.selector(selector);
        try
        {
            while (!fleet.stopping())
            {
                doWork(System.nanoTime());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            ProblemLog.print("agent failed: " + ex);
        }
        finally
        {
            closeAll();
        }
    }

    private void doWork(final long nowNs) throws IOException
    {
        connector.connectDue(nowNs);
        if (!scheduler.trafficStarted() && FleetState.NOT_SET != fleet.trafficStartNs())
        {
            scheduler.beginTraffic(fleet.trafficStartNs());
        }
        if (scheduler.trafficStarted())
        {
            scheduler.sendDue(nowNs);
        }
        if (nowNs - nextSlowTickNs >= 0)
        {
            nextSlowTickNs = nowNs + SLOW_TICK_NS;
            timers.onSlowTick(nowNs);
        }
        final long nextDueNs = scheduler.nextDueNs();
        final long waitNs = nextDueNs - System.nanoTime();
        if (waitNs <= 0)
        {
            selector.selectNow(keyHandler);
        }
        else if (waitNs < PRECISE_WAIT_NS)
        {
            if (0 == selector.selectNow(keyHandler))
            {
                LockSupport.parkNanos(Math.min(waitNs, PARK_NS));
            }
        }
        else
        {
            selector.select(keyHandler, 1);
        }
    }

    private void onSelected(final SelectionKey key)
    {
        final ClientConnection connection = (ClientConnection)key.attachment();
        try
        {
            if (!key.isValid())
            {
                return;
            }
            final int ready = key.readyOps();
            if (0 != (ready & SelectionKey.OP_CONNECT))
            {
                connector.onConnectable(connection);
                return;
            }
            if (null != connection.tls && !connection.tls.handshakeDone())
            {
                connector.advanceTls(connection);
                return;
            }
            if (0 != (ready & SelectionKey.OP_WRITE))
            {
                sender.flushPending(connection);
            }
            if (0 != (ready & SelectionKey.OP_READ) && key.isValid())
            {
                frameAdapter.onReadable(connection);
            }
        }
        catch (final IOException ex)
        {
            closer.onBroken(connection, ex.toString());
        }
    }

    private void closeAll()
    {
        closer.closeAll(roster.connections);
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Closing at exit; nothing left to do.
        }
    }
}
