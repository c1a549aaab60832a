package dev.switchboard.net;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTemplateTest
{
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^#([A-Za-z]+)=(.*)$");

    @TempDir
    Path tempDir;

    @Test
    void shouldListEverySettingOnceCommentedOutWithItsDefault()
    {
        final String text = SettingsTemplate.render();
        final Map<String, String> defaults = SwitchboardSettings.defaults().describe();
        final Set<String> listed = new TreeSet<>();
        final Matcher m = KEY_LINE.matcher(text);
        while (m.find())
        {
            assertTrue(listed.add(m.group(1)), "listed twice: " + m.group(1));
            final String expected = defaults.get(m.group(1));
            assertEquals("none".equals(expected) ? "" : expected, m.group(2), m.group(1));
        }
        assertEquals(new TreeSet<>(defaults.keySet()), listed);
        for (final SettingsLoader.SettingDoc doc : SettingsLoader.documentation())
        {
            assertTrue(text.contains("# " + doc.meaning() + "\n"), doc.name());
            assertTrue(text.contains("# Flag: " + SettingsLoader.flagOf(doc.name()) + ", variable: " +
                SettingsLoader.envOf(doc.name()) + "\n"), doc.name());
        }
    }

    @Test
    void shouldLoadTheDefaultsWhenEveryLineIsUncommented() throws Exception
    {
        final String uncommented = SettingsTemplate.render().replaceAll("(?m)^#([A-Za-z]+=.+)$", "$1");
        final Path file = tempDir.resolve("switchboard.properties");
        Files.writeString(file, uncommented, StandardCharsets.UTF_8);

        final SwitchboardSettings loaded = SettingsLoader.load(new String[] {"--config", file.toString()},
            Collections.emptyMap());

        assertEquals(SwitchboardSettings.defaults().describe(), loaded.describe());
    }

    @Test
    void shouldLoadTheCommentedTemplateAsIsWithoutAnyUnknownKey() throws Exception
    {
        final Path file = tempDir.resolve("as-shipped.properties");
        SettingsTemplate.main(new String[] {file.toString()});

        final SwitchboardSettings loaded = SettingsLoader.load(new String[] {"--config", file.toString()},
            Collections.emptyMap());

        assertEquals(SwitchboardSettings.defaults().describe(), loaded.describe());
    }

    @Test
    void shouldStateEachWholeNumberRangeThatTheLoaderEnforces() throws IOException
    {
        final String text = SettingsTemplate.render();
        final Pattern block = Pattern.compile("# Default: [^\\n]*Range: (-?\\d+) to (-?\\d+)\\.\\n# Flag: (--[a-z-]+),");
        final Matcher m = block.matcher(text);
        int ranges = 0;
        while (m.find())
        {
            ranges++;
            final long below = Long.parseLong(m.group(1)) - 1;
            final long above = Long.parseLong(m.group(2)) + 1;
            final String flag = m.group(3);
            assertThrows(SettingsException.class, () ->
                SettingsLoader.load(new String[] {flag + "=" + below}, Collections.emptyMap()), flag + " " + below);
            assertThrows(SettingsException.class, () ->
                SettingsLoader.load(new String[] {flag + "=" + above}, Collections.emptyMap()), flag + " " + above);
        }
        final long wholeNumbers = SettingsLoader.documentation().stream().filter(SettingsLoader.SettingDoc::wholeNumber)
            .count();
        assertEquals(wholeNumbers, ranges, "every whole-number setting states its range:\n" + text);
        assertTrue(text.contains("# Default: 8080. Range: 0 to 65535.\n# Flag: --port, variable: SWITCHBOARD_PORT\n"));
        assertTrue(text.contains("Rule: must be blocking, yielding or busy-spin."), text);
    }
}
