package io.chukei.gateway.health;

/**
 * Told when the node's own health changes. Calls come from the health monitor's thread, one at a
 * time, and must return quickly.
 */
public interface HealthListener
{
    /**
     * A check failed while the node was healthy, or the node woke after a stall (reported every time,
     * even while already unhealthy). {@code reason} names the check, the measured value and the bound,
     * e.g. "event-loop lag 812 ms (bound 500 ms)".
     */
    void unhealthy(String reason);

    /** Every check has passed for {@code health.recoverAfterMs} since the last failure. */
    void healthy();

    /**
     * The process was stopped or hung for {@code stallMs} (a check ran that much late); called just before
     * {@link #unhealthy}. Whatever the node still forwards may meanwhile have been resubmitted elsewhere.
     */
    default void wokeAfterStall(final long stallMs)
    {
    }

    /** This listener, then {@code next}, for each call. */
    default HealthListener andThen(final HealthListener next)
    {
        final HealthListener first = this;
        return new HealthListener()
        {
            @Override
            public void unhealthy(final String reason)
            {
                first.unhealthy(reason);
                next.unhealthy(reason);
            }

            @Override
            public void healthy()
            {
                first.healthy();
                next.healthy();
            }

            @Override
            public void wokeAfterStall(final long stallMs)
            {
                first.wokeAfterStall(stallMs);
                next.wokeAfterStall(stallMs);
            }
        };
    }
}
