package io.chukei.gateway.cardsim;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults of the system of record itself, to prove reconciliation finds them (Java API here, HTTP {@code /record-faults}
 * in {@link CardSimAdminHandler}). Each kind is armed for the next N newly decided requests, or for a fraction of them:
 * <ul>
 *   <li>{@link Kind#ACK_WITHOUT_APPLY}: answered with its verdict, neither applied nor written to the ledger nor
 *       remembered (a resend would be decided afresh);</li>
 *   <li>{@link Kind#LOSE_OUTCOME}: applied and written to the ledger, but no Outcome ever leaves for it — not for
 *       this Forward, not for any later Forward of the same request;</li>
 *   <li>{@link Kind#DROP_BATCH_MEMBER}: one member of a batch (at most one per batch) vanishes: not applied, not
 *       written, never answered, nor any later Forward of it.</li>
 * </ul>
 * Every request a fault hit is listed ({@link #affected()}, the first {@link #MAX_LISTED}), so a test can compare
 * what reconciliation names with what was done. Switching off ({@link #clear}) stops new injections; requests already
 * lost or dropped stay so, as they would in the real system.
 */
public final class RecordFaults
{
    /** How many affected requests are listed; later ones are only counted. */
    public static final int MAX_LISTED = 100_000;

    /** The kinds of fault, with their HTTP parameter names. */
    public enum Kind
    {
        ACK_WITHOUT_APPLY("ackWithoutApply"),
        LOSE_OUTCOME("loseOutcome"),
        DROP_BATCH_MEMBER("dropBatchMember");

        private final String parameter;

        Kind(final String parameter)
        {
            this.parameter = parameter;
        }

        public String parameter()
        {
            return parameter;
        }
    }

    /** One request a fault hit; {@code batchId} is the Submit's (unsigned), or {@link #NO_BATCH}. */
    public record Affected(Kind kind, String municipality, UUID requestId, long batchId)
    {
        /** "KIND municipality requestId [batchId]", the line GET /record-faults/affected gives. */
        public String toLine()
        {
            return kind + " " + municipality + " " + requestId + (batchId == NO_BATCH ? "" : " " + Long.toUnsignedString(batchId));
        }
    }

    /** {@link Affected#batchId()} outside a batch. */
    public static final long NO_BATCH = -1L;

    private final AtomicLong[] remaining = new AtomicLong[Kind.values().length];
    private final double[] fractions = new double[Kind.values().length];
    private final AtomicLong[] injected = new AtomicLong[Kind.values().length];
    private final ConcurrentLinkedQueue<Affected> affected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger listed = new AtomicInteger();

    RecordFaults()
    {
        for (int i = 0; i < remaining.length; i++)
        {
            remaining[i] = new AtomicLong();
            injected[i] = new AtomicLong();
        }
    }

    /** Arms {@code kind} for the next {@code count} requests (0: none) and a {@code fraction} (0..1) of the rest. */
    public synchronized RecordFaults arm(final Kind kind, final long count, final double fraction)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException(kind.parameter() + ": " + count + " (expected: a whole number >= 0)");
        }
        CardSimFaults.checkFraction(kind.parameter() + "Fraction", fraction);
        remaining[kind.ordinal()].set(count);
        fractions[kind.ordinal()] = fraction;
        return this;
    }

    /** Stops every kind; what was already lost stays lost. */
    public synchronized RecordFaults clear()
    {
        for (final Kind kind : Kind.values())
        {
            remaining[kind.ordinal()].set(0);
            fractions[kind.ordinal()] = 0;
        }
        return this;
    }

    public long remaining(final Kind kind)
    {
        return remaining[kind.ordinal()].get();
    }

    public synchronized double fraction(final Kind kind)
    {
        return fractions[kind.ordinal()];
    }

    /** Requests {@code kind} has hit so far. */
    public long injected(final Kind kind)
    {
        return injected[kind.ordinal()].get();
    }

    /** The requests hit so far, in order (at most {@link #MAX_LISTED}). */
    public List<Affected> affected()
    {
        return new ArrayList<>(affected);
    }

    /** Whether {@code kind} hits this request: a counted one first, else a draw (taken only when a fraction is set). */
    boolean take(final Kind kind, final java.util.SplittableRandom random)
    {
        final AtomicLong left = remaining[kind.ordinal()];
        long now = left.get();
        while (now > 0)
        {
            if (left.compareAndSet(now, now - 1))
            {
                return true;
            }
            now = left.get();
        }
        final double fraction;
        synchronized (this)
        {
            fraction = fractions[kind.ordinal()];
        }
        return fraction > 0 && random.nextDouble() < fraction;
    }

    void hit(final Kind kind, final String municipality, final UUID requestId, final long batchId)
    {
        injected[kind.ordinal()].incrementAndGet();
        if (listed.getAndIncrement() < MAX_LISTED)
        {
            affected.add(new Affected(kind, municipality, requestId, batchId));
        }
    }

    public String toJson()
    {
        final StringBuilder json = new StringBuilder("{");
        for (final Kind kind : Kind.values())
        {
            json.append(kind.ordinal() == 0 ? "" : ",").append('"').append(kind.parameter()).append("\":{\"remaining\":")
                .append(remaining(kind)).append(",\"fraction\":").append(fraction(kind)).append(",\"injected\":")
                .append(injected(kind)).append('}');
        }
        return json.append('}').toString();
    }

    @Override
    public String toString()
    {
        return toJson();
    }
}
