package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;

/** The text of {@code --help}: how values are found, then every setting of the table with its range and default. */
public final class SettingsHelp
{
    private SettingsHelp()
    {
    }

    /**
     * Help text: how values are found, then every setting with its flag, variable, default, meaning, range or kind,
     * unit and module.
     *
     * @return the text, lines separated by {@code \n}.
     */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder(16384);
        sb.append("Usage: switchboard [--config FILE] [--<setting> VALUE | --<setting>=VALUE]...\n")
            .append("Each setting is read from its flag, else its environment variable, else the properties file\n")
            .append("named by --config FILE or ").append(SettingsLoader.CONFIG_ENV)
            .append(" (key = setting name), else its default.\n")
            .append("Unknown flags, keys and ").append(SettingsLoader.ENV_PREFIX)
            .append("* variables, and bad values, stop the server.\n\n")
            .append("  --config FILE   ").append(SettingsLoader.CONFIG_ENV).append("\n      Properties file of settings.\n")
            .append("  --help, -h\n      Print this text and exit.\n")
            .append("  --version\n      Print the version and the Java version, and exit.\n\n");
        for (final Setting setting : SettingsTable.all())
        {
            sb.append("  ").append(setting.flag()).append(Setting.Kind.INT == setting.kind() ? " N" : " TEXT")
                .append("   ").append(setting.env())
                .append("   (file: ").append(setting.name())
                .append(", default: ").append(setting.formatDefault()).append(")\n")
                .append("      ").append(setting.meaning()).append('\n')
                .append("      ").append(accepted(setting)).append('\n');
        }
        return sb.toString();
    }

    /**
     * What a setting accepts, as its line in {@code --help} states it.
     *
     * @param setting a setting of the table.
     * @return for example {@code "Range: 16 to 33 milliseconds; engine."}; text states the rule its validation
     *     enforces, if any.
     */
    public static String accepted(final Setting setting)
    {
        final String values = switch (setting.kind())
        {
            case INT -> "Range: " + setting.range() +
                (setting.unit().label().isEmpty() ? "" : " " + setting.unit().label());
            case BOOLEAN -> "Values: true or false";
            default -> setting.isSecret() ? "Text, secret" : "Text";
        };
        final String rule = Setting.Kind.TEXT == setting.kind() ?
            SettingsTemplate.rule(new SettingsLoader.SettingDoc(setting.name(), setting.meaning(), false)) : null;
        return values + (null == rule ? "" : "; " + rule) + "; " + setting.module().label() + '.';
    }
}
