package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run second by second as CSV ({@code timeline.csv} beside the {@code .hgrm} files): one row per progress
 * line, for plotting throughput and latency over time.
 */
public final class TimelineCsv
{
    /** The header row. */
    public static final String HEADER = "second,phase,sockets,joined,sentPerSec,receivedPerSec,p99AllThisSecondUs," +
        "errors,rateLimited,disconnects,connectFailures";

    private final List<String> rows = new ArrayList<>();

    /**
     * Add one second.
     *
     * @param second          seconds since traffic started.
     * @param measuring       false during warmup.
     * @param sockets         open sockets.
     * @param joined          joined sockets.
     * @param sentPerSec      messages sent in this second.
     * @param receivedPerSec  messages received in this second.
     * @param p99Us           delivery p99 over all recipients in this second, in microseconds.
     * @param errors          errors so far.
     * @param rateLimited     rate-limited messages so far.
     * @param disconnects     disconnects so far.
     * @param connectFailures connect failures so far.
     */
    public void add(
        final int second, final boolean measuring, final long sockets, final long joined, final long sentPerSec,
        final long receivedPerSec, final double p99Us, final long errors, final long rateLimited,
        final long disconnects, final long connectFailures)
    {
        rows.add(String.format(Locale.ROOT, "%d,%s,%d,%d,%d,%d,%.1f,%d,%d,%d,%d", second,
            measuring ? "measure" : "warmup", sockets, joined, sentPerSec, receivedPerSec, p99Us, errors, rateLimited,
            disconnects, connectFailures));
    }

    /**
     * The rows so far, header first.
     *
     * @return the CSV lines.
     */
    public List<String> lines()
    {
        final List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(HEADER);
        lines.addAll(rows);
        return lines;
    }

    /**
     * Write the CSV.
     *
     * @param file the file.
     * @throws IOException if it cannot be written.
     */
    public void write(final Path file) throws IOException
    {
        Files.write(file, lines(), StandardCharsets.UTF_8);
    }
}
