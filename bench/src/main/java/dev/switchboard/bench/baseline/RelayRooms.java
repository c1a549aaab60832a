package dev.switchboard.bench.baseline;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's rooms: a {@link ChannelGroup} per room, as a Netty user would keep them, shared by the event loops.
 */
public final class RelayRooms
{
    /** One room: its members and its host. */
    public static final class Room
    {
        /** The room's id. */
        public final String id;

        /** Every member's channel; closed channels leave the group by themselves. */
        public final ChannelGroup members;

        private Channel host;
        private String hostUserId;

        Room(final String id)
        {
            this.id = id;
            this.members = new DefaultChannelGroup(id, GlobalEventExecutor.INSTANCE);
        }

        /**
         * Makes the channel the host unless another open channel already is.
         *
         * @param channel the joining channel.
         * @param userId  the joining user's id.
         * @return true when the channel is now the host.
         */
        public synchronized boolean claimHost(final Channel channel, final String userId)
        {
            if (null != host && host != channel && host.isActive())
            {
                return false;
            }
            host = channel;
            hostUserId = userId;
            return true;
        }

        /**
         * The host's user id.
         *
         * @return the user id, or null when the room has no host.
         */
        public synchronized String hostUserId()
        {
            return hostUserId;
        }

        /**
         * Forgets the host if it is this channel.
         *
         * @param channel the leaving channel.
         */
        public synchronized void releaseHost(final Channel channel)
        {
            if (host == channel)
            {
                host = null;
                hostUserId = null;
            }
        }
    }

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Channel> users = new ConcurrentHashMap<>();
    private final AtomicLong nextUser = new AtomicLong(1);

    /**
     * Registers a joined user's channel for directed messages.
     *
     * @param userId  the user's id.
     * @param channel the user's channel.
     */
    public void addUser(final String userId, final Channel channel)
    {
        users.put(userId, channel);
    }

    /**
     * Forgets a user's channel.
     *
     * @param userId the user's id.
     */
    public void removeUser(final String userId)
    {
        users.remove(userId);
    }

    /**
     * The channel of a joined user.
     *
     * @param userId the user's id.
     * @return the channel, or null when the user is not joined.
     */
    public Channel user(final String userId)
    {
        return users.get(userId);
    }

    /**
     * The room with this id, created when absent.
     *
     * @param roomId the room's id.
     * @return the room.
     */
    public Room room(final String roomId)
    {
        return rooms.computeIfAbsent(roomId, Room::new);
    }

    /**
     * The room with this id if it exists.
     *
     * @param roomId the room's id.
     * @return the room, or null.
     */
    public Room find(final String roomId)
    {
        return rooms.get(roomId);
    }

    /**
     * Removes a room that has no member left.
     *
     * @param room the room.
     */
    public void removeIfEmpty(final Room room)
    {
        if (room.members.isEmpty())
        {
            rooms.remove(room.id, room);
        }
    }

    /**
     * A new user id, unique in this relay.
     *
     * @return the user id.
     */
    public String newUserId()
    {
        return "u-" + nextUser.getAndIncrement();
    }

    /**
     * Number of rooms open now.
     *
     * @return rooms.
     */
    public int size()
    {
        return rooms.size();
    }
}
