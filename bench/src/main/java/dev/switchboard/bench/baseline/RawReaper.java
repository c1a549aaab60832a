package dev.switchboard.bench.baseline;

import java.io.IOException;

/**
 * The sockets of the {@link RawWriter} that failed or finished during a selector round: each is marked closed at
 * once, so nothing more is queued to it, and is taken out of its room and closed at the end of the round, after the
 * writes of the round have been made. Owned by the serving thread.
 */
final class RawReaper
{
    private final RawRoomTable rooms;
    private RawConnection[] failed = new RawConnection[64];
    private int failedCount;

    /**
     * Makes an empty reaper.
     *
     * @param rooms where a reaped connection leaves its room.
     */
    RawReaper(final RawRoomTable rooms)
    {
        this.rooms = rooms;
    }

    /**
     * Marks a connection closed and queues it for {@link #reap}; nothing when it is closed already.
     *
     * @param connection the connection.
     */
    void fail(final RawConnection connection)
    {
        if (!connection.open)
        {
            return;
        }
        connection.open = false;
        if (failedCount == failed.length)
        {
            final RawConnection[] grown = new RawConnection[failedCount * 2];
            System.arraycopy(failed, 0, grown, 0, failedCount);
            failed = grown;
        }
        failed[failedCount++] = connection;
    }

    /**
     * Number of connections waiting for {@link #reap}.
     *
     * @return connections.
     */
    int pending()
    {
        return failedCount;
    }

    /**
     * Takes every queued connection out of its room, cancels its key and closes its socket.
     */
    void reap()
    {
        for (int i = 0; i < failedCount; i++)
        {
            final RawConnection connection = failed[i];
            failed[i] = null;
            rooms.leave(connection);
            connection.key.cancel();
            try
            {
                connection.channel.close();
            }
            catch (final IOException ignore)
            {
                // The socket is gone either way.
            }
        }
        failedCount = 0;
    }
}
