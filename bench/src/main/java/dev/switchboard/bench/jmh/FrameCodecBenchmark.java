package dev.switchboard.bench.jmh;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.net.ws.AssemblyBufferPool;
import dev.switchboard.net.ws.FrameDecoder;
import dev.switchboard.net.ws.FrameEncoder;
import dev.switchboard.net.ws.FrameHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 codec cost per frame: decoding a masked client text frame (unmask, UTF-8 check, delivery) and
 * encoding a server text frame, by the agent ({@link FrameEncoder}) and by the engine ({@link Frame#sealText}).
 * <p>
 * The decoder unmasks in place, so every decode first copies fresh masked bytes into the source array;
 * {@link #copyMaskedFrameBaseline()} measures that copy alone so it can be subtracted, and
 * {@link #naiveByteUnmaskBaseline()} shows a byte-at-a-time unmask of the same frame for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameCodecBenchmark
{
    private static final String JSON_SAMPLE =
        "{\"type\":\"ice_candidate\",\"msgId\":\"0b7d1e3c-6a8e-4a55-9d3e-3f1c2a9b7e10\",\"roomId\":\"room-42\"," +
        "\"seq\":17,\"to\":\"u-7Qx2\",\"payload\":{\"candidate\":" +
        "\"candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host\"}}";

    /** Text payload size in bytes, at the header-length edges and a typical SDP-sized message. */
    @Param({"16", "125", "1024", "16384"})
    public int payloadBytes;

    private byte[] maskedFrame;
    private byte[] source;
    private byte[] payload;
    private byte[] encoded;
    private int frameLength;
    private int mask;
    private int headerLength;
    private FrameDecoder decoder;
    private Frame engineFrame;
    private final LengthHandler handler = new LengthHandler();

    /** Records only what it needs to keep the decoder's work observable. */
    static final class LengthHandler implements FrameHandler
    {
        int textLength;
        int lastByte;

        @Override
        public void onText(final byte[] buffer, final int offset, final int length)
        {
            textLength = length;
            lastByte = 0 == length ? 0 : buffer[offset + length - 1];
        }

        @Override
        public void onMessageTooLarge()
        {
            textLength = -1;
        }

        @Override
        public void onPing(final byte[] buffer, final int offset, final int length)
        {
        }

        @Override
        public void onPong(final byte[] buffer, final int offset, final int length)
        {
        }

        @Override
        public void onClose(final int code, final byte[] buffer, final int reasonOffset, final int reasonLength)
        {
        }

        @Override
        public void onProtocolError(final int closeCode)
        {
            throw new IllegalStateException("benchmark frame rejected with " + closeCode);
        }
    }

    /**
     * Build the payload, its masked client frame and the decoder.
     */
    @Setup
    public void setup()
    {
        final byte[] sample = JSON_SAMPLE.getBytes(StandardCharsets.UTF_8);
        payload = new byte[payloadBytes];
        for (int i = 0; i < payloadBytes; i++)
        {
            payload[i] = sample[i % sample.length];
        }

        final byte[] unmasked = new byte[FrameEncoder.MAX_HEADER_LENGTH + payloadBytes];
        FrameEncoder.encodeText(unmasked, 0, payload, 0, payloadBytes);
        headerLength = FrameEncoder.headerLength(payloadBytes);
        mask = 0x3D21FA37;
        frameLength = headerLength + 4 + payloadBytes;
        maskedFrame = new byte[frameLength];
        System.arraycopy(unmasked, 0, maskedFrame, 0, headerLength);
        maskedFrame[1] |= (byte)0x80;
        for (int i = 0; i < 4; i++)
        {
            maskedFrame[headerLength + i] = (byte)(mask >>> (24 - 8 * i));
        }
        for (int i = 0; i < payloadBytes; i++)
        {
            maskedFrame[headerLength + 4 + i] = (byte)(payload[i] ^ (mask >>> (24 - 8 * (i & 3))));
        }

        source = new byte[frameLength];
        encoded = new byte[FrameEncoder.MAX_HEADER_LENGTH + payloadBytes];
        decoder = new FrameDecoder(65536, 1 << 20, new AssemblyBufferPool(65536, 4));

        engineFrame = new FramePool(16, null).acquire(payloadBytes, MessageType.UNKNOWN, false);
        engineFrame.ensurePayloadCapacity(payloadBytes);
        System.arraycopy(payload, 0, engineFrame.buffer(), Frame.PAYLOAD_OFFSET, payloadBytes);

        System.arraycopy(maskedFrame, 0, source, 0, frameLength);
        decoder.decode(source, 0, frameLength, handler);
        if (handler.textLength != payloadBytes)
        {
            throw new IllegalStateException("decoder did not deliver the benchmark frame");
        }
    }

    /**
     * Copy the masked frame into the source array: the part of {@link #decodeMaskedTextFrame()} that is not
     * decoding.
     *
     * @return a byte of the copy.
     */
    @Benchmark
    public byte copyMaskedFrameBaseline()
    {
        System.arraycopy(maskedFrame, 0, source, 0, frameLength);
        return source[frameLength - 1];
    }

    /**
     * Copy the masked frame, then unmask it one byte at a time: the naive loop the decoder's eight-byte unmask
     * replaces.
     *
     * @return a byte of the unmasked payload.
     */
    @Benchmark
    public byte naiveByteUnmaskBaseline()
    {
        final byte[] src = source;
        System.arraycopy(maskedFrame, 0, src, 0, frameLength);
        final int start = headerLength + 4;
        final int mask = this.mask;
        for (int i = 0; i < payloadBytes; i++)
        {
            src[start + i] ^= (byte)(mask >>> (24 - 8 * (i & 3)));
        }
        return src[frameLength - 1];
    }

    /**
     * Copy the masked frame, then decode it: header, in-place unmask, UTF-8 validation and zero-copy delivery.
     *
     * @return the delivered length.
     */
    @Benchmark
    public int decodeMaskedTextFrame()
    {
        System.arraycopy(maskedFrame, 0, source, 0, frameLength);
        decoder.decode(source, 0, frameLength, handler);
        return handler.textLength + handler.lastByte;
    }

    /**
     * Copy the masked frame, then decode it fed in two reads split in the middle of the payload: the reassembly
     * path, whose pooled buffer is taken for the bytes of the first read and grown (traded for a bigger pooled
     * one) when the second arrives; allocation-free in steady state.
     *
     * @return the delivered length.
     */
    @Benchmark
    public int decodeFrameSplitAcrossReads()
    {
        System.arraycopy(maskedFrame, 0, source, 0, frameLength);
        final int split = headerLength + 4 + payloadBytes / 2;
        decoder.decode(source, 0, split, handler);
        decoder.decode(source, split, frameLength - split, handler);
        return handler.textLength + handler.lastByte;
    }

    /**
     * Encode a server text frame (header and payload copy).
     *
     * @return bytes written.
     */
    @Benchmark
    public int encodeTextFrame()
    {
        return FrameEncoder.encodeText(encoded, 0, payload, 0, payloadBytes);
    }

    /**
     * Seal an engine frame: {@link Frame#sealText(int)} writes the header in front of a payload already in
     * place, through the same header writer as {@link FrameEncoder}.
     *
     * @return the frame's first byte offset.
     */
    @Benchmark
    public int sealEngineTextFrame()
    {
        return engineFrame.sealText(payloadBytes).offset();
    }
}
