package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.protocol.EnvelopeDecoder;
import dev.switchboard.engine.ring.InboundSlot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Envelope decoding cost per message: the reusable {@link EnvelopeDecoder} against a naive baseline that creates a
 * jackson-core parser per message and reads every string as a String; run with {@code -prof gc} to see B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeDecodeBenchmark
{
    private static final String HEAD =
        "\"msgId\":\"0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10\",\"roomId\":\"room-42\",\"seq\":17,\"ts\":1764160000000";

    /** Which representative message to decode. */
    @Param({"join", "webrtc_offer_2k", "ice_candidate", "game_state_5", "game_event_nested"})
    public String message;

    private final EnvelopeDecoder decoder = new EnvelopeDecoder(65536);
    private final InboundSlot slot = new InboundSlot();
    private final JsonFactory factory = new JsonFactory();
    private byte[] bytes;

    /** Build the message bytes for the chosen parameter and check that the decoder accepts them. */
    @Setup
    public void setup()
    {
        bytes = messageBytes(message).getBytes(StandardCharsets.UTF_8);
        decoder.decode(bytes, 0, bytes.length, slot);
        if (ErrorCode.NONE.ordinal() != slot.errorCode)
        {
            throw new IllegalStateException(message + " decodes to " + slot.error());
        }
    }

    static String messageBytes(final String name)
    {
        switch (name)
        {
            case "join":
                return "{\"type\":\"join\"," + HEAD + ",\"payload\":{\"role\":\"viewer\"}}";
            case "webrtc_offer_2k":
                final StringBuilder sdp = new StringBuilder("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\n");
                while (sdp.length() < 2048)
                {
                    sdp.append("a=rtpmap:111 opus/48000/2\\r\\na=fmtp:111 minptime=10;useinbandfec=1\\r\\n");
                }
                return "{\"type\":\"webrtc_offer\"," + HEAD + ",\"to\":\"u-7Qx2\",\"payload\":{\"type\":\"offer\"," +
                    "\"sdp\":\"" + sdp + "\"}}";
            case "ice_candidate":
                return "{\"type\":\"ice_candidate\"," + HEAD + ",\"to\":\"u-7Qx2\",\"payload\":{\"candidate\":" +
                    "\"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 " +
                    "generation 0 ufrag EsAw network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0," +
                    "\"usernameFragment\":\"EsAw\"}}";
            case "game_state_5":
                return "{\"type\":\"game_state\"," + HEAD + ",\"payload\":{\"version\":1234,\"patch\":{" +
                    "\"score\":42,\"turn\":\"p2\",\"board\":[[0,1,0],[1,0,1]],\"timer\":{\"left\":12.5}," +
                    "\"winner\":null}}}";
            case "game_event_nested":
                return "{\"type\":\"game_event\"," + HEAD + ",\"payload\":{\"kind\":\"move\",\"piece\":" +
                    "{\"id\":7,\"from\":{\"x\":1,\"y\":2},\"to\":{\"x\":3,\"y\":4},\"tags\":[\"fast\",{\"combo\":" +
                    "[1,2,3]}]},\"at\":1764160000123}}";
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /**
     * The decoder under test, reusing one parser and one slot.
     *
     * @return the slot's error code, so the work is not eliminated.
     */
    @Benchmark
    public int decoder()
    {
        decoder.decode(bytes, 0, bytes.length, slot);
        return slot.errorCode + slot.payloadLength;
    }

    /**
     * Naive baseline: a new parser per message, every string read as a String, every number read.
     *
     * @param bh sink for the values read.
     * @throws IOException never for these messages.
     */
    @Benchmark
    public void naiveCreateParserPerMessage(final Blackhole bh) throws IOException
    {
        try (JsonParser parser = factory.createParser(bytes, 0, bytes.length))
        {
            JsonToken token;
            while (null != (token = parser.nextToken()))
            {
                if (JsonToken.VALUE_STRING == token)
                {
                    bh.consume(parser.getText());
                }
                else if (JsonToken.VALUE_NUMBER_INT == token)
                {
                    bh.consume(parser.getLongValue());
                }
                else if (JsonToken.FIELD_NAME == token)
                {
                    bh.consume(parser.currentName());
                }
            }
        }
    }
}
