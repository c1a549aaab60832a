package dev.switchboard.bench.jmh;

import dev.switchboard.net.http.AllowedOrigins;
import dev.switchboard.net.http.Handshake;
import dev.switchboard.net.http.HttpRequestParser;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket upgrade path of the IoAgent: parse a request head, validate the handshake and write the 101 response,
 * against a naive String and HashMap baseline doing the same work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class HttpHeadBenchmark
{
    private static final String MINIMAL_HEAD =
        "GET /ws HTTP/1.1\r\n" +
        "Host: localhost:8080\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    private static final String BROWSER_HEAD =
        "GET /ws?authToken=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTdReDIiLCJleHAiOjE3NjQxNjAwMDB9.c2lnbmF0dXJl " +
        "HTTP/1.1\r\n" +
        "Host: signal.example.com\r\n" +
        "Connection: Upgrade\r\n" +
        "Pragma: no-cache\r\n" +
        "Cache-Control: no-cache\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/131.0.0.0 Safari/537.36\r\n" +
        "Upgrade: websocket\r\n" +
        "Origin: https://app.example.com\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Accept-Language: en-US,en;q=0.9\r\n" +
        "Cookie: theme=dark; consent=1\r\n" +
        "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
        "\r\n";

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Which request head to run: six fields, or a Chrome upgrade with a token, cookies and fourteen fields. */
    @Param({"minimal", "browser"})
    public String head;

    private byte[] request;
    private final byte[] response = new byte[512];
    private final HttpRequestParser parser = new HttpRequestParser();
    private final Handshake handshake = new Handshake();
    private final AllowedOrigins origins = AllowedOrigins.parse("https://app.example.com,http://localhost:8080");

    /** Pick the head. */
    @Setup
    public void setUp()
    {
        request = ("minimal".equals(head) ? MINIMAL_HEAD : BROWSER_HEAD).getBytes(StandardCharsets.US_ASCII);
        if (upgrade() <= 0 || naiveUpgrade() <= 0)
        {
            throw new IllegalStateException("benchmark head does not upgrade");
        }
    }

    /**
     * Parse, validate and write the 101 response with the flyweight parser.
     *
     * @return bytes written, so the work is not dead.
     */
    @Benchmark
    public int upgrade()
    {
        final int headLength = parser.parse(request, 0, request.length);
        if (headLength <= 0 || 0 != handshake.validate(parser, origins))
        {
            return -1;
        }
        return handshake.writeAccept(parser, response, 0);
    }

    /**
     * Parse only, the part that runs again for each partial read of a head.
     *
     * @return the head length.
     */
    @Benchmark
    public int parseOnly()
    {
        return parser.parse(request, 0, request.length);
    }

    /**
     * The naive way: decode to a String, split lines, lower-case names into a HashMap, JDK Base64 and a new digest.
     *
     * @return bytes of the response.
     */
    @Benchmark
    public int naiveUpgrade()
    {
        final String text = new String(request, StandardCharsets.ISO_8859_1);
        final int end = text.indexOf("\r\n\r\n");
        if (end < 0)
        {
            return -1;
        }
        final String[] lines = text.substring(0, end).split("\r\n");
        final String[] requestLine = lines[0].split(" ");
        final Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            final String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            fields.put(name, lines[i].substring(colon + 1).trim());
        }
        final String key = fields.get("sec-websocket-key");
        final String origin = fields.get("origin");
        if (!"GET".equals(requestLine[0]) ||
            !"websocket".equalsIgnoreCase(fields.get("upgrade")) ||
            !fields.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("upgrade") ||
            !"13".equals(fields.get("sec-websocket-version")) ||
            null == key || 16 != Base64.getDecoder().decode(key).length ||
            (null != origin && !origin.equalsIgnoreCase("https://app.example.com") &&
                !origin.equalsIgnoreCase("http://localhost:8080")))
        {
            return -1;
        }
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            final String accept = Base64.getEncoder().encodeToString(digest);
            final String reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
            return reply.getBytes(StandardCharsets.US_ASCII).length;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
