package io.chukei.gateway.admission;

/**
 * The answer of {@link FairScheduler#offer} and {@link FairScheduler#reserve}: {@link #QUEUED}
 * (one shared instance) or overloaded with a retry-after hint and which bound was hit.
 */
public final class Offer
{
    public static final Offer QUEUED = new Offer(null, 0);

    /** Which bound an overloaded offer hit. */
    public enum Bound
    {
        /** The municipality's own queue is full: only this municipality is told to slow down. */
        MUNICIPALITY,
        /** The node's total queue is full. */
        TOTAL
    }

    private final Bound bound;
    private final long retryAfterMs;

    private Offer(final Bound bound, final long retryAfterMs)
    {
        this.bound = bound;
        this.retryAfterMs = retryAfterMs;
    }

    static Offer overloaded(final Bound bound, final long retryAfterMs)
    {
        return new Offer(bound, retryAfterMs);
    }

    public boolean queued()
    {
        return bound == null;
    }

    /** {@link RejectReason#OVERLOADED}, or null when queued. */
    public RejectReason reason()
    {
        return bound == null ? null : RejectReason.OVERLOADED;
    }

    /** The bound that was hit, or null when queued. */
    public Bound bound()
    {
        return bound;
    }

    /** When overloaded: the estimated time for the queue ahead to drain, within the configured bounds. */
    public long retryAfterMs()
    {
        return retryAfterMs;
    }

    @Override
    public String toString()
    {
        return bound == null ? "QUEUED" : "OVERLOADED(" + bound + ", retryAfterMs=" + retryAfterMs + ")";
    }
}
