package dev.switchboard.engine;

import dev.switchboard.engine.cluster.RoomSnapshotCodec;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.RecordingClusterHooks;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineClusterTest
{
    private static final long INTERVAL_MS = 1_000;

    private final RecordingClusterHooks hooksA = new RecordingClusterHooks(INTERVAL_MS);
    private final RecordingClusterHooks hooksB = new RecordingClusterHooks(INTERVAL_MS);
    private final SwitchboardSettings settings = SwitchboardSettings.builder().hostlessRoomSeconds(5).build();
    private final EngineHarness a = new EngineHarness(settings, hooksA, 1);
    private final EngineHarness b = new EngineHarness(settings, hooksB, 2);

    private static long last(final List<Map<String, Object>> messages, final String field)
    {
        long value = 0;
        for (final Map<String, Object> m : messages)
        {
            if (m.containsKey(field))
            {
                value = Math.max(value, (Long)m.get(field));
            }
        }
        return value;
    }

    private static long lastDseq(final EngineHarness h, final Member member)
    {
        return last(h.to(member.connectionId()), "dseq");
    }

    private static long lastRseq(final EngineHarness h, final Member member)
    {
        return last(h.to(member.connectionId()), "rseq");
    }

    private static SlotBuilder resume(final long connectionId, final Member member, final long dseq, final long rseq)
    {
        return SlotBuilder.message(connectionId, MessageType.RESUME).room(member.roomId())
            .resume(member.token(), dseq, rseq);
    }

    private void restoreOnB(final String roomId)
    {
        b.apply(SlotBuilder.roomRestore(roomId, hooksA.lastSnapshotOf(roomId)));
    }

    @Test
    void shouldSnapshotAChangedRoomOnATickAtMostOncePerInterval()
    {
        a.host(1, "r");
        assertEquals(List.of("r"), hooksA.opened);
        assertEquals(0, hooksA.snapshots.size());
        a.advance(0);
        assertEquals(1, hooksA.snapshots.size());

        a.clock.advance(100);
        a.viewer(2, "r");
        a.advance(0);
        assertEquals(1, hooksA.snapshots.size());
        a.advance(899);
        assertEquals(1, hooksA.snapshots.size());
        a.advance(1);
        assertEquals(2, hooksA.snapshots.size());
        assertEquals(2, a.engine.counters().snapshots());
    }

    @Test
    void shouldNotSnapshotARoomThatDidNotChange()
    {
        a.host(1, "r");
        a.advance(0);
        a.advance(5_000);
        a.advance(5_000);
        a.apply(SlotBuilder.message(1, MessageType.PING).room("r"));
        a.advance(5_000);
        assertEquals(1, hooksA.snapshots.size());
    }

    @Test
    void shouldSnapshotOnGameStateAndReportClosedRooms()
    {
        final Member host = a.host(1, "r");
        a.advance(0);
        a.advance(INTERVAL_MS);
        a.apply(from(host, MessageType.GAME_STATE).seq(2).version(3).patch("k", "1"));
        a.advance(INTERVAL_MS);
        assertEquals(2, hooksA.snapshots.size());
        a.apply(from(host, MessageType.LEAVE));
        assertEquals(List.of("r"), hooksA.closed);
    }

    @Test
    void shouldDoNoClusterWorkWithoutHooks()
    {
        final EngineHarness single = new EngineHarness();
        single.host(1, "r");
        single.advance(10_000);
        single.apply(SlotBuilder.handover());
        assertEquals(0, single.engine.counters().snapshots());
    }

    @Test
    void shouldSnapshotEveryRoomOnHandoverIgnoringTheInterval()
    {
        a.host(1, "r1");
        a.host(2, "r2");
        a.viewer(3, "r3");
        a.advance(0);
        assertEquals(3, hooksA.snapshots.size());
        a.apply(SlotBuilder.handover());
        assertEquals(6, hooksA.snapshots.size());
        assertEquals(List.of(3), hooksA.handovers);
    }

    @Test
    void shouldResumeOnTheNewOwnerWithRolePositionAndGameStateFromTheSnapshot()
    {
        final Member host = a.host(1, "r");
        final Member first = a.viewer(2, "r");
        final Member second = a.viewer(3, "r");
        a.apply(from(first, MessageType.COHOST_REQUEST));
        a.apply(from(second, MessageType.COHOST_REQUEST));
        a.apply(from(host, MessageType.GAME_STATE).seq(2).version(5).patch("board", "[1,2]").patch("turn", "\"x\""));
        a.apply(from(host, MessageType.GAME_EVENT).seq(3).payload("{\"move\":1}"));
        a.advance(16);

        restoreOnB("r");
        assertEquals(List.of("r"), hooksB.opened);
        assertEquals(3, b.engine.roomSize("r"));
        assertEquals(3, b.engine.sessionCount());
        assertEquals(0, b.engine.liveConnectionCount());

        b.apply(resume(10, second, lastDseq(a, second), lastRseq(a, second)));
        final List<Map<String, Object>> out = b.to(10);
        assertEquals("resume_ok", out.get(0).get("type"));
        final Map<String, Object> ok = payload(out.get(0));
        assertEquals(second.userId(), ok.get("userId"));
        assertEquals("viewer", ok.get("role"));
        assertEquals(2L, ok.get("position"));
        assertEquals(5L, ok.get("gameStateVersion"));
        assertEquals(0L, ok.get("replayed"));
        assertEquals(Boolean.TRUE, ok.get("gap"));
        final Map<String, Object> state = out.get(out.size() - 1);
        assertEquals("game_state", state.get("type"));
        assertEquals(Map.of("version", 5L, "state", Map.of("board", List.of(1L, 2L), "turn", "x"), "snapshot", true),
            payload(state));
    }

    @Test
    void shouldAnswerResumeMigratedWhenTheRoleChangedSinceTheRestore()
    {
        final Member host = a.host(1, "r");
        final Member guest = a.viewer(2, "r");
        a.apply(from(guest, MessageType.COHOST_REQUEST));
        a.apply(from(host, MessageType.COHOST_ACCEPT));
        a.advance(16);
        restoreOnB("r");

        b.apply(resume(10, host, lastDseq(a, host), lastRseq(a, host)));
        assertEquals("host", payload(b.to(10).get(0)).get("role"));
        b.apply(from(new Member(10, "r", host.userId(), host.token()), MessageType.COHOST_END));
        b.apply(resume(11, guest, lastDseq(a, guest), lastRseq(a, guest)));
        final Map<String, Object> answer = b.to(11).get(0);
        assertEquals("resume_migrated", answer.get("type"));
        assertEquals("viewer", payload(answer).get("role"));
        assertEquals("ended", payload(answer).get("reason"));
        assertEquals("role_changed", b.to(11).get(1).get("type"));
    }

    @Test
    void shouldAnswerResumeMigratedForARoleChangeRecordedWhileAwayBeforeTheSnapshot()
    {
        final Member host = a.host(1, "r");
        final Member guest = a.viewer(2, "r");
        a.apply(from(guest, MessageType.COHOST_REQUEST));
        a.apply(from(host, MessageType.COHOST_ACCEPT));
        final long seenDseq = lastDseq(a, guest);
        final long seenRseq = lastRseq(a, guest);
        a.apply(SlotBuilder.connectionClosed(2, 1006));
        a.apply(SlotBuilder.connectionClosed(1, 1006));
        a.advance(16);
        restoreOnB("r");

        b.apply(resume(10, guest, seenDseq, seenRseq));
        final Map<String, Object> answer = b.to(10).get(0);
        assertEquals("resume_migrated", answer.get("type"));
        assertEquals("viewer", payload(answer).get("role"));
        assertEquals("host_left", payload(answer).get("reason"));
        assertNull(payload(answer).get("position"));
        assertEquals(Boolean.TRUE, payload(answer).get("gap"));
    }

    @Test
    void shouldAnswerWithoutGapAfterAHandoverTheClientSawCompletely()
    {
        final Member host = a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        a.apply(from(host, MessageType.GAME_EVENT).seq(2).payload("{}"));
        a.apply(SlotBuilder.handover());
        restoreOnB("r");

        final long seenDseq = lastDseq(a, viewer);
        b.apply(resume(10, viewer, seenDseq, lastRseq(a, viewer)));
        final Map<String, Object> ok = payload(b.to(10).get(0));
        assertEquals(Boolean.FALSE, ok.get("gap"));
        b.apply(from(new Member(10, "r", viewer.userId(), viewer.token()), MessageType.COHOST_REQUEST));
        assertEquals(seenDseq + 1, b.to(10, "ack").get(0).get("dseq"));
    }

    @Test
    void shouldKeepTheDedupeWindowAcrossMigration()
    {
        a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        final UUID request = UUID.randomUUID();
        a.apply(from(viewer, MessageType.COHOST_REQUEST).msgId(request));
        assertEquals(1, a.to(2, "ack").size() - 1);
        a.advance(16);
        restoreOnB("r");

        b.apply(resume(10, viewer, lastDseq(a, viewer), lastRseq(a, viewer)));
        b.apply(SlotBuilder.message(10, MessageType.COHOST_REQUEST).room("r").msgId(request));
        assertEquals(0, b.to(10, "ack").size());
        assertEquals(0, b.to(10, "error").size());
        assertEquals(1, b.engine.counters().drops(MessageType.COHOST_REQUEST, DropReason.DUPLICATE));
    }

    @Test
    void shouldNeverReuseSequenceNumbersTheClientSawAfterTheSnapshot()
    {
        final Member host = a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        a.advance(16);
        // Traffic after the last snapshot: the viewer sees dseq and rseq numbers the snapshot does not know.
        a.apply(from(host, MessageType.GAME_EVENT).seq(2).payload("{\"n\":1}"));
        a.apply(from(host, MessageType.WEBRTC_OFFER).seq(3).to(viewer.userId()).payload("{\"sdp\":\"v=0\"}"));
        final long seenDseq = lastDseq(a, viewer);
        final long seenRseq = lastRseq(a, viewer);
        restoreOnB("r");

        b.apply(resume(10, host, 0, 0));
        final Member hostB = new Member(10, "r", host.userId(), host.token());
        b.apply(from(hostB, MessageType.GAME_EVENT).seq(4).payload("{\"n\":2}"));
        b.apply(from(hostB, MessageType.WEBRTC_OFFER).seq(5).to(viewer.userId()).payload("{\"sdp\":\"v=1\"}"));

        b.apply(resume(11, viewer, seenDseq, seenRseq));
        final List<Map<String, Object>> out = b.to(11);
        assertEquals(Boolean.TRUE, payload(out.get(0)).get("gap"));
        assertEquals(2L, payload(out.get(0)).get("replayed"));
        final Map<String, Object> event = b.to(11, "game_event").get(0);
        final Map<String, Object> offer = b.to(11, "webrtc_offer").get(0);
        assertTrue((Long)event.get("rseq") > seenRseq);
        assertTrue((Long)offer.get("dseq") > seenDseq);
        assertEquals(seenRseq - 1 + Engine.RESTORE_SEQUENCE_SKIP + 1, event.get("rseq"));
    }

    @Test
    void shouldMoveTheRoomSequencePastAClientThatIsAheadOfTheSkip()
    {
        final Member host = a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        a.advance(16);
        restoreOnB("r");
        final long ahead = lastRseq(a, viewer) + Engine.RESTORE_SEQUENCE_SKIP + 50;
        b.apply(resume(10, viewer, lastDseq(a, viewer), ahead));
        b.apply(resume(11, host, 0, 0));
        b.apply(from(new Member(11, "r", host.userId(), host.token()), MessageType.GAME_EVENT).seq(2).payload("{}"));
        assertEquals(ahead + 1, b.to(10, "game_event").get(0).get("rseq"));
    }

    @Test
    void shouldCloseARestoredRoomWhoseHostDoesNotResume()
    {
        a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        a.advance(16);
        b.clock.update(a.clock.time() + 60_000);
        restoreOnB("r");
        b.apply(resume(10, viewer, lastDseq(a, viewer), lastRseq(a, viewer)));

        b.advance(4_999);
        assertEquals(1, b.engine.roomCount());
        b.advance(1);
        assertEquals(0, b.engine.roomCount());
        assertEquals(List.of("r"), hooksB.closed);
        final Map<String, Object> closed = b.to(10, "room_closed").get(0);
        assertEquals("host_timeout", payload(closed).get("reason"));
        assertEquals(0, b.engine.sessionCount());
    }

    @Test
    void shouldKeepTheHostlessClockOfARoomThatWasAlreadyHostless()
    {
        a.host(1, "r");
        final Member viewer = a.viewer(2, "r");
        a.apply(SlotBuilder.connectionClosed(1, 1006));
        a.advance(16);
        b.clock.update(a.clock.time() + 3_000);
        restoreOnB("r");
        b.apply(resume(10, viewer, lastDseq(a, viewer), lastRseq(a, viewer)));
        b.advance(1_983);
        assertEquals(1, b.engine.roomCount());
        b.advance(1);
        assertEquals(0, b.engine.roomCount());
        assertEquals("host_timeout", payload(b.to(10, "room_closed").get(0)).get("reason"));
    }

    @Test
    void shouldKeepARestoredRoomWhoseHostResumesInTime()
    {
        final Member host = a.host(1, "r");
        a.viewer(2, "r");
        a.advance(16);
        restoreOnB("r");
        b.advance(4_000);
        b.apply(resume(10, host, lastDseq(a, host), lastRseq(a, host)));
        b.advance(60_000);
        assertEquals(2, b.engine.roomSize("r"));
        assertTrue(hooksB.closed.isEmpty());
        b.advance(settings.resumeWindowSeconds() * 1000L);
        assertEquals(1, b.engine.roomSize("r"));
    }

    @Test
    void shouldLetUsersJoinARestoredRoomAndReplaceTheirAwaySession()
    {
        a.apply(SlotBuilder.message(1, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST).authUser("alice"));
        a.viewer(2, "r");
        a.advance(16);
        restoreOnB("r");

        b.join(SlotBuilder.message(10, MessageType.JOIN).room("r").role(InboundSlot.ROLE_HOST).authUser("alice"));
        assertEquals(2, b.engine.roomSize("r"));
        assertEquals("host", payload(b.to(10, "joined").get(0)).get("role"));
        b.viewer(11, "r");
        assertEquals(3, b.engine.roomSize("r"));
    }

    @Test
    void shouldIgnoreACorruptSnapshotAndARoomAlreadyOpen()
    {
        a.host(1, "r");
        a.advance(16);
        final byte[] good = hooksA.lastSnapshotOf("r");

        final byte[] corrupt = good.clone();
        corrupt[0] ^= 1;
        b.apply(SlotBuilder.roomRestore("r", corrupt));
        b.apply(SlotBuilder.roomRestore("r", Arrays.copyOf(good, good.length - 3)));
        b.apply(SlotBuilder.roomRestore("other", good));
        assertEquals(0, b.engine.roomCount());
        assertEquals(3, b.engine.counters().restoresRejected());
        assertTrue(hooksB.opened.isEmpty());

        b.viewer(5, "r");
        b.apply(SlotBuilder.roomRestore("r", good));
        assertEquals(1, b.engine.roomSize("r"));
        assertEquals(1, b.engine.counters().restoresIgnored());
        assertEquals(0, b.engine.counters().roomsRestored());
    }

    @Test
    void shouldRejectASnapshotWhoseTokenIsAlreadyInUseAndLeaveNothingBehind()
    {
        a.host(1, "r");
        a.viewer(2, "r");
        a.advance(16);
        restoreOnB("r");
        final byte[] snapshot = hooksA.lastSnapshotOf("r");
        // The same sessions again under another room id: their tokens are taken, so the restore must roll back.
        final byte[] renamed = snapshot.clone();
        final int roomIdAt = RoomSnapshotCodec.HEADER_LENGTH + 1;
        renamed[roomIdAt] = 's';
        b.apply(SlotBuilder.roomRestore("s", renamed));
        assertEquals(1, b.engine.roomCount());
        assertEquals(2, b.engine.sessionCount());
        assertEquals(1, b.engine.counters().restoresRejected());
        b.advance(settings.resumeWindowSeconds() * 1000L);
        assertEquals(0, b.engine.sessionCount());
    }
}
