package dev.switchboard.net.io;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionStateTest
{
    private final Connection connection = new Connection(0, SwitchboardSettings.defaults());

    @Test
    void shouldCompleteTheCloseHandshakeInEitherOrder()
    {
        connection.onCloseSent();
        assertTrue(connection.closeSent());
        assertFalse(connection.closeReceived());
        connection.onCloseReceived();
        assertSame(CloseHandshake.COMPLETE, connection.closeHandshake());

        connection.reset();
        connection.onCloseReceived();
        assertSame(CloseHandshake.RECEIVED, connection.closeHandshake());
        assertFalse(connection.closeSent());
        connection.onCloseSent();
        connection.onCloseSent();
        assertSame(CloseHandshake.COMPLETE, connection.closeHandshake(), "a second send changes nothing");
    }

    @Test
    void shouldKeepLingeringWhenAskedAgainToCloseAfterTheFlush()
    {
        assertFalse(connection.isCloseAfterFlush());
        connection.closeAfterFlush();
        assertTrue(connection.isCloseAfterFlush());
        assertFalse(connection.isLingering());
        connection.onLinger();
        connection.closeAfterFlush();
        assertTrue(connection.isLingering(), "a late fence must not undo the linger");
        assertTrue(connection.isCloseAfterFlush());
    }

    @Test
    void shouldPublishTheCloseOnlyWhenTheEngineHeardOfTheConnection()
    {
        assertFalse(connection.onClosePublished(), "nothing published: nothing to close");
        assertTrue(connection.isClosePublished());
        assertFalse(connection.isEngineLinkOpen());

        connection.reset();
        connection.onPublished();
        assertTrue(connection.isEngineLinkOpen(), "flow events may go out");
        assertTrue(connection.onClosePublished());
        assertFalse(connection.onClosePublished(), "the close goes out once");
        assertFalse(connection.isEngineLinkOpen());
    }

    @Test
    void shouldAwaitTheFenceOnlyWhenMessagesAreInFlight()
    {
        assertFalse(connection.awaitFence(), "nothing in flight: close at once");
        assertFalse(connection.isAwaitingFence());

        connection.reset();
        connection.onPublished();
        assertTrue(connection.awaitFence());
        assertTrue(connection.isAwaitingFence());
        assertTrue(connection.isClosePublished());
        assertFalse(connection.onClosePublished(), "a close while awaiting the fence publishes nothing more");
        assertTrue(connection.isAwaitingFence(), "and keeps waiting for the fence");
        connection.onFence();
        assertSame(EngineLink.CLOSED, connection.engineLink());
    }

    @Test
    void shouldDecideTheRelayRouteOnTheFirstJoinOnly()
    {
        connection.onFirstJoin(false);
        assertTrue(connection.isRelayed());
        assertTrue(connection.isPausePending());
        assertTrue(connection.isRouteDecisionPending());
        connection.onFirstJoin(true);
        assertTrue(connection.isRelayed(), "a later join changes nothing");
        connection.onPauseRelayed();
        assertFalse(connection.isPausePending());
        assertTrue(connection.isRouteDecisionPending());
        connection.onRouteDecision(true);
        assertSame(RelayRoute.LOCAL, connection.route());
        assertFalse(connection.isRelayed());

        connection.reset();
        connection.onFirstJoin(true);
        assertSame(RelayRoute.LOCAL, connection.route());
        assertFalse(connection.isRouteDecisionPending());
    }

    @Test
    void shouldArmReadingOnlyWhenEveryPauseReasonIsGone()
    {
        connection.pauseReading(Connection.PAUSE_AUTH);
        connection.pauseReading(Connection.PAUSE_OUTBOUND);
        assertTrue(connection.isPaused(Connection.PAUSE_AUTH));
        assertFalse(connection.resumeReading(Connection.PAUSE_FRAME_RATE), "not paused for that reason");
        assertTrue(connection.resumeReading(Connection.PAUSE_AUTH));
        assertEquals(Connection.PAUSE_OUTBOUND, connection.readPauses);
        assertTrue(connection.resumeReading(Connection.PAUSE_OUTBOUND | Connection.PAUSE_FRAME_RATE));
        assertEquals(0, connection.readPauses);
    }

    @Test
    void shouldForgetEveryStateWhenTheSlotIsFreed()
    {
        connection.state = ConnectionState.OPEN;
        connection.onCloseSent();
        connection.closeAfterFlush();
        connection.onPublished();
        connection.onFirstJoin(false);
        connection.addressAccounting = AddressAccounting.COUNTED;
        connection.pauseReading(Connection.PAUSE_ROUTE);
        connection.reset();
        assertSame(ConnectionState.FREE, connection.state);
        assertSame(CloseHandshake.NONE, connection.closeHandshake());
        assertSame(Teardown.NONE, connection.teardown());
        assertSame(EngineLink.SILENT, connection.engineLink());
        assertSame(RelayRoute.UNDECIDED, connection.route());
        assertSame(AddressAccounting.UNCOUNTED, connection.addressAccounting);
        assertEquals(0, connection.readPauses);
    }
}
