package dev.switchboard.bench.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields of one client message the relay needs, read with jackson-core's streaming parser: no object tree, the
 * payload kept as a byte range of the input.
 */
public final class RelayEnvelope
{
    private static final JsonFactory JSON = new JsonFactory();

    /** The message type, or null when absent. */
    public String type;

    /** The msgId, or null when absent. */
    public String msgId;

    /** The roomId, or null when absent. */
    public String roomId;

    /** The sender's seq, or zero when absent. */
    public long seq;

    /** The client's ts, or zero when absent. */
    public long ts;

    /** The target userId of a directed message, or null when absent. */
    public String to;

    /** The join role ({@code host} or {@code viewer}), or null when absent. */
    public String role;

    /** Offset of the payload object in the parsed array, or -1 when there is no payload object. */
    public int payloadOffset;

    /** Length of the payload object in bytes. */
    public int payloadLength;

    /**
     * Parses one message, replacing every field.
     *
     * @param buffer the message bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true when the message is one JSON object, false when it is malformed.
     */
    public boolean parse(final byte[] buffer, final int offset, final int length)
    {
        type = null;
        msgId = null;
        roomId = null;
        seq = 0;
        ts = 0;
        role = null;
        to = null;
        payloadOffset = -1;
        payloadLength = 0;
        try (JsonParser parser = JSON.createParser(buffer, offset, length))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return false;
            }
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (name)
                {
                    case "type":
                        type = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                        break;
                    case "msgId":
                        msgId = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                        break;
                    case "roomId":
                        roomId = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                        break;
                    case "seq":
                        seq = JsonToken.VALUE_NUMBER_INT == value ? parser.getLongValue() : 0;
                        break;
                    case "to":
                        to = JsonToken.VALUE_STRING == value ? parser.getText() : null;
                        break;
                    case "ts":
                        ts = JsonToken.VALUE_NUMBER_INT == value ? parser.getLongValue() : 0;
                        break;
                    case "payload":
                        if (JsonToken.START_OBJECT == value)
                        {
                            readPayload(parser, offset);
                        }
                        else
                        {
                            parser.skipChildren();
                        }
                        break;
                    default:
                        parser.skipChildren();
                        break;
                }
            }
            return JsonToken.END_OBJECT == parser.currentToken();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private void readPayload(final JsonParser parser, final int offset) throws IOException
    {
        final long start = parser.currentTokenLocation().getByteOffset();
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("role".equals(name) && JsonToken.VALUE_STRING == value)
            {
                role = parser.getText();
            }
            else
            {
                parser.skipChildren();
            }
        }
        final long end = parser.currentLocation().getByteOffset();
        payloadOffset = offset + (int)start;
        payloadLength = (int)(end - start);
    }
}
