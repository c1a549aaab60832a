package dev.switchboard.net.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a test reads from a server process from outside: HTTP pages, single samples of {@code /metrics}, and the
 * structured events of its log lines.
 * <p>
 * Every request goes through one HTTP/1.1 client, which keeps one idle connection per server and reuses it. A new
 * client per request left its keep-alive connection open until the server's idle timeout (10 s): a condition
 * polled every millisecond held a hundred or more sockets from 127.0.0.1 and a later test's WebSocket was
 * refused by {@code maxConnectionsPerAddress} (256), seen as a reset while reading the handshake response.
 */
final class ProcessProbe
{
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT).build();

    private ProcessProbe()
    {
    }

    static String get(final ServerProcess node, final String path) throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
            .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one series (name with its labels, exactly as exposed), or -1 when absent. */
    static double sample(final ServerProcess node, final String series) throws IOException, InterruptedException
    {
        for (final String line : get(node, "/metrics").split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    /** The structured events (each line's top-level fields) the process logged so far. */
    static List<Map<String, Object>> events(final ServerProcess node)
    {
        return node.events();
    }

    /** Events with the given name. */
    static List<Map<String, Object>> events(final ServerProcess node, final String event)
    {
        return events(node).stream().filter(e -> event.equals(e.get("event"))).toList();
    }
}
