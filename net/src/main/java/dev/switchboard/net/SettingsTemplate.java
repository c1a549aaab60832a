package dev.switchboard.net;

import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the distribution's {@code config/switchboard.properties}: every setting of {@link SettingsLoader}, commented
 * out, with its meaning, default, accepted range, flag and variable. It is generated from the {@link SettingsTable} at
 * build time: each range is the declared one the validation enforces, and each text rule is the one the validation
 * states when it refuses a value, so the file cannot drift from the code.
 */
public final class SettingsTemplate
{
    private static final Pattern RULE = Pattern.compile("^\\S+ (must .*?)(, got .*)?( \\(from [^)]*\\))?$");

    private SettingsTemplate()
    {
    }

    /**
     * Write the template to the file named by the first argument, creating its folder.
     *
     * @param args the output file.
     * @throws IOException if the file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            throw new IllegalArgumentException("usage: SettingsTemplate OUTPUT_FILE");
        }
        final Path out = Path.of(args[0]);
        if (null != out.toAbsolutePath().getParent())
        {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    /**
     * The template's text.
     *
     * @return the properties file, lines separated by {@code \n}.
     */
    public static String render()
    {
        final Map<String, String> defaults = SwitchboardSettings.defaults().describe();
        final StringBuilder sb = new StringBuilder(8192);
        sb.append("# Switchboard ").append(BuildInfo.version()).append(" settings.\n")
            .append("#\n")
            .append("# Every setting is listed below, commented out, with its default. Uncomment a line to change it.\n")
            .append("# bin/switchboard reads this file unless --config FILE or SWITCHBOARD_CONFIG names another;\n")
            .append("# a flag (--name VALUE) wins over a SWITCHBOARD_* variable, which wins over this file.\n")
            .append("# Unknown keys and bad values stop the server with a message naming the setting.\n")
            .append("# Generated at build time from the server's settings list; `switchboard --help` shows the same.\n");
        for (final SettingsLoader.SettingDoc doc : SettingsLoader.documentation())
        {
            final String value = defaults.getOrDefault(doc.name(), "none");
            sb.append('\n').append("# ").append(doc.meaning()).append('\n')
                .append("# Default: ").append(value);
            final String rule = rule(doc);
            if (null != rule)
            {
                sb.append(". ").append(rule);
            }
            sb.append(".\n")
                .append("# Flag: ").append(SettingsLoader.flagOf(doc.name()))
                .append(", variable: ").append(SettingsLoader.envOf(doc.name())).append('\n')
                .append('#').append(doc.name()).append('=').append("none".equals(value) ? "" : value).append('\n');
        }
        return sb.toString();
    }

    /**
     * The accepted values of a setting: {@code Range: MIN to MAX} for a whole number (from its declaration in the
     * {@link SettingsTable}), for text the rule its validation states when refusing an empty or else a
     * punctuation-only value, or null when the setting accepts both.
     */
    static String rule(final SettingsLoader.SettingDoc doc)
    {
        if (doc.wholeNumber())
        {
            return "Range: " + SettingsTable.named(doc.name()).range();
        }
        String message = refusal(doc, "");
        if (null == message)
        {
            message = refusal(doc, "!");
        }
        if (null == message)
        {
            return null;
        }
        final Matcher rule = RULE.matcher(message);
        return rule.find() ? "Rule: " + rule.group(1) : null;
    }

    private static String refusal(final SettingsLoader.SettingDoc doc, final String value)
    {
        try
        {
            SettingsLoader.load(new String[] {SettingsLoader.flagOf(doc.name()) + "=" + value}, Collections.emptyMap());
            return null;
        }
        catch (final SettingsException ex)
        {
            return doc.name().equals(ex.settingName()) ? ex.getMessage() : null;
        }
    }
}
