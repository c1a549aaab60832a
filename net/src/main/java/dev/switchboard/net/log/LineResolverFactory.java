package dev.switchboard.net.log;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;

/**
 * The {@code switchboardLine} resolver of {@code switchboard-log-template.json}: it completes the lines whose
 * message is not a map (plain text, e.g. from libraries) so that every line still has a top-level {@code event}.
 * <p>
 * {@code "field": "event"} writes a map message's {@code event} entry, or {@value #TEXT_EVENT} for a line without
 * one (the template's flattened {@code map} resolver writes the other entries); {@code "field": "message"} writes
 * the text of a non-map message and is left out for map messages (their fields are the line).
 */
@Plugin(name = "SwitchboardLineResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class LineResolverFactory implements EventResolverFactory
{
    /** The event name given to lines logged as plain text. */
    public static final String TEXT_EVENT = "log";

    private static final LineResolverFactory INSTANCE = new LineResolverFactory();

    private LineResolverFactory()
    {
    }

    /**
     * The plugin instance.
     *
     * @return the factory.
     */
    @PluginFactory
    public static LineResolverFactory getInstance()
    {
        return INSTANCE;
    }

    @Override
    public String getName()
    {
        return "switchboardLine";
    }

    @Override
    public EventResolver create(final EventResolverContext context, final TemplateResolverConfig config)
    {
        final String field = config.getString("field");
        if ("event".equals(field))
        {
            return new TextEventResolver();
        }
        if ("message".equals(field))
        {
            return new TextMessageResolver();
        }
        throw new IllegalArgumentException("switchboardLine needs \"field\": \"event\" or \"message\": " + config);
    }

    private static boolean isMap(final Message message)
    {
        return message instanceof MapMessage;
    }

    private static final class TextEventResolver implements EventResolver
    {
        @Override
        public void resolve(final LogEvent logEvent, final JsonWriter jsonWriter)
        {
            final Message message = logEvent.getMessage();
            final Object event = isMap(message) ? ((MapMessage<?, ?>)message).getIndexedReadOnlyStringMap()
                .getValue("event") : null;
            if (null == event)
            {
                jsonWriter.writeString(TEXT_EVENT);
            }
            else
            {
                jsonWriter.writeString(event.toString());
            }
        }
    }

    private static final class TextMessageResolver implements EventResolver
    {
        @Override
        public boolean isResolvable(final LogEvent logEvent)
        {
            return !isMap(logEvent.getMessage());
        }

        @Override
        public void resolve(final LogEvent logEvent, final JsonWriter jsonWriter)
        {
            final Message message = logEvent.getMessage();
            if (null == message)
            {
                jsonWriter.writeNull();
            }
            else
            {
                jsonWriter.writeString(message.getFormattedMessage());
            }
        }
    }
}
