package dev.switchboard.engine;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grants at join time and the host reservation that stops a stranger taking a room whose host left. */
class EngineAuthorizationTest
{
    private final EngineHarness h = new EngineHarness();

    private SlotBuilder join(final long connectionId, final String room, final int role, final String user,
        final Grants grants)
    {
        final SlotBuilder b = SlotBuilder.message(connectionId, MessageType.JOIN).room(room).role(role).grants(grants);
        return null == user ? b : b.authUser(user);
    }

    private String errorCode(final long connectionId)
    {
        final List<Map<String, Object>> errors = h.to(connectionId, "error");
        return errors.isEmpty() ? "none" : (String)payload(errors.get(errors.size() - 1)).get("code");
    }

    @Test
    void shouldAnswerForbiddenForARoomOutsideThePatternsAndAdmitOneInside()
    {
        final Grants quiz = Grants.of(List.of("quiz-*", "lobby"), true, true, true);
        h.apply(join(1, "chess-1", InboundSlot.ROLE_HOST, "alice", quiz));
        assertEquals("forbidden", errorCode(1));
        h.apply(join(2, "lobby-2", InboundSlot.ROLE_VIEWER, "alice", quiz));
        assertEquals("forbidden", errorCode(2), "lobby is an exact id, not a prefix");
        assertEquals(0, h.engine.roomCount(), "a refused join opens no room");

        final Member host = h.join(join(3, "quiz-7", InboundSlot.ROLE_HOST, "alice", quiz));
        assertEquals("alice", host.userId());
        h.join(join(4, "lobby", InboundSlot.ROLE_VIEWER, "bob", quiz));
        assertEquals(2, h.engine.roomCount());
    }

    @Test
    void shouldAnswerForbiddenForARoleTheTokenDoesNotGrant()
    {
        final Grants viewerOnly = Grants.of(null, false, true, true);
        h.apply(join(1, "r", InboundSlot.ROLE_HOST, "bob", viewerOnly));
        assertEquals("forbidden", errorCode(1));
        h.join(join(2, "r", InboundSlot.ROLE_VIEWER, "bob", viewerOnly));
        final Grants hostOnly = Grants.of(null, true, false, true);
        h.apply(join(3, "r", InboundSlot.ROLE_VIEWER, "carol", hostOnly));
        assertEquals("forbidden", errorCode(3));
    }

    @Test
    void shouldAnswerForbiddenToACohostRequestWhenCohostIsNotGranted()
    {
        h.join(join(1, "r", InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        final Member denied = h.join(join(2, "r", InboundSlot.ROLE_VIEWER, "bob", Grants.of(null, true, true, false)));
        final Member allowed = h.join(join(3, "r", InboundSlot.ROLE_VIEWER, "carol", Grants.UNRESTRICTED));
        h.apply(from(denied, MessageType.COHOST_REQUEST));
        assertEquals("forbidden", errorCode(2));
        h.apply(from(allowed, MessageType.COHOST_REQUEST));
        assertEquals("none", errorCode(3));
    }

    @Test
    void shouldKeepTheHostRoleForTheSameSubAfterLeaveAndRefuseAStranger()
    {
        final Member host = h.join(join(1, "r", InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        h.join(join(2, "r", InboundSlot.ROLE_VIEWER, "bob", Grants.UNRESTRICTED));
        h.apply(from(host, MessageType.LEAVE));
        assertEquals(1, h.engine.roomSize("r"), "the viewer keeps the room open");

        h.apply(join(3, "r", InboundSlot.ROLE_HOST, "mallory", Grants.UNRESTRICTED));
        assertEquals("host_taken", errorCode(3), "an authenticated stranger cannot take the room");
        h.apply(join(4, "r", InboundSlot.ROLE_HOST, null, Grants.UNRESTRICTED));
        assertEquals("host_taken", errorCode(4), "nor can a guest");

        final Member back = h.join(join(5, "r", InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        assertEquals("host", payload(h.to(5, "joined").get(0)).get("role"));
        assertEquals("alice", back.userId());
    }

    @Test
    void shouldReleaseTheReservationWhenTheHostlessRoomCloses()
    {
        final Member host = h.join(join(1, "r", InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        h.join(join(2, "r", InboundSlot.ROLE_VIEWER, "bob", Grants.UNRESTRICTED));
        h.apply(from(host, MessageType.LEAVE));
        h.advance(h.settings.hostlessRoomSeconds() * 1000L);
        assertEquals(0, h.engine.roomCount(), "the reaper closed the hostless room");
        h.join(join(3, "r", InboundSlot.ROLE_HOST, "mallory", Grants.UNRESTRICTED));
        assertEquals("host", payload(h.to(3, "joined").get(0)).get("role"), "a new room, a new host");
    }

    @Test
    void shouldLetAnyoneHostAfterAGuestHostLeftAsBefore()
    {
        final Member host = h.join(join(1, "r", InboundSlot.ROLE_HOST, null, Grants.UNRESTRICTED));
        h.join(join(2, "r", InboundSlot.ROLE_VIEWER, null, Grants.UNRESTRICTED));
        h.apply(from(host, MessageType.LEAVE));
        h.join(join(3, "r", InboundSlot.ROLE_HOST, null, Grants.UNRESTRICTED));
        assertTrue(h.to(3, "error").isEmpty(), "a guest host has no identity to keep the role for");
    }
}
