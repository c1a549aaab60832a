package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsHelpTest
{
    @Test
    void shouldListEverySettingOfTheTableWithFlagVariableDefaultMeaningAndRange()
    {
        final String usage = SettingsLoader.usage();
        for (final Setting setting : SettingsTable.all())
        {
            final String block = "  " + setting.flag() + (Setting.Kind.INT == setting.kind() ? " N" : " TEXT") + "   " +
                setting.env() + "   (file: " + setting.name() + ", default: " + setting.formatDefault() + ")\n" +
                "      " + setting.meaning() + "\n" +
                "      " + SettingsHelp.accepted(setting) + "\n";
            assertTrue(usage.contains(block), "--help lists " + setting.name() + " as\n" + block);
        }
    }

    @Test
    void shouldStateRangesUnitsAndModules()
    {
        assertEquals("Range: 16 to 33 milliseconds; engine.", SettingsHelp.accepted(SettingsTable.TICK_MILLIS));
        assertEquals("Range: 0 to 65535; net.", SettingsHelp.accepted(SettingsTable.PORT));
        assertEquals("Range: 300 to 600000 milliseconds; cluster.", SettingsHelp.accepted(SettingsTable.LEASE_TTL_MILLIS));
        assertEquals("Values: true or false; net.", SettingsHelp.accepted(SettingsTable.REQUIRE_AUTH));
        assertEquals("Text, secret; Rule: must not be empty when set; engine.",
            SettingsHelp.accepted(SettingsTable.JWT_SECRET));
        assertEquals("Text; Rule: must be blocking, yielding or busy-spin; engine.",
            SettingsHelp.accepted(SettingsTable.WAIT_STRATEGY));
        assertEquals("Text; net.", SettingsHelp.accepted(SettingsTable.ALLOWED_ORIGINS));
        assertTrue(SettingsLoader.usage().contains("--tick-millis N   SWITCHBOARD_TICK_MILLIS   (file: tickMillis, " +
            "default: 16)\n      Coalescing tick in milliseconds, 16 to 33.\n      Range: 16 to 33 milliseconds; engine.\n"));
    }

    @Test
    void shouldEnforceEveryRangeItPrints()
    {
        for (final Setting setting : SettingsTable.all())
        {
            if (Setting.Kind.INT != setting.kind() || setting.max() == Integer.MAX_VALUE)
            {
                continue;
            }
            final SettingsException ex = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(new String[] {setting.flag() + "=" + ((long)setting.max() + 1)},
                    Map.of()), setting.name());
            assertEquals(setting.name(), ex.settingName());
            assertEquals(setting.name() + " must be between " + setting.min() + " and " + setting.max() + ", got " +
                ((long)setting.max() + 1) + " (from " + setting.flag() + ")", ex.getMessage());
        }
    }
}
