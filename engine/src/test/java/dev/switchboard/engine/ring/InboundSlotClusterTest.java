package dev.switchboard.engine.ring;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InboundSlotClusterTest
{
    @Test
    void shouldCarryASnapshotLargerThanTheSlotPayloadThroughTheRingCopy()
    {
        final byte[] snapshot = new byte[300_000];
        new Random(3).nextBytes(snapshot);
        final byte[] room = "room-7".getBytes(StandardCharsets.US_ASCII);
        final InboundSlot scratch = new InboundSlot();
        scratch.fillRoomRestore(room, room.length, snapshot, 0, snapshot.length);

        final InboundSlot ringSlot = new InboundSlot();
        SlotTranslators.COPY.translateTo(ringSlot, 0, scratch);

        assertEquals(SlotKind.ROOM_RESTORE, ringSlot.kind);
        assertEquals("room-7", new String(ringSlot.roomId, 0, ringSlot.roomIdLength, StandardCharsets.US_ASCII));
        assertEquals(snapshot.length, ringSlot.payloadLength);
        assertArrayEquals(snapshot, Arrays.copyOf(ringSlot.payload, ringSlot.payloadLength));
    }

    @Test
    void shouldFillAHandoverWithNothingElseSet()
    {
        final InboundSlot slot = new InboundSlot();
        slot.fillRoomRestore(new byte[] {'r'}, 1, new byte[] {1, 2}, 0, 2);
        slot.fillHandover();
        assertEquals(SlotKind.HANDOVER, slot.kind);
        assertEquals(0, slot.roomIdLength);
        assertEquals(0, slot.payloadLength);
    }
}
