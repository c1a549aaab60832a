package dev.switchboard.engine.ring;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * A thread that exists before the agent it will run: engine pools and frame pools take their owner thread when
 * they are built, which is before the {@link AgentRunner} (which needs the finished agent) can be made. Pins
 * itself to a CPU when one is given.
 */
public final class AgentThread
{
    private final Thread thread;
    private final int cpu;
    private volatile AgentRunner runner;

    /**
     * Create the thread; nothing runs until {@link #start}.
     *
     * @param name thread name.
     * @param cpu  CPU to pin to, or -1 for none.
     */
    public AgentThread(final String name, final int cpu)
    {
        this.cpu = cpu;
        this.thread = new Thread(this::run, name);
    }

    /**
     * The thread, for pools that need their owner.
     *
     * @return the thread (not started before {@link #start}).
     */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Run an agent on this thread with an idle strategy.
     *
     * @param idle         the idle strategy.
     * @param errorHandler receives what escapes {@link Agent#doWork()}.
     * @param agent        the agent (a {@code CompositeAgent} for several).
     */
    public void start(final IdleStrategy idle, final ErrorHandler errorHandler, final Agent agent)
    {
        runner = new AgentRunner(idle, errorHandler, null, agent);
        thread.start();
    }

    /**
     * Whether {@link #start} ran.
     *
     * @return true once started.
     */
    public boolean isStarted()
    {
        return null != runner;
    }

    /**
     * Stop the agent (its {@code onClose} runs on this thread) and wait for the thread.
     */
    public void close()
    {
        final AgentRunner r = runner;
        if (null != r)
        {
            r.close();
        }
    }

    private void run()
    {
        ThreadAffinity.pinCurrentThread(cpu);
        runner.run();
    }
}
