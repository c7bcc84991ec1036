package io.chukei.gateway.reconcile;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per batch (municipality, batch id): which sequence numbers were seen and which are complete (a final answer and no
 * discrepancy). Memory: a few dozen bytes per batch and two bits per member sequence — a batch is reconciled as a
 * whole, so its members cannot be streamed past; 10 M members cost about 2.5 MB.
 */
final class BatchAccounts
{
    /** How many missing sequence numbers a finding lists; the rest are counted. */
    static final int LISTED = 20;

    private record Key(int scope, long batchId)
    {
    }

    private static final class Account
    {
        long size;
        long members;
        final BitSet seen = new BitSet();
        final BitSet complete = new BitSet();
    }

    private final Map<Key, Account> accounts = new HashMap<>();
    private int incomplete;

    /** One in-scope member; {@code complete}: it has a final answer and no discrepancy. */
    void member(final int scope, final long batchId, final long sequence, final long size, final boolean complete)
    {
        final Account account = accounts.computeIfAbsent(new Key(scope, batchId), key -> new Account());
        account.size = Math.max(account.size, size);
        account.members++;
        if (sequence >= 1 && sequence < Integer.MAX_VALUE)
        {
            account.seen.set((int)sequence);
            if (complete)
            {
                account.complete.set((int)sequence);
            }
        }
    }

    int batches()
    {
        return accounts.size();
    }

    int incomplete()
    {
        return incomplete;
    }

    /**
     * Reports every batch without a complete member for each of 1..size, the size being the declared one when
     * {@code declared} knows it, else the largest its members declare. Batches declared but never seen count too.
     */
    void finish(final DeclaredBatches declared, final int municipalityFilter, final Consumer<Discrepancy> sink)
    {
        declared.forEachDeclared((municipality, batchId, size) ->
        {
            if (municipalityFilter < 0 || municipality == municipalityFilter)
            {
                accounts.computeIfAbsent(new Key(municipality, batchId), key -> new Account());
            }
        });
        accounts.entrySet().stream()
            .sorted((a, b) -> a.getKey().scope() != b.getKey().scope() ? Integer.compare(a.getKey().scope(), b.getKey().scope()) :
                Long.compareUnsigned(a.getKey().batchId(), b.getKey().batchId()))
            .forEach(entry -> check(entry.getKey(), entry.getValue(), declared, sink));
    }

    private void check(final Key key, final Account account, final DeclaredBatches declared, final Consumer<Discrepancy> sink)
    {
        final long declaredSize = declared.declaredSize(key.scope(), key.batchId());
        final long size = Math.min(declaredSize >= 0 ? declaredSize : account.size, Integer.MAX_VALUE - 1);
        final int complete = account.complete.get(1, (int)size + 1).cardinality();
        if (complete == size && account.members == size)
        {
            return;
        }
        incomplete++;
        final StringBuilder neverSeen = new StringBuilder();
        final StringBuilder unfinished = new StringBuilder();
        long neverSeenCount = 0;
        long unfinishedCount = 0;
        for (int sequence = 1; sequence <= size; sequence++)
        {
            if (account.complete.get(sequence))
            {
                continue;
            }
            if (account.seen.get(sequence))
            {
                unfinishedCount = list(unfinished, unfinishedCount, sequence);
            }
            else
            {
                neverSeenCount = list(neverSeen, neverSeenCount, sequence);
            }
        }
        final StringBuilder detail = new StringBuilder()
            .append(complete).append(" of ").append(size).append(" members complete")
            .append(declaredSize >= 0 ? " (size declared by its manifest)" : " (size from its members)")
            .append("; never accepted: ").append(neverSeenCount).append(" [").append(neverSeen).append(more(neverSeenCount))
            .append("]; without a final answer or with a discrepancy: ").append(unfinishedCount).append(" [")
            .append(unfinished).append(more(unfinishedCount)).append(']');
        if (account.members != account.seen.cardinality())
        {
            detail.append("; ").append(account.members - account.seen.cardinality()).append(" member(s) share a sequence number");
        }
        sink.accept(new Discrepancy(DiscrepancyKind.BATCH_INCOMPLETE, RequestGroup.municipality(key.scope()), null,
            key.batchId(), 0, detail.toString()));
    }

    private static long list(final StringBuilder into, final long count, final int sequence)
    {
        if (count < LISTED)
        {
            into.append(count == 0 ? "" : ",").append(sequence);
        }
        return count + 1;
    }

    private static String more(final long count)
    {
        return count > LISTED ? ",... " + (count - LISTED) + " more" : "";
    }
}
