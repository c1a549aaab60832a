package dev.switchboard.engine.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the records an {@link EventLog} holds, for tests.
 */
public final class RecordedEvents
{
    /**
     * One recorded event.
     *
     * @param event    the event kind.
     * @param typeId   the message type id.
     * @param detail   the event's number.
     * @param roomId   the room id, empty when none.
     * @param senderId the sender's user id, empty when none.
     */
    public record Event(int event, int typeId, long detail, String roomId, String senderId)
    {
    }

    private RecordedEvents()
    {
    }

    /**
     * Drain every record.
     *
     * @param log the log.
     * @return the records, oldest first.
     */
    public static List<Event> drain(final EventLog log)
    {
        final List<Event> events = new ArrayList<>();
        log.ring().read((msgType, buffer, index, length) ->
        {
            final int room = buffer.getInt(index + 24);
            final int sender = buffer.getInt(index + 28);
            final byte[] roomBytes = new byte[room];
            buffer.getBytes(index + EventLog.HEADER_BYTES, roomBytes);
            final byte[] senderBytes = new byte[sender];
            buffer.getBytes(index + EventLog.HEADER_BYTES + room, senderBytes);
            events.add(new Event(buffer.getInt(index), buffer.getInt(index + 4), buffer.getLong(index + 16),
                new String(roomBytes, StandardCharsets.US_ASCII), new String(senderBytes, StandardCharsets.US_ASCII)));
        }, Integer.MAX_VALUE);
        return events;
    }
}
