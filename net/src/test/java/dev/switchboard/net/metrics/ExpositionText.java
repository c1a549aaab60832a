package dev.switchboard.net.metrics;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict little reader of the Prometheus text format as this exporter writes it, for unit tests: sample lines
 * keyed by name plus sorted labels, and the TYPE of every family.
 */
final class ExpositionText
{
    private final Map<String, Double> samples = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();

    ExpositionText(final byte[] body)
    {
        final String text = new String(body, StandardCharsets.UTF_8);
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            }
            else if (!line.isEmpty() && !line.startsWith("#"))
            {
                final int space = line.lastIndexOf(' ');
                final String series = line.substring(0, space);
                if (null != samples.put(key(series), Double.parseDouble(line.substring(space + 1))))
                {
                    throw new AssertionError("duplicate series " + series);
                }
            }
        }
    }

    /**
     * The value of one series.
     *
     * @param name   sample name.
     * @param labels label name and value pairs, in any order.
     * @return the value.
     */
    double value(final String name, final String... labels)
    {
        final StringBuilder series = new StringBuilder(name);
        if (labels.length > 0)
        {
            series.append('{');
            for (int i = 0; i < labels.length; i += 2)
            {
                series.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            }
            series.append('}');
        }
        final Double value = samples.get(key(series.toString()));
        if (null == value)
        {
            throw new AssertionError("no series " + series);
        }
        return value;
    }

    boolean has(final String name, final String... labels)
    {
        try
        {
            value(name, labels);
            return true;
        }
        catch (final AssertionError ex)
        {
            return false;
        }
    }

    String type(final String family)
    {
        return types.get(family);
    }

    private static String key(final String series)
    {
        final int brace = series.indexOf('{');
        if (brace < 0)
        {
            return series;
        }
        final TreeMap<String, String> sorted = new TreeMap<>();
        final String inner = series.substring(brace + 1, series.length() - 1);
        for (final String pair : inner.split(","))
        {
            final int eq = pair.indexOf('=');
            sorted.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return series.substring(0, brace) + sorted;
    }
}
