package io.chukei.bench.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling waits of the storm runs: whether, and how soon, a condition of the cluster came true. */
final class Waits
{
    private static final long POLL_MS = 50;

    private Waits()
    {
    }

    /** Whether the condition holds within {@code limit} (polled every 50 ms). */
    static boolean within(final Duration limit, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
        return true;
    }

    /** Milliseconds from {@code since} (a System.nanoTime) until the condition holds; -1 when {@code limit} ran out. */
    static long msUntil(final long since, final Duration limit, final BooleanSupplier condition) throws InterruptedException
    {
        return within(limit, condition) ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) : -1;
    }
}
