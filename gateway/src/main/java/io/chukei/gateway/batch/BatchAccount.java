package io.chukei.gateway.batch;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.DigestCheck;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One node's account of one declared batch: the state of every sequence 1..size as this node saw it, the request
 * id that holds each sequence, and counts kept as states change (so a status answer never walks the members).
 * Arrays are allocated once at declaration: member updates allocate nothing. Thread-safe (members arrive on
 * connector loops, verdicts on upstream loops).
 *
 * <p>States only move forward, in this order of knowledge: NEVER_SEEN, REJECTED before acceptance (a field rule; a
 * corrected resend may still be accepted), ACCEPTED, OUTCOME_UNKNOWN, then a final COMPLETED_OK / COMPLETED_REFUSED /
 * REJECTED (after acceptance: DEADLINE_EXCEEDED). A final state is never overwritten.
 */
public final class BatchAccount
{
    /** {@link #admit} outcomes. */
    public static final int ADMIT = 0;
    public static final int SIZE_MISMATCH = 1;
    public static final int SEQUENCE_HELD = 2;

    private static final byte NEVER_SEEN = (byte)BatchMemberState.NEVER_SEEN.value();
    private static final byte ACCEPTED = (byte)BatchMemberState.ACCEPTED.value();
    private static final byte OUTCOME_UNKNOWN = (byte)BatchMemberState.OUTCOME_UNKNOWN.value();
    private static final byte COMPLETED_OK = (byte)BatchMemberState.COMPLETED_OK.value();
    private static final byte COMPLETED_REFUSED = (byte)BatchMemberState.COMPLETED_REFUSED.value();
    private static final byte REJECTED = (byte)BatchMemberState.REJECTED.value();
    private static final int STATES = 6;

    private final int scope;
    private final long batchId;
    private final int size;
    private final byte[] memberDigest;
    private final long declaredEpochMs;
    private final byte[] states;
    /** Set once a member was rejected at arrival (not accepted): such a REJECTED may still become ACCEPTED. */
    private final byte[] rejectedAtArrival;
    private final long[] idHi;
    private final long[] idLo;
    private final int[] counts = new int[STATES];
    private int idsHeld;
    private DigestCheck digestCheck = DigestCheck.NOT_CHECKED;
    private long lastMemberEpochMs;

    BatchAccount(final int scope, final long batchId, final int size, final byte[] memberDigest, final long declaredEpochMs)
    {
        this.scope = scope;
        this.batchId = batchId;
        this.size = size;
        this.memberDigest = memberDigest.clone();
        this.declaredEpochMs = declaredEpochMs;
        this.states = new byte[size];
        this.rejectedAtArrival = new byte[size];
        this.idHi = new long[size];
        this.idLo = new long[size];
        counts[NEVER_SEEN] = size;
    }

    public int scope()
    {
        return scope;
    }

    public long batchId()
    {
        return batchId;
    }

    public int size()
    {
        return size;
    }

    public long declaredEpochMs()
    {
        return declaredEpochMs;
    }

    /** The manifest's digest (a copy; all zero when none was declared). */
    public byte[] memberDigest()
    {
        return memberDigest.clone();
    }

    /** The request id holding {@code sequence} as {hi, lo}, or null when none does here (tools; allocates). */
    public synchronized long[] idAt(final long sequence)
    {
        final int i = index(sequence);
        return i >= 0 && hasId(i) ? new long[] {idHi[i], idLo[i]} : null;
    }

    /** True when the manifest carries a digest (not all zero). */
    public boolean hasDigest()
    {
        for (final byte b : memberDigest)
        {
            if (b != 0)
            {
                return true;
            }
        }
        return false;
    }

    boolean sameManifest(final int size, final byte[] digest)
    {
        return this.size == size && Arrays.equals(memberDigest, digest);
    }

    /**
     * Whether a member Submit may be accepted into this account: its size must be the manifest's, and its sequence
     * must not be held by another request id. Changes nothing.
     */
    public synchronized int admit(final long sequence, final long batchSize, final long hi, final long lo)
    {
        if (batchSize != size)
        {
            return SIZE_MISMATCH;
        }
        final int i = (int)sequence - 1;
        if (hasId(i) && (idHi[i] != hi || idLo[i] != lo))
        {
            return SEQUENCE_HELD;
        }
        return ADMIT;
    }

    /** The request id holding {@code sequence}, as text, or null (for a refusal's detail; allocates). */
    public synchronized String holderOf(final long sequence)
    {
        final int i = (int)sequence - 1;
        return i >= 0 && i < size && hasId(i) ? new java.util.UUID(idHi[i], idLo[i]).toString() : null;
    }

    /** A member was accepted (journaled) here. */
    public synchronized void accepted(final long sequence, final long hi, final long lo, final long nowMs)
    {
        final int i = index(sequence);
        if (i < 0)
        {
            return;
        }
        holdId(i, hi, lo);
        final byte state = states[i];
        if (state == NEVER_SEEN || state == REJECTED && rejectedAtArrival[i] != 0)
        {
            rejectedAtArrival[i] = 0;
            move(i, ACCEPTED);
        }
        lastMemberEpochMs = Math.max(lastMemberEpochMs, nowMs);
    }

    /** A member was refused at arrival by a field rule: final unless a corrected resend is accepted. */
    public synchronized void rejectedAtArrival(final long sequence, final long nowMs)
    {
        final int i = index(sequence);
        if (i >= 0 && states[i] == NEVER_SEEN)
        {
            rejectedAtArrival[i] = 1;
            move(i, REJECTED);
            lastMemberEpochMs = Math.max(lastMemberEpochMs, nowMs);
        }
    }

    /** An accepted member's deadline passed after a forward: not final. */
    public synchronized void outcomeUnknown(final long sequence, final long hi, final long lo, final long nowMs)
    {
        final int i = index(sequence);
        if (i >= 0 && holds(i, hi, lo) && (states[i] == ACCEPTED || states[i] == NEVER_SEEN))
        {
            move(i, OUTCOME_UNKNOWN);
            lastMemberEpochMs = Math.max(lastMemberEpochMs, nowMs);
        }
    }

    /** An accepted member's final answer: {@code state} is COMPLETED_OK, COMPLETED_REFUSED or REJECTED. */
    public synchronized void answered(final long sequence, final long hi, final long lo, final BatchMemberState state,
        final long nowMs)
    {
        final int i = index(sequence);
        if (i < 0 || !holds(i, hi, lo))
        {
            return;
        }
        final byte current = states[i];
        final boolean finalAlready = current == COMPLETED_OK || current == COMPLETED_REFUSED ||
            current == REJECTED && rejectedAtArrival[i] == 0;
        // A verdict learned after a DEADLINE_EXCEEDED on record cannot happen (nothing was applied); a COMPLETED after
        // OUTCOME_UNKNOWN is the normal way out. A final state stays.
        if (!finalAlready)
        {
            rejectedAtArrival[i] = 0;
            move(i, (byte)state.value());
        }
        lastMemberEpochMs = Math.max(lastMemberEpochMs, nowMs);
    }

    /** Every sequence 1..size has a final answer here. */
    public synchronized boolean complete()
    {
        return counts[NEVER_SEEN] == 0 && counts[ACCEPTED] == 0 && counts[OUTCOME_UNKNOWN] == 0;
    }

    /** Members accepted here and not finally answered (ACCEPTED or OUTCOME_UNKNOWN). */
    public synchronized int unanswered()
    {
        return counts[ACCEPTED] + counts[OUTCOME_UNKNOWN];
    }

    public synchronized long lastMemberEpochMs()
    {
        return lastMemberEpochMs;
    }

    /** A consistent copy of counts, digest check and states, for an answer (allocates: not on the member path). */
    public synchronized BatchSnapshot snapshot()
    {
        return new BatchSnapshot(batchId, size, counts.clone(), digestCheck, lastMemberEpochMs, states.clone());
    }

    private int index(final long sequence)
    {
        return sequence >= 1 && sequence <= size ? (int)sequence - 1 : -1;
    }

    private boolean hasId(final int i)
    {
        return idHi[i] != 0 || idLo[i] != 0;
    }

    private boolean holds(final int i, final long hi, final long lo)
    {
        return !hasId(i) || idHi[i] == hi && idLo[i] == lo;
    }

    private void holdId(final int i, final long hi, final long lo)
    {
        if (hasId(i))
        {
            return;
        }
        idHi[i] = hi;
        idLo[i] = lo;
        if (++idsHeld == size && hasDigest())
        {
            // Once per batch, when this node holds every member's id: SHA-256 over them in sequence order.
            digestCheck = MessageDigest.isEqual(digestOfIds(), memberDigest) ? DigestCheck.MATCH : DigestCheck.MISMATCH;
        }
    }

    private byte[] digestOfIds()
    {
        return BatchDigest.of(idHi, idLo, size);
    }

    private void move(final int i, final byte state)
    {
        counts[states[i]]--;
        states[i] = state;
        counts[state]++;
    }

    /** SHA-256 provider check at class load: the JDK always has it; a missing one is a broken runtime. */
    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }
}
