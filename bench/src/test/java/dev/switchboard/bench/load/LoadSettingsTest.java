package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadSettingsTest
{
    @Test
    void shouldApplyScenarioDefaults()
    {
        final LoadSettings small = LoadSettings.parse(new String[]{"--url", "ws://127.0.0.1:8080/ws"});
        assertEquals(Scenario.SMALL_ROOMS, small.scenario);
        assertEquals(2_000, small.rooms);
        assertEquals(5, small.roomSize);
        assertEquals(10_000, small.totalSockets());
        assertEquals(20_000.0, small.targetRate());
        assertEquals("127.0.0.1", small.host);
        assertEquals(8080, small.port);
        assertEquals("/ws", small.path);

        final LoadSettings huge = LoadSettings.parse(new String[]{"--scenario", "huge-room"});
        assertEquals(1, huge.rooms);
        assertEquals(10_000, huge.roomSize);
    }

    @Test
    void shouldParseSizesRatesAndOutput()
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--url", "ws://localhost:18090/ws?authToken=x", "--scenario", "small-rooms", "--duration", "12",
            "--rooms", "200", "--room-size", "4", "--rate", "8", "--publishers", "2", "--out", "results/x"});
        assertEquals(12, settings.durationSeconds);
        assertEquals(800, settings.totalSockets());
        assertEquals(4.0, settings.ratePerPublisher());
        assertEquals("/ws?authToken=x", settings.path);
        assertEquals(Path.of("results/x"), settings.outDir);
    }

    @Test
    void shouldAskForRaisedGameEventLimitWhenOnePublisherSendsTenPerSecond()
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{"--scenario", "small-rooms"});
        assertEquals("--game-event-rate 20 --game-event-burst 40", settings.requiredServerFlags());
    }

    @Test
    void shouldNeedNoServerFlagsWhenPublishersShareTheRate()
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{"--publishers", "2"});
        assertEquals("", settings.requiredServerFlags());
    }

    @Test
    void shouldIncludeStateAndOffersInMixedTarget()
    {
        final LoadSettings settings = LoadSettings.parse(new String[]{
            "--scenario", "mixed", "--rooms", "10", "--room-size", "5", "--rate", "2", "--state-hz", "30",
            "--offer-interval", "4"});
        assertEquals(10 * 2.0 + 10 * 30.0 + 10 * 4 / 4.0, settings.targetRate());
    }

    @Test
    void shouldSendViewersToTheViewerUrlWhenGiven()
    {
        final LoadSettings single = LoadSettings.parse(new String[]{"--url", "ws://127.0.0.1:9001/ws"});
        assertEquals(9001, single.viewerPort);
        assertEquals("", single.viewerUrl);

        final LoadSettings split = LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:9001/ws", "--viewer-url", "ws://127.0.0.1:9002/ws"});
        assertEquals(9001, split.port);
        assertEquals(9002, split.viewerPort);

        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:9001/ws", "--viewer-url", "ws://10.0.0.2:9002/ws"}));
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{
            "--url", "ws://127.0.0.1:9001/ws", "--viewer-url", "ws://127.0.0.1:9002/other"}));
    }

    @Test
    void shouldRejectNonLoopbackUrlsUnknownFlagsAndTooManySockets()
    {
        assertThrows(IllegalArgumentException.class,
            () -> LoadSettings.parse(new String[]{"--url", "ws://10.0.0.1:8080/ws"}));
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{"--scenario", "nope"}));
        assertThrows(IllegalArgumentException.class,
            () -> LoadSettings.parse(new String[]{"--rooms", "5000", "--room-size", "5"}));
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{"--duration", "x"}));
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[]{"--rate"}));
    }

    @Test
    void shouldOnlyMakeSlowConsumersInThatScenarioByDefault()
    {
        assertEquals(0.0, LoadSettings.parse(new String[0]).slowShare);
        assertTrue(LoadSettings.parse(new String[]{"--scenario", "slow-consumers"}).slowShare > 0.0);
    }

    @Test
    void shouldParseCyclesForChurnAndRejectThemElsewhere()
    {
        assertEquals(1_000, LoadSettings.parse(new String[]{"--scenario", "churn", "--cycles", "1000"}).cycles);
        assertEquals(0, LoadSettings.parse(new String[]{"--scenario", "churn"}).cycles);
        assertThrows(IllegalArgumentException.class,
            () -> LoadSettings.parse(new String[]{"--scenario", "small-rooms", "--cycles", "10"}));
    }

    @Test
    void shouldSendTheAuthTokenAsAQueryParameterAndParseThresholds()
    {
        final LoadSettings settings = LoadSettings.parse(new String[] {"--url", "ws://127.0.0.1:9000/ws?x=1",
            "--auth-token", "a.b c", "--max-p99-ms", "2.5", "--max-rate-limited", "0"});
        assertEquals("/ws?x=1&authToken=a.b+c", settings.path);
        assertEquals(2.5, settings.maxP99Ms);
        assertEquals(0.0, settings.maxRateLimited);
        assertEquals(LoadSettings.NO_THRESHOLD, settings.maxP999Ms);
        assertEquals("/ws", LoadSettings.parse(new String[] {"--url", "ws://127.0.0.1:9000/ws"}).path);
    }

    @Test
    void shouldTakeWssUrlsCheckTheTrustFileAndRecogniseHelp()
    {
        final LoadSettings wss = LoadSettings.parse(new String[] {"--url", "wss://127.0.0.1/ws"});
        assertTrue(wss.tls);
        assertEquals(443, wss.port);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadSettings.parse(new String[] {"--url", "wss://127.0.0.1:8443/ws", "--tls-trust", "/no/such.pem"}));
        assertTrue(ex.getMessage().contains("not a readable file"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[] {
            "--url", "wss://127.0.0.1:8443/ws", "--viewer-url", "ws://127.0.0.1:8444/ws"}));
        assertTrue(LoadSettings.wantsHelp(new String[] {"--scenario", "churn", "--help"}));
        assertTrue(!LoadSettings.wantsHelp(new String[] {"--scenario", "churn"}));
        assertTrue(LoadSettings.USAGE.contains("--max-p99-ms") && LoadSettings.USAGE.contains("--auth-token"));
    }

    @Test
    void shouldJudgeRateLimitedAndMissingRunsInvalidWithTheFix()
    {
        final LoadSettings settings = LoadSettings.parse(new String[] {"--rooms", "2", "--room-size", "3",
            "--rate", "4"});
        final RunVerdict clean = RunVerdict.judge(settings, settings.targetRate(), 0, 0, 0);
        assertTrue(clean.valid());
        assertEquals("", clean.fixFlags());
        // Within the default limits, yet rate-limited: the server was started with lower limits.
        final RunVerdict limited = RunVerdict.judge(settings, settings.targetRate(), 7, 14, 0);
        assertTrue(!limited.valid());
        assertEquals("--game-event-rate 8 --game-event-burst 16 --message-rate 200 --message-burst 400",
            limited.fixFlags());
        assertEquals(2, limited.reasons().size(), limited.reasons().toString());
        assertTrue(limited.reasons().get(0).startsWith("7 messages were rate-limited"));
        assertTrue(limited.reasons().get(1).startsWith("14 deliveries are missing"));
        final RunVerdict slow = RunVerdict.judge(settings, settings.targetRate() * 0.9, 0, 0, 1);
        assertEquals(2, slow.reasons().size(), slow.reasons().toString());
    }
}
