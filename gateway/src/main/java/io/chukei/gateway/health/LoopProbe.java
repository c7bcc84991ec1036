package io.chukei.gateway.health;

/**
 * The lag of one event loop: a task planned for a moment, and how late it ran. A probe that is
 * overdue and has not run yet counts as late by now, so a loop stuck for good shows a growing lag
 * rather than the last one it reported.
 */
final class LoopProbe
{
    private volatile long plannedNanos;
    private volatile boolean pending;
    private volatile long lastLagNanos;

    /** The next probe task is planned to run at {@code plannedNanos}. */
    void arm(final long plannedNanos)
    {
        this.plannedNanos = plannedNanos;
        this.pending = true;
    }

    /** The probe task ran at {@code nowNanos}. */
    void ran(final long nowNanos)
    {
        lastLagNanos = Math.max(0, nowNanos - plannedNanos);
        pending = false;
    }

    /** The lag seen at {@code nowNanos}: the last run's, or the pending task's if it is later still. */
    long lagNanos(final long nowNanos)
    {
        long lag = lastLagNanos;
        if (pending)
        {
            lag = Math.max(lag, nowNanos - plannedNanos);
        }
        return Math.max(0, lag);
    }
}
