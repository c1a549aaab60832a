package dev.switchboard.net.system;

import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.RedisServer;

import java.io.IOException;

/**
 * Starts server processes in multi-node mode against a test redis-server, with short leases.
 */
final class ClusterProcesses
{
    /** Lease TTL the cluster tests run with. */
    static final int LEASE_TTL_MILLIS = 1500;
    /** How long a started node may take to log its Redis link up: an upper bound on waiting, not on speed. */
    static final long REDIS_LINK_TIMEOUT_MS = 120_000;

    private ClusterProcesses()
    {
    }

    static ServerProcess start(final RedisServer redis, final String nodeId, final String... flags)
        throws IOException, InterruptedException
    {
        final String[] all = new String[8 + flags.length];
        all[0] = "--redis-url";
        all[1] = redis.url();
        all[2] = "--node-id";
        all[3] = nodeId;
        all[4] = "--lease-ttl-millis";
        all[5] = Integer.toString(LEASE_TTL_MILLIS);
        all[6] = "--redis-timeout-millis";
        all[7] = "500";
        System.arraycopy(flags, 0, all, 8, flags.length);
        final ServerProcess process = new ServerProcess(all);
        try
        {
            Conditions.await(REDIS_LINK_TIMEOUT_MS, () -> redisUp(process), nodeId + " connects to Redis");
        }
        catch (final AssertionError ex)
        {
            process.close();
            throw new AssertionError(ex.getMessage() + "; its output:\n" + String.join("\n", process.lines), ex);
        }
        return process;
    }

    static boolean redisUp(final ServerProcess process)
    {
        return process.logged("redis_link", "redis", "up");
    }
}
