package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsLoaderTableTest
{
    @TempDir
    Path tempDir;

    private Path file(final String content) throws IOException
    {
        final Path path = Files.createTempFile(tempDir, "table", ".properties");
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    @Test
    void shouldAcceptEachSettingOfTheTableFromFlagVariableAndFileKey() throws Exception
    {
        final Map<String, String> defaults = SwitchboardSettings.defaults().describe();
        for (final Setting setting : SettingsTable.all())
        {
            if (Setting.Kind.TEXT == setting.kind() && null == setting.textDefault())
            {
                continue; // "none" has no spelling as a value; SettingsLoaderTest loads a set value for these
            }
            final String value = Setting.Kind.TEXT == setting.kind() ? setting.textDefault() : setting.formatDefault();
            assertEquals(defaults, SettingsLoader.load(new String[] {setting.flag(), value}, Map.of()).describe(),
                setting.flag());
            assertEquals(defaults, SettingsLoader.load(new String[0], Map.of(setting.env(), value)).describe(),
                setting.env());
            final Path path = file(setting.name() + "=" + value + "\n");
            assertEquals(defaults, SettingsLoader.load(new String[] {"--config", path.toString()}, Map.of()).describe(),
                "file key " + setting.name());
        }
    }

    @Test
    void shouldRefuseEachOutOfRangeNumberFromTheVariableAndTheFileNamingTheSetting() throws Exception
    {
        for (final Setting setting : SettingsTable.all())
        {
            if (Setting.Kind.INT != setting.kind())
            {
                continue;
            }
            final String below = String.valueOf((long)setting.min() - 1);
            final String expected = setting.name() + " must be between " + setting.min() + " and " + setting.max() +
                ", got " + below;

            final SettingsException fromEnv = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(new String[0], Map.of(setting.env(), below)), setting.env());
            assertEquals(expected + " (from " + setting.env() + ")", fromEnv.getMessage());
            assertEquals(setting.name(), fromEnv.settingName());

            final Path path = file(setting.name() + "=" + below + "\n");
            final SettingsException fromFile = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(new String[] {"--config", path.toString()}, Map.of()), setting.name());
            assertEquals(expected + " (from key " + setting.name() + " in file '" + path + "')", fromFile.getMessage());
        }
    }

    @Test
    void shouldRefuseTextTheTableRefusesNamingTheSettingAndWhereItCameFrom()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[] {"--wait-strategy", "sleepy"}, Map.of()));
        assertEquals("waitStrategy must be blocking, yielding or busy-spin, got sleepy (from --wait-strategy)",
            ex.getMessage());
        assertEquals("waitStrategy", ex.settingName());
    }
}
