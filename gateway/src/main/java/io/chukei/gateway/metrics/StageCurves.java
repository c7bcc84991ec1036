package io.chukei.gateway.metrics;

import io.chukei.gateway.latency.IntervalPercentiles;
import io.chukei.gateway.latency.Percentiles;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageLatency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status page's curves from the per-stage HdrHistogram intervals ({@link StageHistograms#recent}). */
final class StageCurves implements LatencyCurves
{
    private static final double NANOS_PER_MS = 1e6;

    private final StageHistograms stages;

    StageCurves(final StageHistograms stages)
    {
        this.stages = stages;
    }

    @Override
    public Map<String, List<Point>> recent(final Duration window)
    {
        final Map<String, List<Point>> curves = new LinkedHashMap<>();
        for (final StageLatency stage : stages.recent(window))
        {
            final List<Point> points = new ArrayList<>(stage.intervals().size());
            for (final IntervalPercentiles interval : stage.intervals())
            {
                final Percentiles p = interval.percentiles();
                points.add(new Point(interval.endEpochMs(), p.count(), p.p50Nanos() / NANOS_PER_MS,
                    p.p90Nanos() / NANOS_PER_MS, p.p99Nanos() / NANOS_PER_MS, p.p999Nanos() / NANOS_PER_MS,
                    p.maxNanos() / NANOS_PER_MS));
            }
            curves.put(stage.stage().tag(), points);
        }
        return curves;
    }

    @Override
    public Duration interval()
    {
        return Duration.ofMillis(stages.intervalMs());
    }
}
