package io.chukei.gateway.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Latency percentiles per stage over recent minutes, one point per interval: what the status page
 * draws. Today {@link RecentStageLatency} feeds it from the relay's timers; a per-stage histogram
 * source (interval logs) can replace it behind this interface.
 */
public interface LatencyCurves
{
    /** One interval of one stage: how many were recorded and their percentiles, in milliseconds. */
    record Point(long epochMs, long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs)
    {
    }

    /** Per stage, in display order, the points whose interval ended within {@code window} of now, oldest first. */
    Map<String, List<Point>> recent(Duration window);

    /** The length of one interval (one point), for the page's axis. */
    Duration interval();
}
