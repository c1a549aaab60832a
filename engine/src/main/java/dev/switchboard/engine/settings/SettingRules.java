package dev.switchboard.engine.settings;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/** The reusable rules of the settings table; each returns the words after the setting's name, or null. */
public final class SettingRules
{
    private SettingRules()
    {
    }

    /**
     * A value that must be set and not blank.
     *
     * @return the rule.
     */
    public static Setting.TextRule required()
    {
        return value -> null == value || value.isBlank() ? "must not be empty" : null;
    }

    /**
     * A value that may be unset but not blank.
     *
     * @return the rule.
     */
    public static Setting.TextRule notBlankWhenSet()
    {
        return value -> null != value && value.isBlank() ? "must not be empty when set" : null;
    }

    /**
     * A value that, when set, matches a pattern.
     *
     * @param regex what the whole value must match.
     * @param what  the words after "must be", naming what is expected.
     * @return the rule.
     */
    public static Setting.TextRule matches(final String regex, final String what)
    {
        final Pattern pattern = Pattern.compile(regex);
        return value -> null != value && !pattern.matcher(value).matches() ? "must be " + what + ", got " + value : null;
    }

    /**
     * A value that, when set, starts with one of the given prefixes.
     *
     * @param prefixes accepted beginnings, for example {@code redis://}.
     * @return the rule.
     */
    public static Setting.TextRule startsWith(final String... prefixes)
    {
        return value ->
        {
            if (null == value)
            {
                return null;
            }
            for (final String prefix : prefixes)
            {
                if (value.startsWith(prefix))
                {
                    return null;
                }
            }
            return "must start with " + String.join(" or ", prefixes) + ", got " + value;
        };
    }

    /**
     * A value that is one of a few words.
     *
     * @param words the accepted words.
     * @return the rule.
     */
    public static Setting.TextRule oneOf(final String... words)
    {
        return value ->
        {
            for (final String word : words)
            {
                if (word.equals(value))
                {
                    return null;
                }
            }
            final String last = words[words.length - 1];
            final String rest = String.join(", ", Arrays.copyOf(words, words.length - 1));
            return "must be " + rest + " or " + last + ", got " + value;
        };
    }

    /**
     * A secret that, when set, has at least so many UTF-8 bytes.
     *
     * @param minBytes fewest bytes.
     * @param why      the reason printed with the refusal, or null to print the count.
     * @return the rule.
     */
    public static Setting.TextRule minBytesWhenSet(final int minBytes, final String why)
    {
        return value ->
        {
            if (null == value)
            {
                return null;
            }
            if (null != why && value.isEmpty())
            {
                return "must not be empty when set";
            }
            final int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes >= minBytes)
            {
                return null;
            }
            return null == why ? "must be at least " + minBytes + " bytes when set" :
                "must be at least " + minBytes + " bytes (" + why + "), got " + bytes;
        };
    }

    /**
     * A value that, when set, has at least so many characters.
     *
     * @param minChars fewest characters.
     * @return the rule.
     */
    public static Setting.TextRule minCharsWhenSet(final int minChars)
    {
        return value -> null != value && value.length() < minChars ?
            "must be at least " + minChars + " characters, got " + value.length() : null;
    }

    /**
     * A whole number that is a power of two.
     *
     * @return the rule.
     */
    public static Setting.IntRule powerOfTwo()
    {
        return value -> Integer.bitCount(value) != 1 ? "must be a power of two, got " + value : null;
    }

    /**
     * Comma-separated STUN and TURN URLs, none longer than 256 characters or holding a quote or backslash.
     *
     * @return the rule.
     */
    public static Setting.TextRule iceServerUrls()
    {
        return urls ->
        {
            if (null == urls)
            {
                return null;
            }
            for (final String url : urls.split(",", -1))
            {
                final String u = url.trim();
                if (!(u.startsWith("stun:") || u.startsWith("stuns:") || u.startsWith("turn:") ||
                    u.startsWith("turns:")) || u.length() > 256 || u.indexOf('"') >= 0 || u.indexOf('\\') >= 0)
                {
                    return "must be comma-separated stun:, stuns:, turn: or turns: URLs, got \"" + u + "\"";
                }
            }
            return null;
        };
    }

    /**
     * Why a CPU list does not name one CPU per thread, or null when it does (or is unset).
     *
     * @param name    the setting's name.
     * @param cpus    the list, or null.
     * @param threads the number of threads.
     * @return the full message, or null.
     */
    public static String cpuListRefusal(final String name, final String cpus, final int threads)
    {
        if (null == cpus)
        {
            return null;
        }
        final String[] parts = cpus.split(",", -1);
        if (parts.length != threads)
        {
            return name + " must list one CPU per thread (" + threads + "), got \"" + cpus + "\"";
        }
        for (final String part : parts)
        {
            try
            {
                if (Integer.parseInt(part.trim()) < 0)
                {
                    return name + " must be CPU ids like 0,1, got \"" + cpus + "\"";
                }
            }
            catch (final NumberFormatException ex)
            {
                return name + " must be CPU ids like 0,1, got \"" + cpus + "\"";
            }
        }
        return null;
    }

    /**
     * A URL with any password between {@code ://} and {@code @} replaced by {@code ***}.
     *
     * @param url the URL.
     * @return the masked URL.
     */
    public static String maskPassword(final String url)
    {
        final int at = url.lastIndexOf('@');
        final int scheme = url.indexOf("://");
        return at > 0 && scheme > 0 ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
    }
}
