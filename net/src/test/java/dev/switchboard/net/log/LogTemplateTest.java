package dev.switchboard.net.log;

import dev.switchboard.engine.log.LogLine;
import dev.switchboard.net.support.LogLines;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own layout template ({@code switchboard-log-template.json}) renders a {@link LogLine} as top-level
 * typed fields and a library's plain-text line with {@code "event":"log"} and its text.
 */
class LogTemplateTest
{
    private static final JsonTemplateLayout LAYOUT = JsonTemplateLayout.newBuilder()
        .setConfiguration(new DefaultConfiguration())
        .setEventTemplateUri("classpath:switchboard-log-template.json")
        .build();

    private static Map<String, Object> render(final Message message, final Throwable error)
    {
        final LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("test.logger").setLevel(Level.WARN)
            .setMessage(message).setThrown(error).setTimeMillis(1_700_000_000_000L).build();
        final String line = LAYOUT.toSerializable(event);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        return LogLines.parse(line.trim());
    }

    @Test
    void shouldWriteALogLinesFieldsAtTheTopLevelWithTheirTypes()
    {
        final Map<String, Object> line = render(LogLine.event("slow_consumer").with("connectionId", 42L)
            .with("bufferedBytes", 9_000_000L).with("complete", true).with("reason", "a \"quoted\"\nvalue"), null);
        assertEquals("slow_consumer", line.get("event"));
        assertEquals(42L, line.get("connectionId"));
        assertEquals(9_000_000L, line.get("bufferedBytes"));
        assertEquals(Boolean.TRUE, line.get("complete"));
        assertEquals("a \"quoted\"\nvalue", line.get("reason"));
        assertEquals("WARN", line.get("level"));
        assertEquals("test.logger", line.get("logger"));
        assertFalse(line.containsKey("message"), "a LogLine's fields are the line: " + line);
    }

    @Test
    void shouldGivePlainTextLinesTheLogEventAndTheirText()
    {
        final Map<String, Object> line = render(new SimpleMessage("Reconnecting to 127.0.0.1:6379"),
            new IllegalStateException("boom"));
        assertEquals(LineResolverFactory.TEXT_EVENT, line.get("event"));
        assertEquals("Reconnecting to 127.0.0.1:6379", line.get("message"));
        assertTrue(((String)line.get("error")).contains("IllegalStateException: boom"), line.toString());
    }
}
