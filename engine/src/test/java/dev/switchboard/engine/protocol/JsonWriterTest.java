package dev.switchboard.engine.protocol;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.test.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonWriterTest
{
    private final FramePool pool = new FramePool(16, null);
    private final JsonWriter writer = new JsonWriter();

    private String text(final Frame frame)
    {
        return new String(frame.buffer(), frame.payloadOffset(), frame.payloadLength(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteNumbersAtTheirEdges()
    {
        writer.wrap(pool.acquire(16, MessageType.ACK, false)).raw((byte)'[');
        final long[] values = {0, 9, 10, -1, 123456789, Long.MAX_VALUE, Long.MIN_VALUE, -10};
        for (int i = 0; i < values.length; i++)
        {
            if (i > 0)
            {
                writer.raw((byte)',');
            }
            writer.number(values[i]);
        }
        final Frame frame = writer.raw((byte)']').seal();
        assertEquals("[0,9,10,-1,123456789,9223372036854775807,-9223372036854775808,-10]", text(frame));
        frame.release();
    }

    @Test
    void shouldEscapeStringsItDoesNotControl()
    {
        final byte[] raw = "a\"b\\c\n\u0001".getBytes(StandardCharsets.UTF_8);
        final Frame frame = writer.wrap(pool.acquire(16, MessageType.ACK, false)).raw((byte)'[')
            .escaped(raw, 0, raw.length).raw((byte)',').escaped("é\t").raw((byte)']').seal();
        assertEquals("[\"a\\\"b\\\\c\\n\\u0001\",\"\u00e9\\t\"]", text(frame));
        assertEquals(List.of("a\"b\\c\n\u0001", "é\t"), Json.parse(text(frame)));
        frame.release();
    }

    @Test
    void shouldGrowFrameWhileWriting()
    {
        writer.wrap(pool.acquire(8, MessageType.ACK, false)).raw((byte)'"');
        for (int i = 0; i < 10_000; i++)
        {
            writer.raw((byte)'x');
        }
        final Frame frame = writer.raw((byte)'"').seal();
        assertEquals(10_002, frame.payloadLength());
        assertEquals("x".repeat(10_000), Json.parse(text(frame)));
        frame.release();
    }

    @Test
    void shouldWriteLowerCaseUuidAndBooleans()
    {
        final Frame frame = writer.wrap(pool.acquire(64, MessageType.ACK, false)).raw((byte)'[')
            .uuid(0x0B7D1E3C6A8E4A55L, 0x9D3E3F1C2A9B7E10L).raw((byte)',').bool(true).raw((byte)',')
            .bool(false).raw((byte)',').nullValue().raw((byte)']').seal();
        assertEquals("[\"0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10\",true,false,null]", text(frame));
        frame.release();
    }
}
