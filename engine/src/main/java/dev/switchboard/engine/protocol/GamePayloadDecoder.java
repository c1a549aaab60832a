package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;

import java.io.IOException;

/**
 * Payload rules of {@code game_event} and {@code game_state}, protocol section 3: the app object is forwarded as its
 * exact original bytes, no deeper than {@link EnvelopeDecoder#MAX_APP_DEPTH}; a state patch is also indexed entry by
 * entry (key and value byte ranges) so the engine merges it without parsing. Stateless and allocation-free once
 * the slot's arrays have grown.
 */
final class GamePayloadDecoder
{
    private GamePayloadDecoder()
    {
    }

    /**
     * Read a {@code game_event} payload, whose START_OBJECT is current, and copy its bytes into the slot.
     *
     * @return false when the payload is nested too deep.
     */
    static boolean event(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        final int start = parser.inputPtr() - 1;
        if (!JsonTokens.skipAppValue(parser, 1))
        {
            return false;
        }
        JsonTokens.copyRange(parser, start, parser.inputPtr(), slot);
        return true;
    }

    /**
     * Read a {@code game_state} payload: a non-negative {@code version} and an object {@code patch}.
     *
     * @return false when the payload breaks its rules.
     */
    static boolean state(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        long version = -1;
        boolean patchValid = false;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("version".equals(name))
            {
                version = JsonTokens.nonNegativeLong(parser, value);
            }
            else if ("patch".equals(name))
            {
                patchValid = JsonToken.START_OBJECT == value && patch(parser, slot);
            }
            parser.skipChildren();
        }
        if (version < 0 || !patchValid)
        {
            slot.payloadLength = 0;
            slot.patchEntryCount = 0;
            return false;
        }
        slot.version = version;
        return true;
    }

    /** Parser is on the patch's START_OBJECT; index and copy it; returns with the parser on its END_OBJECT. */
    private static boolean patch(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        final byte[] buffer = parser.inputBuffer();
        final int start = parser.inputPtr() - 1;
        boolean valid = true;
        int count = 0;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final int keyStart = parser.nameStart();
            final int keyEnd = JsonTokens.closingQuote(buffer, keyStart);
            final int valueStart = JsonTokens.skipColon(buffer, keyEnd + 1);
            final JsonToken value = parser.nextToken();
            if (JsonToken.START_OBJECT == value || JsonToken.START_ARRAY == value)
            {
                valid &= JsonTokens.skipAppValue(parser, 2);
            }
            else if (JsonToken.VALUE_STRING == value)
            {
                parser.skipIncompleteString();
            }
            slot.ensurePatchCapacity(count + 1);
            slot.patchKeyOffset[count] = keyStart - start;
            slot.patchKeyLength[count] = keyEnd - keyStart;
            slot.patchValueOffset[count] = valueStart - start;
            slot.patchValueLength[count] = parser.inputPtr() - valueStart;
            count++;
        }
        if (!valid)
        {
            slot.patchEntryCount = 0;
            slot.payloadLength = 0;
            return false;
        }
        slot.patchEntryCount = count;
        JsonTokens.copyRange(parser, start, parser.inputPtr(), slot);
        return true;
    }
}
