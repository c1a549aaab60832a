package dev.switchboard.engine.room;

/** Receives one room's id and size, for /healthz snapshots. */
@FunctionalInterface
public interface RoomSizeConsumer
{
    /**
     * Accept one room.
     *
     * @param roomId       buffer holding the room id from offset 0 (valid only during the call).
     * @param roomIdLength length of the room id.
     * @param size         sessions in the room, live and away.
     */
    void accept(byte[] roomId, int roomIdLength, int size);
}
