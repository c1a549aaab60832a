package dev.switchboard.engine.room;

import java.util.Arrays;

/**
 * Which rooms owe their members a {@code queue_updated}: a change marks the room dirty, and the update goes out at
 * the end of the batch unless one was already sent this tick, else on the next tick. Owns
 * {@link Room#queueDirty}, {@link Room#queueSentThisTick} and {@link Room#inQueueDirtyList}.
 */
public final class CohostQueue
{
    /** Encodes and broadcasts one room's queue update. */
    @FunctionalInterface
    public interface UpdateSender
    {
        /**
         * Broadcast the room's queue now.
         *
         * @param room the room.
         */
        void sendQueueUpdate(Room room);
    }

    private final UpdateSender sender;
    private Room[] dirtyRooms = new Room[16];
    private int dirtyCount;

    /**
     * A queue tracker sending through this sender.
     *
     * @param sender encodes and broadcasts a room's queue.
     */
    public CohostQueue(final UpdateSender sender)
    {
        this.sender = sender;
    }

    /**
     * Whether the room's queue has room for one more viewer.
     *
     * @param room     the room.
     * @param maxQueue the configured queue limit.
     * @return true when a request may be queued.
     */
    public static boolean hasSpace(final Room room, final int maxQueue)
    {
        return room.queueLength < Math.min(maxQueue, room.queue.length);
    }

    /**
     * The room's queue changed: an update is owed.
     *
     * @param room the room.
     */
    public void markDirty(final Room room)
    {
        room.queueDirty = true;
        if (!room.inQueueDirtyList)
        {
            if (dirtyCount == dirtyRooms.length)
            {
                dirtyRooms = Arrays.copyOf(dirtyRooms, dirtyCount * 2);
            }
            dirtyRooms[dirtyCount++] = room;
            room.inQueueDirtyList = true;
        }
    }

    /**
     * Send the room's queue update now (the caller has numbered nothing yet).
     *
     * @param room the room.
     */
    public void sendNow(final Room room)
    {
        sender.sendQueueUpdate(room);
        room.queueDirty = false;
        room.queueSentThisTick = true;
    }

    /**
     * A tick for this room: the per-tick limit resets and an update still owed goes out.
     *
     * @param room the room.
     */
    public void onTick(final Room room)
    {
        room.queueSentThisTick = false;
        if (room.queueDirty)
        {
            sendNow(room);
        }
    }

    /**
     * End of a batch: send every owed update not already sent this tick.
     */
    public void onEndOfBatch()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            final Room room = dirtyRooms[i];
            if (room.queueDirty && !room.queueSentThisTick)
            {
                sendNow(room);
            }
        }
        compact();
    }

    /**
     * Keep only rooms that still owe an update in the list.
     */
    public void compact()
    {
        int kept = 0;
        for (int i = 0; i < dirtyCount; i++)
        {
            final Room room = dirtyRooms[i];
            if (room.queueDirty && room.inQueueDirtyList)
            {
                dirtyRooms[kept++] = room;
            }
            else
            {
                room.inQueueDirtyList = false;
            }
        }
        for (int i = kept; i < dirtyCount; i++)
        {
            dirtyRooms[i] = null;
        }
        dirtyCount = kept;
    }

    /**
     * Forget a room that is being released.
     *
     * @param room the room.
     */
    public void forget(final Room room)
    {
        if (room.inQueueDirtyList)
        {
            for (int i = 0; i < dirtyCount; i++)
            {
                if (dirtyRooms[i] == room)
                {
                    dirtyRooms[i] = dirtyRooms[--dirtyCount];
                    dirtyRooms[dirtyCount] = null;
                    break;
                }
            }
        }
        room.queueDirty = false;
        room.queueSentThisTick = false;
        room.inQueueDirtyList = false;
    }
}
