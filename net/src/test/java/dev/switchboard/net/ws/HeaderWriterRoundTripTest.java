package dev.switchboard.net.ws;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.net.ws.RecordingHandler.Event;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's frames ({@link Frame#sealText(int)}) and the agent's ({@link FrameEncoder}) share one header writer:
 * both give the same bytes, which the decoder reads back at every length where the encoding changes.
 */
class HeaderWriterRoundTripTest
{
    private static final int[] EDGE_LENGTHS = {0, 1, 5, 125, 126, 127, 65535, 65536, 65539};

    @Test
    void shouldEncodeEngineAndAgentTextFramesIdentically()
    {
        final FramePool pool = new FramePool(16, null);
        final Random random = new Random(20261204L);
        for (final int length : EDGE_LENGTHS)
        {
            final byte[] text = new byte[length];
            for (int i = 0; i < length; i++)
            {
                text[i] = (byte)('a' + random.nextInt(26));
            }
            final Frame frame = pool.acquire(length, MessageType.UNKNOWN, false);
            frame.ensurePayloadCapacity(length);
            System.arraycopy(text, 0, frame.buffer(), Frame.PAYLOAD_OFFSET, length);
            frame.sealText(length);
            final byte[] engineBytes = Arrays.copyOfRange(frame.buffer(), frame.offset(), frame.offset() + frame.length());
            frame.release();

            final byte[] agentBytes = new byte[FrameEncoder.headerLength(length) + length];
            assertEquals(agentBytes.length, FrameEncoder.encodeText(agentBytes, 0, text, 0, length));
            assertArrayEquals(agentBytes, engineBytes, "length " + length);

            final byte[] masked = ClientFrames.maskServerFrame(engineBytes, 0, engineBytes.length, random.nextInt());
            final List<Event> events = Decoding.allWays(masked);
            assertEquals(List.of(Event.text(text)), events, "length " + length);
        }
    }

    @Test
    void shouldDecodeControlFramesWrittenThroughTheSharedWriter()
    {
        final byte[] reason = "bye".getBytes(StandardCharsets.US_ASCII);
        final byte[] close = new byte[2 + 125];
        final int closeLength = FrameEncoder.encodeClose(close, 0, CloseCodes.NORMAL, reason, 0, reason.length);
        assertEquals(2 + 2 + reason.length, closeLength);
        assertEquals(List.of(Event.close(CloseCodes.NORMAL, reason)),
            Decoding.allWays(ClientFrames.maskServerFrame(close, 0, closeLength, 7)));

        final byte[] payload = new byte[125];
        Arrays.fill(payload, (byte)'p');
        final byte[] ping = new byte[2 + 125];
        final int pingLength = FrameEncoder.encodePing(ping, 0, payload, 0, payload.length);
        assertEquals(127, pingLength);
        assertEquals(List.of(Event.ping(payload)), Decoding.allWays(ClientFrames.maskServerFrame(ping, 0, pingLength, 9)));
        assertEquals(-1, FrameEncoder.encodePing(new byte[200], 0, new byte[126], 0, 126), "control payload over 125");
    }
}
