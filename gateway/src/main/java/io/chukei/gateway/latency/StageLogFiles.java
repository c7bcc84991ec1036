package io.chukei.gateway.latency;

import io.chukei.gateway.files.PrivateFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The interval log files under {@code DATA/histograms/}: one {@code stages-<UTC start>.hlog} per rotation period
 * (HdrHistogram's log format, one tag per stage, values in nanoseconds), the oldest deleted once older than the
 * retention or when all together pass the size bound. Used by one thread.
 */
final class StageLogFiles implements Closeable
{
    static final String PREFIX = "stages-";
    static final String SUFFIX = ".hlog";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    /** HistogramLogWriter's max column in milliseconds for nanosecond values. */
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final Path directory;
    private final StageLogConfig config;
    private final String comment;
    private long periodStartMs = Long.MIN_VALUE;
    private Path current;
    private PrintStream out;
    private HistogramLogWriter writer;

    /** {@code comment}: a line written at the top of each new file (what node, what unit). */
    StageLogFiles(final Path directory, final StageLogConfig config, final String comment)
    {
        this.directory = directory;
        this.config = config;
        this.comment = comment;
    }

    /** Appends one interval of every stage to the file of the period {@code startEpochMs} falls in. */
    void write(final long startEpochMs, final Histogram[] intervals) throws IOException
    {
        final long rotateMs = TimeUnit.MINUTES.toMillis(config.rotateMinutes());
        final long period = Math.floorDiv(startEpochMs, rotateMs) * rotateMs;
        if (period != periodStartMs || writer == null)
        {
            open(period);
        }
        for (final Histogram interval : intervals)
        {
            writer.outputIntervalHistogram((interval.getStartTimeStamp() - period) / 1000.0,
                (interval.getEndTimeStamp() - period) / 1000.0, interval, NANOS_PER_MILLI);
        }
        out.flush();
        if (out.checkError())
        {
            throw new IOException("writing " + current + " failed");
        }
    }

    private void open(final long period) throws IOException
    {
        close();
        PrivateFiles.createDirectories(directory);
        final Path file = directory.resolve(fileName(period));
        final boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        PrivateFiles.createFileIfAbsent(file);
        out = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)), false, StandardCharsets.US_ASCII);
        writer = new HistogramLogWriter(out);
        // Interval times are written relative to the period's start; a reader gets them back absolute.
        writer.setBaseTime(period);
        if (fresh)
        {
            writer.outputComment(comment);
            writer.outputLogFormatVersion();
            writer.outputStartTime(period);
            writer.outputBaseTime(period);
            writer.outputLegend();
        }
        current = file;
        periodStartMs = period;
    }

    /** Deletes files (never the one being written) last written before the retention, then the oldest past the size bound. */
    void enforceBounds(final long nowEpochMs) throws IOException
    {
        final long oldestKeptMs = nowEpochMs - TimeUnit.HOURS.toMillis(config.retainHours());
        final List<Path> files = list(directory);
        long total = 0;
        final List<Path> kept = new ArrayList<>();
        for (final Path file : files)
        {
            if (!file.equals(current) && Files.getLastModifiedTime(file).toMillis() < oldestKeptMs)
            {
                Files.deleteIfExists(file);
            }
            else
            {
                kept.add(file);
                total += Files.size(file);
            }
        }
        for (final Path file : kept)
        {
            if (total <= config.maxBytes())
            {
                return;
            }
            if (!file.equals(current))
            {
                total -= Files.size(file);
                Files.deleteIfExists(file);
            }
        }
    }

    static String fileName(final long periodStartEpochMs)
    {
        return PREFIX + NAME_TIME.format(Instant.ofEpochMilli(periodStartEpochMs)) + SUFFIX;
    }

    /** The interval logs in {@code directory}, oldest first (their names sort by time); none when it does not exist. */
    static List<Path> list(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) &&
                p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    @Override
    public void close()
    {
        if (out != null)
        {
            out.close();
            out = null;
            writer = null;
        }
    }
}
