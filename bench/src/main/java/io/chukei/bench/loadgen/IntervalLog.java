package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * {@code latency.hlog}: one interval histogram per second per series, tagged {@code accepted}
 * and {@code answer}, in HdrHistogram's log format (values in microseconds), readable by
 * HistogramLogProcessor, HdrHistogram's online plotter and other log tools. The
 * {@code Interval_Max} column is in milliseconds (the writer's default would assume nanoseconds).
 */
final class IntervalLog implements AutoCloseable
{
    static final String ACCEPTED_TAG = "accepted";
    static final String ANSWER_TAG = "answer";

    private static final double MICROS_PER_MILLI = 1000.0;

    private final HistogramLogWriter writer;
    private final long baseEpochMs;

    IntervalLog(final Path file, final long startEpochMs) throws FileNotFoundException
    {
        this.writer = new HistogramLogWriter(file.toFile());
        this.baseEpochMs = startEpochMs;
        writer.outputComment("chukei loadgen: latency from intended start, microseconds; tags accepted and answer");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startEpochMs);
        writer.setBaseTime(startEpochMs);
        writer.outputBaseTime(startEpochMs);
        writer.outputLegend();
    }

    void write(final Histogram accepted, final Histogram answer)
    {
        accepted.setTag(ACCEPTED_TAG);
        output(accepted);
        answer.setTag(ANSWER_TAG);
        output(answer);
    }

    private void output(final Histogram interval)
    {
        writer.outputIntervalHistogram((interval.getStartTimeStamp() - baseEpochMs) / 1000.0,
            (interval.getEndTimeStamp() - baseEpochMs) / 1000.0, interval, MICROS_PER_MILLI);
    }

    @Override
    public void close()
    {
        writer.close();
    }
}
