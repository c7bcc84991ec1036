package io.chukei.gateway.latency;

/** One stage's latency in one recording interval [{@code startEpochMs}, {@code endEpochMs}): a point of a curve over time. */
public record IntervalPercentiles(long startEpochMs, long endEpochMs, Percentiles percentiles)
{
}
