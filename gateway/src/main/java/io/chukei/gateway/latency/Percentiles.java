package io.chukei.gateway.latency;

import org.HdrHistogram.AbstractHistogram;

/** A latency distribution in a few numbers, all in nanoseconds; zeros when {@code count} is 0. */
public record Percentiles(long count, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos)
{
    public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0, 0);

    public static Percentiles of(final AbstractHistogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return NONE;
        }
        return new Percentiles(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }
}
