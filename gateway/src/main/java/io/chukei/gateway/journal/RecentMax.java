package io.chukei.gateway.journal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest value recorded since the last {@link #takeMax()}: a lock-free recorder for
 * "the slowest append lately" that costs one read (and rarely a CAS) per record.
 */
final class RecentMax
{
    private final AtomicLong max = new AtomicLong();

    void record(final long value)
    {
        long current = max.get();
        while (value > current && !max.compareAndSet(current, value))
        {
            current = max.get();
        }
    }

    /** The largest value since the previous call (0 when none), and starts a new interval. */
    long takeMax()
    {
        return max.getAndSet(0);
    }
}
