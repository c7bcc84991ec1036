package io.chukei.gateway.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that logs each health change and, on waking after a stall, runs {@code onStallWake}
 * (the node flags what it still forwards as possible duplicates). Node states and self-isolation
 * are another listener's job; this one can sit in front of it.
 */
public final class HealthLog implements HealthListener
{
    private static final Logger LOG = LoggerFactory.getLogger(HealthLog.class);

    private final Runnable onStallWake;
    private final HealthListener next;

    /** {@code next} (may be null) is told the same after the log line. */
    public HealthLog(final Runnable onStallWake, final HealthListener next)
    {
        this.onStallWake = onStallWake;
        this.next = next;
    }

    @Override
    public void unhealthy(final String reason)
    {
        LOG.warn("Node unhealthy: {}", reason);
        if (next != null)
        {
            next.unhealthy(reason);
        }
    }

    @Override
    public void healthy()
    {
        LOG.info("Node healthy again: every check passed for the recovery time");
        if (next != null)
        {
            next.healthy();
        }
    }

    @Override
    public void wokeAfterStall(final long stallMs)
    {
        LOG.warn("Node woke after a stall of {} ms: what it still forwards goes as possible duplicates", stallMs);
        onStallWake.run();
        if (next != null)
        {
            next.wokeAfterStall(stallMs);
        }
    }
}
