package io.chukei.gateway.cardsim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's counters. Written by the service thread, read by anyone (admin HTTP,
 * tests), hence atomics; {@link #snapshot()} gives one consistent-enough view for reports.
 */
public final class CardSimStats
{
    final AtomicLong received = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong transientFailures = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    volatile int inService;
    volatile int queued;
    volatile int held;

    CardSimStats()
    {
    }

    /** The counters at one moment. */
    public record Snapshot(
        long received,
        long applied,
        long refused,
        long duplicates,
        long transientFailures,
        long heartbeats,
        long malformed,
        int inService,
        int queued,
        int held)
    {
        /**
         * As JSON. {@code applied} counts first decisions (OK and REFUSED; {@code refused} is
         * the REFUSED part), {@code held} counts answers held back by a stall.
         */
        public String toJson()
        {
            return "{\"received\":" + received
                + ",\"applied\":" + applied
                + ",\"refused\":" + refused
                + ",\"duplicates\":" + duplicates
                + ",\"transientFailures\":" + transientFailures
                + ",\"heartbeats\":" + heartbeats
                + ",\"malformed\":" + malformed
                + ",\"inService\":" + inService
                + ",\"queued\":" + queued
                + ",\"held\":" + held
                + "}";
        }
    }

    public Snapshot snapshot()
    {
        return new Snapshot(
            received.get(), applied.get(), refused.get(), duplicates.get(), transientFailures.get(),
            heartbeats.get(), malformed.get(), inService, queued, held);
    }

    /** Forwards received. */
    public long received()
    {
        return received.get();
    }

    /** Request ids decided for the first time (OK or REFUSED). */
    public long applied()
    {
        return applied.get();
    }

    /** Forwards answered with a stored outcome. */
    public long duplicates()
    {
        return duplicates.get();
    }

    /** Forwards answered TRANSIENT_FAILURE (injected, queue full, ledger failure). */
    public long transientFailures()
    {
        return transientFailures.get();
    }

    @Override
    public String toString()
    {
        return snapshot().toJson();
    }
}
