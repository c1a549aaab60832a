package dev.switchboard.net.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus text parser for tests: prometheus_client's own ({@code python3-prometheus-client}), run
 * with python3 on an exposition; outside CI the caller is skipped when it is missing, under CI it fails.
 * {@code PROMETHEUS_PARSER_PYTHON} names the interpreter to try first.
 */
public final class PrometheusParser
{
    private static final long TIMEOUT_SECONDS = 30;

    private PrometheusParser()
    {
    }

    /**
     * One sample.
     *
     * @param name   sample name.
     * @param labels labels.
     * @param value  value.
     */
    public record Sample(String name, Map<String, String> labels, double value)
    {
    }

    /**
     * One metric family.
     *
     * @param name    family name.
     * @param type    family type.
     * @param samples samples.
     */
    public record Family(String name, String type, List<Sample> samples)
    {
    }

    public static void assertFamily(final Map<String, Family> families, final String name, final String type)
    {
        final Family family = families.get(name);
        assertNotNull(family, () -> "no family " + name + " in " + families.keySet());
        assertEquals(type, family.type(), name);
        assertTrue(!family.samples().isEmpty(), name);
    }

    public static double value(
        final Map<String, Family> families, final String family, final String sample, final String... labels)
    {
        final Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (final Sample candidate : families.get(family).samples())
        {
            if (candidate.name().equals(sample) && candidate.labels().equals(wanted))
            {
                return candidate.value();
            }
        }
        return fail("no sample " + sample + wanted + " in family " + family);
    }

    public static Map<String, Family> parse(final String python, final byte[] exposition, final Path tempDir)
        throws IOException, InterruptedException, URISyntaxException
    {
        final Path script =
            Path.of(PrometheusParser.class.getResource("/metrics/parse_exposition.py").toURI());
        final Path stdout = tempDir.resolve("families.json");
        final Path stderr = tempDir.resolve("stderr.txt");
        final Process process = new ProcessBuilder(python, script.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        try (OutputStream stdin = process.getOutputStream())
        {
            stdin.write(exposition);
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("the parser did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertEquals(0, process.exitValue(), () -> "the parser rejected the exposition: " + read(stderr) +
            "\n" + new String(exposition, StandardCharsets.UTF_8));

        final JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        final Object tree;
        try (JsonParser parser = factory.createParser(stdout.toFile()))
        {
            parser.nextToken();
            tree = readTree(parser);
        }
        final Map<String, Family> families = new LinkedHashMap<>();
        final Set<String> seen = new HashSet<>();
        for (final Object item : (List<?>)tree)
        {
            final Map<?, ?> family = (Map<?, ?>)item;
            final List<Sample> samples = new ArrayList<>();
            for (final Object rawSample : (List<?>)family.get("samples"))
            {
                final Map<?, ?> sample = (Map<?, ?>)rawSample;
                final Map<String, String> labels = new HashMap<>();
                ((Map<?, ?>)sample.get("labels")).forEach((key, value) -> labels.put((String)key, (String)value));
                samples.add(new Sample((String)sample.get("name"), labels, (Double)sample.get("value")));
            }
            final String name = (String)family.get("name");
            assertTrue(seen.add(name), () -> "family " + name + " appears twice");
            families.put(name, new Family(name, (String)family.get("type"), samples));
        }
        return families;
    }

    private static Object readTree(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        switch (token)
        {
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(readTree(parser));
                }
                return list;
            case START_OBJECT:
                final Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, readTree(parser));
                }
                return map;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    public static String findPython() throws InterruptedException
    {
        final List<String> candidates = new ArrayList<>();
        final String configured = System.getenv("PROMETHEUS_PARSER_PYTHON");
        if (null != configured && !configured.isEmpty())
        {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (final String candidate : candidates)
        {
            if (hasPrometheusClient(candidate))
            {
                return candidate;
            }
        }
        final String reason = "no python3 with prometheus_client among " + candidates +
            " (apt-get install -y python3-prometheus-client)";
        if ("true".equals(System.getenv("CI")))
        {
            return fail(reason);
        }
        Assumptions.abort(reason);
        return null;
    }

    private static boolean hasPrometheusClient(final String python) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(python, "-c", "import prometheus_client.parser")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }
}
