package io.chukei.gateway.latency;

import io.netty.util.concurrent.FastThreadLocal;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage request latency in HdrHistograms. Each thread that records (the event loops) gets its own
 * single-writer recorders ({@link ThreadStageRecorders}), so {@link #record} shares nothing with other threads
 * and allocates nothing. Readers {@link #drain} them under one lock into the running interval (taken by
 * {@link StageLogWriter} every {@code metrics.stages.intervalMs}) and the totals since start (read at scrape time
 * as {@code chukei_request_stage_seconds{stage}}, gateway/README.md "Per-stage latency"): no Prometheus work per
 * request. The last {@code metrics.stages.recentMinutes} of intervals stay in memory for {@link #recent}.
 */
public final class StageHistograms
{
    /** Values above are recorded as this (an hour: far past any deadline), so a recorder never resizes or throws. */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    /**
     * 1 % resolution, from 1 ns: the validation stage takes microseconds, card management up to seconds. Not 3 digits:
     * a histogram of 1 ns .. 1 h at 3 digits is ~270 KB, just under G1's humongous size, and the dozens of them a node
     * holds for its whole life (three per stage per recording thread, plus the running interval, totals and the
     * writer's copies) were copied between survivor spaces at every young collection until tenured: 14 MB and 5-10 ms
     * of a pause on Java 25 (bench/README.md, "Where G1's young pauses went"). At 2 digits one is ~37 KB.
     */
    static final int SIGNIFICANT_DIGITS = 2;

    private final boolean enabled;
    private final List<ThreadStageRecorders> threads = new CopyOnWriteArrayList<>();
    /**
     * Weakly: {@link #threads} keeps a thread's recorders as long as this object lives, and a long-lived thread
     * that recorded into many of them (a test JVM's main thread) does not keep ~4 MB per instance after.
     */
    private final FastThreadLocal<WeakReference<ThreadStageRecorders>> ownRecorders = new FastThreadLocal<>()
    {
        @Override
        protected WeakReference<ThreadStageRecorders> initialValue()
        {
            final ThreadStageRecorders recorders = new ThreadStageRecorders();
            threads.add(recorders);
            return new WeakReference<>(recorders);
        }
    };
    /** Drained, not yet taken as an interval; guarded by {@code this}. */
    private final Histogram[] running = new Histogram[Stage.count()];
    /** Everything drained since start; guarded by {@code this}. */
    private final Histogram[] totals = new Histogram[Stage.count()];
    private final RecentIntervals recent;

    /** @param config on/off, interval and how much stays in memory */
    public StageHistograms(final StageLogConfig config)
    {
        this.enabled = config.enabled();
        this.recent = new RecentIntervals(
            Math.max(1, (int)(TimeUnit.MINUTES.toMillis(config.recentMinutes()) / config.intervalMs())), config.intervalMs());
        if (enabled)
        {
            for (int i = 0; i < running.length; i++)
            {
                running[i] = histogram();
                totals[i] = histogram();
            }
        }
    }

    public boolean enabled()
    {
        return enabled;
    }

    /** One request spent {@code nanos} in {@code stage}; negative values (a clock step) count as 0. */
    public void record(final Stage stage, final long nanos)
    {
        if (!enabled)
        {
            return;
        }
        final long value = nanos < 0 ? 0 : Math.min(nanos, HIGHEST_NANOS);
        // Never cleared while this object is reachable: threads holds the referent.
        ownRecorders.get().get().record(stage.ordinal(), value);
    }

    /**
     * What each stage recorded over about the last {@code window} (whole intervals, the newest one ended at most
     * {@code metrics.stages.intervalMs} ago), from memory: one {@link StageLatency} per stage in {@link Stage}
     * order. Windows longer than {@code metrics.stages.recentMinutes} get what is kept. Empty intervals when off.
     * Safe from any thread; it decodes the kept intervals, so call it per page refresh, not per request.
     */
    public List<StageLatency> recent(final Duration window)
    {
        return recent.latest(window);
    }

    /** The recording interval of {@link #recent}'s entries, ms. */
    public long intervalMs()
    {
        return recent.intervalMs();
    }

    /**
     * Each stage's values since start, counted per bucket of {@code upperBoundsNanos} (ascending; one more bucket
     * for values above the last): what a scrape exports. Drains the recording threads first, so it includes values
     * recorded until now. Empty when off.
     */
    public synchronized List<StageTotals> totals(final long[] upperBoundsNanos)
    {
        if (!enabled)
        {
            return List.of();
        }
        drain();
        final StageTotals[] result = new StageTotals[Stage.count()];
        for (int s = 0; s < totals.length; s++)
        {
            result[s] = totalsOf(Stage.at(s), totals[s], upperBoundsNanos);
        }
        return List.of(result);
    }

    /**
     * Ends the running interval: each stage's values since the previous call are copied into {@code into} (one
     * histogram per stage, in stage order; a null entry is allocated once). Only on the one thread that writes
     * the intervals.
     */
    synchronized void takeIntervals(final Histogram[] into)
    {
        drain();
        for (int s = 0; s < running.length; s++)
        {
            if (into[s] == null)
            {
                into[s] = histogram();
            }
            if (enabled)
            {
                running[s].copyInto(into[s]);
                running[s].reset();
            }
        }
    }

    /** The writer hands each finished interval here (one histogram per stage, in stage order). */
    void remember(final long startEpochMs, final long endEpochMs, final Histogram[] intervals)
    {
        recent.add(startEpochMs, endEpochMs, intervals);
    }

    /** Moves what every recording thread recorded since the last drain into the running interval and the totals. */
    private void drain()
    {
        if (!enabled)
        {
            return;
        }
        for (final ThreadStageRecorders thread : threads)
        {
            for (int s = 0; s < running.length; s++)
            {
                final Histogram taken = thread.take(s);
                if (taken.getTotalCount() > 0)
                {
                    running[s].add(taken);
                    totals[s].add(taken);
                }
            }
        }
    }

    private static StageTotals totalsOf(final Stage stage, final Histogram histogram, final long[] upperBoundsNanos)
    {
        final long[] buckets = new long[upperBoundsNanos.length + 1];
        double sumNanos = 0;
        for (final HistogramIterationValue value : histogram.recordedValues())
        {
            final long count = value.getCountAtValueIteratedTo();
            sumNanos += (double)histogram.medianEquivalentValue(value.getValueIteratedTo()) * count;
            // The first bound at or above the value's bucket; past the last bound, the overflow bucket.
            final int found = Arrays.binarySearch(upperBoundsNanos, histogram.lowestEquivalentValue(value.getValueIteratedTo()));
            buckets[found >= 0 ? found : -found - 1] += count;
        }
        return new StageTotals(stage, histogram.getTotalCount(), sumNanos, buckets);
    }

    private static Histogram histogram()
    {
        return new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }
}
