package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.log.RecordedEvents;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.test.EngineHarness.from;
import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineGameStateLimitsTest
{
    private static SlotBuilder patchOf(final Member host, final long seq, final String prefix, final int keys)
    {
        final SlotBuilder b = from(host, MessageType.GAME_STATE).seq(seq).version(seq);
        for (int i = 0; i < keys; i++)
        {
            b.patch(prefix + i, Integer.toString(i));
        }
        return b;
    }

    private static long errors(final EngineHarness h, final long connectionId, final String code)
    {
        return h.to(connectionId, "error").stream().filter(m -> code.equals(payload(m).get("code"))).count();
    }

    private static long refusedLines(final EngineHarness h)
    {
        return RecordedEvents.drain(h.events).stream().filter(e -> EventLog.GAME_STATE_REFUSED == e.event()).count();
    }

    @Test
    void shouldRefusePatchOverMaxPatchEntriesWithInvalidMessage()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().maxPatchEntries(8).build());
        final Member host = h.host(1, "r");
        h.apply(patchOf(host, 1, "k", 9));
        assertEquals(1, errors(h, 1, "invalid_message"));
        assertEquals(1, h.engine.counters().gameStateRefused(GameStateRefusal.PATCH_ENTRIES));
        h.apply(patchOf(host, 2, "k", 8));
        assertEquals(1, errors(h, 1, "invalid_message"), "a patch at the cap is merged");
        h.viewer(2, "r");
        assertEquals(8, ((Map<?, ?>)((Map<?, ?>)payload(h.to(2, "joined").get(0)).get("gameState")).get("state"))
            .size());
    }

    @Test
    void shouldRefusePatchThatWouldGrowStatePastMaxGameStateEntries()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().maxGameStateEntries(10).build());
        final Member host = h.host(1, "r");
        h.apply(patchOf(host, 1, "a", 6));
        h.apply(patchOf(host, 2, "b", 5));
        assertEquals(1, errors(h, 1, "invalid_message"));
        assertEquals(1, h.engine.counters().gameStateRefused(GameStateRefusal.STATE_ENTRIES));
        // Overwriting existing keys and deleting some while adding others stays within the cap.
        h.apply(patchOf(host, 3, "a", 6).patch("a0", "null").patch("c", "1").patch("d", "2").patch("e", "3")
            .patch("f", "4").patch("g", "5"));
        assertEquals(1, errors(h, 1, "invalid_message"), "6 + 5 new - 1 deleted = 10 keys fits");
    }

    @Test
    void shouldCountARepeatedKeyOnceWithItsLastValue()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().maxGameStateEntries(2).build());
        final Member host = h.host(1, "r");
        h.apply(from(host, MessageType.GAME_STATE).seq(1).version(1).patch("a", "1").patch("a", "2")
            .patch("b", "1").patch("b", "null").patch("b", "3"));
        assertEquals(0, errors(h, 1, "invalid_message"));
        // Deleting the same key twice must not make room for two new ones.
        h.apply(from(host, MessageType.GAME_STATE).seq(2).version(2).patch("a", "null").patch("a", "null")
            .patch("x", "1").patch("y", "1"));
        assertEquals(1, errors(h, 1, "invalid_message"));
        h.viewer(2, "r");
        assertEquals(Map.of("a", 2L, "b", 3L),
            ((Map<?, ?>)payload(h.to(2, "joined").get(0)).get("gameState")).get("state"));
    }

    @Test
    void shouldLogRefusalsOncePerEpisode()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder().maxPatchEntries(4).build());
        final Member host = h.host(1, "r");
        RecordedEvents.drain(h.events);
        h.apply(patchOf(host, 1, "k", 5));
        h.apply(patchOf(host, 2, "k", 5));
        h.apply(patchOf(host, 3, "k", 5));
        assertEquals(1, refusedLines(h));
        assertEquals(3, h.engine.counters().gameStateRefused(GameStateRefusal.PATCH_ENTRIES));
        h.clock.advance(10_000);
        h.apply(patchOf(host, 4, "k", 5));
        assertEquals(1, refusedLines(h));
    }

    @Test
    void shouldChargeTheGameStateBucketByPatchKeys()
    {
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder()
            .maxPatchEntries(100).gameStateEntryRate(100).gameStateEntryBurst(250).build());
        final Member host = h.host(1, "r");
        h.apply(patchOf(host, 1, "k", 100));
        h.apply(patchOf(host, 2, "k", 100));
        h.apply(patchOf(host, 3, "k", 100));
        assertEquals(1, errors(h, 1, "rate_limited"), "250 keys of burst pay for two 100-key patches");
        h.clock.advance(500);
        h.apply(patchOf(host, 4, "k", 100));
        assertEquals(1, errors(h, 1, "rate_limited"), "half a second earns 50 keys: 50 + 50 left = 100");
        h.apply(from(host, MessageType.GAME_STATE).seq(5).version(5).patch("one", "1"));
        assertEquals(2, h.engine.counters().rateLimited(MessageType.GAME_STATE), "patches 3 and 5");
    }

    @Test
    void shouldLogUnknownTypeOncePerSenderPerTypeInAWindow()
    {
        final EngineHarness h = new EngineHarness();
        final Member a = h.host(1, "r");
        final Member b = h.viewer(2, "r");
        RecordedEvents.drain(h.events);
        for (int i = 0; i < 5; i++)
        {
            h.apply(from(a, MessageType.UNKNOWN).error(ErrorCode.UNKNOWN_TYPE));
            h.apply(from(a, MessageType.JOINED));
            h.apply(from(b, MessageType.UNKNOWN).error(ErrorCode.UNKNOWN_TYPE));
        }
        final List<RecordedEvents.Event> lines = RecordedEvents.drain(h.events).stream()
            .filter(e -> EventLog.UNKNOWN_TYPE == e.event()).toList();
        assertEquals(3, lines.size(), "a: unknown name and joined; b: unknown name: " + lines);
        assertEquals(15, errors(h, 1, "unknown_type") + errors(h, 2, "unknown_type"));
        h.clock.advance(10_000);
        h.apply(from(a, MessageType.UNKNOWN).error(ErrorCode.UNKNOWN_TYPE));
        assertEquals(1, RecordedEvents.drain(h.events).stream().filter(e -> EventLog.UNKNOWN_TYPE == e.event())
            .count());
    }
}
