package dev.switchboard.bench.jmh;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.RoomRegistry;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.ReplayBytes;

import java.nio.charset.StandardCharsets;

/**
 * Fills inbound slots the way the IoAgent's decoder would, for benchmarks that drive the engine directly
 * (set-up only; never inside a measured method).
 */
final class BenchSlots
{
    private BenchSlots()
    {
    }

    /** A message of the given type in room {@code bench-room}, with a msgId derived from {@code id}. */
    static void message(final InboundSlot slot, final long connectionId, final MessageType type, final long id)
    {
        slot.clear();
        slot.kind = SlotKind.MESSAGE;
        slot.connectionId = connectionId;
        slot.typeId = type.id();
        slot.hasMsgId = true;
        slot.msgIdHi = 0x0B7D1E3C6A8E4A55L;
        slot.msgIdLo = id << 20;
        slot.seq = 1;
        slot.roomIdLength = copy("bench-room", slot.roomId);
    }

    /** Room {@code bench-room} outside any engine, for the hand-written baselines the engine is measured against. */
    static Room benchRoom()
    {
        final byte[] id = new byte[Room.MAX_ID_LENGTH];
        final RoomRegistry registry =
            new RoomRegistry(1, 1, SwitchboardSettings.DEFAULT_ROOM_REPLAY_WINDOW_BYTES, new ReplayBytes());
        return registry.open(id, copy("bench-room", id), 0);
    }

    /** A session of the given user outside any engine, for the hand-written baselines. */
    static Session sender(final String userId)
    {
        final byte[] id = new byte[Room.MAX_ID_LENGTH];
        final Session session = new Session(1, 1);
        session.authenticateAs(id, copy(userId, id));
        return session;
    }

    /** Set the slot's payload bytes. */
    static void payload(final InboundSlot slot, final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        slot.ensurePayloadCapacity(bytes.length);
        System.arraycopy(bytes, 0, slot.payload, 0, bytes.length);
        slot.payloadLength = bytes.length;
    }

    /** Copy ASCII text into a fixed field and return its length. */
    static int copy(final String text, final byte[] dst)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, dst, 0, bytes.length);
        return bytes.length;
    }
}
