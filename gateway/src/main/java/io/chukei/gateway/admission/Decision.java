package io.chukei.gateway.admission;

/**
 * A rate-limit verdict as a value: {@link #ADMITTED} (one shared instance, nothing allocated) or
 * rate limited with the milliseconds until a token is available.
 */
public final class Decision
{
    public static final Decision ADMITTED = new Decision(false, 0);

    private final boolean rateLimited;
    private final long retryAfterMs;

    private Decision(final boolean rateLimited, final long retryAfterMs)
    {
        this.rateLimited = rateLimited;
        this.retryAfterMs = retryAfterMs;
    }

    static Decision rateLimited(final long retryAfterMs)
    {
        return new Decision(true, retryAfterMs);
    }

    public boolean admitted()
    {
        return !rateLimited;
    }

    /** {@link RejectReason#RATE_LIMITED}, or null when admitted. */
    public RejectReason reason()
    {
        return rateLimited ? RejectReason.RATE_LIMITED : null;
    }

    /** When rate limited: at least 1, the time until the bucket holds a token again; 0 when admitted. */
    public long retryAfterMs()
    {
        return retryAfterMs;
    }

    @Override
    public String toString()
    {
        return rateLimited ? "RATE_LIMITED(retryAfterMs=" + retryAfterMs + ")" : "ADMITTED";
    }
}
