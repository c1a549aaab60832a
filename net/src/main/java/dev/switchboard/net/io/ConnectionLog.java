package dev.switchboard.net.io;

import dev.switchboard.engine.log.LogLine;
import org.apache.logging.log4j.Logger;

/**
 * Log lines about one connection that a flood must not turn into a log flood.
 */
final class ConnectionLog
{
    private ConnectionLog()
    {
    }

    /**
     * A log line for the first of a kind of refusal and then one per 1,024 (each an episode of one socket), so
     * that a flood from many sockets cannot become a log flood.
     *
     * @param log        where to log.
     * @param count      the refusal counter's new value.
     * @param event      the event name.
     * @param connection the socket refused.
     */
    static void logSampled(final Logger log, final long count, final String event, final Connection connection)
    {
        if (1 == (count & 1023))
        {
            log.warn(LogLine.event(event).with("connectionId", connection.id)
                .with("address", addressText(connection.addressHi, connection.addressLo)).with("total", count));
        }
    }

    /**
     * An address key as text: dotted IPv4 for IPv4-mapped keys, two hex halves otherwise.
     *
     * @param hi high 64 bits of the key.
     * @param lo low 64 bits of the key.
     * @return the text.
     */
    static String addressText(final long hi, final long lo)
    {
        if (0 == hi && 0x0000_FFFF_0000_0000L == (lo & 0xFFFF_FFFF_0000_0000L))
        {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        return Long.toHexString(hi) + ":" + Long.toHexString(lo);
    }
}
