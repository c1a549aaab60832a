package dev.switchboard.bench.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends the percentiles of one latency channel per whole minute of traffic (warmup included) to a CSV file, so
 * that long runs (the soak) show how the tail moves over time: {@code minute,count,p50_us,p99_us,p999_us,max_us}.
 * Reporter thread only.
 */
public final class MinuteLatencyLog
{
    /** Header line of the CSV file. */
    public static final String HEADER = "minute,count,p50_us,p99_us,p999_us,max_us\n";

    private static final int SECONDS_PER_MINUTE = 60;

    private final Path file;
    private final Histogram minute =
        new Histogram(1, LatencyChannel.HIGHEST_TRACKABLE_NS, LatencyChannel.SIGNIFICANT_DIGITS);
    private int minuteIndex = 1;

    /**
     * Starts a log, replacing any file of that name.
     *
     * @param file the CSV file; its directory is created when missing.
     */
    public MinuteLatencyLog(final Path file)
    {
        this.file = file;
        try
        {
            if (null != file.getParent())
            {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, HEADER, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Adds one second of the channel and writes a line when a minute is complete.
     *
     * @param second   seconds since traffic started, from 1.
     * @param interval the channel's histogram of that second.
     */
    public void onSecond(final int second, final Histogram interval)
    {
        minute.add(interval);
        if (0 == second % SECONDS_PER_MINUTE)
        {
            flush();
        }
    }

    /**
     * Writes the partial minute, if any, at the end of the run.
     */
    public void finish()
    {
        if (minute.getTotalCount() > 0)
        {
            flush();
        }
    }

    private void flush()
    {
        final String line = String.format(Locale.ROOT, "%d,%d,%.1f,%.1f,%.1f,%.1f%n", minuteIndex,
            minute.getTotalCount(), LoadSummary.micros(minute.getValueAtPercentile(50.0)),
            LoadSummary.micros(minute.getValueAtPercentile(99.0)),
            LoadSummary.micros(minute.getValueAtPercentile(99.9)), LoadSummary.micros(minute.getMaxValue()));
        try
        {
            Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            System.err.println("loadgen: cannot append to " + file + ": " + ex);
        }
        minute.reset();
        minuteIndex++;
    }
}
