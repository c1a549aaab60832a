package dev.switchboard.net;

import dev.switchboard.engine.SwitchboardSettings;

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
 * out, with its meaning, default, accepted range, flag and variable. It is generated from the loader's own list at
 * build time, and each range is the one the settings' validation states (found by offering a value the range
 * refuses), so the file cannot drift from the code.
 */
public final class SettingsTemplate
{
    private static final Pattern RANGE = Pattern.compile("must be between (-?\\d+) and (-?\\d+)");
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
     * The accepted values of a setting as its validation states them: {@code Range: MIN to MAX} for a whole number
     * (from the message refusing the smallest int), the rule refusing an empty or else a punctuation-only value for
     * text, or null when the setting accepts both.
     */
    static String rule(final SettingsLoader.SettingDoc doc)
    {
        String message = refusal(doc, doc.wholeNumber() ? String.valueOf(Integer.MIN_VALUE) : "");
        if (null == message && !doc.wholeNumber())
        {
            message = refusal(doc, "!");
        }
        if (null == message)
        {
            return null;
        }
        if (doc.wholeNumber())
        {
            final Matcher range = RANGE.matcher(message);
            return range.find() ? "Range: " + range.group(1) + " to " + range.group(2) : null;
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
