package dev.switchboard.engine.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small strict JSON reader for tests: objects become maps, arrays lists, numbers longs or doubles. */
public final class Json
{
    private final String text;
    private int position;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * Parse one JSON value, failing on trailing text.
     *
     * @param text the JSON text.
     * @return the value.
     */
    public static Object parse(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.value();
        json.skipSpace();
        if (json.position != text.length())
        {
            throw new IllegalArgumentException("trailing text at " + json.position + ": " + text);
        }
        return value;
    }

    /**
     * Parse a JSON object.
     *
     * @param text the JSON text.
     * @return the object as a map.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String text)
    {
        return (Map<String, Object>)parse(text);
    }

    private Object value()
    {
        skipSpace();
        final char c = text.charAt(position);
        switch (c)
        {
            case '{':
                return objectValue();
            case '[':
                return arrayValue();
            case '"':
                return stringValue();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            default:
                return numberValue();
        }
    }

    private Map<String, Object> objectValue()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (text.charAt(position) == '}')
        {
            position++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = stringValue();
            skipSpace();
            expect(":");
            if (map.containsKey(key))
            {
                throw new IllegalArgumentException("duplicate key " + key + " in " + text);
            }
            map.put(key, value());
            skipSpace();
            final char c = text.charAt(position++);
            if (c == '}')
            {
                return map;
            }
            if (c != ',')
            {
                throw new IllegalArgumentException("expected , or } at " + position + ": " + text);
            }
        }
    }

    private List<Object> arrayValue()
    {
        final List<Object> list = new ArrayList<>();
        position++;
        skipSpace();
        if (text.charAt(position) == ']')
        {
            position++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            final char c = text.charAt(position++);
            if (c == ']')
            {
                return list;
            }
            if (c != ',')
            {
                throw new IllegalArgumentException("expected , or ] at " + position + ": " + text);
            }
        }
    }

    private String stringValue()
    {
        expect("\"");
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                final char e = text.charAt(position++);
                switch (e)
                {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'u':
                        sb.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                        break;
                    default:
                        sb.append(e);
                        break;
                }
            }
            else
            {
                if (c < 0x20)
                {
                    throw new IllegalArgumentException("control character in string: " + text);
                }
                sb.append(c);
            }
        }
    }

    private Object numberValue()
    {
        final int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
        {
            position++;
        }
        final String number = text.substring(start, position);
        if (number.isEmpty())
        {
            throw new IllegalArgumentException("unexpected character at " + start + ": " + text);
        }
        if (number.contains(".") || number.contains("e") || number.contains("E"))
        {
            return Double.parseDouble(number);
        }
        return Long.parseLong(number);
    }

    private void expect(final String token)
    {
        if (!text.startsWith(token, position))
        {
            throw new IllegalArgumentException("expected " + token + " at " + position + ": " + text);
        }
        position += token.length();
    }

    private void skipSpace()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }
}
