package io.chukei.gateway.batch;

import io.chukei.protocol.sbe.DigestCheck;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch as several nodes' journals tell it ({@code chukei batch status --data A --data B}): each node's account
 * rebuilt on its own, merged per sequence ({@link BatchSnapshot#merge}), and the digest checked over the ids of every
 * node together — which no single node can do after a failover split the members.
 */
public record MergedBatch(int scope, long batchId, boolean declared, BatchSnapshot snapshot, DigestCheck digest,
    List<String> sizeConflicts)
{
    /** Merges the accounts of one (municipality, batch id), one per node that holds one; null for none. */
    public static MergedBatch of(final List<BatchAccount> accounts, final boolean declared)
    {
        if (accounts.isEmpty())
        {
            return null;
        }
        final BatchAccount first = accounts.get(0);
        final List<BatchSnapshot> snapshots = new ArrayList<>();
        final List<String> conflicts = new ArrayList<>();
        for (final BatchAccount account : accounts)
        {
            if (account.size() != first.size())
            {
                conflicts.add("size " + account.size() + " on one node, " + first.size() + " on another");
                continue;
            }
            snapshots.add(account.snapshot());
        }
        final BatchSnapshot merged = BatchSnapshot.merge(snapshots);
        return new MergedBatch(first.scope(), first.batchId(), declared, merged, digestOf(accounts, first), conflicts);
    }

    private static DigestCheck digestOf(final List<BatchAccount> accounts, final BatchAccount first)
    {
        if (!first.hasDigest())
        {
            return DigestCheck.NOT_CHECKED;
        }
        final int size = first.size();
        final long[] hi = new long[size];
        final long[] lo = new long[size];
        for (int sequence = 1; sequence <= size; sequence++)
        {
            long[] id = null;
            for (int n = 0; n < accounts.size() && id == null; n++)
            {
                id = accounts.get(n).idAt(sequence);
            }
            if (id == null)
            {
                // A sequence no node holds: the digest cannot match; the missing list says which.
                return DigestCheck.NOT_CHECKED;
            }
            hi[sequence - 1] = id[0];
            lo[sequence - 1] = id[1];
        }
        return MessageDigest.isEqual(BatchDigest.of(hi, lo, size), first.memberDigest()) ? DigestCheck.MATCH :
            DigestCheck.MISMATCH;
    }
}
