package io.chukei.gateway.latency;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a node's interval logs back with HdrHistogram's own {@link HistogramLogReader} and adds up, per stage,
 * the intervals that overlap a time window. For {@code chukei histo}; never used by a running node.
 */
public final class StageLogReader
{
    private StageLogReader()
    {
    }

    /** A stage's histogram over the window, and how many intervals went into it. */
    public record Sum(Histogram histogram, int intervals)
    {
    }

    /**
     * Every stage (or only {@code only}, when not null) summed over the intervals of the logs in
     * {@code dataDir/histograms} that overlap [{@code fromEpochMs}, {@code toEpochMs}]; stages without a value
     * in the window are absent. Lines with tags that are not stages are skipped.
     */
    public static Map<Stage, Sum> sum(final Path dataDir, final long fromEpochMs, final long toEpochMs, final Stage only)
        throws IOException
    {
        final Map<Stage, Histogram> sums = new EnumMap<>(Stage.class);
        final Map<Stage, Integer> counts = new EnumMap<>(Stage.class);
        for (final Path file : StageLogFiles.list(logDirectory(dataDir)))
        {
            final HistogramLogReader reader = new HistogramLogReader(file.toFile());
            try
            {
                EncodableHistogram next;
                while ((next = reader.nextIntervalHistogram()) != null)
                {
                    final Stage stage = stageOf(next.getTag());
                    if (stage == null || (only != null && stage != only) || !(next instanceof Histogram interval) ||
                        interval.getEndTimeStamp() < fromEpochMs || interval.getStartTimeStamp() > toEpochMs)
                    {
                        continue;
                    }
                    final Histogram sum = sums.get(stage);
                    if (sum == null)
                    {
                        final Histogram first = new Histogram(1, StageHistograms.HIGHEST_NANOS, StageHistograms.SIGNIFICANT_DIGITS);
                        first.add(interval);
                        sums.put(stage, first);
                    }
                    else
                    {
                        sum.add(interval);
                    }
                    counts.merge(stage, 1, Integer::sum);
                }
            }
            finally
            {
                reader.close();
            }
        }
        final Map<Stage, Sum> result = new EnumMap<>(Stage.class);
        sums.forEach((stage, histogram) -> result.put(stage, new Sum(histogram, counts.get(stage))));
        return result;
    }

    public static Path logDirectory(final Path dataDir)
    {
        return dataDir.resolve(StageLogWriter.DIRECTORY);
    }

    private static Stage stageOf(final String tag)
    {
        if (tag == null)
        {
            return null;
        }
        try
        {
            return Stage.ofTag(tag);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
