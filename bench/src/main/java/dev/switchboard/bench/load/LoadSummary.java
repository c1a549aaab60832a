package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a run as JSON: scalar fields in insertion order plus one latency block per channel, in
 * microseconds as {@code {count, p50, p90, p99, p999, max}}.
 */
public final class LoadSummary
{
    /** A run is valid when it achieved at least this share of its target send rate. */
    public static final double VALID_RATE_SHARE = 0.95;

    /** The generator kept its schedule when the 99th percentile of its own send lag stays under this (10 ms). */
    public static final long ON_SCHEDULE_LAG_P99_NS = 10_000_000L;

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Histogram> latencies = new LinkedHashMap<>();

    /**
     * Whether a run with these rates counts: its achieved send rate is at most 5% under its target.
     *
     * @param targetRate   messages per second the schedule planned.
     * @param achievedRate messages per second actually sent.
     * @return true when valid.
     */
    public static boolean isValid(final double targetRate, final double achievedRate)
    {
        return achievedRate >= targetRate * VALID_RATE_SHARE;
    }

    /**
     * Whether the generator kept its own schedule: its send lag p99 is under {@link #ON_SCHEDULE_LAG_P99_NS}, so the
     * latencies measure the server and not a starved generator.
     *
     * @param sendLagNs the generator's send lag in nanoseconds.
     * @return true when on schedule.
     */
    public static boolean isOnSchedule(final Histogram sendLagNs)
    {
        return sendLagNs.getValueAtPercentile(99.0) < ON_SCHEDULE_LAG_P99_NS;
    }

    /**
     * Adds a scalar field (a Number, String or Boolean) or a nested map of such fields.
     *
     * @param name  the field's name.
     * @param value the value.
     * @return this summary.
     */
    public LoadSummary put(final String name, final Object value)
    {
        fields.put(name, value);
        return this;
    }

    /**
     * Adds a latency block, recorded in nanoseconds.
     *
     * @param name      the block's name, such as {@code firstRecipient}.
     * @param histogram the latencies in nanoseconds.
     * @return this summary.
     */
    public LoadSummary latency(final String name, final Histogram histogram)
    {
        latencies.put(name, histogram);
        return this;
    }

    /**
     * Renders the summary.
     *
     * @return pretty-printed JSON.
     */
    public String toJson()
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            for (final Map.Entry<String, Object> field : fields.entrySet())
            {
                json.writeFieldName(field.getKey());
                writeValue(json, field.getValue());
            }
            json.writeObjectFieldStart("latencyMicros");
            for (final Map.Entry<String, Histogram> entry : latencies.entrySet())
            {
                final Histogram histogram = entry.getValue();
                json.writeObjectFieldStart(entry.getKey());
                json.writeNumberField("count", histogram.getTotalCount());
                json.writeNumberField("p50", micros(histogram.getValueAtPercentile(50.0)));
                json.writeNumberField("p90", micros(histogram.getValueAtPercentile(90.0)));
                json.writeNumberField("p99", micros(histogram.getValueAtPercentile(99.0)));
                json.writeNumberField("p999", micros(histogram.getValueAtPercentile(99.9)));
                json.writeNumberField("max", micros(histogram.getMaxValue()));
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void writeValue(final JsonGenerator json, final Object value) throws IOException
    {
        if (value instanceof Map<?, ?>)
        {
            json.writeStartObject();
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                json.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(json, entry.getValue());
            }
            json.writeEndObject();
        }
        else if (value instanceof List<?>)
        {
            json.writeStartArray();
            for (final Object item : (List<?>)value)
            {
                writeValue(json, item);
            }
            json.writeEndArray();
        }
        else if (value instanceof Boolean)
        {
            json.writeBoolean((Boolean)value);
        }
        else if (value instanceof Integer || value instanceof Long)
        {
            json.writeNumber(((Number)value).longValue());
        }
        else if (value instanceof Number)
        {
            json.writeNumber(round(((Number)value).doubleValue()));
        }
        else if (null == value)
        {
            json.writeNull();
        }
        else
        {
            json.writeString(value.toString());
        }
    }

    /**
     * Nanoseconds to microseconds with one decimal.
     *
     * @param nanos a latency in nanoseconds.
     * @return the latency in microseconds.
     */
    public static double micros(final long nanos)
    {
        return Math.round(nanos / 100.0) / 10.0;
    }

    private static double round(final double value)
    {
        return Math.round(value * 100.0) / 100.0;
    }
}
