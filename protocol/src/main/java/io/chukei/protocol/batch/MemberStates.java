package io.chukei.protocol.batch;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.DigestCheck;

/**
 * The one merge of a batch's per-member states across nodes (members of one batch land on several nodes after a
 * failover), used by the node's {@code BatchStatusReply}, {@code chukei batch status} and the SDK's
 * {@code batchStatusEverywhere}, so that none of them can say "complete" where another says "open".
 *
 * <p>Per sequence the state that says most wins: NEVER_SEEN &lt; REJECTED &lt; ACCEPTED &lt; OUTCOME_UNKNOWN &lt;
 * COMPLETED_REFUSED &lt; COMPLETED_OK. Card management's verdict (COMPLETED) overrides everything: a node's rejection said
 * only "not applied through this node". A member still open on any node (ACCEPTED, OUTCOME_UNKNOWN) outranks a
 * rejection elsewhere: that node will forward it again, so the batch is not complete — the safe side. Card
 * management gives one verdict per request id, so two nodes should not disagree between OK and REFUSED; if their
 * records do, OK wins (an effect any node reported is not hidden; {@code chukei reconcile} names the member), and the
 * merge is the same whichever node answered first.
 */
public final class MemberStates
{
    private MemberStates()
    {
    }

    /** Merges {@code part} into {@code merged}, sequence by sequence (the shorter array bounds the merge). */
    public static void mergeInto(final byte[] merged, final byte[] part)
    {
        for (int i = 0; i < merged.length && i < part.length; i++)
        {
            if (rank(part[i]) > rank(merged[i]))
            {
                merged[i] = part[i];
            }
        }
    }

    /** MISMATCH if either says so, else MATCH if either does, else NOT_CHECKED. */
    public static DigestCheck mergeDigest(final DigestCheck merged, final DigestCheck part)
    {
        if (merged == DigestCheck.MISMATCH || part == DigestCheck.MISMATCH)
        {
            return DigestCheck.MISMATCH;
        }
        return merged == DigestCheck.MATCH || part == DigestCheck.MATCH ? DigestCheck.MATCH : DigestCheck.NOT_CHECKED;
    }

    /** The merge order of the class comment, 0 (says least) to 5. */
    static int rank(final byte state)
    {
        if (state == BatchMemberState.NEVER_SEEN.value())
        {
            return 0;
        }
        if (state == BatchMemberState.REJECTED.value())
        {
            return 1;
        }
        if (state == BatchMemberState.ACCEPTED.value())
        {
            return 2;
        }
        if (state == BatchMemberState.OUTCOME_UNKNOWN.value())
        {
            return 3;
        }
        return state == BatchMemberState.COMPLETED_REFUSED.value() ? 4 : 5;
    }
}
