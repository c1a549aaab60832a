package dev.switchboard.net.io;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class NoRelayRouterTest
{
    @Test
    void shouldServeEveryJoinLocallyAndLeaveTheConnectionUntouched()
    {
        final Connection connection = new Connection(0, SwitchboardSettings.defaults());
        connection.state = ConnectionState.OPEN;
        final InboundSlot slot = new InboundSlot();
        slot.typeId = MessageType.JOIN.id();
        final byte[] room = "room-1".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(room, 0, slot.roomId, 0, room.length);
        slot.roomIdLength = room.length;
        final byte[] text = "{}".getBytes(StandardCharsets.US_ASCII);

        assertFalse(NoRelayRouter.INSTANCE.route(connection, slot, text, 0, text.length), "goes to a local shard");
        NoRelayRouter.INSTANCE.pauseForRoute(connection);
        NoRelayRouter.INSTANCE.drainEvictions();
        NoRelayRouter.INSTANCE.drainRoutes();

        assertSame(RelayRoute.UNDECIDED, connection.route());
        assertFalse(connection.isRelayed());
        assertEquals(0, connection.roomIdLength, "single-node mode keeps no room for evictions");
        assertEquals(0, connection.readPauses, "reading never pauses for a route");
        assertSame(EngineLink.SILENT, connection.engineLink(), "routing publishes nothing");
    }
}
