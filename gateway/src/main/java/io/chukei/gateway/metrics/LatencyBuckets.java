package io.chukei.gateway.metrics;

import java.time.Duration;

/**
 * The buckets of every latency histogram exported to Prometheus: 18 bounds from 100 µs to 60 s, about 2.5x
 * apart (1-2.5-5 per decade), instead of Micrometer's ~70 percentile-histogram buckets per series. Fine detail
 * and exact percentiles are in the HdrHistogram logs (gateway/README.md, "Per-stage latency").
 */
public final class LatencyBuckets
{
    public static final Duration[] SECONDS = {
        micros(100), micros(250), micros(500),
        millis(1), micros(2_500), millis(5),
        millis(10), millis(25), millis(50),
        millis(100), millis(250), millis(500),
        millis(1_000), millis(2_500), millis(5_000),
        millis(10_000), millis(30_000), millis(60_000),
    };

    private LatencyBuckets()
    {
    }

    private static Duration micros(final long micros)
    {
        return Duration.ofNanos(micros * 1_000);
    }

    private static Duration millis(final long millis)
    {
        return Duration.ofMillis(millis);
    }
}
