package dev.switchboard.engine.room;

import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.ReplayBytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTableTest
{
    private final SocketClaims claims = SocketClaims.forShards(1, 16);
    private final SessionTable sessions =
        new SessionTable(SwitchboardSettings.defaults(), new Random(7), new ReplayBytes(), claims, 0);
    private final Room room = RoomStates.room("room-1", 4, 4);
    private final long first = ConnectionIds.compose(0, 1, 1);
    private final long second = ConnectionIds.compose(0, 1, 2);

    private Session joined(final int role)
    {
        final Session session = sessions.allocate();
        sessions.generateGuestId(session, room);
        sessions.generateToken(session);
        session.enter(room, role, 0);
        room.addMember(session);
        assertTrue(sessions.claimSocket(first));
        sessions.bind(first, session);
        sessions.register(session);
        return session;
    }

    @Test
    void shouldKeepLiveAndTheBoundSocketTogether()
    {
        final Session session = joined(Session.ROLE_VIEWER);
        assertTrue(session.live());
        assertEquals(first, session.connectionId());
        assertSame(session, sessions.byConnection(first));
        assertEquals(1, sessions.liveCount());

        assertSame(session, sessions.unbind(first));
        assertFalse(session.live());
        assertEquals(0, session.connectionId(), "no stale socket id survives the unbind");
        assertNull(sessions.byConnection(first));
        assertEquals(-1, claims.holder(first), "the shard's claim on the socket goes with it");
        assertNull(sessions.unbind(first), "a second unbind finds nothing");
    }

    @Test
    void shouldRememberTheRoleAtAwayAndTakeTheSessionOffTheAwayListWhenBoundAgain()
    {
        final Session session = joined(Session.ROLE_HOST);
        sessions.unbind(first);
        session.roleChangedFor(new byte[] {'x'});
        sessions.addAway(session, 1_000);
        assertEquals(1_000, session.awaySinceMs());
        assertEquals(Session.ROLE_HOST, session.roleAtAway());
        assertNull(session.lastRoleReason(), "a reason sent before the socket went away is not owed again");
        assertEquals(1, sessions.awayCount());
        assertSame(session, sessions.away(0));

        sessions.bind(second, session);
        assertTrue(session.live());
        assertEquals(second, session.connectionId());
        assertEquals(0, sessions.awayCount(), "a bound session is never on the away list");
    }

    @Test
    void shouldForgetAnAwaySessionEverywhereWhenItEnds()
    {
        final Session session = joined(Session.ROLE_VIEWER);
        sessions.unbind(first);
        sessions.addAway(session, 5);
        final byte[] token = session.token().clone();
        sessions.unregister(session);
        assertEquals(0, sessions.awayCount());
        assertEquals(0, sessions.count());
        assertNull(sessions.byToken(token, 0, token.length));
    }

    @Test
    void shouldListARestoredSessionAsAwayWithTheRoleItsClientLastLearned()
    {
        final Session session = sessions.allocate();
        session.restoreIdentity("t".repeat(Session.TOKEN_LENGTH).getBytes(StandardCharsets.US_ASCII),
            Session.TOKEN_LENGTH, new byte[] {'u'}, 1, true, 0);
        session.restore(room, Session.ROLE_VIEWER, Session.ROLE_GUEST, null, 40, 7, 3, 2, 1_000, 900);
        sessions.registerRestored(session);

        assertFalse(session.live());
        assertEquals(1, sessions.awayCount());
        assertEquals(900, session.awaySinceMs());
        assertEquals(Session.ROLE_GUEST, session.roleAtAway(), "not overwritten by the restored role");
        assertTrue(session.restored());
        assertEquals(40, session.restoredDseq());
        assertEquals(1_040, session.lastDseq(), "numbering restarts past the skip");
        assertSame(session, sessions.bySerial(session.serial()));
    }
}
