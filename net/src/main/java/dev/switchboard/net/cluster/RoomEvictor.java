package dev.switchboard.net.cluster;

/**
 * What the cluster agent does when a room it served turns out to belong to another node: forget it and close its
 * sockets with 4012 so they reconnect to the owner.
 */
@FunctionalInterface
interface RoomEvictor
{
    /**
     * Evict a room.
     *
     * @param room    room id bytes.
     * @param roomKey the room id as ASCII text.
     */
    void evict(byte[] room, String roomKey);
}
