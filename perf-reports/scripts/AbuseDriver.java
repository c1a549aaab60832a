import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attack of issue #13's table against a running server, next to a victim room of normal traffic.
 * <p>
 * Run with the JDK's single-file launcher (no build, no dependency):
 * {@code java perf-reports/scripts/AbuseDriver.java --port 8080 --pid 1234 --attack row2 --seconds 10}.
 * The victim joins room {@code victim} and sends a {@code ping} message every 20 ms, timing each {@code pong}
 * (open loop: the send time is the intended time). It measures {@code --seconds} quiet, then runs the attack for
 * {@code --seconds} while measuring again, and prints one line:
 * {@code RESULT attack=.. quietP50Ms=.. quietP99Ms=.. attackP99Ms=.. ratio=.. rssBeforeMb=.. rssAfterMb=.. outcome=..}.
 * Every loop is bounded in count and time; traffic goes only to 127.0.0.1.
 */
public final class AbuseDriver
{
    private static int port;
    private static long pid;
    private static int seconds;

    public static void main(final String[] args) throws Exception
    {
        String attack = null;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--pid" -> pid = Long.parseLong(args[i + 1]);
                case "--attack" -> attack = args[i + 1];
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (null == attack || 0 == port || 0 == pid || seconds <= 0)
        {
            System.err.println("usage: AbuseDriver --port P --pid SERVER_PID --attack row1..row9 --seconds S");
            System.exit(2);
        }
        final Victim victim = new Victim();
        victim.start();
        progress("quiet window " + seconds + " s");
        Thread.sleep(1_000); // warm-up, not recorded
        victim.record(true);
        Thread.sleep(seconds * 1000L);
        victim.record(false);
        final long[] quiet = victim.take();
        final long rssBeforeKb = rssKb();
        progress("attack " + attack + " for " + seconds + " s");
        victim.record(true);
        final String outcome = runAttack(attack);
        victim.record(false);
        final long[] during = victim.take();
        final long rssAfterKb = rssKb();
        victim.stop();
        final double quietP99 = percentileMs(quiet, 0.99);
        final double attackP99 = percentileMs(during, 0.99);
        System.out.println(String.format(Locale.ROOT,
            "RESULT attack=%s quietSamples=%d quietP50Ms=%.2f quietP99Ms=%.2f attackSamples=%d attackP50Ms=%.2f " +
            "attackP99Ms=%.2f ratio=%.2f rssBeforeMb=%.1f rssAfterMb=%.1f rssGrowthMb=%.1f outcome=%s",
            attack, quiet.length, percentileMs(quiet, 0.50), quietP99, during.length, percentileMs(during, 0.50),
            attackP99, attackP99 / Math.max(0.001, quietP99), rssBeforeKb / 1024.0, rssAfterKb / 1024.0,
            (rssAfterKb - rssBeforeKb) / 1024.0, outcome.replace(' ', '_')));
    }

    private static String runAttack(final String attack) throws Exception
    {
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return switch (attack)
        {
            case "row1" -> gameStatePatches(endNs);
            case "row2" -> pingFlood(endNs);
            case "row3" -> pipelinedRequests(endNs);
            case "row4" -> stalledFragments(endNs);
            case "row5" -> oneByteEveryTwoSeconds(endNs);
            case "row6" -> fdExhaustion(endNs);
            case "row7" -> slowConsumerResumes(endNs);
            case "row9" -> obsFold(endNs);
            default -> throw new IllegalArgumentException("unknown attack " + attack);
        };
    }

    // ---------------------------------------------------------------- attacks

    /** Row 1: four game_state patches of 5,000 keys, then one overwriting 5,000 existing keys. */
    private static String gameStatePatches(final long endNs) throws Exception
    {
        try (Client host = Client.upgraded(0))
        {
            host.send("join", "attack", "{\"role\":\"host\"}");
            host.untilType("joined", endNs);
            final Thread drain = host.drainInBackground();
            int errors = 0;
            for (int patch = 0; patch < 5; patch++)
            {
                final StringBuilder keys = new StringBuilder();
                final int base = patch < 4 ? patch * 5_000 : 0;
                for (int k = 0; k < 5_000; k++)
                {
                    keys.append(k > 0 ? "," : "").append("\"k").append(base + k).append("\":").append(patch);
                }
                host.send("game_state", "attack", "{\"version\":" + (patch + 1) + ",\"patch\":{" + keys + "}}");
            }
            sleepUntil(endNs);
            drain.interrupt();
            errors = host.errorsSeen;
            return "5_patches_sent_errors_seen=" + errors;
        }
    }

    /** Row 2: WebSocket pings as fast as possible from a socket that never reads. */
    private static String pingFlood(final long endNs) throws Exception
    {
        try (Client attacker = Client.upgraded(4096))
        {
            final byte[] ping = Client.frame(true, 9, "12345678".getBytes(StandardCharsets.US_ASCII));
            final byte[] burst = new byte[ping.length * 4096];
            for (int i = 0; i < 4096; i++)
            {
                System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
            }
            final long sent = writeUntil(attacker, burst, endNs);
            return "ping_bytes_sent=" + sent + "_(socket_write_blocked_when_the_server_paused_reading)";
        }
    }

    /** Row 3: 4,260 pipelined GET /healthz on one connection that does not read. */
    private static String pipelinedRequests(final long endNs) throws Exception
    {
        try (Client attacker = Client.tcp(4096))
        {
            final byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 4_260; i++)
            {
                all.writeBytes(request);
            }
            final long sent = writeUntil(attacker, all.toByteArray(), endNs, true);
            // Now read: every request accepted must be answered.
            attacker.socket.setSoTimeout(10_000);
            final int answered = countOccurrences(attacker.socket.getInputStream(), "HTTP/1.1 200", 4_260,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            return "request_bytes_sent=" + sent + "_answered=" + answered + "/4260";
        }
    }

    /** Row 4: 300 sockets each sending a 1-byte non-final fragment, then silence; plus 3,000 empty continuations. */
    private static String stalledFragments(final long endNs) throws Exception
    {
        final List<Client> clients = new ArrayList<>();
        int closed1008 = 0;
        int refused = 0;
        try
        {
            final byte[] fragment = Client.frame(false, 1, new byte[] {'{'});
            for (int i = 0; i < 300 && System.nanoTime() < endNs; i++)
            {
                try
                {
                    final Client client = Client.upgraded(0);
                    client.write(fragment);
                    clients.add(client);
                }
                catch (final IOException ex)
                {
                    refused++;
                }
            }
            int continuationClose = -2;
            try (Client client = Client.upgraded(0))
            {
                final ByteArrayOutputStream frames = new ByteArrayOutputStream();
                frames.writeBytes(Client.frame(false, 1, new byte[] {'{'}));
                for (int i = 0; i < 3_000; i++)
                {
                    frames.writeBytes(Client.frame(false, 0, new byte[0]));
                }
                try
                {
                    client.write(frames.toByteArray());
                }
                catch (final IOException ignore)
                {
                    // closed while writing
                }
                client.socket.setSoTimeout(5_000);
                continuationClose = client.readUntilClose(endNs);
            }
            sleepUntil(endNs);
            for (final Client client : clients)
            {
                client.socket.setSoTimeout(200);
                closed1008 += 1008 == client.readUntilClose(System.nanoTime() + 200_000_000L) ? 1 : 0;
            }
            return "stalled=" + clients.size() + "_refused=" + refused + "_closed_1008_by_end=" + closed1008 +
                "_3000_empty_continuations_close=" + continuationClose;
        }
        finally
        {
            for (final Client client : clients)
            {
                client.close();
            }
        }
    }

    /** Row 5: one byte of a frame every 2 s. */
    private static String oneByteEveryTwoSeconds(final long endNs) throws Exception
    {
        try (Client attacker = Client.upgraded(0))
        {
            final byte[] frame = Client.frame(true, 1, "{\"type\":\"ping\",\"ts\":1}".getBytes(StandardCharsets.UTF_8));
            final long startNs = System.nanoTime();
            attacker.socket.setSoTimeout(2_000);
            for (int i = 0; i < frame.length && System.nanoTime() < endNs; i++)
            {
                try
                {
                    attacker.write(new byte[] {frame[i]});
                }
                catch (final IOException ex)
                {
                    break;
                }
                final int code = attacker.readUntilClose(System.nanoTime() + 2_000_000_000L);
                if (-2 != code)
                {
                    final long closedAfterMs = (System.nanoTime() - startNs) / 1_000_000;
                    sleepUntil(endNs);
                    return "closed_" + code + "_seen_after_" + closedAfterMs + "ms";
                }
            }
            sleepUntil(endNs);
            return "still_open_after_" + (System.nanoTime() - startNs) / 1_000_000 + "ms";
        }
    }

    /** Row 6: connect until the server runs out of file descriptors; /healthz on a kept-alive socket meanwhile. */
    private static String fdExhaustion(final long endNs) throws Exception
    {
        final List<Socket> sockets = new ArrayList<>();
        try (Client keepAlive = Client.tcp(0))
        {
            for (int i = 0; i < 2_000 && System.nanoTime() < endNs; i++)
            {
                final Socket socket = new Socket();
                try
                {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    sockets.add(socket);
                }
                catch (final IOException ex)
                {
                    socket.close();
                    break;
                }
            }
            final long healthStartNs = System.nanoTime();
            keepAlive.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            keepAlive.socket.setSoTimeout(5_000);
            final String head = keepAlive.readHttpHead();
            final long healthMs = (System.nanoTime() - healthStartNs) / 1_000_000;
            sleepUntil(endNs);
            return "sockets_opened=" + sockets.size() + "_healthz_on_open_socket=" + head.substring(9, 12) + "_in_" +
                healthMs + "ms";
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
    }

    /** Row 7: a paused reader with a critical backlog over slowConsumerBytes, which then resumes reading. */
    private static String slowConsumerResumes(final long endNs) throws Exception
    {
        try (Client host = Client.upgraded(0); Client slow = Client.upgraded(4096))
        {
            host.send("join", "attack", "{\"role\":\"host\"}");
            host.untilType("joined", endNs);
            slow.send("join", "attack", "{\"role\":\"viewer\"}");
            slow.untilType("joined", endNs);
            final Thread drain = host.drainInBackground();
            final String value = "x".repeat(4_000);
            final long floodEndNs = System.nanoTime() + (endNs - System.nanoTime()) / 2;
            int sent = 0;
            // Flood until the server reports the slow consumer (/metrics renders about once a second), then the
            // reader resumes at once: within the close deadline it must read 4008, not an EOF.
            long nextCheckNs = 0;
            while (System.nanoTime() < floodEndNs)
            {
                host.send("game_event", "attack", "{\"kind\":\"k\",\"value\":\"" + value + "\"}");
                sent++;
                if (0 == sent % 50)
                {
                    Thread.sleep(5);
                }
                if (System.nanoTime() >= nextCheckNs)
                {
                    nextCheckNs = System.nanoTime() + 100_000_000L;
                    if (metric("ws_slow_consumers_total") >= 1)
                    {
                        break;
                    }
                }
            }
            slow.socket.setSoTimeout(5_000);
            final int code = slow.readUntilClose(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            drain.interrupt();
            sleepUntil(endNs);
            return "game_events_sent=" + sent + "_reader_saw_close=" + code;
        }
    }

    /** Row 9: an obs-fold header line on plain HTTP. */
    private static String obsFold(final long endNs) throws Exception
    {
        String status;
        try (Client client = Client.tcp(0))
        {
            client.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.socket.setSoTimeout(5_000);
            status = client.readHttpHead().substring(9, 12);
        }
        sleepUntil(endNs);
        return "status_" + status;
    }

    // ---------------------------------------------------------------- victim

    /** A viewer in room "victim" timing ping to pong every 20 ms. */
    private static final class Victim
    {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean recording = new AtomicBoolean();
        private final List<Long> samples = new ArrayList<>();
        /** Intended send time by ping number (the ts the pong echoes); bounded: 50/s for at most 2 hours. */
        private final long[] sentNs = new long[360_000];
        private Client client;
        private Thread sender;
        private Thread reader;

        void start() throws Exception
        {
            client = Client.upgraded(0);
            client.send("join", "victim", "{\"role\":\"host\"}");
            client.untilType("joined", System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            final Pattern ts = Pattern.compile("\"payload\":\\{\"ts\":(\\d+)");
            reader = new Thread(() ->
            {
                try
                {
                    while (running.get())
                    {
                        final String text = client.nextText();
                        if (null == text)
                        {
                            return;
                        }
                        if (text.startsWith("{\"type\":\"pong\""))
                        {
                            final Matcher m = ts.matcher(text);
                            if (m.find() && recording.get())
                            {
                                final long receivedNs = System.nanoTime();
                                final int n = Integer.parseInt(m.group(1));
                                synchronized (samples)
                                {
                                    samples.add(receivedNs - sentNs[n]);
                                }
                            }
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // closed
                }
            }, "victim-reader");
            sender = new Thread(() ->
            {
                long intendedNs = System.nanoTime();
                try
                {
                    for (int n = 0; running.get() && n < sentNs.length; n++)
                    {
                        synchronized (samples)
                        {
                            sentNs[n] = intendedNs;
                        }
                        client.sendText("{\"type\":\"ping\",\"ts\":" + n + "}");
                        intendedNs += 20_000_000L;
                        final long waitNs = intendedNs - System.nanoTime();
                        if (waitNs > 0)
                        {
                            TimeUnit.NANOSECONDS.sleep(waitNs);
                        }
                    }
                }
                catch (final IOException | InterruptedException ignore)
                {
                    // stopped
                }
            }, "victim-sender");
            reader.setDaemon(true);
            sender.setDaemon(true);
            reader.start();
            sender.start();
        }

        void record(final boolean on)
        {
            recording.set(on);
        }

        long[] take()
        {
            synchronized (samples)
            {
                final long[] out = samples.stream().mapToLong(Long::longValue).toArray();
                samples.clear();
                return out;
            }
        }

        void stop() throws IOException
        {
            running.set(false);
            client.close();
        }
    }

    // ---------------------------------------------------------------- support

    private static double percentileMs(final long[] samplesNs, final double p)
    {
        if (0 == samplesNs.length)
        {
            return Double.NaN;
        }
        final long[] sorted = samplesNs.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int)Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** A sample of /metrics, 0 when absent or unreachable. */
    private static double metric(final String name)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            for (final String line : text.split("\n"))
            {
                if (line.startsWith(name + " "))
                {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
        }
        catch (final IOException | NumberFormatException ignore)
        {
            // not there
        }
        return 0;
    }

    private static long rssKb() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void progress(final String text)
    {
        System.out.println("... " + text);
    }

    private static void sleepUntil(final long endNs) throws InterruptedException
    {
        final long waitNs = endNs - System.nanoTime();
        if (waitNs > 0)
        {
            TimeUnit.NANOSECONDS.sleep(waitNs);
        }
    }

    private static long writeUntil(final Client client, final byte[] bytes, final long endNs) throws Exception
    {
        return writeUntil(client, bytes, endNs, false);
    }

    /** Write the bytes (again and again unless once) on a thread until the deadline; a blocked write is backpressure. */
    private static long writeUntil(final Client client, final byte[] bytes, final long endNs, final boolean once)
        throws Exception
    {
        final long[] sent = new long[1];
        final Thread writer = new Thread(() ->
        {
            try
            {
                final OutputStream out = client.socket.getOutputStream();
                do
                {
                    out.write(bytes);
                    synchronized (sent)
                    {
                        sent[0] += bytes.length;
                    }
                }
                while (!once && System.nanoTime() < endNs);
            }
            catch (final IOException ignore)
            {
                // closed
            }
        }, "attack-writer");
        writer.setDaemon(true);
        writer.start();
        sleepUntil(endNs);
        synchronized (sent)
        {
            return sent[0];
        }
    }

    private static int countOccurrences(final InputStream in, final String text, final int max, final long endNs)
    {
        final byte[] pattern = text.getBytes(StandardCharsets.US_ASCII);
        final byte[] buffer = new byte[64 * 1024];
        int found = 0;
        int matched = 0;
        try
        {
            while (found < max && System.nanoTime() < endNs)
            {
                final int n = in.read(buffer);
                if (n < 0)
                {
                    break;
                }
                for (int i = 0; i < n; i++)
                {
                    matched = buffer[i] == pattern[matched] ? matched + 1 : (buffer[i] == pattern[0] ? 1 : 0);
                    if (matched == pattern.length)
                    {
                        found++;
                        matched = 0;
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // timeout or close: report what was found
        }
        return found;
    }

    /** A raw client: masked frames with the zero key, frame reads, HTTP heads. */
    private static final class Client implements AutoCloseable
    {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        volatile int errorsSeen;
        private int seq;

        private Client(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Client tcp(final int receiveBufferBytes) throws IOException
        {
            final Socket socket = new Socket();
            if (receiveBufferBytes > 0)
            {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            return new Client(socket);
        }

        static Client upgraded(final int receiveBufferBytes) throws IOException
        {
            final Client client = tcp(receiveBufferBytes);
            client.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final String head = client.readHttpHead();
            if (!head.startsWith("HTTP/1.1 101"))
            {
                client.close();
                throw new IOException("upgrade refused: " + head.substring(0, Math.min(40, head.length())));
            }
            return client;
        }

        static byte[] frame(final boolean fin, final int opcode, final byte[] payload)
        {
            final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126)
            {
                frame.write(0x80 | payload.length);
            }
            else
            {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            }
            frame.writeBytes(new byte[4]);
            frame.writeBytes(payload);
            return frame.toByteArray();
        }

        void write(final byte[] bytes) throws IOException
        {
            synchronized (out)
            {
                out.write(bytes);
                out.flush();
            }
        }

        void sendText(final String text) throws IOException
        {
            write(frame(true, 1, text.getBytes(StandardCharsets.UTF_8)));
        }

        void send(final String type, final String room, final String payload) throws IOException
        {
            sendText("{\"type\":\"" + type + "\",\"msgId\":\"" + UUID.randomUUID() + "\",\"roomId\":\"" + room +
                "\",\"seq\":" + ++seq + ",\"payload\":" + payload + "}");
        }

        String readHttpHead() throws IOException
        {
            final ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4)
            {
                final int b = in.read();
                if (b < 0)
                {
                    throw new IOException("EOF in HTTP head");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        /** The next text message, or null at a close frame or EOF. */
        String nextText() throws IOException
        {
            while (true)
            {
                final int first = in.read();
                if (first < 0)
                {
                    return null;
                }
                int length = in.readUnsignedByte() & 0x7F;
                if (126 == length)
                {
                    length = in.readUnsignedShort();
                }
                else if (127 == length)
                {
                    length = (int)in.readLong();
                }
                final byte[] payload = new byte[length];
                in.readFully(payload);
                final int opcode = first & 0x0F;
                if (8 == opcode)
                {
                    lastClose = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    return null;
                }
                if (1 == opcode)
                {
                    return new String(payload, StandardCharsets.UTF_8);
                }
            }
        }

        int lastClose = -1;

        void untilType(final String type, final long endNs) throws IOException
        {
            while (System.nanoTime() < endNs + TimeUnit.SECONDS.toNanos(10))
            {
                final String text = nextText();
                if (null == text)
                {
                    throw new IOException("closed before " + type);
                }
                if (text.startsWith("{\"type\":\"" + type + "\""))
                {
                    return;
                }
            }
            throw new IOException("no " + type);
        }

        /** The close code seen before the deadline: -1 at EOF without one, -2 when nothing ended the socket. */
        int readUntilClose(final long endNs)
        {
            try
            {
                while (System.nanoTime() < endNs)
                {
                    final String text = nextText();
                    if (null == text)
                    {
                        return lastClose;
                    }
                }
                return -2;
            }
            catch (final java.net.SocketTimeoutException ex)
            {
                return -2;
            }
            catch (final IOException ex)
            {
                return lastClose;
            }
        }

        Thread drainInBackground()
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    String text;
                    while (null != (text = nextText()))
                    {
                        if (text.startsWith("{\"type\":\"error\""))
                        {
                            errorsSeen++;
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // closed
                }
            }, "drain");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
