package dev.switchboard.bench.baseline;

import java.util.HashMap;
import java.util.Map;

/**
 * The command line of the baseline servers: {@code --name value} pairs from a fixed set; anything else prints the
 * usage text and exits with status 2.
 */
final class BaselineFlags
{
    private final Map<String, String> values = new HashMap<>();

    private BaselineFlags()
    {
    }

    /**
     * Parse the arguments or exit.
     *
     * @param args  the command line.
     * @param usage printed on a bad flag.
     * @param known the flag names accepted, without dashes.
     * @return the parsed flags.
     */
    static BaselineFlags parseOrExit(final String[] args, final String usage, final String... known)
    {
        final BaselineFlags flags = new BaselineFlags();
        boolean valid = 0 == args.length % 2;
        for (int i = 0; valid && i + 1 < args.length; i += 2)
        {
            valid = false;
            for (final String name : known)
            {
                if (args[i].equals("--" + name))
                {
                    flags.values.put(name, args[i + 1]);
                    valid = true;
                }
            }
        }
        if (!valid)
        {
            System.err.println(usage);
            System.exit(2);
        }
        return flags;
    }

    int intValue(final String name, final int defaultValue)
    {
        final String value = values.get(name);
        return null == value ? defaultValue : Integer.parseInt(value);
    }

    String value(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }
}
