package dev.switchboard.net.io;

import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.http.HttpRequestParser;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-address limits at accept, upgrade and join, with trusted proxies' clients taken from X-Forwarded-For; one per
 * IoAgent, over the table the node's IoAgents share.
 */
final class AddressAdmission
{
    private static final Logger LOG = LogManager.getLogger(AddressAdmission.class);
    private static final long SWEEP_INTERVAL_MS = 1_000;

    private final AddressLimits limits;
    private final long[] trustedProxies;
    private final long[] addressScratch = new long[2];
    private final IoCounters counters;
    private final IoLoop loop;
    private long nextSweepMs;

    /**
     * One agent's door to the node's per-address limits.
     *
     * @param limits   the node's table, shared by its IoAgents.
     * @param settings the trusted proxies.
     * @param counters where this agent's refusals are counted.
     * @param loop     the agent's clock.
     */
    AddressAdmission(
        final AddressLimits limits, final SwitchboardSettings settings, final IoCounters counters, final IoLoop loop)
    {
        this.limits = limits;
        this.trustedProxies = IpAddresses.parseList(settings.trustedProxies());
        this.counters = counters;
        this.loop = loop;
    }

    /**
     * Count a new socket under its remote address, refusing it past {@code maxConnectionsPerAddress}; a trusted
     * proxy's sockets are counted later, under the client that its X-Forwarded-For names.
     *
     * @param connection the new socket's slot.
     * @param channel    the new socket.
     * @return false when the socket must be refused.
     */
    boolean admit(final Connection connection, final SocketChannel channel)
    {
        final long[] key = addressScratch;
        try
        {
            if (!IpAddresses.toKey(channel.getRemoteAddress(), key))
            {
                return true;
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        connection.addressHi = key[0];
        connection.addressLo = key[1];
        if (isTrustedProxy(key[0], key[1]))
        {
            connection.addressAccounting = AddressAccounting.VIA_TRUSTED_PROXY;
            return true;
        }
        return count(connection);
    }

    /**
     * Behind a trusted proxy: take the client from X-Forwarded-For, the rightmost entry that is not itself a
     * trusted proxy, and count the socket under it; without a usable header the proxy's own address stands.
     *
     * @param connection the upgrading socket.
     * @param request    its parsed request.
     * @return false when the client is over {@code maxConnectionsPerAddress}.
     */
    boolean admitForwardedClient(final Connection connection, final HttpRequestParser request)
    {
        final byte[] text = request.buffer();
        final int start = request.forwardedForOffset();
        int end = start + request.forwardedForLength();
        final long[] key = addressScratch;
        while (end > start)
        {
            int comma = end - 1;
            while (comma >= start && ',' != text[comma])
            {
                comma--;
            }
            if (!IpAddresses.parse(text, comma + 1, end - comma - 1, key))
            {
                break;
            }
            connection.addressHi = key[0];
            connection.addressLo = key[1];
            if (!isTrustedProxy(key[0], key[1]))
            {
                break;
            }
            end = comma;
        }
        connection.addressAccounting = AddressAccounting.UNCOUNTED;
        return count(connection);
    }

    /**
     * Take one upgrade from the socket's address budget.
     *
     * @param connection the upgrading socket.
     * @return false when the address is over {@code upgradesPerAddressPerSecond}.
     */
    boolean tryUpgrade(final Connection connection)
    {
        if (limits.tryUpgrade(connection.addressHi, connection.addressLo, loop.nowMs()))
        {
            return true;
        }
        refused(counters.addressUpgradeRefusals, "upgrades", connection);
        return false;
    }

    /**
     * Take one join or resume from the socket's address budget.
     *
     * @param connection the joining socket.
     * @return false when the address is over {@code joinsPerAddressPerSecond}.
     */
    boolean tryJoin(final Connection connection)
    {
        if (limits.tryJoin(connection.addressHi, connection.addressLo, loop.nowMs()))
        {
            return true;
        }
        refused(counters.addressJoinRefusals, "joins", connection);
        return false;
    }

    /**
     * Stop counting a closing socket under its address.
     *
     * @param connection the socket.
     */
    void release(final Connection connection)
    {
        if (AddressAccounting.COUNTED == connection.addressAccounting)
        {
            connection.addressAccounting = AddressAccounting.UNCOUNTED;
            limits.disconnect(connection.addressHi, connection.addressLo, loop.nowMs());
        }
    }

    /**
     * Forget idle addresses once a second; called from the timer pass.
     */
    void sweep()
    {
        final long nowMs = loop.nowMs();
        if (nowMs >= nextSweepMs)
        {
            nextSweepMs = nowMs + SWEEP_INTERVAL_MS;
            limits.sweep(nowMs);
        }
    }

    private boolean count(final Connection connection)
    {
        if (!limits.tryConnect(connection.addressHi, connection.addressLo, loop.nowMs()))
        {
            refused(counters.addressConnectionRefusals, "connections", connection);
            return false;
        }
        connection.addressAccounting = AddressAccounting.COUNTED;
        return true;
    }

    private boolean isTrustedProxy(final long hi, final long lo)
    {
        final long[] proxies = trustedProxies;
        for (int i = 0; i < proxies.length; i += 2)
        {
            if (proxies[i] == hi && proxies[i + 1] == lo)
            {
                return true;
            }
        }
        return false;
    }

    private static void refused(final AtomicLong counter, final String limit, final Connection connection)
    {
        final long count = IoCounters.increment(counter);
        // One line per limit per 1,024 refusals: a flood from one address must not become a log flood.
        if (1 == (count & 1023))
        {
            LOG.warn(LogLine.event("address_limit").with("limit", limit)
                .with("address", ConnectionLog.addressText(connection.addressHi, connection.addressLo))
                .with("refusals", count));
        }
    }
}
