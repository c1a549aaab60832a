package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test helper: the scalar top-level fields of a generator's {@code summary.json}, as text.
 */
public final class SummaryFields
{
    private SummaryFields()
    {
    }

    /**
     * Read the scalar top-level fields of a JSON object file; nested objects and arrays are skipped.
     *
     * @param file the summary file.
     * @return field name to its text.
     * @throws IOException if the file cannot be read or parsed.
     */
    public static Map<String, String> read(final Path file) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(file.toFile()))
        {
            parser.nextToken();
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final String name = parser.currentName();
                if (parser.nextToken().isStructStart())
                {
                    parser.skipChildren();
                }
                else
                {
                    fields.put(name, parser.getText());
                }
            }
        }
        return fields;
    }
}
