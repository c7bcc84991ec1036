package io.chukei.gateway.latency;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader sums interval logs written at another precision than the node's (before 6 Dec 2026: 3 digits). */
class StageLogReaderTest
{
    private static final long START = Instant.parse("2026-12-04T14:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void aLogWrittenAtThreeDigitsIsSummedWithOneAtTheCurrentPrecision() throws IOException
    {
        final Histogram oldInterval = new Histogram(1, StageHistograms.HIGHEST_NANOS, 3);
        oldInterval.recordValue(2_000_000);
        oldInterval.recordValue(4_000_000);
        final Histogram newInterval = new Histogram(1, StageHistograms.HIGHEST_NANOS, StageHistograms.SIGNIFICANT_DIGITS);
        newInterval.recordValue(8_000_000);
        assertThat(StageHistograms.SIGNIFICANT_DIGITS).as("the two logs differ in precision").isNotEqualTo(3);
        writeLog(START, oldInterval);
        writeLog(START + 60_000, newInterval);

        final Map<Stage, StageLogReader.Sum> sums = StageLogReader.sum(dataDir, START - 1_000, START + 120_000, null);

        final StageLogReader.Sum endToEnd = sums.get(Stage.END_TO_END);
        assertThat(endToEnd.intervals()).isEqualTo(2);
        assertThat(endToEnd.histogram().getTotalCount()).isEqualTo(3);
        assertThat(endToEnd.histogram().getValueAtPercentile(50)).isBetween(3_960_000L, 4_040_000L);
        assertThat(endToEnd.histogram().getMaxValue()).isBetween(7_920_000L, 8_080_000L);
        assertThat(sums).containsOnlyKeys(Stage.END_TO_END);
    }

    private void writeLog(final long startEpochMs, final Histogram interval) throws IOException
    {
        final Path directory = StageLogReader.logDirectory(dataDir);
        Files.createDirectories(directory);
        try (PrintStream out = new PrintStream(Files.newOutputStream(directory.resolve(StageLogFiles.fileName(startEpochMs)))))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputStartTime(startEpochMs);
            writer.setBaseTime(startEpochMs);
            writer.outputLogFormatVersion();
            interval.setTag(Stage.END_TO_END.tag());
            interval.setStartTimeStamp(startEpochMs);
            interval.setEndTimeStamp(startEpochMs + 5_000);
            writer.outputIntervalHistogram(interval);
        }
    }
}
