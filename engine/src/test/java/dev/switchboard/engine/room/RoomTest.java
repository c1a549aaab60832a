package dev.switchboard.engine.room;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomTest
{
    private final Room room = RoomStates.room("room-1", 4, 4);

    private Session member(final String userId, final int role)
    {
        final Session session = RoomStates.session(userId, "", role, 4);
        session.enter(room, role, 0);
        room.addMember(session);
        return session;
    }

    @Test
    void shouldReserveTheHostRoleForAnAuthenticatedHostOnly()
    {
        final Session host = new Session(4, 4);
        final byte[] alice = "alice".getBytes(StandardCharsets.US_ASCII);
        host.authenticateAs(alice, alice.length);
        host.enter(room, Session.ROLE_HOST, 0);
        room.addMember(host);
        room.markHostless(10);
        room.admitHost(host);

        assertSame(host, room.host());
        assertEquals(-1, room.hostlessSinceMs());
        room.removeMember(host);
        assertNull(room.host());
        final byte[] mallory = "mallory".getBytes(StandardCharsets.US_ASCII);
        assertFalse(room.hostRoleFreeFor(mallory, mallory.length));
        assertTrue(room.hostRoleFreeFor(alice, alice.length));

        final Room other = RoomStates.room("room-2", 4, 4);
        final Session guestHost = RoomStates.session("guest-1", "", Session.ROLE_HOST, 4);
        other.admitHost(guestHost);
        other.removeMember(guestHost);
        assertTrue(other.hostRoleFreeFor(mallory, mallory.length), "a guest host reserves nothing");
    }

    @Test
    void shouldKeepTheGuestSlotTheQueueAndTheRoleInStep()
    {
        final Session first = member("v1", Session.ROLE_VIEWER);
        final Session second = member("v2", Session.ROLE_VIEWER);
        room.enqueue(first);
        room.enqueue(second);

        room.promoteGuest(second);
        assertSame(second, room.activeGuest());
        assertEquals(Session.ROLE_GUEST, second.role());
        assertFalse(second.queued());
        assertEquals(1, room.queueLength());
        assertSame(first, room.queued(0));

        assertSame(second, room.demoteGuest());
        assertEquals(Session.ROLE_VIEWER, second.role());
        assertNull(room.activeGuest());
        assertNull(room.demoteGuest(), "no guest, nothing to demote");
    }

    @Test
    void shouldStartTheHostlessClockOnceAndStopItWhenTheHostIsBoundAgain()
    {
        final Session host = member("h", Session.ROLE_HOST);
        final Session viewer = member("v", Session.ROLE_VIEWER);
        room.admitHost(host);
        room.markHostless(100);
        room.markHostless(200);
        assertEquals(100, room.hostlessSinceMs(), "the first moment without a host counts");

        room.memberBound(viewer);
        assertEquals(100, room.hostlessSinceMs());
        room.memberBound(host);
        assertEquals(-1, room.hostlessSinceMs());
    }

    @Test
    void shouldPutRestoredMembersBackInTheirSlotsAndQueuePlaces()
    {
        final Session host = member("h", Session.ROLE_HOST);
        final Session guest = member("g", Session.ROLE_GUEST);
        final Session secondInQueue = member("q2", Session.ROLE_VIEWER);
        final Session firstInQueue = member("q1", Session.ROLE_VIEWER);
        room.restoreMemberPlace(host, 0);
        room.restoreMemberPlace(guest, 0);
        room.restoreMemberPlace(secondInQueue, 2);
        room.restoreMemberPlace(firstInQueue, 1);

        assertSame(host, room.host());
        assertSame(guest, room.activeGuest());
        assertEquals(2, room.queueLength());
        assertSame(firstInQueue, room.queued(0));
        assertSame(secondInQueue, room.queued(1));
        assertTrue(firstInQueue.queued());

        room.flushQueue();
        assertEquals(0, room.queueLength());
        assertFalse(secondInQueue.queued());
    }

    @Test
    void shouldRestartBroadcastNumberingPastTheSnapshotAndPastWhatAClientSaw()
    {
        room.restoreSequence(50, 1_000, true);
        assertEquals(50, room.restoredRseq());
        assertTrue(room.restoredFromHandover());
        assertEquals(1_051, room.nextRseq());

        room.broadcastsSeenUpTo(2_000);
        assertEquals(2_001, room.nextRseq());
        room.broadcastsSeenUpTo(10);
        assertEquals(2_002, room.nextRseq(), "numbering never goes back");
    }
}
