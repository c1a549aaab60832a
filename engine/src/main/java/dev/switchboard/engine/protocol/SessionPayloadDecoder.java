package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;

import java.io.IOException;

import static dev.switchboard.engine.protocol.JsonTokens.TOKEN_CHARS;
import static dev.switchboard.engine.protocol.JsonTokens.USER_CHARS;

/**
 * Payload rules of the session messages ({@code join}, {@code resume}, {@code cohost_accept}), protocol section 3:
 * each reads the payload object to its end and fills the slot's flat fields. Stateless and allocation-free.
 */
final class SessionPayloadDecoder
{
    private static final byte[] ROLE_HOST_NAME = JsonTokens.ascii("host");
    private static final byte[] ROLE_VIEWER_NAME = JsonTokens.ascii("viewer");

    private SessionPayloadDecoder()
    {
    }

    /**
     * Read a {@code join} payload: {@code role} must be {@code host} or {@code viewer}.
     *
     * @return false when the payload breaks its rules.
     */
    static boolean join(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("role".equals(name))
            {
                slot.role = 0;
                if (JsonToken.VALUE_STRING == value)
                {
                    if (JsonTokens.textEquals(parser, ROLE_HOST_NAME))
                    {
                        slot.role = InboundSlot.ROLE_HOST;
                    }
                    else if (JsonTokens.textEquals(parser, ROLE_VIEWER_NAME))
                    {
                        slot.role = InboundSlot.ROLE_VIEWER;
                    }
                }
            }
            parser.skipChildren();
        }
        return 0 != slot.role;
    }

    /**
     * Read a {@code resume} payload: a session token and non-negative {@code lastDseq} and {@code lastRseq}.
     *
     * @return false when the payload breaks its rules.
     */
    static boolean resume(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        long lastDseq = -1;
        long lastRseq = -1;
        slot.tokenLength = 0;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (name)
            {
                case "sessionToken":
                    slot.tokenLength = 0;
                    if (JsonToken.VALUE_STRING == value)
                    {
                        slot.tokenLength = Math.max(0, JsonTokens.copyId(parser, TOKEN_CHARS, slot.token));
                    }
                    break;
                case "lastDseq":
                    lastDseq = JsonTokens.nonNegativeLong(parser, value);
                    break;
                case "lastRseq":
                    lastRseq = JsonTokens.nonNegativeLong(parser, value);
                    break;
                default:
                    break;
            }
            parser.skipChildren();
        }
        if (0 == slot.tokenLength || lastDseq < 0 || lastRseq < 0)
        {
            return false;
        }
        slot.lastDseq = lastDseq;
        slot.lastRseq = lastRseq;
        return true;
    }

    /**
     * Read a {@code cohost_accept} payload: an optional {@code userId}, where null means absent.
     *
     * @return false when the payload breaks its rules.
     */
    static boolean cohostAccept(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        boolean valid = true;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("userId".equals(name))
            {
                slot.userIdLength = 0;
                if (JsonToken.VALUE_STRING == value)
                {
                    final int n = JsonTokens.copyId(parser, USER_CHARS, slot.userId);
                    if (n > 0)
                    {
                        slot.userIdLength = n;
                    }
                    else
                    {
                        valid = false;
                    }
                }
                else if (JsonToken.VALUE_NULL != value)
                {
                    valid = false;
                }
            }
            parser.skipChildren();
        }
        return valid;
    }
}
