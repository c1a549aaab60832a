package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReadmeTest
{
    private static final Pattern ROW = Pattern.compile("(?m)^\\| ((?:`[a-z][A-Za-z]*`(?:, )?)+) \\| ([^|]*) \\|");
    private static final Pattern NAME = Pattern.compile("`([a-z][A-Za-z]*)`");

    private static String read(final String file) throws IOException
    {
        return Files.readString(Path.of("..").resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepTheReadmeSettingsTableEqualToTheTable() throws IOException
    {
        final String readme = read("README.md");
        final int begin = readme.indexOf(SettingsMarkdown.BEGIN);
        final int end = readme.indexOf(SettingsMarkdown.END);
        assertTrue(begin >= 0 && end > begin, "README.md has the settings-table markers");
        assertEquals(SettingsMarkdown.table(), readme.substring(begin + SettingsMarkdown.BEGIN.length() + 1, end),
            "README.md's settings table differs from SettingsTable; rewrite it with `java -cp " +
            "engine/target/classes:net/target/classes " + SettingsMarkdown.class.getName() + " README.md`");
    }

    @Test
    void shouldGiveOneRowPerSettingWithDefaultRangeUnitAndModule()
    {
        final String table = SettingsMarkdown.table();
        for (final Setting setting : SettingsTable.all())
        {
            final String accepted = Setting.Kind.INT == setting.kind() ? setting.range() :
                Setting.Kind.BOOLEAN == setting.kind() ? "true, false" : setting.isSecret() ? "text (secret)" : "text";
            assertTrue(table.contains("| `" + setting.name() + "` | " + setting.formatDefault() + " | " + accepted +
                " | " + setting.unit().label() + " | " + setting.module().label() + " | " + setting.meaning() + " |\n"),
                setting.name());
        }
        assertEquals(SettingsTable.all().size() + 2, table.split("\n").length);
    }

    @Test
    void shouldRewriteOnlyTheBlockBetweenTheMarkers()
    {
        final String document = "intro\n" + SettingsMarkdown.BEGIN + "\n| stale |\n" + SettingsMarkdown.END + "\nrest\n";

        assertEquals("intro\n" + SettingsMarkdown.BEGIN + "\n" + SettingsMarkdown.table() + SettingsMarkdown.END +
            "\nrest\n", SettingsMarkdown.withTable(document));
        assertThrows(IllegalArgumentException.class, () -> SettingsMarkdown.withTable("no markers"));
    }

    @Test
    void shouldNameOnlyDeclaredSettingsWithTheirDefaultsInEveryOtherSettingsTable() throws IOException
    {
        final Map<String, String> defaults = SwitchboardSettings.defaults().describe();
        int rows = 0;
        for (final String file : List.of("README.md", "docs/PROTOCOL.md"))
        {
            final Matcher row = ROW.matcher(settingsTables(read(file)));
            while (row.find())
            {
                final List<String> names = new ArrayList<>();
                final Matcher name = NAME.matcher(row.group(1));
                while (name.find())
                {
                    names.add(name.group(1));
                }
                final String[] stated = row.group(2).trim().split(", ");
                for (int i = 0; i < names.size(); i++)
                {
                    final String setting = names.get(i);
                    assertNotNull(SettingsTable.named(setting), file + " names an undeclared setting: " + setting);
                    final String value = stated[Math.min(i, stated.length - 1)].trim();
                    assertTrue(sameDefault(defaults.get(setting), value),
                        file + " states default '" + value + "' for " + setting + ", the table " + defaults.get(setting));
                    rows++;
                }
            }
        }
        assertTrue(rows > SettingsTable.all().size(), "the README table plus the other tables: " + rows);
    }

    /** The rows of every table whose header starts {@code | setting | default}, the settings tables of a document. */
    private static String settingsTables(final String document)
    {
        final StringBuilder rows = new StringBuilder();
        boolean inTable = false;
        for (final String line : document.split("\n"))
        {
            if (line.startsWith("| setting | default"))
            {
                inTable = true;
            }
            else if (inTable && line.startsWith("|"))
            {
                rows.append(line).append('\n');
            }
            else
            {
                inTable = false;
            }
        }
        return rows.toString();
    }

    private static boolean sameDefault(final String actual, final String stated)
    {
        if (stated.equals(actual) || stated.startsWith(actual + " ("))
        {
            return true;
        }
        return "none".equals(actual) && (stated.startsWith("none") || "any".equals(stated) || "generated".equals(stated));
    }
}
