package io.chukei.gateway.cli;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageLogReader;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chukei histo}: per-stage latency percentiles of any window, from a node's interval logs (DIR/histograms). */
@Command(name = "histo", mixinStandardHelpOptions = true,
    description = {"Per-stage latency of a relay node over a time window, from its interval logs (DIR/histograms):",
        "a percentile table per stage (ms), and with --out one percentile-distribution file per stage (.hgrm, ms)."})
public final class HistoCommand implements Callable<Integer>
{
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (logs in DIR/histograms).")
    Path data;

    @Option(names = "--from", defaultValue = "-10m", paramLabel = "TIME",
        description = "Window start: an ISO instant (2026-12-04T14:00:00Z; without zone: UTC), or relative to now " +
            "(-30s, -10m, -2h, -1d). Default: ${DEFAULT-VALUE}.")
    String from;

    @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "Window end, as --from, or now. Default: ${DEFAULT-VALUE}.")
    String to;

    @Option(names = "--stage", paramLabel = "NAME", description = "Only this stage: validate, journal_append, journal_durable, " +
        "accepted, queued, upstream, answer, end_to_end.")
    String stage;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write <stage>.hgrm (HdrHistogram percentile distribution, ms) here.")
    Path out;

    /** The wall clock relative times count from; a field so tests can fix it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter err = spec.commandLine().getErr();
        final Path logs = StageLogReader.logDirectory(data);
        if (!Files.isDirectory(logs))
        {
            err.println("histo: no interval logs at " + logs + " (expected: the data directory of a node that ran " +
                "with metrics.stages=on)");
            return JournalCommand.EXIT_NOT_FOUND;
        }
        final Instant start = time("--from", from);
        final Instant end = time("--to", to);
        if (end.isBefore(start))
        {
            throw new IllegalArgumentException("--to: " + end + " (expected: not before --from, " + start + ")");
        }
        final Stage only = stage == null ? null : Stage.ofTag(stage);
        final Map<Stage, StageLogReader.Sum> sums = StageLogReader.sum(data, start.toEpochMilli(), end.toEpochMilli(), only);

        final PrintWriter printed = spec.commandLine().getOut();
        printed.printf("per-stage latency, %s .. %s, ms (%s)%n", start, end, logs);
        printed.printf("%-16s %10s %9s %10s %10s %10s %10s %10s %10s%n",
            "stage", "count", "intervals", "p50", "p90", "p99", "p99.9", "p99.99", "max");
        for (final Stage each : Stage.values())
        {
            if (only != null && each != only)
            {
                continue;
            }
            final StageLogReader.Sum sum = sums.get(each);
            if (sum == null || sum.histogram().getTotalCount() == 0)
            {
                printed.printf("%-16s %10d %9s %10s%n", each.tag(), 0, sum == null ? "0" : Integer.toString(sum.intervals()), "-");
                continue;
            }
            final Histogram h = sum.histogram();
            printed.printf("%-16s %10d %9d %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f%n", each.tag(), h.getTotalCount(),
                sum.intervals(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getValueAtPercentile(99.99)),
                ms(h.getMaxValue()));
            if (out != null)
            {
                printed.println("  wrote " + writeDistribution(each, h));
            }
        }
        printed.flush();
        return sums.isEmpty() ? JournalCommand.EXIT_NOT_FOUND : JournalCommand.EXIT_OK;
    }

    private Path writeDistribution(final Stage each, final Histogram histogram) throws IOException
    {
        Files.createDirectories(out);
        final Path file = out.resolve(each.tag() + ".hgrm");
        try (OutputStream stream = Files.newOutputStream(file);
             PrintStream print = new PrintStream(stream, false, StandardCharsets.US_ASCII))
        {
            histogram.outputPercentileDistribution(print, 5, NANOS_PER_MILLI);
        }
        return file;
    }

    private Instant time(final String option, final String text)
    {
        return CliTimes.parse(option, text, clock);
    }

    private static double ms(final long nanos)
    {
        return nanos / NANOS_PER_MILLI;
    }
}
