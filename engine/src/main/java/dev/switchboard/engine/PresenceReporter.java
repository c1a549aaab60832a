package dev.switchboard.engine;

import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;

/**
 * Presence once per tick: joins and leaves since the last tick go to the host and active guest as one delta, and
 * the room size goes to viewers at most once a second when it changed.
 */
final class PresenceReporter
{
    private static final long VIEWER_PRESENCE_INTERVAL_MS = 1000;

    private final MessageEncoder encoder;
    private final Outbox outbox;

    PresenceReporter(final MessageEncoder encoder, final Outbox outbox)
    {
        this.encoder = encoder;
        this.outbox = outbox;
    }

    /** Send the room's presence changes owed this tick. */
    void flush(final Room room, final long nowMs)
    {
        if (room.presenceJoined().size() > 0 || room.presenceLeft().size() > 0)
        {
            final Session host = room.host();
            final Session guest = room.activeGuest();
            final boolean hostLive = null != host && host.live();
            final boolean guestLive = null != guest && guest.live();
            if (hostLive || guestLive)
            {
                final Frame frame = encoder.presenceDelta(room, nowMs);
                if (hostLive)
                {
                    outbox.send(host.connectionId(), frame);
                }
                if (guestLive)
                {
                    outbox.send(guest.connectionId(), frame);
                }
                frame.release();
            }
            room.presenceJoined().clear();
            room.presenceLeft().clear();
        }
        if (room.memberCount() != room.viewerSizeSent() &&
            nowMs - room.viewerPresenceSentMs() >= VIEWER_PRESENCE_INTERVAL_MS)
        {
            Frame frame = null;
            for (int i = 0, n = room.memberCount(); i < n; i++)
            {
                final Session member = room.member(i);
                if (member.live() && Session.ROLE_VIEWER == member.role())
                {
                    if (null == frame)
                    {
                        frame = encoder.presenceSize(room, nowMs);
                    }
                    outbox.send(member.connectionId(), frame);
                }
            }
            if (null != frame)
            {
                frame.release();
            }
            room.presenceSent(nowMs);
        }
    }
}
