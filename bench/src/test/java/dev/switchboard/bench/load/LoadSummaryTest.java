package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadSummaryTest
{
    @Test
    void shouldMarkRunInvalidWhenMoreThanFivePercentUnderTarget()
    {
        assertTrue(LoadSummary.isValid(20_000.0, 20_000.0));
        assertTrue(LoadSummary.isValid(20_000.0, 19_000.0));
        assertFalse(LoadSummary.isValid(20_000.0, 18_999.0));
        assertFalse(LoadSummary.isValid(100.0, 0.0));
    }

    @Test
    void shouldWriteLatencyBlocksInMicrosecondsWithAllPercentiles() throws IOException
    {
        final Histogram first = new Histogram(1, LatencyChannel.HIGHEST_TRACKABLE_NS, 3);
        for (int i = 1; i <= 1000; i++)
        {
            first.recordValue(i * 1_000L);
        }
        final Map<String, Object> sockets = new LinkedHashMap<>();
        sockets.put("planned", 10);
        final String json = new LoadSummary()
            .put("scenario", "small-rooms")
            .put("targetRate", 20_000.0)
            .put("achievedRate", 19_990.5)
            .put("valid", true)
            .put("errors", 0L)
            .put("sockets", sockets)
            .latency("firstRecipient", first)
            .latency("ack", new Histogram(1, LatencyChannel.HIGHEST_TRACKABLE_NS, 3))
            .toJson();

        final Map<String, Object> top = new HashMap<>();
        final Map<String, Map<String, Double>> latency = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final String name = parser.currentName();
                final JsonToken token = parser.nextToken();
                if ("latencyMicros".equals(name))
                {
                    while (JsonToken.FIELD_NAME == parser.nextToken())
                    {
                        final String channel = parser.currentName();
                        final Map<String, Double> values = new HashMap<>();
                        parser.nextToken();
                        while (JsonToken.FIELD_NAME == parser.nextToken())
                        {
                            final String field = parser.currentName();
                            parser.nextToken();
                            values.put(field, parser.getDoubleValue());
                        }
                        latency.put(channel, values);
                    }
                }
                else if (JsonToken.START_OBJECT == token)
                {
                    parser.skipChildren();
                    top.put(name, "object");
                }
                else
                {
                    top.put(name, parser.getText());
                }
            }
        }
        assertEquals("small-rooms", top.get("scenario"));
        assertEquals("true", top.get("valid"));
        assertEquals("object", top.get("sockets"));
        assertEquals("19990.5", top.get("achievedRate"));
        for (final String channel : List.of("firstRecipient", "ack"))
        {
            assertEquals(Map.of("count", 0.0, "p50", 0.0, "p90", 0.0, "p99", 0.0, "p999", 0.0, "max", 0.0).keySet(),
                latency.get(channel).keySet());
        }
        final Map<String, Double> firstValues = latency.get("firstRecipient");
        assertEquals(1000.0, firstValues.get("count"));
        assertEquals(500.0, firstValues.get("p50"), 1.0);
        assertEquals(990.0, firstValues.get("p99"), 1.0);
        assertEquals(1000.0, firstValues.get("max"), 1.0);
        assertEquals(0.0, latency.get("ack").get("count"));
    }

    @Test
    void shouldFlagGeneratorThatFellBehindItsSchedule()
    {
        final Histogram lag = new Histogram(1, LatencyChannel.HIGHEST_TRACKABLE_NS, 3);
        for (int i = 0; i < 99; i++)
        {
            lag.recordValue(100_000L);
        }
        lag.recordValue(50_000_000L);
        assertTrue(LoadSummary.isOnSchedule(lag), "one late send in a hundred is the 100th percentile");
        for (int i = 0; i < 5; i++)
        {
            lag.recordValue(50_000_000L);
        }
        assertFalse(LoadSummary.isOnSchedule(lag));
    }

    @Test
    void shouldConvertNanosToMicrosWithOneDecimal()
    {
        assertEquals(1.5, LoadSummary.micros(1_500));
        assertEquals(1234.6, LoadSummary.micros(1_234_567));
    }
}
