package io.chukei.gateway.batch;

import io.chukei.protocol.batch.MemberStates;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.DigestCheck;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch's account at one moment — one node's, or several nodes' merged ({@link #merge}): per-sequence states and
 * the counts. What BatchStatusReply and {@code chukei batch status} say.
 *
 * <p><b>Merging</b> (members of one batch on several nodes after a failover) follows {@link MemberStates}, the
 * merge the SDK uses too.
 */
public record BatchSnapshot(long batchId, int size, int[] counts, DigestCheck digestCheck, long lastMemberEpochMs,
    byte[] states)
{
    /** A run of sequences in one state. */
    public record Range(long firstSequence, long length, BatchMemberState state)
    {
    }

    public int count(final BatchMemberState state)
    {
        return counts[state.value()];
    }

    /** Every sequence has a final answer. */
    public boolean complete()
    {
        return count(BatchMemberState.NEVER_SEEN) == 0 && count(BatchMemberState.ACCEPTED) == 0 &&
            count(BatchMemberState.OUTCOME_UNKNOWN) == 0;
    }

    /** The runs of equal state from {@code fromSequence}, at most {@code max} of them. */
    public List<Range> ranges(final long fromSequence, final int max)
    {
        final List<Range> ranges = new ArrayList<>();
        int i = (int)Math.max(0, fromSequence - 1);
        while (i < size && ranges.size() < max)
        {
            final byte state = states[i];
            int end = i + 1;
            while (end < size && states[end] == state)
            {
                end++;
            }
            ranges.add(new Range(i + 1, end - i, BatchMemberState.get(state)));
            i = end;
        }
        return ranges;
    }

    /** The sequence after the last range {@link #ranges} gave, or 0 when they reached the end. */
    public long nextSequence(final List<Range> given)
    {
        if (given.isEmpty())
        {
            return 0;
        }
        final Range last = given.get(given.size() - 1);
        final long next = last.firstSequence() + last.length();
        return next > size ? 0 : next;
    }

    /** The sequences no node has seen, at most {@code max} (ascending). */
    public List<Long> missing(final int max)
    {
        final List<Long> missing = new ArrayList<>();
        for (int i = 0; i < size && missing.size() < max; i++)
        {
            if (states[i] == BatchMemberState.NEVER_SEEN.value())
            {
                missing.add((long)i + 1);
            }
        }
        return missing;
    }

    /**
     * The merged account of several nodes' snapshots of the same batch (same size; snapshots of another size are a
     * conflict the caller reports). Digest: MISMATCH if any says so, else MATCH if any says so.
     */
    public static BatchSnapshot merge(final List<BatchSnapshot> parts)
    {
        if (parts.isEmpty())
        {
            throw new IllegalArgumentException("parts: empty (expected: at least one node's snapshot)");
        }
        final BatchSnapshot first = parts.get(0);
        final byte[] states = new byte[first.size()];
        DigestCheck digest = DigestCheck.NOT_CHECKED;
        long last = 0;
        for (final BatchSnapshot part : parts)
        {
            MemberStates.mergeInto(states, part.states());
            digest = MemberStates.mergeDigest(digest, part.digestCheck());
            last = Math.max(last, part.lastMemberEpochMs());
        }
        return of(first.batchId(), states, digest, last);
    }

    /** A snapshot built from per-sequence states (counts derived). */
    public static BatchSnapshot of(final long batchId, final byte[] states, final DigestCheck digest, final long lastMs)
    {
        final int[] counts = new int[BatchMemberState.values().length];
        for (final byte state : states)
        {
            counts[state]++;
        }
        return new BatchSnapshot(batchId, states.length, counts, digest, lastMs, states);
    }
}
