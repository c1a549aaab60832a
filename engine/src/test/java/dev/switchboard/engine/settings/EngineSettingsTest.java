package dev.switchboard.engine.settings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineSettingsTest
{
    @Test
    void shouldConvertEachDurationOnceAtConclude()
    {
        final EngineSettings engine = new EngineSettings()
            .settings(SwitchboardSettings.builder().tickMillis(20).resumeWindowSeconds(30).hostlessRoomSeconds(7)
                .jwtLeewaySeconds(2).jwtMaxLifetimeSeconds(600).build())
            .conclude();

        assertEquals(20_000_000L, engine.tickNs());
        assertEquals(30_000L, engine.resumeWindowMs());
        assertEquals(7_000L, engine.hostlessRoomMs());
        assertEquals(2_000L, engine.jwtLeewayMs());
        assertEquals(600_000L, engine.jwtMaxLifetimeMs());
        assertEquals(30_000_000_000L, engine.nanos(SettingsTable.RESUME_WINDOW_SECONDS));
        assertEquals(64, engine.intValue(SettingsTable.DEDUPE_WINDOW));
        assertEquals("blocking", engine.textValue(SettingsTable.WAIT_STRATEGY));
    }

    @Test
    void shouldUseTheDefaultsWhenGivenNoSettings()
    {
        final EngineSettings engine = new EngineSettings().conclude();

        assertEquals(16_000_000L, engine.tickNs());
        assertEquals(SwitchboardSettings.defaults().describe(), engine.settings().describe());
    }

    @Test
    void shouldRefuseReadsBeforeConcludeAndChangesAfterIt()
    {
        final EngineSettings engine = new EngineSettings().settings(SwitchboardSettings.defaults());
        assertThrows(IllegalStateException.class, () -> engine.intValue(SettingsTable.DEDUPE_WINDOW));
        engine.conclude();
        assertThrows(IllegalStateException.class, engine::conclude);
        assertThrows(IllegalStateException.class, () -> engine.settings(SwitchboardSettings.defaults()));
    }

    @Test
    void shouldRefuseASettingOfAnotherModuleOrANonDuration()
    {
        final EngineSettings engine = new EngineSettings().conclude();

        final IllegalArgumentException net = assertThrows(IllegalArgumentException.class,
            () -> engine.intValue(SettingsTable.PORT));
        assertEquals("port belongs to the net settings, not the engine settings", net.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.nanos(SettingsTable.DEDUPE_WINDOW));
        assertThrows(IllegalArgumentException.class, () -> engine.textValue(SettingsTable.REDIS_URL));
    }
}
