package io.chukei.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code GET /cluster/self}: what a node says of itself, and what its peers' probes read. The first
 * six fields are the original shape (version 1); the vitals after them were added for the status
 * page (version 2) and are null when a peer of version 1 answered.
 *
 * @param oldestUnforwardedMs age of the oldest accepted request not yet sent upstream
 * @param eventLoopLagMs      worst event-loop lag at the latest health check
 * @param durability          the journal's durability mode (sync, async, off)
 * @param fsyncP99Ms          99th percentile of the journal's group-commit fsyncs (recent), null when none ran
 */
@JsonPropertyOrder({"id", "state", "reason", "operator", "inFlight", "drained", "version", "oldestUnforwardedMs",
    "eventLoopLagMs", "durability", "fsyncP99Ms"})
public record SelfReport(int id, String state, String reason, String operator, int inFlight, boolean drained,
    Integer version, Long oldestUnforwardedMs, Long eventLoopLagMs, String durability, Double fsyncP99Ms)
{
    /** The shape this node writes. */
    public static final int VERSION = 2;
}
