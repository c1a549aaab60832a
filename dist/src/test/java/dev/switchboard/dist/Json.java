package dev.switchboard.dist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document into maps, lists, strings, numbers, booleans and nulls with jackson-core's streaming parser
 * (the server's own JSON library; the tests need no data binding).
 */
final class Json
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json()
    {
    }

    /** Parse a whole document. */
    static Object parse(final String text) throws IOException
    {
        try (JsonParser parser = FACTORY.createParser(text))
        {
            parser.nextToken();
            return value(parser);
        }
    }

    /** The member at a path of object keys and list indexes, or null when absent. */
    static Object at(final Object root, final Object... path)
    {
        Object node = root;
        for (final Object step : path)
        {
            if (step instanceof Integer index && node instanceof List<?> list)
            {
                node = index < list.size() ? list.get(index) : null;
            }
            else if (node instanceof Map<?, ?> map)
            {
                node = map.get(step);
            }
            else
            {
                return null;
            }
        }
        return node;
    }

    private static Object value(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        switch (token)
        {
            case START_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                return map;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(value(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue().doubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token + " at " + parser.currentLocation());
        }
    }
}
