package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * {@code latency.hlog}: one interval histogram per second per series, tagged {@code accepted}
 * and {@code answer}, in HdrHistogram's log format (values in microseconds), readable by
 * HistogramLogProcessor, HdrHistogram's online plotter and other log tools.
 */
final class IntervalLog implements AutoCloseable
{
    static final String ACCEPTED_TAG = "accepted";
    static final String ANSWER_TAG = "answer";

    private final HistogramLogWriter writer;

    IntervalLog(final Path file, final long startEpochMs) throws FileNotFoundException
    {
        this.writer = new HistogramLogWriter(file.toFile());
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
        writer.outputIntervalHistogram(accepted);
        answer.setTag(ANSWER_TAG);
        writer.outputIntervalHistogram(answer);
    }

    @Override
    public void close()
    {
        writer.close();
    }
}
