package io.chukei.gateway.latency;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every {@code metrics.stages.intervalMs}, on a thread of its own (never an event loop, since it writes files):
 * takes each stage's interval histogram, appends them to the interval log and keeps them for
 * {@link StageHistograms#recent}. A failing disk is logged once per failure run and recording goes on.
 */
public final class StageLogWriter implements AutoCloseable
{
    /** Under the node's data directory. */
    public static final String DIRECTORY = "histograms";

    private static final Logger LOG = LoggerFactory.getLogger(StageLogWriter.class);

    private final StageHistograms stages;
    private final StageLogFiles files;
    private final StageLogConfig config;
    private final LongSupplier epochMs;
    private final Histogram[] intervals = new Histogram[Stage.count()];
    private ScheduledExecutorService thread;
    private long intervalStartMs;
    private boolean failing;
    private boolean closed;

    /**
     * @param dataDir the node's data directory; logs go to {@code dataDir/histograms}
     * @param nodeId  named in each file's first line
     * @param epochMs the wall clock (interval boundaries; injected so tests cross rotations)
     */
    public StageLogWriter(final StageHistograms stages, final Path dataDir, final int nodeId, final StageLogConfig config,
        final LongSupplier epochMs)
    {
        this.stages = stages;
        this.config = config;
        this.epochMs = epochMs;
        this.files = new StageLogFiles(dataDir.resolve(DIRECTORY), config,
            "Chukei node " + nodeId + " per-stage latency, values in nanoseconds, one tag per stage: " + Stage.tags());
        this.intervalStartMs = epochMs.getAsLong();
    }

    /** Starts the periodic writing; does nothing when recording is off. */
    public StageLogWriter start()
    {
        if (!stages.enabled())
        {
            return this;
        }
        thread = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread t = new Thread(task, "chukei-stage-histograms");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(this::writeIntervalSafely, config.intervalMs(), config.intervalMs(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void writeIntervalSafely()
    {
        try
        {
            writeInterval();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("Per-stage latency interval not written", ex);
        }
    }

    /** Ends the current interval now: writes it and keeps it in memory. One thread at a time (the writer's, or a test's). */
    void writeInterval()
    {
        final long endMs = epochMs.getAsLong();
        stages.takeIntervals(intervals);
        for (final Stage stage : Stage.values())
        {
            final Histogram interval = intervals[stage.ordinal()];
            // Our clock, not the recorders': intervals then tile time exactly, and tests control it.
            interval.setStartTimeStamp(intervalStartMs);
            interval.setEndTimeStamp(endMs);
            interval.setTag(stage.tag());
        }
        stages.remember(intervalStartMs, endMs, intervals);
        try
        {
            files.write(intervalStartMs, intervals);
            files.enforceBounds(endMs);
            if (failing)
            {
                LOG.info("Per-stage latency log written again under {}", DIRECTORY);
                failing = false;
            }
        }
        catch (final IOException ex)
        {
            if (!failing)
            {
                LOG.warn("Per-stage latency log not written ({}); recording goes on, intervals are lost until the disk " +
                    "takes them again", ex.toString());
                failing = true;
            }
            files.close();
        }
        intervalStartMs = endMs;
    }

    /** Stops the thread (when started) and writes the last, partial interval; once. */
    @Override
    public void close()
    {
        if (!stages.enabled() || closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (thread != null)
            {
                thread.shutdown();
                if (!thread.awaitTermination(5, TimeUnit.SECONDS))
                {
                    return;
                }
            }
            writeIntervalSafely();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            files.close();
        }
    }
}
