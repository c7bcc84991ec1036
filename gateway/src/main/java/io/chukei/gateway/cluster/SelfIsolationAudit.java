package io.chukei.gateway.cluster;

import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;

/**
 * Journals this node's self-isolations and their end as AUDIT entries (actor {@code health}), as operator
 * actions are: the journal is the record, and the status page reads the latest of them back at start.
 * A {@link ClusterView.Listener}: called on every view change, acts only on a change of self-isolation.
 */
public final class SelfIsolationAudit implements ClusterView.Listener
{
    public static final String ACTOR = "health";
    public static final String ISOLATE = "self-isolate";
    public static final String RECOVER = "self-recover";

    /** Where the entries go: {@code Journal::appendAudit}. */
    @FunctionalInterface
    public interface Audit
    {
        void append(String actor, String action, String detail);
    }

    private final int nodeId;
    private final Audit audit;
    private boolean selfIsolated;

    public SelfIsolationAudit(final int nodeId, final Audit audit)
    {
        this.nodeId = nodeId;
        this.audit = audit;
    }

    @Override
    public synchronized void viewChanged(final ClusterSnapshot view, final NodeState ownBefore, final NodeState ownAfter,
        final String ownReason)
    {
        final boolean now = ownAfter == NodeState.ISOLATED && ownReason != null && ownReason.startsWith("self-isolated");
        if (now != selfIsolated)
        {
            // The same words the page shows for it live (ViewEvents), so a restored line reads as it did.
            audit.append(ACTOR, now ? ISOLATE : RECOVER, "node " + nodeId + ": " + ownBefore + " -> " + ownAfter +
                (ownReason == null || ownReason.isEmpty() ? "" : " (" + ownReason + ")"));
        }
        selfIsolated = now;
    }
}
