package io.chukei.gateway.batch;

import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.JournalFact;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * This node's batch accounts, keyed by (municipality, batch id): bounded to {@code maxOpen} accounts of at most
 * {@code maxSize} members each ({@code batch.maxOpen}, {@code batch.maxSize}, gateway/README.md). When full, the
 * oldest complete account makes room (its record stays in the journal, where {@code chukei batch status} reads it);
 * with none complete, a new declaration is refused TOO_MANY_OPEN_BATCHES.
 *
 * <p>Lookups allocate nothing: a map by batch id whose accounts of different municipalities (rare: two municipalities
 * choosing the same batch id) sit in a short list.
 */
public final class BatchLedger
{
    /** Defaults of batch.maxOpen and batch.maxSize. */
    public static final int DEFAULT_MAX_OPEN = 64;
    public static final int DEFAULT_MAX_SIZE = 50_000;

    /** {@link #declare} outcomes. */
    public enum Declaration
    {
        /** A new account. */
        DECLARED,
        /** The same manifest again (a new session, another node's failover): the existing account answers. */
        ALREADY_DECLARED,
        /** The batch id was declared with another size. */
        CONFLICT_SIZE,
        /** The batch id was declared with the same size and another digest. */
        CONFLICT_DIGEST,
        /** batchSize is 0 or above maxSize. */
        TOO_LARGE,
        /** maxOpen accounts, none complete. */
        TOO_MANY
    }

    private final int maxOpen;
    private final int maxSize;
    private boolean adoptUndeclared;
    private final Long2ObjectHashMap<BatchAccount[]> byBatchId = new Long2ObjectHashMap<>();
    private final List<BatchAccount> inDeclarationOrder = new ArrayList<>();

    public BatchLedger(final int maxOpen, final int maxSize)
    {
        if (maxOpen < 1)
        {
            throw new IllegalArgumentException("batch.maxOpen: " + maxOpen + " (expected: >= 1)");
        }
        if (maxSize < 1)
        {
            throw new IllegalArgumentException("batch.maxSize: " + maxSize + " (expected: >= 1)");
        }
        this.maxOpen = maxOpen;
        this.maxSize = maxSize;
    }

    /**
     * For tools reading journals: a member of a batch without a manifest opens an account of the size it carries
     * (no digest), so batches of connectors that never declare can be reported too. A node never does this.
     */
    public BatchLedger adoptUndeclared()
    {
        this.adoptUndeclared = true;
        return this;
    }

    public int maxOpen()
    {
        return maxOpen;
    }

    public int maxSize()
    {
        return maxSize;
    }

    /** Declares a batch; {@code memberDigest} is 32 bytes (all zero: none). */
    public synchronized Declaration declare(final int scope, final long batchId, final long size, final byte[] memberDigest,
        final long nowMs)
    {
        final BatchAccount known = find(scope, batchId);
        if (known != null)
        {
            if (known.size() != size)
            {
                return Declaration.CONFLICT_SIZE;
            }
            return known.sameManifest((int)size, memberDigest) ? Declaration.ALREADY_DECLARED : Declaration.CONFLICT_DIGEST;
        }
        if (size < 1 || size > maxSize)
        {
            return Declaration.TOO_LARGE;
        }
        if (inDeclarationOrder.size() >= maxOpen && !evictOldestComplete())
        {
            return Declaration.TOO_MANY;
        }
        final BatchAccount account = new BatchAccount(scope, batchId, (int)size, memberDigest, nowMs);
        final BatchAccount[] same = byBatchId.get(batchId);
        if (same == null)
        {
            byBatchId.put(batchId, new BatchAccount[] {account});
        }
        else
        {
            final BatchAccount[] grown = java.util.Arrays.copyOf(same, same.length + 1);
            grown[same.length] = account;
            byBatchId.put(batchId, grown);
        }
        inDeclarationOrder.add(account);
        return Declaration.DECLARED;
    }

    /**
     * A live member event (after its entry is journaled): {@code state} is OUTCOME_UNKNOWN or a final state. Dropped
     * when no account holds the batch: a rebuild still running after a start reads the member's entry itself (it was
     * written before this call), and a member whose account is gone has nothing to count it in. Every transition of
     * {@link BatchAccount} only moves a member forward, so this and the rebuild's older facts may arrive in any order.
     */
    public void member(final int scope, final long batchId, final long sequence, final long hi, final long lo,
        final BatchMemberState state, final long nowMs)
    {
        final BatchAccount account = find(scope, batchId);
        if (account == null)
        {
            return;
        }
        if (state == BatchMemberState.OUTCOME_UNKNOWN)
        {
            account.outcomeUnknown(sequence, hi, lo, nowMs);
        }
        else
        {
            account.answered(sequence, hi, lo, state, nowMs);
        }
    }

    /** The account of (municipality, batch id), or null: another municipality's batch with the id is not found. */
    public synchronized BatchAccount find(final int scope, final long batchId)
    {
        final BatchAccount[] same = byBatchId.get(batchId);
        if (same != null)
        {
            for (final BatchAccount account : same)
            {
                if (account.scope() == scope)
                {
                    return account;
                }
            }
        }
        return null;
    }

    /** Accounts held now. */
    public synchronized int size()
    {
        return inDeclarationOrder.size();
    }

    /** Accounts with some sequence not finally answered here. */
    public synchronized int open()
    {
        int open = 0;
        for (final BatchAccount account : inDeclarationOrder)
        {
            open += account.complete() ? 0 : 1;
        }
        return open;
    }

    /** Accounts with members accepted here and not finally answered. */
    public synchronized int unanswered()
    {
        int unanswered = 0;
        for (final BatchAccount account : inDeclarationOrder)
        {
            unanswered += account.unanswered() > 0 ? 1 : 0;
        }
        return unanswered;
    }

    /**
     * The longest time, in seconds, that an incomplete account has gone without member activity (its last member
     * accepted or answered here, or its declaration when none was): what the alert on stalled batches reads. 0 when
     * every account is complete.
     */
    public synchronized double incompleteIdleSeconds(final long nowMs)
    {
        long idle = 0;
        for (final BatchAccount account : inDeclarationOrder)
        {
            if (!account.complete())
            {
                final long since = Math.max(account.lastMemberEpochMs(), account.declaredEpochMs());
                idle = Math.max(idle, nowMs - since);
            }
        }
        return idle / 1000.0;
    }

    /** As {@link #incompleteIdleSeconds} over accounts whose members accepted here are not all answered. */
    public synchronized double unansweredIdleSeconds(final long nowMs)
    {
        long idle = 0;
        for (final BatchAccount account : inDeclarationOrder)
        {
            if (account.unanswered() > 0)
            {
                idle = Math.max(idle, nowMs - Math.max(account.lastMemberEpochMs(), account.declaredEpochMs()));
            }
        }
        return idle / 1000.0;
    }

    private boolean evictOldestComplete()
    {
        for (int i = 0; i < inDeclarationOrder.size(); i++)
        {
            final BatchAccount account = inDeclarationOrder.get(i);
            if (account.complete())
            {
                inDeclarationOrder.remove(i);
                final BatchAccount[] same = byBatchId.get(account.batchId());
                if (same.length == 1)
                {
                    byBatchId.remove(account.batchId());
                }
                else
                {
                    byBatchId.put(account.batchId(), java.util.Arrays.stream(same).filter(a -> a != account)
                        .toArray(BatchAccount[]::new));
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Rebuilds the accounts from one journal's facts, in journal order (at start, before the node serves; and by
     * {@code chukei batch status} over copied data directories). Members are linked to their batch by the batch
     * fields of their ACCEPTED entry; verdicts by (municipality, request id). Only members of declared batches are
     * remembered during the scan, so its memory is bounded by the accounts'.
     */
    public Consumer<JournalFact> rebuilder()
    {
        final Map<RequestKey, BatchAccount> members = new HashMap<>();
        final Map<RequestKey, Long> sequences = new HashMap<>();
        return fact ->
        {
            final long nowMs = fact.timestampNs() / 1_000_000;
            switch (fact.type())
            {
                case BATCH_DECLARED -> declare(fact.scope(), fact.batchId(), fact.batchSize(), fact.memberDigest(), nowMs);
                case ACCEPTED ->
                {
                    if (fact.batchId() == JournalFact.NONE)
                    {
                        return;
                    }
                    if (adoptUndeclared && find(fact.scope(), fact.batchId()) == null)
                    {
                        declare(fact.scope(), fact.batchId(), fact.batchSize(), new byte[32], nowMs);
                    }
                    final BatchAccount account = find(fact.scope(), fact.batchId());
                    if (account == null || account.admit(fact.batchSequence(), fact.batchSize(), fact.idHi(),
                        fact.idLo()) != BatchAccount.ADMIT)
                    {
                        return;
                    }
                    account.accepted(fact.batchSequence(), fact.idHi(), fact.idLo(), nowMs);
                    final RequestKey key = new RequestKey(fact.scope(), fact.idHi(), fact.idLo());
                    members.put(key, account);
                    sequences.put(key, fact.batchSequence());
                }
                case COMPLETED, REJECTED, OUTCOME_UNKNOWN ->
                {
                    final RequestKey key = new RequestKey(fact.scope(), fact.idHi(), fact.idLo());
                    final BatchAccount account = members.get(key);
                    if (account == null)
                    {
                        return;
                    }
                    final long sequence = sequences.get(key);
                    if (fact.type() == JournalEventType.OUTCOME_UNKNOWN)
                    {
                        account.outcomeUnknown(sequence, fact.idHi(), fact.idLo(), nowMs);
                    }
                    else if (fact.type() == JournalEventType.COMPLETED)
                    {
                        account.answered(sequence, fact.idHi(), fact.idLo(), fact.status() == OutcomeStatus.OK.value() ?
                            BatchMemberState.COMPLETED_OK : BatchMemberState.COMPLETED_REFUSED, nowMs);
                    }
                    else if (fact.acceptedBefore())
                    {
                        account.answered(sequence, fact.idHi(), fact.idLo(), BatchMemberState.REJECTED, nowMs);
                    }
                }
                default ->
                {
                    // FORWARDED, AUDIT: no change to any batch.
                }
            }
        };
    }

    private record RequestKey(int scope, long hi, long lo)
    {
    }
}
