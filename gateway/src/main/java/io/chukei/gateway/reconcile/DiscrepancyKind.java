package io.chukei.gateway.reconcile;

/** What reconciliation can find wrong with a request or a batch; the names appear in reports and never change. */
public enum DiscrepancyKind
{
    /** A node accepted it and no node gave it a final answer, and card management has no record of it. */
    NO_FINAL_ANSWER("accepted, no final answer"),
    /** Its deadline passed after a forward, no Outcome came since, and card management has no record of it. */
    OUTCOME_UNKNOWN("outcome still unknown"),
    /** Answered with card management's Outcome, yet absent from card management's export: lost upstream. */
    SILENT_DROP("answered, absent upstream"),
    /** In card management's export, but no node ever answered it with an Outcome (nor with a rejection). */
    APPLIED_NOT_ANSWERED("applied upstream, never answered"),
    /** In card management's export, yet a node answered it with a final rejection (e.g. DEADLINE_EXCEEDED). */
    APPLIED_BUT_REJECTED("applied upstream, answered rejected"),
    /** Card management's export says it took effect more than once. */
    APPLIED_TWICE("applied more than once"),
    /** The status a node answered differs from the one card management recorded. */
    OUTCOME_MISMATCH("answered status differs from upstream"),
    /** Nodes gave it different final answers. */
    CONFLICTING_ANSWERS("different final answers"),
    /** A connector's records say it was sent; no node's journal has it accepted. */
    NEVER_ACCEPTED("sent by a connector, accepted by no node"),
    /** A batch some of whose sequence numbers 1..size have no complete member. */
    BATCH_INCOMPLETE("batch with missing members");

    private final String meaning;

    DiscrepancyKind(final String meaning)
    {
        this.meaning = meaning;
    }

    public String meaning()
    {
        return meaning;
    }
}
