package dev.switchboard.engine.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.RecordingClusterHooks;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a room restored on another node keeps of who may do what: the host reservation and each session's grants. */
class RoomRestorerTest
{
    private final RecordingClusterHooks hooksA = new RecordingClusterHooks(1_000);
    private final RecordingClusterHooks hooksB = new RecordingClusterHooks(1_000);
    private final SwitchboardSettings settings = SwitchboardSettings.builder().hostlessRoomSeconds(30).build();
    private final EngineHarness a = new EngineHarness(settings, hooksA, 1);
    private final EngineHarness b = new EngineHarness(settings, hooksB, 2);

    private static SlotBuilder join(final long connectionId, final int role, final String user, final Grants grants)
    {
        return SlotBuilder.message(connectionId, MessageType.JOIN).room("r").role(role).authUser(user).grants(grants);
    }

    private static String errorCode(final EngineHarness h, final long connectionId)
    {
        final List<Map<String, Object>> errors = h.to(connectionId, "error");
        return errors.isEmpty() ? "none" : (String)payload(errors.get(errors.size() - 1)).get("code");
    }

    private void moveRoomToB()
    {
        a.advance(16);
        b.apply(SlotBuilder.roomRestore("r", hooksA.lastSnapshotOf("r")));
        assertEquals(1, b.engine.counters().roomsRestored());
    }

    @Test
    void shouldKeepTheHostRoleForTheReservedSubAfterTheRoomMoved()
    {
        final Member host = a.join(join(1, InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        a.join(join(2, InboundSlot.ROLE_VIEWER, "bob", Grants.UNRESTRICTED));
        a.apply(from(host, MessageType.LEAVE));
        moveRoomToB();

        b.apply(join(10, InboundSlot.ROLE_HOST, "mallory", Grants.UNRESTRICTED));
        assertEquals("host_taken", errorCode(b, 10), "a stranger cannot take the restored room");
        b.join(join(11, InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        assertEquals("host", payload(b.to(11, "joined").get(0)).get("role"), "the reserved sub hosts again");
    }

    @Test
    void shouldKeepTheCohostDenialOfASessionResumedOnTheNewOwner()
    {
        a.join(join(1, InboundSlot.ROLE_HOST, "alice", Grants.UNRESTRICTED));
        final Member denied = a.join(join(2, InboundSlot.ROLE_VIEWER, "bob", Grants.of(null, true, true, false)));
        final Member allowed = a.join(join(3, InboundSlot.ROLE_VIEWER, "carol", Grants.UNRESTRICTED));
        moveRoomToB();

        b.apply(SlotBuilder.message(20, MessageType.RESUME).room("r").resume(denied.token(), 0, 0).authUser("bob"));
        assertEquals("resume_ok", b.to(20).get(0).get("type"));
        b.apply(SlotBuilder.message(21, MessageType.RESUME).room("r").resume(allowed.token(), 0, 0).authUser("carol"));
        assertEquals("resume_ok", b.to(21).get(0).get("type"));

        b.apply(SlotBuilder.message(20, MessageType.COHOST_REQUEST).room("r"));
        assertEquals("forbidden", errorCode(b, 20), "the session keeps what it joined with");
        b.apply(SlotBuilder.message(21, MessageType.COHOST_REQUEST).room("r"));
        assertEquals("none", errorCode(b, 21));
    }
}
