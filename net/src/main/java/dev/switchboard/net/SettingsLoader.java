package dev.switchboard.net;

import dev.switchboard.engine.settings.Setting;
import dev.switchboard.engine.settings.SettingsTable;
import dev.switchboard.engine.settings.SwitchboardSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@link SwitchboardSettings} from command-line flags, environment variables and a properties file
 * (protocol section 12); runs once at start, off every hot path. It accepts exactly the settings of {@link SettingsTable}
 * and lists none of its own.
 * <p>
 * Setting {@code hostlessRoomSeconds} is flag {@code --hostless-room-seconds 5} or
 * {@code --hostless-room-seconds=5}, variable {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS=5} and file key
 * {@code hostlessRoomSeconds=5}. The flag wins, then the variable, then the file named by {@code --config FILE}
 * or {@code SWITCHBOARD_CONFIG}; a setting given nowhere keeps its default. Nothing unknown is ignored: an
 * unknown flag, file key or {@code SWITCHBOARD_} variable, a flag given twice or without a value, a number that
 * does not parse and a value the settings refuse all fail with a {@link SettingsException} naming the setting and
 * where its value came from.
 */
public final class SettingsLoader
{
    /** Prefix of every environment variable the loader reads. */
    public static final String ENV_PREFIX = Setting.ENV_PREFIX;

    /** Environment variable naming the properties file. */
    public static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";

    /** Flag naming the properties file. */
    public static final String CONFIG_FLAG = "--config";

    private static final String CONFIG_SETTING = "config";
    private static final String DEFAULT_ORIGIN = "default";

    private static final List<Setting> SETTINGS = SettingsTable.all();
    private static final Map<String, Setting> BY_NAME = index(0);
    private static final Map<String, Setting> BY_FLAG = index(1);
    private static final Map<String, Setting> BY_ENV = index(2);

    private SettingsLoader()
    {
    }

    /**
     * Load the settings: flags win, then environment, then the properties file named by {@code --config FILE},
     * {@code --config=FILE} or {@code SWITCHBOARD_CONFIG}; {@code --help} and {@code -h} are skipped, see
     * {@link #wantsHelp(String[])}.
     *
     * @param args        command-line arguments.
     * @param environment environment variables, usually {@link System#getenv()}.
     * @return validated settings.
     * @throws SettingsException naming the bad setting, its value and where it came from.
     */
    public static SwitchboardSettings load(final String[] args, final Map<String, String> environment)
        throws SettingsException
    {
        final Map<Setting, Value> fromFlags = new HashMap<>();
        final Value configFromFlag = parseFlags(args, fromFlags);
        final Map<Setting, Value> fromEnv = new HashMap<>();
        final Value configFromEnv = parseEnvironment(environment, fromEnv);
        final Value config = null != configFromFlag ? configFromFlag : configFromEnv;
        final Map<Setting, Value> fromFile = null == config ? Collections.emptyMap() : parseFile(config);

        final SwitchboardSettings.Builder builder = SwitchboardSettings.builder();
        final Map<String, String> origins = new HashMap<>();
        for (final Setting setting : SETTINGS)
        {
            Value value = fromFlags.get(setting);
            if (null == value)
            {
                value = fromEnv.get(setting);
            }
            if (null == value)
            {
                value = fromFile.get(setting);
            }
            if (null != value)
            {
                origins.put(setting.name(), value.origin);
                try
                {
                    apply(setting, builder, value);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw rejected(ex.getMessage(), origins);
                }
            }
        }

        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw rejected(ex.getMessage(), origins);
        }
    }

    /**
     * Whether the arguments ask for help: {@code --help} or {@code -h} where a flag is expected.
     *
     * @param args command-line arguments.
     * @return true when the caller should print {@link #usage()} and exit.
     */
    public static boolean wantsHelp(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (isHelp(arg))
            {
                return true;
            }
            if (arg.startsWith("--") && arg.indexOf('=') < 0 && i + 1 < args.length && !args[i + 1].startsWith("--"))
            {
                i++;
            }
        }
        return false;
    }

    /**
     * Help text: how values are found, then every setting with its flag, variable, default and meaning.
     *
     * @return the text, lines separated by {@code \n}.
     */
    public static String usage()
    {
        return SettingsHelp.usage();
    }

    /**
     * The command-line flag of a setting, {@code --} and its name in kebab case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the flag such as {@code --hostless-room-seconds}.
     */
    public static String flagOf(final String settingName)
    {
        return Setting.flagOf(settingName);
    }

    /**
     * The environment variable of a setting, {@code SWITCHBOARD_} and its name in upper snake case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the variable such as {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS}.
     */
    public static String envOf(final String settingName)
    {
        return Setting.envOf(settingName);
    }

    /**
     * Every setting's name, one-sentence meaning and kind, in the order of {@code --help}; for generated
     * documentation such as the distribution's {@code config/switchboard.properties}.
     *
     * @return the settings, unmodifiable.
     */
    public static List<SettingDoc> documentation()
    {
        final List<SettingDoc> docs = new ArrayList<>(SETTINGS.size());
        for (final Setting setting : SETTINGS)
        {
            docs.add(new SettingDoc(setting.name(), setting.meaning(), Setting.Kind.INT == setting.kind()));
        }
        return Collections.unmodifiableList(docs);
    }

    /**
     * One setting as documentation.
     *
     * @param name        the setting's name, also its properties-file key.
     * @param meaning     one sentence on what it does.
     * @param wholeNumber whether its value is a whole number (else text).
     */
    public record SettingDoc(String name, String meaning, boolean wholeNumber)
    {
    }

    private static Value parseFlags(final String[] args, final Map<Setting, Value> out) throws SettingsException
    {
        Value config = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (isHelp(arg))
            {
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2)
            {
                throw new SettingsException(arg,
                    "unexpected argument '" + arg + "': settings are given as --name VALUE or --name=VALUE");
            }
            final int eq = arg.indexOf('=');
            final String flag = eq < 0 ? arg : arg.substring(0, eq);
            final Setting setting = BY_FLAG.get(flag);
            final boolean isConfig = CONFIG_FLAG.equals(flag);
            if (null == setting && !isConfig)
            {
                throw new SettingsException(flag, "unknown flag " + flag + suggestion(flag, BY_FLAG.keySet()));
            }
            final String name = isConfig ? CONFIG_SETTING : setting.name();
            final String raw;
            if (eq >= 0)
            {
                raw = arg.substring(eq + 1);
            }
            else if (i + 1 < args.length && !args[i + 1].startsWith("--"))
            {
                raw = args[++i];
            }
            else
            {
                throw new SettingsException(name, name + " has no value (from " + flag + "): give " + flag +
                    " VALUE or " + flag + "=VALUE");
            }
            final Value value = new Value(raw, "from " + flag);
            if (isConfig)
            {
                if (null != config)
                {
                    throw new SettingsException(name, "config is given twice (from " + flag + ")");
                }
                config = value;
            }
            else
            {
                if (out.containsKey(setting))
                {
                    throw new SettingsException(name, name + " is given twice (from " + flag + ")");
                }
                check(setting, value);
                out.put(setting, value);
            }
        }
        return config;
    }

    private static Value parseEnvironment(final Map<String, String> environment, final Map<Setting, Value> out)
        throws SettingsException
    {
        Value config = null;
        for (final Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet())
        {
            final String variable = entry.getKey();
            if (!variable.startsWith(ENV_PREFIX))
            {
                continue;
            }
            final Value value = new Value(entry.getValue(), "from " + variable);
            if (CONFIG_ENV.equals(variable))
            {
                config = value;
                continue;
            }
            final Setting setting = BY_ENV.get(variable);
            if (null == setting)
            {
                final List<String> known = new ArrayList<>(BY_ENV.keySet());
                known.add(CONFIG_ENV);
                throw new SettingsException(variable,
                    "unknown environment variable " + variable + suggestion(variable, known));
            }
            check(setting, value);
            out.put(setting, value);
        }
        return config;
    }

    private static Map<Setting, Value> parseFile(final Value config) throws SettingsException
    {
        final String fileName = config.raw;
        if (fileName.isEmpty())
        {
            throw new SettingsException(CONFIG_SETTING, "config names no file (" + config.origin + ")");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(fileName), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new SettingsException(CONFIG_SETTING, "config file '" + fileName + "' cannot be read (" +
                config.origin + "): " + ex);
        }

        final Map<Setting, Value> out = new HashMap<>();
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            final Setting setting = BY_NAME.get(key);
            if (null == setting)
            {
                throw new SettingsException(key,
                    "unknown key " + key + " in config file '" + fileName + "'" + suggestion(key, BY_NAME.keySet()));
            }
            final Value value =
                new Value(properties.getProperty(key), "from key " + key + " in file '" + fileName + "'");
            check(setting, value);
            out.put(setting, value);
        }
        return out;
    }

    private static SettingsException rejected(final String message, final Map<String, String> origins)
    {
        final TreeMap<Integer, String> namedAt = new TreeMap<>();
        for (final Setting setting : SETTINGS)
        {
            final Matcher matcher = Pattern.compile("\\b" + setting.name() + "\\b").matcher(message);
            if (matcher.find())
            {
                namedAt.put(matcher.start(), setting.name());
            }
        }
        if (namedAt.isEmpty())
        {
            return new SettingsException(null, message);
        }
        final String first = namedAt.firstEntry().getValue();
        final StringBuilder sb = new StringBuilder(message).append(" (");
        if (1 == namedAt.size())
        {
            sb.append(origins.getOrDefault(first, DEFAULT_ORIGIN));
        }
        else
        {
            String separator = "";
            for (final String name : namedAt.values())
            {
                sb.append(separator).append(name).append(' ').append(origins.getOrDefault(name, DEFAULT_ORIGIN));
                separator = "; ";
            }
        }
        return new SettingsException(first, sb.append(')').toString());
    }

    private static String suggestion(final String given, final Iterable<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(given.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return null != best && bestDistance <= 2 ? "; did you mean " + best + "?" : "; see --help";
    }

    private static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static boolean isHelp(final String arg)
    {
        return "--help".equals(arg) || "-h".equals(arg);
    }

    private static Map<String, Setting> index(final int by)
    {
        final Map<String, Setting> map = new LinkedHashMap<>();
        for (final Setting setting : SETTINGS)
        {
            map.put(0 == by ? setting.name() : 1 == by ? setting.flag() : setting.env(), setting);
        }
        return Collections.unmodifiableMap(map);
    }

    private static void check(final Setting setting, final Value value) throws SettingsException
    {
        if (Setting.Kind.INT == setting.kind())
        {
            parseInt(setting, value);
        }
    }

    private static void apply(final Setting setting, final SwitchboardSettings.Builder builder, final Value value)
        throws SettingsException
    {
        switch (setting.kind())
        {
            case INT -> builder.set(setting, parseInt(setting, value));
            case BOOLEAN -> builder.set(setting, parseBoolean(setting.name(), value.raw));
            default -> builder.set(setting, value.raw);
        }
    }

    private static int parseInt(final Setting setting, final Value value) throws SettingsException
    {
        final String text = value.raw.trim();
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new SettingsException(setting.name(),
                setting.name() + " must be a whole number, got '" + value.raw + "' (" + value.origin + ")");
        }
    }

    private static boolean parseBoolean(final String name, final String raw)
    {
        final String text = raw.trim();
        if ("true".equalsIgnoreCase(text))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(text))
        {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + raw + "'");
    }

    private static final class Value
    {
        private final String raw;
        private final String origin;

        private Value(final String raw, final String origin)
        {
            this.raw = raw;
            this.origin = origin;
        }
    }
}
