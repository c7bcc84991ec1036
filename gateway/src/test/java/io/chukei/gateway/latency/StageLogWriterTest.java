package io.chukei.gateway.latency;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Interval logs: HdrHistogram's reader gets every stage back, files rotate by period and stay within their bounds. */
class StageLogWriterTest
{
    private static final long START = Instant.parse("2026-12-04T10:59:55Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final AtomicLong now = new AtomicLong(START);

    @Test
    void hdrHistogramsOwnReaderGetsOneTaggedIntervalPerStageWithItsValuesAndAbsoluteTimes() throws IOException
    {
        final StageHistograms stages = stages(config(60, 24, 256));
        final StageLogWriter writer = writer(stages, config(60, 24, 256));
        stages.record(Stage.UPSTREAM, 1_500_000);
        stages.record(Stage.UPSTREAM, 2_500_000);
        stages.record(Stage.VALIDATE, 4_000);
        now.addAndGet(5_000);

        writer.writeInterval();

        final List<Histogram> read = readAll(onlyLog());
        assertThat(read).extracting(EncodableHistogram::getTag)
            .containsExactly("validate", "journal_append", "journal_durable", "accepted", "queued", "upstream", "answer",
                "end_to_end");
        final Histogram upstream = read.get(Stage.UPSTREAM.ordinal());
        assertThat(upstream.getTotalCount()).isEqualTo(2);
        assertThat(upstream.getMaxValue()).isBetween(2_475_000L, 2_525_000L);
        assertThat(upstream.getStartTimeStamp()).isEqualTo(START);
        assertThat(upstream.getEndTimeStamp()).isEqualTo(START + 5_000);
        assertThat(read.get(Stage.VALIDATE.ordinal()).getTotalCount()).isEqualTo(1);
        assertThat(read.get(Stage.ANSWER.ordinal()).getTotalCount()).isZero();
    }

    @Test
    void anIntervalStartingInANewPeriodGoesToANewFile() throws IOException
    {
        final StageHistograms stages = stages(config(60, 24, 256));
        final StageLogWriter writer = writer(stages, config(60, 24, 256));
        stages.record(Stage.END_TO_END, 1_000);
        now.addAndGet(5_000);
        writer.writeInterval();
        stages.record(Stage.END_TO_END, 2_000);
        stages.record(Stage.END_TO_END, 3_000);
        now.addAndGet(5_000);
        writer.writeInterval();

        assertThat(StageLogFiles.list(logs())).extracting(p -> p.getFileName().toString())
            .containsExactly("stages-20261204T1000Z.hlog", "stages-20261204T1100Z.hlog");
        assertThat(StageLogReader.sum(dataDir, START, START + 10_000, Stage.END_TO_END).get(Stage.END_TO_END).histogram()
            .getTotalCount()).isEqualTo(3);
    }

    @Test
    void filesOlderThanTheRetentionAreDeletedButNeverTheOneBeingWritten() throws IOException
    {
        final StageHistograms stages = stages(config(60, 1, 256));
        final StageLogWriter writer = writer(stages, config(60, 1, 256));
        final Path old = oldLog("stages-20261204T0800Z.hlog", 10, TimeUnit.HOURS.toMillis(2));
        final Path recent = oldLog("stages-20261204T1000Z.hlog", 10, TimeUnit.MINUTES.toMillis(30));

        now.addAndGet(5_000);
        writer.writeInterval();

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void pastTheSizeBoundTheOldestFilesGoFirst() throws IOException
    {
        final StageHistograms stages = stages(config(60, 24, 1));
        final StageLogWriter writer = writer(stages, config(60, 24, 1));
        final Path oldest = oldLog("stages-20261204T0700Z.hlog", 600_000, TimeUnit.HOURS.toMillis(3));
        final Path older = oldLog("stages-20261204T0800Z.hlog", 600_000, TimeUnit.HOURS.toMillis(2));

        now.addAndGet(5_000);
        writer.writeInterval();

        assertThat(oldest).doesNotExist();
        assertThat(older).exists();
        assertThat(StageLogFiles.list(logs())).hasSize(2);
    }

    @Test
    void recentGivesEachIntervalsPercentilesAndTheWindowsAltogether()
    {
        final StageHistograms stages = stages(config(60, 24, 256));
        final StageLogWriter writer = writer(stages, config(60, 24, 256));
        stages.record(Stage.QUEUED, 1_000_000);
        now.addAndGet(5_000);
        writer.writeInterval();
        stages.record(Stage.QUEUED, 3_000_000);
        stages.record(Stage.QUEUED, 3_000_000);
        now.addAndGet(5_000);
        writer.writeInterval();

        final StageLatency queued = stages.recent(java.time.Duration.ofMinutes(1)).get(Stage.QUEUED.ordinal());
        assertThat(queued.stage()).isEqualTo(Stage.QUEUED);
        assertThat(queued.intervals()).extracting(i -> i.percentiles().count()).containsExactly(1L, 2L);
        assertThat(queued.intervals().get(1).startEpochMs()).isEqualTo(START + 5_000);
        assertThat(queued.window().count()).isEqualTo(3);
        assertThat(queued.window().p50Nanos()).isBetween(2_970_000L, 3_030_000L);
        assertThat(stages.recent(java.time.Duration.ofSeconds(5)).get(Stage.QUEUED.ordinal()).window().count())
            .as("only the newest interval").isEqualTo(2);
    }

    @Test
    void switchedOffNothingIsRecordedOrExported()
    {
        final StageHistograms stages = new StageHistograms(new StageLogConfig(false, 5000, 60, 24, 256, 15));

        stages.record(Stage.END_TO_END, 1_000);

        assertThat(stages.totals(new long[] {1_000_000})).isEmpty();
        assertThat(stages.recent(java.time.Duration.ofMinutes(1))).allSatisfy(s -> assertThat(s.window().count()).isZero());
    }

    private StageLogConfig config(final int rotateMinutes, final int retainHours, final int maxMegabytes)
    {
        return new StageLogConfig(true, 5000, rotateMinutes, retainHours, maxMegabytes, 15);
    }

    private static StageHistograms stages(final StageLogConfig config)
    {
        return new StageHistograms(config);
    }

    private StageLogWriter writer(final StageHistograms stages, final StageLogConfig config)
    {
        return new StageLogWriter(stages, dataDir, 7, config, now::get);
    }

    private Path logs()
    {
        return dataDir.resolve(StageLogWriter.DIRECTORY);
    }

    private Path onlyLog() throws IOException
    {
        final List<Path> files = StageLogFiles.list(logs());
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private Path oldLog(final String name, final int bytes, final long ageMs) throws IOException
    {
        Files.createDirectories(logs());
        final Path file = Files.write(logs().resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(now.get() - ageMs));
        return file;
    }

    private static List<Histogram> readAll(final Path file) throws IOException
    {
        final List<Histogram> read = new ArrayList<>();
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try
        {
            EncodableHistogram next;
            while ((next = reader.nextIntervalHistogram()) != null)
            {
                read.add((Histogram)next);
            }
        }
        finally
        {
            reader.close();
        }
        return read;
    }
}
