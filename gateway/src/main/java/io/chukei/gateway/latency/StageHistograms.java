package io.chukei.gateway.latency;

import io.chukei.gateway.metrics.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage request latency: one HdrHistogram {@link Recorder} per {@link Stage} (wait-free, no allocation per
 * value), read interval by interval by {@link StageLogWriter}, and the Prometheus histogram
 * {@code chukei_request_stage_seconds{stage}} with the few buckets of {@link LatencyBuckets}. The last
 * {@code metrics.stages.recentMinutes} of intervals stay in memory for {@link #recent}.
 *
 * <p>{@link #record} is called from event loops; everything else from the writer's thread or a reader's.
 */
public final class StageHistograms
{
    /** Values above are recorded as this (an hour: far past any deadline), so a recorder never resizes or throws. */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    /** 0.1 % resolution, from 1 ns: the validation stage takes microseconds, card management up to seconds. */
    static final int SIGNIFICANT_DIGITS = 3;

    private final boolean enabled;
    private final Recorder[] recorders = new Recorder[Stage.count()];
    private final Timer[] timers = new Timer[Stage.count()];
    private final RecentIntervals recent;

    /**
     * @param registry        where the Prometheus histogram is registered (nothing is, when off)
     * @param config          on/off, interval and how much stays in memory
     */
    public StageHistograms(final MeterRegistry registry, final StageLogConfig config)
    {
        this.enabled = config.enabled();
        this.recent = new RecentIntervals(
            Math.max(1, (int)(TimeUnit.MINUTES.toMillis(config.recentMinutes()) / config.intervalMs())), config.intervalMs());
        if (!enabled)
        {
            return;
        }
        for (final Stage stage : Stage.values())
        {
            recorders[stage.ordinal()] = new Recorder(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
            timers[stage.ordinal()] = Timer.builder("chukei.request.stage")
                .description("Time accepted requests spend in each stage (gateway/README.md, Per-stage latency)")
                .tag("stage", stage.tag())
                .serviceLevelObjectives(LatencyBuckets.SECONDS)
                .publishPercentileHistogram(false)
                .register(registry);
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
        recorders[stage.ordinal()].recordValue(value);
        timers[stage.ordinal()].record(value, TimeUnit.NANOSECONDS);
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
     * The stage's values since the previous call, in {@code recycled} when given (a histogram this method
     * returned for the same stage before). Only on the one thread that writes the intervals.
     */
    Histogram takeInterval(final Stage stage, final Histogram recycled)
    {
        return recorders[stage.ordinal()].getIntervalHistogram(recycled);
    }

    /** The writer hands each finished interval here (one histogram per stage, in stage order). */
    void remember(final long startEpochMs, final long endEpochMs, final Histogram[] intervals)
    {
        recent.add(startEpochMs, endEpochMs, intervals);
    }
}
