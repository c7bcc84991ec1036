package io.chukei.protocol.client;

import io.chukei.protocol.batch.MemberStates;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch's account: one node's ({@link ConnectorClient#batchStatus}), or every node's merged
 * ({@link ConnectorClient#batchStatusEverywhere}). {@code states[i]} is sequence i + 1's {@link BatchMemberState}
 * value. {@code code} is NO_ERROR, or why the node refused the declaration or query (then there are no states), or a
 * local code (e.g. DEADLINE_EXCEEDED: no answer in time). {@code unanswered}: nodes asked that gave no answer (a
 * merged view without them may miss members).
 */
public record BatchStatus(long batchId, List<Integer> nodeIds, ErrorCode code, FieldId field, String detail,
    BatchState batchState, int size, byte[] states, DigestCheck digestCheck, long lastMemberEpochMs,
    List<String> unanswered)
{
    public int count(final BatchMemberState state)
    {
        int count = 0;
        for (final byte s : states)
        {
            count += s == state.value() ? 1 : 0;
        }
        return count;
    }

    /** Declared, and every sequence 1..size has a final answer (COMPLETED_OK, COMPLETED_REFUSED or REJECTED). */
    public boolean complete()
    {
        return code == ErrorCode.NO_ERROR && size > 0 && count(BatchMemberState.NEVER_SEEN) == 0 &&
            count(BatchMemberState.ACCEPTED) == 0 && count(BatchMemberState.OUTCOME_UNKNOWN) == 0;
    }

    /** Sequences no node asked has seen, ascending, at most {@code max}. */
    public List<Long> missing(final int max)
    {
        final List<Long> missing = new ArrayList<>();
        for (int i = 0; i < states.length && missing.size() < max; i++)
        {
            if (states[i] == BatchMemberState.NEVER_SEEN.value())
            {
                missing.add((long)i + 1);
            }
        }
        return missing;
    }

    /**
     * Several nodes' answers for one batch merged per sequence by {@link MemberStates} (the relay's own merge). Answers
     * that are refusals or UNKNOWN (the node holds no account) add nothing but their node; the digest is MISMATCH
     * if any node says so, MATCH if any does.
     */
    public static BatchStatus merge(final long batchId, final List<BatchStatus> answers, final List<String> unanswered)
    {
        final List<Integer> nodes = new ArrayList<>();
        byte[] states = null;
        DigestCheck digest = DigestCheck.NOT_CHECKED;
        long last = 0;
        BatchStatus refusal = null;
        for (final BatchStatus answer : answers)
        {
            nodes.add(answer.nodeId());
            if (answer.code() != ErrorCode.NO_ERROR)
            {
                refusal = answer;
                continue;
            }
            if (answer.batchState() == BatchState.UNKNOWN)
            {
                continue;
            }
            if (states == null)
            {
                states = new byte[answer.size()];
            }
            MemberStates.mergeInto(states, answer.states());
            digest = MemberStates.mergeDigest(digest, answer.digestCheck());
            last = Math.max(last, answer.lastMemberEpochMs());
        }
        if (states == null)
        {
            return refusal != null ? new BatchStatus(batchId, nodes, refusal.code(), refusal.field(), refusal.detail(),
                BatchState.UNKNOWN, 0, new byte[0], DigestCheck.NOT_CHECKED, 0, unanswered) :
                new BatchStatus(batchId, nodes, ErrorCode.NO_ERROR, FieldId.NONE, "", BatchState.UNKNOWN, 0, new byte[0],
                    DigestCheck.NOT_CHECKED, 0, unanswered);
        }
        final BatchStatus merged = new BatchStatus(batchId, nodes, ErrorCode.NO_ERROR, FieldId.NONE, "", BatchState.OPEN,
            states.length, states, digest, last, unanswered);
        return merged.complete() ? new BatchStatus(batchId, nodes, ErrorCode.NO_ERROR, FieldId.NONE, "", BatchState.COMPLETE,
            states.length, states, digest, last, unanswered) : merged;
    }

    /** The one node of a single node's answer (the first of a merged one). */
    public int nodeId()
    {
        return nodeIds.isEmpty() ? Answer.LOCAL_NODE_ID : nodeIds.get(0);
    }
}
