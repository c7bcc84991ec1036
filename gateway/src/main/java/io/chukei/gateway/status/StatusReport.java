package io.chukei.gateway.status;

import io.chukei.gateway.metrics.LatencyCurves;
import io.chukei.gateway.upstream.UpstreamPool;

import java.util.List;

/**
 * {@code GET /status.json}: everything the status page shows, one object. Sizes are bounded whatever
 * the traffic: the nodes of the cluster list, the configured endpoints, top K municipalities, a fixed
 * number of latency and rate points and of events (gateway/README.md, "Status page").
 */
public record StatusReport(
    int version,
    long generatedAtMs,
    int node,
    boolean readOnly,
    int connections,
    List<Node> nodes,
    List<UpstreamPool.EndpointStatus> upstream,
    StatusSampler.Rates rates,
    List<StatusSampler.RatePoint> rateHistory,
    Latency latency,
    List<StatusSampler.Traffic> topByTraffic,
    List<Rejections> topByRejections,
    long otherRejections,
    List<RecentEvents.Event> events,
    List<StatusSampler.Outcomes> topByOutcome)
{
    /** The shape's version; fields are only ever added within one version. */
    public static final int VERSION = 1;

    /**
     * One node as this node sees it: state and reason from this node's view; the vitals are what the node
     * itself last reported (for a peer: its latest probe answer, {@code reportAgeMs} old; null when it
     * never answered or runs a version that does not report them).
     */
    public record Node(int id, boolean self, String state, String reason, String operator, String connector,
        String admin, int missedProbes, Long reportAgeMs, Integer inFlight, Long oldestUnforwardedMs,
        Long eventLoopLagMs, String durability, Double fsyncP99Ms)
    {
    }

    /** Latency percentiles per stage, one point per {@code intervalMs}, over {@code windowMs}. */
    public record Latency(long intervalMs, long windowMs, List<Stage> stages)
    {
    }

    /** One stage's curve. */
    public record Stage(String stage, List<LatencyCurves.Point> points)
    {
    }

    /** A municipality's admission refusals since this node started. */
    public record Rejections(String municipality, long count)
    {
    }
}
