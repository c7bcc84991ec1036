package io.chukei.bench.admission;

import org.HdrHistogram.Histogram;

/** The percentiles the benchmark reports, in microseconds; all 0 when nothing was recorded. */
record LatencySummary(long count, long p50Micros, long p99Micros, long p999Micros, long maxMicros)
{
    static LatencySummary of(final Histogram micros)
    {
        if (micros.getTotalCount() == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(), micros.getValueAtPercentile(50), micros.getValueAtPercentile(99),
            micros.getValueAtPercentile(99.9), micros.getMaxValue());
    }
}
