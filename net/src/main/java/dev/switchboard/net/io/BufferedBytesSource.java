package dev.switchboard.net.io;

/**
 * Where {@code ws_buffered_bytes_p95} comes from: the 95th percentile of live sockets' buffered outbound bytes.
 */
@FunctionalInterface
public interface BufferedBytesSource
{
    /**
     * Close the current interval and return the 95th percentile of the buffered bytes recorded in it; called by
     * the exporter's sampler thread only, once per sampling interval.
     *
     * @return bytes, or 0 when nothing was recorded in the interval.
     */
    long bufferedBytesP95();
}
