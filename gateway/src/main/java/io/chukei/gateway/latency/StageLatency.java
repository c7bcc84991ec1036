package io.chukei.gateway.latency;

import java.util.List;

/**
 * One stage over a recent window: the whole window's percentiles, and each interval's in time order (for a curve).
 *
 * @param stage     the stage
 * @param window    all the intervals together
 * @param intervals one entry per recording interval (every {@code metrics.stages.intervalMs}), oldest first,
 *                  intervals without requests included (count 0)
 */
public record StageLatency(Stage stage, Percentiles window, List<IntervalPercentiles> intervals)
{
}
