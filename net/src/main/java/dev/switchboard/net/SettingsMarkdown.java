package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's settings table, generated from the {@link SettingsTable} between two marker lines; a test fails when
 * the README's copy differs, and {@link #main(String[])} rewrites it.
 */
public final class SettingsMarkdown
{
    /** The line before the generated table. */
    public static final String BEGIN = "<!-- settings-table:begin (generated from SettingsTable by SettingsMarkdown) -->";

    /** The line after the generated table. */
    public static final String END = "<!-- settings-table:end -->";

    private SettingsMarkdown()
    {
    }

    /**
     * Rewrite the settings table of the README named by the first argument.
     *
     * @param args the README's path.
     * @throws IOException if the file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            throw new IllegalArgumentException("usage: SettingsMarkdown README.md");
        }
        final Path readme = Path.of(args[0]);
        Files.writeString(readme, withTable(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * The table: one row per setting in table order with its default, accepted values, unit, module and meaning.
     *
     * @return Markdown lines, each ending in {@code \n}.
     */
    public static String table()
    {
        final StringBuilder sb = new StringBuilder(16384)
            .append("| setting | default | accepted | unit | module | meaning |\n")
            .append("| --- | --- | --- | --- | --- | --- |\n");
        for (final Setting setting : SettingsTable.all())
        {
            sb.append("| `").append(setting.name()).append("` | ").append(cell(setting.formatDefault()))
                .append(" | ").append(accepted(setting))
                .append(" | ").append(setting.unit().label())
                .append(" | ").append(setting.module().label())
                .append(" | ").append(cell(setting.meaning())).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * A document with the text between its markers replaced by {@link #table()}.
     *
     * @param document the README's text.
     * @return the text with the current table.
     * @throws IllegalArgumentException when the markers are missing.
     */
    public static String withTable(final String document)
    {
        final int begin = document.indexOf(BEGIN);
        final int end = document.indexOf(END);
        if (begin < 0 || end < begin)
        {
            throw new IllegalArgumentException("the document has no " + BEGIN + " ... " + END + " block");
        }
        return document.substring(0, begin + BEGIN.length()) + '\n' + table() + document.substring(end);
    }

    private static String accepted(final Setting setting)
    {
        return switch (setting.kind())
        {
            case INT -> setting.range();
            case BOOLEAN -> "true, false";
            default -> setting.isSecret() ? "text (secret)" : "text";
        };
    }

    private static String cell(final String text)
    {
        return text.replace("|", "\\|");
    }
}
