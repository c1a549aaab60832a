package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.ring.InboundSlot;

import java.io.IOException;

/**
 * Payload rule of {@code webrtc_offer} and {@code webrtc_answer}, protocol section 3: a non-empty {@code sdp} string,
 * re-encoded into the slot's payload as {@code {"sdp":"..."}} with every other field stripped. Stateless and
 * allocation-free once the slot's payload has grown.
 */
final class SdpPayloadDecoder
{
    private static final byte[] SDP_PREFIX = JsonTokens.ascii("{\"sdp\":\"");

    private SdpPayloadDecoder()
    {
    }

    /**
     * Read an SDP payload to its end and write the stripped payload into the slot.
     *
     * @return false when the payload has no non-empty {@code sdp} string.
     */
    static boolean decode(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        boolean sdpValid = false;
        while (JsonToken.FIELD_NAME == parser.nextToken())
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("sdp".equals(name))
            {
                slot.payloadLength = 0;
                sdpValid = JsonToken.VALUE_STRING == value && writeSdp(parser, slot);
            }
            parser.skipChildren();
        }
        if (!sdpValid)
        {
            slot.payloadLength = 0;
        }
        return sdpValid;
    }

    private static boolean writeSdp(final EnvelopeJsonParser parser, final InboundSlot slot) throws IOException
    {
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        if (length <= 0)
        {
            return false;
        }
        slot.ensurePayloadCapacity(SDP_PREFIX.length + JsonEscaper.escapedLength(chars, offset, length) + 2);
        final byte[] dst = slot.payload;
        System.arraycopy(SDP_PREFIX, 0, dst, 0, SDP_PREFIX.length);
        int p = JsonEscaper.escape(chars, offset, length, dst, SDP_PREFIX.length);
        dst[p++] = '"';
        dst[p++] = '}';
        slot.payloadLength = p;
        return true;
    }
}
