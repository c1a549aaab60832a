package dev.switchboard.net.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's log lines read with Jackson's strict parser: each line must be exactly one JSON object, with no
 * duplicate keys, and carry {@code ts}, {@code level} and a top-level string {@code event}.
 */
public final class LogLines
{
    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private LogLines()
    {
    }

    /**
     * Parse one log line.
     *
     * @param line the line as the server wrote it.
     * @return its fields, nested objects as maps and arrays as lists.
     * @throws IllegalArgumentException when the line is not one JSON object with ts, level and a string event.
     */
    public static Map<String, Object> parse(final String line)
    {
        try (JsonParser parser = JSON.createParser(line))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                throw new IllegalArgumentException("not a JSON object: " + line);
            }
            final Map<String, Object> fields = object(parser);
            if (null != parser.nextToken())
            {
                throw new IllegalArgumentException("text after the object: " + line);
            }
            if (!(fields.get("event") instanceof String) || !fields.containsKey("ts") || !fields.containsKey("level"))
            {
                throw new IllegalArgumentException("no top-level ts, level and string event: " + line);
            }
            return fields;
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + " in: " + line, ex);
        }
    }

    /**
     * Every line that does not parse, with the reason.
     *
     * @param lines log lines.
     * @return the problems, empty when every line is a JSON object with a top-level event.
     */
    public static List<String> problems(final List<String> lines)
    {
        final List<String> problems = new ArrayList<>();
        for (final String line : lines)
        {
            try
            {
                parse(line);
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(ex.getMessage());
            }
        }
        return problems;
    }

    private static Map<String, Object> object(final JsonParser parser) throws IOException
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String key = parser.currentName();
            map.put(key, value(parser, parser.nextToken()));
        }
        return map;
    }

    private static Object value(final JsonParser parser, final JsonToken token) throws IOException
    {
        switch (token)
        {
            case START_OBJECT:
                return object(parser);
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                JsonToken next;
                while (JsonToken.END_ARRAY != (next = parser.nextToken()))
                {
                    list.add(value(parser, next));
                }
                return list;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }
}
