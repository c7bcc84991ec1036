package io.chukei.gateway.metrics;

import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageTotals;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * {@code chukei_request_stage_seconds{node,stage}}, a Prometheus histogram with the buckets of
 * {@link LatencyBuckets}, computed from the per-stage HdrHistograms when scraped: the event loops record each
 * value once, into their own HdrHistogram recorders, and never touch a Prometheus meter.
 */
final class StageHistogramCollector implements Collector
{
    static final String NAME = "chukei_request_stage_seconds";

    private final StageHistograms stages;
    private final String nodeId;
    private final long[] boundsNanos = new long[LatencyBuckets.SECONDS.length];
    /** The bounds in seconds, and +Inf last (Prometheus wants it). */
    private final double[] boundsSeconds = new double[LatencyBuckets.SECONDS.length + 1];

    StageHistogramCollector(final StageHistograms stages, final int nodeId)
    {
        this.stages = stages;
        this.nodeId = Integer.toString(nodeId);
        for (int b = 0; b < boundsNanos.length; b++)
        {
            boundsNanos[b] = LatencyBuckets.SECONDS[b].toNanos();
            boundsSeconds[b] = boundsNanos[b] / 1e9;
        }
        boundsSeconds[boundsNanos.length] = Double.POSITIVE_INFINITY;
    }

    @Override
    public MetricSnapshot collect()
    {
        final HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME)
            .help("Time accepted requests spend in each stage (gateway/README.md, Per-stage latency)");
        for (final StageTotals totals : stages.totals(boundsNanos))
        {
            snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(Labels.of("node", nodeId, "stage", totals.stage().tag()))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, totals.buckets()))
                .sum(totals.sumNanos() / 1e9)
                .build());
        }
        return snapshot.build();
    }

    @Override
    public String getPrometheusName()
    {
        return NAME;
    }
}
