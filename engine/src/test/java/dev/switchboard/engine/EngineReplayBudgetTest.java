package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.MemoryGauges;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Sent;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay windows bounded in bytes (protocol section 6), compact ack and error records, and the memory cases of
 * issue 12: an away viewer receiving big offers, and viewers joining and dropping in a room with a big game state.
 */
class EngineReplayBudgetTest
{
    private static String padded(final String key, final int bytes)
    {
        return "{\"" + key + "\":\"" + "x".repeat(bytes) + "\"}";
    }

    private static Map<String, Object> resumeOk(final EngineHarness h, final long connectionId)
    {
        return payload(h.to(connectionId, "resume_ok").get(0));
    }

    private static long lastDseq(final List<Map<String, Object>> messages)
    {
        long dseq = 0;
        for (final Map<String, Object> m : messages)
        {
            if (m.containsKey("dseq"))
            {
                dseq = (Long)m.get("dseq");
            }
        }
        return dseq;
    }

    private static void resume(final EngineHarness h, final long connectionId, final Member member, final long lastDseq,
        final long lastRseq)
    {
        h.apply(SlotBuilder.message(connectionId, MessageType.RESUME).room(member.roomId())
            .resume(member.token(), lastDseq, lastRseq));
    }

    @Test
    void shouldEvictOldestDirectedFramesByBytesAndReportGapOnlyToAResumeThatMissedThem()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().replayWindowBytes(2048).build());
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final long seen = lastDseq(h.to(2));
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        for (int i = 0; i < 5; i++)
        {
            h.apply(from(host, MessageType.WEBRTC_OFFER).to(v.userId()).seq(i + 1).payload(padded("sdp", 600)));
        }

        resume(h, 5, v, seen, 0);
        final Map<String, Object> ok = resumeOk(h, 5);
        assertEquals(Boolean.TRUE, ok.get("gap"), "the oldest offers left the 2048-byte window");
        final List<Map<String, Object>> offers = h.to(5, "webrtc_offer");
        assertEquals((long)offers.size(), ok.get("replayed"));
        assertTrue(offers.size() < 5 && offers.size() >= 2, "only what fits in 2048 bytes: " + offers.size());
        assertEquals(seen + 5, offers.get(offers.size() - 1).get("dseq"), "the newest are kept");

        h.apply(SlotBuilder.connectionClosed(5, 1006));
        final long firstKept = (Long)offers.get(0).get("dseq");
        resume(h, 6, v, firstKept - 1, 0);
        assertEquals(Boolean.FALSE, resumeOk(h, 6).get("gap"), "nothing missed left the window");
    }

    @Test
    void shouldEvictOldestBroadcastsByRoomBytesAndReportGap()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().roomReplayWindowBytes(2048)
            .gameEventRate(1000).gameEventBurst(1000).build());
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final long seen = lastDseq(h.to(2));
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        for (int i = 0; i < 6; i++)
        {
            h.apply(from(host, MessageType.GAME_EVENT).seq(i + 1).payload(padded("e", 500)));
        }
        resume(h, 5, v, seen, 0);
        final Map<String, Object> ok = resumeOk(h, 5);
        assertEquals(Boolean.TRUE, ok.get("gap"));
        final List<Map<String, Object>> events = h.to(5, "game_event");
        assertTrue(events.size() >= 2 && events.size() < 6, "replayed " + events.size());
        assertEquals(6L, events.get(events.size() - 1).get("rseq"));
        h.engine.onEndOfBatch();
        assertTrue(h.engine.counters().memory().roomReplayBytes() <= 2048);
    }

    @Test
    void shouldReplayCompactAckErrorAndGameErrorByteIdentical()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().gameEventRate(1).gameEventBurst(1).build());
        h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final long seen = lastDseq(h.to(2));
        final int before = h.publisher.sent().size();
        h.apply(from(v, MessageType.COHOST_REQUEST).msgId(UUID.randomUUID()));
        h.clock.advance(7);
        h.apply(from(v, MessageType.COHOST_REQUEST).msgId(UUID.randomUUID()));
        h.clock.advance(5);
        h.apply(from(v, MessageType.GAME_EVENT).msgId(UUID.randomUUID()).payload("{\"a\":1}"));
        h.apply(from(v, MessageType.GAME_EVENT).msgId(UUID.randomUUID()).payload("{\"a\":2}"));
        final List<String> live = h.publisher.sent().subList(before, h.publisher.sent().size()).stream()
            .filter(s -> s.connectionId() == 2 && s.message().containsKey("dseq")).map(Sent::json).toList();
        assertEquals(4, live.size(), "ack, error already_queued, ack of the first game_event, game_error: " + live);
        assertTrue(live.get(1).contains("\"already_queued\""));
        assertTrue(live.get(3).startsWith("{\"type\":\"game_error\""));

        h.apply(SlotBuilder.connectionClosed(2, 1006));
        h.advance(60_000);
        resume(h, 7, v, seen, 0);
        final List<String> replayed = h.publisher.sent().stream()
            .filter(s -> s.connectionId() == 7 && s.message().containsKey("dseq")).map(Sent::json).toList();
        assertEquals(live, replayed, "same bytes: same ts, msgId, code and dseq");
        assertEquals(Boolean.FALSE, resumeOk(h, 7).get("gap"));
    }

    @Test
    void shouldNeverKeepJoinedAndReportItAsAGapToAResumeThatClaimsNotToHaveIt()
    {
        final EngineHarness h = new EngineHarness();
        h.host(1, "r");
        final Member v = h.viewer(2, "r");
        final long joinedDseq = (Long)h.to(2, "joined").get(0).get("dseq");
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        resume(h, 5, v, joinedDseq, 0);
        assertEquals(Boolean.FALSE, resumeOk(h, 5).get("gap"));
        assertTrue(h.to(5, "joined").isEmpty());
        assertEquals(1, h.to(5, "game_state").size(), "a resume gets a fresh snapshot");

        h.apply(SlotBuilder.connectionClosed(5, 1006));
        resume(h, 6, v, joinedDseq - 1, 0);
        assertEquals(Boolean.TRUE, resumeOk(h, 6).get("gap"), "joined is never replayed");
        assertTrue(h.to(6, "joined").isEmpty());
    }

    @Test
    void shouldHoldAtMostReplayWindowBytesFor128OffersOf60KbToAnAwayViewer()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().messageRate(10_000)
            .messageBurst(10_000).build());
        final Member host = h.host(1, "r");
        final Member v = h.viewer(2, "r");
        h.apply(SlotBuilder.connectionClosed(2, 1006));
        for (int i = 0; i < 128; i++)
        {
            h.apply(from(host, MessageType.WEBRTC_OFFER).to(v.userId()).seq(i + 1).payload(padded("sdp", 60 * 1024)));
        }
        h.engine.onEndOfBatch();
        final MemoryGauges memory = h.engine.counters().memory();
        assertTrue(memory.sessionReplayBytes() <= 128 * 160 + SwitchboardSettings.DEFAULT_REPLAY_WINDOW_BYTES,
            "the host's 128 compact acks plus the viewer's bounded window: " + memory.sessionReplayBytes());
        final long poolBytes = memory.framePoolInUseBytes() + memory.framePoolFreeBytes();
        assertTrue(poolBytes <= 2 * 128 * 1024, "frame pool holds " + poolBytes + " bytes, not 128 offers");
        assertEquals(128, h.to(1, "ack").stream().filter(m -> m.containsKey("dseq")).count() - 1,
            "every offer was accepted (one more ack: the host's join)");

        resume(h, 9, v, 1, 0);
        final List<Sent> offers = h.publisher.sent().stream()
            .filter(s -> s.connectionId() == 9 && "webrtc_offer".equals(s.message().get("type"))).toList();
        final long replayedBytes = offers.stream().mapToLong(s -> s.json().length()).sum();
        assertTrue(replayedBytes <= SwitchboardSettings.DEFAULT_REPLAY_WINDOW_BYTES && 1 == offers.size(),
            "the viewer's window held " + offers.size() + " offers, " + replayedBytes + " bytes");
        assertEquals(Boolean.TRUE, resumeOk(h, 9).get("gap"));
    }

    @Test
    void shouldStayBoundedWhen200ViewersJoinAndDropInARoomWith246KibOfGameState()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().gameStateRate(1000)
            .gameStateBurst(1000).build());
        final Member host = h.host(1, "r");
        final int entryBytes = 246 * 1024 / 4 - 32;
        for (int i = 0; i < 4; i++)
        {
            h.apply(from(host, MessageType.GAME_STATE).seq(i + 1).version(i + 1)
                .patch("k" + i, "\"" + "s".repeat(entryBytes) + "\""));
        }
        h.advance(16);
        long connection = 100;
        for (int i = 0; i < 200; i++)
        {
            h.viewer(connection, "r");
            h.apply(SlotBuilder.connectionClosed(connection, 1006));
            connection++;
        }
        h.engine.onEndOfBatch();
        final String lastJoined = h.publisher.sent().stream().filter(s -> "joined".equals(s.message().get("type")))
            .reduce((a, b) -> b).orElseThrow().json();
        assertTrue(lastJoined.length() > 246 * 1024 - 1024, "joined carried the state: " + lastJoined.length());
        assertEquals(201, h.engine.sessionCount(), "the 200 viewers are away, resumable");
        final MemoryGauges memory = h.engine.counters().memory();
        assertTrue(memory.sessionReplayBytes() <= 200 * 256L,
            "away sessions keep compact acks only: " + memory.sessionReplayBytes());
        final long poolBytes = memory.framePoolInUseBytes() + memory.framePoolFreeBytes();
        assertTrue(poolBytes <= 2 * 1024 * 1024, "frame pool holds " + poolBytes + " bytes, not 200 joined frames");
        assertEquals(0, memory.framePoolInUseBytes(), "no frame is held for an away viewer");
    }
}
