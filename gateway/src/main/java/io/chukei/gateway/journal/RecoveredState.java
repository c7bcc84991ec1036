package io.chukei.gateway.journal;

import java.util.List;

/**
 * What {@link Journal#recover()} rebuilt: the request table, the pending requests in acceptance order,
 * and how it got there (from a checkpoint plus tail, or from a full scan).
 */
public record RecoveredState(RequestIndex requests, List<PendingRequest> pending, long lastIndex,
    boolean fromCheckpoint, long checkpointIndex, long replayedEntries, long elapsedNs)
{
}
